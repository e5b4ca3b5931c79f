package access

import (
	"testing"

	"buyright/internal/model"
)

// The consultation rules written out as a table, like the purchase policy:
// a change to CanConsult shows up here as a row someone has to agree with.
func TestConsultationPolicyTable(t *testing.T) {
	managers := []model.Role{model.RoleAdmin, model.RoleOfficer, model.RoleApprover, model.RoleAssessor}
	want := map[Relation]map[ConsultAction][]model.Role{
		Owner:     {ConsultRead: model.Roles, ConsultManage: managers, ConsultIdentity: managers},
		Oversight: {ConsultRead: model.Roles},
		Supplier:  {},
		None:      {},
	}
	for _, rel := range []Relation{None, Owner, Oversight, Supplier} {
		for _, act := range ConsultActions {
			allowed := map[model.Role]bool{}
			for _, r := range want[rel][act] {
				allowed[r] = true
			}
			for _, role := range model.Roles {
				u := &model.User{Role: role}
				if got := CanConsult(u, rel, act); got != allowed[role] {
					t.Errorf("%s %s may %s: %v, want %v", rel, role, act, got, allowed[role])
				}
				u.Disabled = true
				if CanConsult(u, rel, act) {
					t.Errorf("disabled %s %s may %s", rel, role, act)
				}
			}
		}
	}
	if CanConsult(nil, Owner, ConsultRead) {
		t.Error("nobody signed in may read")
	}
}

func TestCivilSocietyActions(t *testing.T) {
	cso := &model.Organisation{ID: 7, Kind: model.OrgCivilSociety}
	body := &model.Organisation{ID: 8, Kind: model.OrgPublicBody}
	member := &model.User{OrgID: 7, Org: cso, Role: model.RoleViewer}
	officer := &model.User{OrgID: 8, Org: body, Role: model.RoleOfficer}
	cases := []struct {
		what string
		got  bool
		want bool
	}{
		{"invited member responds", CanRespondForOrg(member, true), true},
		{"member not invited responds for the org", CanRespondForOrg(member, false), false},
		{"officer responds for an org", CanRespondForOrg(officer, true), false},
		{"member follows", CanFollow(member), true},
		{"officer follows", CanFollow(officer), false},
		{"nobody follows", CanFollow(nil), false},
		{"member reads own org's response", CanReadOrgResponse(member, 7), true},
		{"member reads another org's response", CanReadOrgResponse(member, 9), false},
		{"officer reads a public response as an org's", CanReadOrgResponse(officer, 0), false},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
	member.Disabled = true
	if CanRespondForOrg(member, true) || CanFollow(member) || CanReadOrgResponse(member, 7) {
		t.Error("a disabled person acts for the organisation")
	}
}
