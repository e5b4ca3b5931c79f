package demo_test

import (
	"context"
	"strings"
	"testing"

	"buyright/internal/access"
	"buyright/internal/auth"
	"buyright/internal/demo"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// What `serve --demo` prints about each person is what the code lets them
// do: the site administrator belongs to no organisation of the story, the
// assessor's sentence matches the assessor's rights, and the researcher's
// account says it is in the Learning Lab.
func TestPrintedAccountsTellTheTruth(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	accounts, err := demo.Seed(ctx, db, auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]demo.Account{}
	for _, a := range accounts {
		by[a.Email] = a
	}
	op, _, err := db.UserForSignIn(ctx, "operator@buyright.example")
	if err != nil {
		t.Fatal(err)
	}
	bruno, _, _ := db.UserForSignIn(ctx, "bruno@nhri.example")
	if !op.SiteAdmin || op.OrgID == bruno.OrgID || by[op.Email].Org == by[bruno.Email].Org {
		t.Errorf("the site administrator is a member of %q, the human rights institution's organisation", by[op.Email].Org)
	}
	for _, a := range accounts {
		u, _, _ := db.UserForSignIn(ctx, a.Email)
		if u.SiteAdmin && a.Email != op.Email {
			t.Errorf("%s is a site administrator but is not printed as the site operator", a.Email)
		}
	}

	ines, _, _ := db.UserForSignIn(ctx, "ines@portavera.example")
	what := by[ines.Email].What
	canAssess := access.Can(ines, access.Owner, access.Assess)
	if canAssess != strings.Contains(what, "edits the human-rights impact assessment") || strings.Contains(what, "reads and comments") {
		t.Errorf("the assessor may assess: %v; the demo says %q", canAssess, what)
	}
	for _, act := range []access.Action{access.Edit, access.Transition, access.SignOff} {
		if access.Can(ines, access.Owner, act) {
			t.Errorf("the assessor may %s, but the demo says she may not", act)
		}
	}
	if !strings.Contains(by["sofia@research.example"].Role, "Learning Lab member") {
		t.Errorf("the researcher's printed role does not say she is in the Lab: %q", by["sofia@research.example"].Role)
	}
	if !strings.Contains(by["marta@claimants.example"].Role, "Learning Lab member") {
		t.Error("a person added late to a Lab member organisation is not printed as a member")
	}
	if strings.Contains(by["chen@civitas.example"].Role, "Learning Lab member") {
		t.Error("a supplier outside the Lab is printed as a member")
	}
}
