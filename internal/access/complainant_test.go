package access

import (
	"testing"

	"buyright/internal/model"
)

// Every role, relation and escalation state against who may read a
// complainant's identity: the body's complaints handler, and oversight
// staff once the complaint is escalated to them. Nobody else.
func TestCanReadComplainant(t *testing.T) {
	for _, rel := range []Relation{None, Owner, Oversight, Supplier} {
		for _, escalated := range []bool{false, true} {
			for _, role := range model.Roles {
				want := (rel == Owner && role == model.RoleComplaints) || (rel == Oversight && escalated && role == model.RoleOversight)
				u := &model.User{Role: role}
				if got := CanReadComplainant(u, rel, escalated); got != want {
					t.Errorf("%s %s (escalated %v): %v, want %v", rel, role, escalated, got, want)
				}
				u.Disabled = true
				if CanReadComplainant(u, rel, escalated) {
					t.Errorf("disabled %s %s reads a complainant", rel, role)
				}
			}
		}
	}
	if CanReadComplainant(nil, Owner, true) {
		t.Error("nobody signed in reads a complainant")
	}
}
