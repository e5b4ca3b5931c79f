package access

import (
	"testing"

	"buyright/internal/model"
)

// TestPolicyTable walks every relation, role and action against the policy
// written out as a table, so that a change to Can shows up here as a row
// someone has to agree with.
func TestPolicyTable(t *testing.T) {
	body := []model.Role{model.RoleAdmin, model.RoleOfficer, model.RoleApprover}
	reviewers := []model.Role{model.RoleAdmin, model.RoleOfficer, model.RoleApprover, model.RoleAssessor}
	everyone := model.Roles
	notViewer := []model.Role{model.RoleAdmin, model.RoleOfficer, model.RoleAssessor, model.RoleApprover, model.RoleOversight, model.RoleSupplier, model.RoleComplaints}
	want := map[Relation]map[Action][]model.Role{
		Owner: {
			View: everyone, ViewRecord: everyone,
			Create: body, Edit: body, Transition: body,
			Override: {model.RoleApprover}, SignOff: {model.RoleApprover},
			Assess: reviewers, ReviewDD: reviewers,
			Comment: notViewer,
		},
		Oversight: {
			View: everyone, ViewRecord: everyone,
			Comment: {model.RoleOversight, model.RoleAdmin},
		},
		Supplier: {
			View:     everyone,
			AnswerDD: {model.RoleAdmin, model.RoleSupplier},
		},
		None: {},
	}
	for _, rel := range []Relation{None, Owner, Oversight, Supplier} {
		for _, act := range Actions {
			allowed := map[model.Role]bool{}
			for _, r := range want[rel][act] {
				allowed[r] = true
			}
			for _, role := range model.Roles {
				u := &model.User{Role: role}
				if got := Can(u, rel, act); got != allowed[role] {
					t.Errorf("%s %s may %s: %v, want %v", rel, role, act, got, allowed[role])
				}
				u.Disabled = true
				if Can(u, rel, act) {
					t.Errorf("disabled %s %s may %s", rel, role, act)
				}
			}
		}
	}
	if Can(nil, Owner, View) {
		t.Error("nobody signed in may view")
	}
}

// The supplier's own actions, spelt out: it answers its questionnaire but
// never reviews one, nor reads the record where other bidders appear; the
// body reviews but never answers for the supplier; oversight only reads.
func TestSupplierDueDiligenceActions(t *testing.T) {
	cases := []struct {
		rel  Relation
		role model.Role
		act  Action
		want bool
	}{
		{Supplier, model.RoleSupplier, AnswerDD, true},
		{Supplier, model.RoleAdmin, AnswerDD, true},
		{Supplier, model.RoleViewer, AnswerDD, false},
		{Supplier, model.RoleSupplier, ReviewDD, false},
		{Supplier, model.RoleSupplier, ViewRecord, false},
		{None, model.RoleSupplier, AnswerDD, false},
		{None, model.RoleSupplier, View, false},
		{Owner, model.RoleOfficer, AnswerDD, false},
		{Owner, model.RoleAssessor, ReviewDD, true},
		{Owner, model.RoleViewer, ReviewDD, false},
		{Oversight, model.RoleOversight, ReviewDD, false},
		{Oversight, model.RoleOversight, AnswerDD, false},
		{Oversight, model.RoleOversight, ViewRecord, true},
	}
	for _, c := range cases {
		if got := Can(&model.User{Role: c.role}, c.rel, c.act); got != c.want {
			t.Errorf("%s %s %s: %v, want %v", c.rel, c.role, c.act, got, c.want)
		}
	}
}
