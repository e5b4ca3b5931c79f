package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// An organisation's administrator manages the people of the organisation,
// but not a site administrator who happens to belong to it: they can
// neither open nor change (disable, demote, rename) that account. The
// site administrator keeps managing accounts of any organisation.
func TestOrgAdminCannotReachSiteAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		hash, _ := cheap.Hash(password)
		ops := &model.User{OrgID: w.orgs["operators"].ID, Email: "ops_admin@test.example", Name: "Ops", Role: model.RoleAdmin}
		if err := db.CreateUser(ctx, store.System, ops, hash); err != nil {
			t.Fatal(err)
		}
		site := w.users["site_admin"]
		path := fmt.Sprintf("/admin/users/%d", site.ID)
		for _, form := range []url.Values{
			{"name": {"site_admin"}, "role": {"admin"}, "disabled": {"on"}},
			{"name": {"site_admin"}, "role": {"viewer"}},
			{"name": {"Renamed"}, "role": {"admin"}},
		} {
			if s, _, _ := w.do("ops_admin", "POST", path, form); s != 404 {
				t.Errorf("organisation admin changing the site admin with %v: %d, want 404", form, s)
			}
		}
		if s, _, _ := w.do("ops_admin", "GET", path, nil); s != 404 {
			t.Errorf("organisation admin opening the site admin's account: %d, want 404", s)
		}
		got, err := db.User(ctx, site.ID)
		if err != nil || got.Disabled || got.Role != model.RoleAdmin || got.Name != "site_admin" {
			t.Fatalf("site admin after the attempts: %+v %v", got, err)
		}
		// The list shows the account without a way to edit it.
		_, page, _ := w.do("ops_admin", "GET", "/admin/users", nil)
		if strings.Contains(page, `href="`+path+`"`) || !strings.Contains(page, "site_admin@test.example") {
			t.Errorf("users list offers the site admin's account to an organisation admin")
		}
		// The organisation admin still manages an ordinary colleague, and the
		// site admin still manages the organisation admin.
		peer := &model.User{OrgID: w.orgs["operators"].ID, Email: "peer@test.example", Role: model.RoleViewer}
		if err := db.CreateUser(ctx, store.System, peer, hash); err != nil {
			t.Fatal(err)
		}
		if s, body, _ := w.do("ops_admin", "POST", fmt.Sprintf("/admin/users/%d", peer.ID), url.Values{"name": {"Peer"}, "role": {"viewer"}, "disabled": {"on"}}); s != 303 {
			t.Fatalf("organisation admin disabling a colleague: %d %.300s", s, body)
		}
		if s, body, _ := w.do("site_admin", "POST", fmt.Sprintf("/admin/users/%d", ops.ID), url.Values{"name": {"Ops"}, "role": {"viewer"}}); s != 303 {
			t.Fatalf("site admin changing an organisation admin: %d %.300s", s, body)
		}
	})
}
