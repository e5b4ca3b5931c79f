package access

import (
	"testing"

	"buyright/internal/model"
)

// Who may manage whose account: an organisation's administrator manages
// its own people except a site administrator among them; a site
// administrator manages everyone; nobody else manages anyone.
func TestCanAdminUser(t *testing.T) {
	orgAdmin := &model.User{ID: 1, OrgID: 7, Role: model.RoleAdmin}
	site := &model.User{ID: 2, OrgID: 7, Role: model.RoleAdmin, SiteAdmin: true}
	colleague := &model.User{ID: 3, OrgID: 7, Role: model.RoleOfficer}
	stranger := &model.User{ID: 4, OrgID: 8, Role: model.RoleOfficer}
	otherSite := &model.User{ID: 5, OrgID: 9, Role: model.RoleViewer, SiteAdmin: true}
	officer := &model.User{ID: 6, OrgID: 7, Role: model.RoleOfficer}
	cases := []struct {
		who, target *model.User
		want        bool
	}{
		{orgAdmin, colleague, true},
		{orgAdmin, site, false},
		{orgAdmin, otherSite, false},
		{orgAdmin, stranger, false},
		{site, colleague, true},
		{site, stranger, true},
		{site, otherSite, true},
		{site, orgAdmin, true},
		{officer, colleague, false},
		{officer, site, false},
		{&model.User{ID: 2, OrgID: 7, Role: model.RoleAdmin, SiteAdmin: true, Disabled: true}, colleague, false},
		{nil, colleague, false},
	}
	for i, c := range cases {
		if got := CanAdminUser(c.who, c.target); got != c.want {
			t.Errorf("case %d: CanAdminUser = %v, want %v", i, got, c.want)
		}
	}
}
