package storetest

import (
	"context"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
)

// Org creates an organisation.
func Org(t testing.TB, db *store.DB, slug string, kind model.OrgKind) *model.Organisation {
	t.Helper()
	o := &model.Organisation{Slug: slug, Name: "Org " + slug, Kind: kind, Jurisdiction: "PT"}
	if err := db.CreateOrg(context.Background(), store.System, o); err != nil {
		t.Fatal(err)
	}
	return o
}

// User creates a person; the password hash is a placeholder that matches
// no password, for tests that do not sign in.
func User(t testing.TB, db *store.DB, org *model.Organisation, email string, role model.Role) *model.User {
	t.Helper()
	u := &model.User{OrgID: org.ID, Email: email, Name: email, Role: role}
	if err := db.CreateUser(context.Background(), store.System, u, "!"); err != nil {
		t.Fatal(err)
	}
	u.Org = org
	return u
}

// Purchase creates a purchase owned by the user's organisation.
func Purchase(t testing.TB, db *store.DB, u *model.User, title string) *model.Purchase {
	t.Helper()
	p := &model.Purchase{OrgID: u.OrgID, Title: title, Sector: "social_protection", LeadUserID: u.ID}
	if err := db.CreatePurchase(context.Background(), store.ActorOf(u), p); err != nil {
		t.Fatal(err)
	}
	return p
}
