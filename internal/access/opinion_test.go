package access

import (
	"testing"

	"buyright/internal/model"
)

// TestOpinionPolicyTable walks every relation, role and opinion action,
// with and without the accountable head's designation, against the policy
// written out as a table.
func TestOpinionPolicyTable(t *testing.T) {
	everyone := model.Roles
	speakers := []model.Role{model.RoleOversight, model.RoleAdmin}
	heads := []model.Role{model.RoleAdmin, model.RoleApprover}
	type key struct {
		rel  Relation
		act  OpinionAction
		head bool
	}
	want := map[key][]model.Role{
		{Owner, ReadOpinions, false}: everyone, {Owner, ReadOpinions, true}: everyone,
		{Oversight, ReadOpinions, false}: everyone, {Oversight, ReadOpinions, true}: everyone,
		{Oversight, GiveOpinion, false}: speakers, {Oversight, GiveOpinion, true}: speakers,
		{Oversight, WriteNote, false}: speakers, {Oversight, WriteNote, true}: speakers,
		// Designation alone is not enough: the person must still be an
		// administrator or approver of the buying body.
		{Owner, DecideToProceed, true}: heads,
	}
	kinds := map[Relation]model.OrgKind{Owner: model.OrgPublicBody, Oversight: model.OrgOversight, Supplier: model.OrgSupplier, None: model.OrgCivilSociety}
	for _, rel := range []Relation{None, Owner, Oversight, Supplier} {
		for _, act := range OpinionActions {
			for _, head := range []bool{false, true} {
				allowed := map[model.Role]bool{}
				for _, r := range want[key{rel, act, head}] {
					allowed[r] = true
				}
				for _, role := range model.Roles {
					u := &model.User{Role: role, Org: &model.Organisation{Kind: kinds[rel]}}
					if got := CanOpinion(u, rel, act, head); got != allowed[role] {
						t.Errorf("%s %s may %s (head %v): %v, want %v", rel, role, act, head, got, allowed[role])
					}
					u.Disabled = true
					if CanOpinion(u, rel, act, head) {
						t.Errorf("disabled %s %s may %s", rel, role, act)
					}
				}
			}
		}
	}
}

func TestOpinionSettings(t *testing.T) {
	user := func(kind model.OrgKind, role model.Role) *model.User {
		return &model.User{Role: role, Org: &model.Organisation{Kind: kind}}
	}
	cases := []struct {
		name string
		got  bool
		want bool
	}{
		{"public admin designates heads", CanDesignateHeads(user(model.OrgPublicBody, model.RoleAdmin)), true},
		{"public approver designates heads", CanDesignateHeads(user(model.OrgPublicBody, model.RoleApprover)), false},
		{"oversight admin designates heads", CanDesignateHeads(user(model.OrgOversight, model.RoleAdmin)), false},
		{"approver may be head", CanBeHead(user(model.OrgPublicBody, model.RoleApprover)), true},
		{"officer may be head", CanBeHead(user(model.OrgPublicBody, model.RoleOfficer)), false},
		{"supplier admin may be head", CanBeHead(user(model.OrgSupplier, model.RoleAdmin)), false},
		{"oversight speaker sets rules", CanSetOpinionRules(user(model.OrgOversight, model.RoleOversight)), true},
		{"oversight viewer sets rules", CanSetOpinionRules(user(model.OrgOversight, model.RoleViewer)), false},
		{"public admin sets rules", CanSetOpinionRules(user(model.OrgPublicBody, model.RoleAdmin)), false},
		{"oversight viewer sees across bodies", CanViewAcrossBodies(user(model.OrgOversight, model.RoleViewer)), true},
		{"public admin sees across bodies", CanViewAcrossBodies(user(model.OrgPublicBody, model.RoleAdmin)), false},
		{"nobody", CanViewAcrossBodies(nil) || CanSetOpinionRules(nil) || CanBeHead(nil) || CanDesignateHeads(nil) || CanOpinion(nil, Owner, ReadOpinions, true), false},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %v", c.name, c.got)
		}
	}
}
