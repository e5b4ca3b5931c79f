package access

import (
	"strings"
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
			View: everyone, ViewRecord: everyone, ViewObligations: everyone,
			Create: body, Edit: body, Transition: body, Disclose: body,
			Override: {model.RoleApprover}, SignOff: {model.RoleApprover}, ApproveDisclosure: {model.RoleApprover},
			Assess: reviewers, ReviewDD: reviewers,
			Comment:      notViewer,
			ViewFirewall: everyone, ReportBarrier: reviewers,
		},
		Oversight: {
			View: everyone, ViewRecord: everyone, ViewFirewall: everyone, ViewObligations: everyone,
			Comment: {model.RoleOversight, model.RoleAdmin},
		},
		Supplier: {
			View:            everyone,
			AnswerDD:        {model.RoleAdmin, model.RoleSupplier},
			ViewFirewall:    everyone,
			ReportBarrier:   {model.RoleAdmin, model.RoleSupplier},
			ViewObligations: everyone,
			FeedAsSupplier:  {model.RoleAdmin, model.RoleSupplier},
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

// TestLabPolicyTable walks every Lab action for people holding each
// network role, in each kind of organisation, against the policy written
// out as a table. Roles come from the network, never from a person's role
// in their organisation: an organisation's administrator with no Lab role
// may only propose, like anyone.
func TestLabPolicyTable(t *testing.T) {
	type holder struct {
		name   string
		grants []LabGrant
		site   bool
	}
	holders := []holder{
		{"no role", nil, false},
		{"site admin", nil, true},
		{"lead", []LabGrant{{Role: LabLead}}, false},
		{"editor", []LabGrant{{Role: LabEditor}}, false},
		{"reviewer", []LabGrant{{Role: LabReviewer}}, false},
		{"electronics hub lead", []LabGrant{{Role: LabHubLead, Hub: "electronics"}}, false},
	}
	// want[holder][action] for a practice of the electronics hub ("e") and
	// of another hub ("o"); actions without a hub use "e".
	want := map[string]map[LabAction]string{
		"no role":              {LabPropose: "eo"},
		"site admin":           {LabPropose: "eo", LabAppoint: "eo", LabAppointLead: "eo"},
		"lead":                 {LabPropose: "eo", LabAppoint: "eo"},
		"editor":               {LabPropose: "eo", LabReadQueue: "eo", LabPublish: "eo", LabEditMap: "eo"},
		"reviewer":             {LabPropose: "eo", LabReadQueue: "eo", LabReviewAnswer: "eo", LabReviewPractice: "eo"},
		"electronics hub lead": {LabPropose: "eo", LabReviewPractice: "e"},
	}
	hubs := map[string]string{"e": "electronics", "o": "apparel"}
	for _, kind := range model.OrgKinds {
		for _, role := range model.RolesFor(kind) {
			for _, h := range holders {
				for _, act := range LabActions {
					for key, hub := range hubs {
						u := &model.User{ID: 1, OrgID: 1, Role: role, SiteAdmin: h.site, Org: &model.Organisation{ID: 1, Kind: kind}}
						ok := strings.Contains(want[h.name][act], key)
						// People at a supplier only ever propose, whatever they were given.
						if kind == model.OrgSupplier && act != LabPropose {
							ok = false
						}
						if got := LabCan(u, h.grants, act, hub); got != ok {
							t.Errorf("%s %s (%s) may %s in %s: %v, want %v", kind, role, h.name, act, hub, got, ok)
						}
						u.Disabled = true
						if LabCan(u, h.grants, act, hub) {
							t.Errorf("disabled %s %s (%s) may %s", kind, role, h.name, act)
						}
					}
				}
			}
		}
	}
	if LabCan(nil, []LabGrant{{Role: LabEditor}}, LabPropose, "") {
		t.Error("nobody signed in may propose")
	}
}

func TestLabConflict(t *testing.T) {
	reviewer := &model.User{ID: 7, OrgID: 3}
	cases := []struct {
		authorID, authorOrg int64
		want                string
	}{
		{7, 3, LabOwnWork},
		{7, 9, LabOwnWork}, // their own, written before they moved
		{8, 3, LabColleagueWork},
		{8, 9, ""},
		{0, 0, ""}, // starting content shipped with buyright
	}
	for _, c := range cases {
		if got := LabConflict(reviewer, c.authorID, c.authorOrg); got != c.want {
			t.Errorf("author %d of org %d: %q, want %q", c.authorID, c.authorOrg, got, c.want)
		}
	}
	if LabConflict(nil, 0, 0) == "" {
		t.Error("nobody reviews without being someone")
	}
}
