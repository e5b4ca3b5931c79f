package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"buyright/internal/access"
	"buyright/internal/audit"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

var ctx = context.Background()

func TestOpenErrors(t *testing.T) {
	cases := []struct{ url, want string }{
		{"mysql://x", `unknown database scheme "mysql"`},
		{"sqlite:", "no file path"},
		{"sqlite:/no/such/folder/x.db", "does not exist"},
		{"postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", "not reachable"},
	}
	for _, c := range cases {
		_, err := store.Open(ctx, c.url)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open(%q) = %v, want error containing %q", c.url, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("Open(%q) error spans lines: %q", c.url, err)
		}
	}
}

func TestMigrateIdempotentAndRefusesNewer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second Migrate applied %d, err %v; want 0, nil", n, err)
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future.sql', 'x')"); err != nil {
			t.Fatal(err)
		}
		_, err = db.Migrate(ctx)
		if !errors.Is(err, store.ErrSchemaTooNew) || !strings.Contains(err.Error(), "999") {
			t.Fatalf("Migrate on a newer schema = %v", err)
		}
		if err := db.CheckSchema(ctx); !errors.Is(err, store.ErrSchemaTooNew) {
			t.Fatalf("CheckSchema on a newer schema = %v", err)
		}
	})
}

func TestPurchaseCreateUpdateConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		p := &model.Purchase{OrgID: org.ID, Title: "  Fraud <b>risk</b> scoring ", Sector: "social_protection",
			Technologies: []model.Technology{"automated_decisions", "data_platform"}, ValueMinor: 125000050, Currency: "eur"}
		if err := db.CreatePurchase(ctx, store.ActorOf(ana), p); err != nil {
			t.Fatal(err)
		}
		got, rel, err := db.Purchase(ctx, ana, p.ID)
		if err != nil || rel != access.Owner {
			t.Fatalf("Purchase = %v, %v", rel, err)
		}
		if got.Title != "Fraud <b>risk</b> scoring" || got.Currency != "EUR" || got.ValueMinor != 125000050 || len(got.Technologies) != 2 || got.Stage != model.StagePlanning {
			t.Fatalf("stored purchase differs: %+v", got)
		}
		// Two people edit the same version: the second is refused.
		a, b := *got, *got
		a.Need = "Faster checks"
		b.Need = "Something else"
		if err := db.UpdatePurchase(ctx, store.ActorOf(ana), &a); err != nil {
			t.Fatal(err)
		}
		err = db.UpdatePurchase(ctx, store.ActorOf(ana), &b)
		if model.ErrorCode(err) != model.EConflict {
			t.Fatalf("stale update = %v, want conflict", err)
		}
		hist, err := db.AuditFor(ctx, "purchase", p.ID, 10)
		if err != nil || len(hist) != 2 || hist[0].Action != "update" || !strings.Contains(hist[0].Detail, `"need":{"old":"","new":"Faster checks"}`) {
			t.Fatalf("audit = %+v, %v", hist, err)
		}
	})
}

func TestValidationNamesFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		p := &model.Purchase{OrgID: org.ID, Title: "", Sector: "nope", ValueMinor: -1, OCID: "ocds with spaces", Technologies: []model.Technology{"x"}}
		err := db.CreatePurchase(ctx, store.ActorOf(ana), p)
		var e *model.Error
		if !errors.As(err, &e) || e.Code != model.EInvalid {
			t.Fatalf("err = %v", err)
		}
		for _, f := range []string{"title", "sector", "value", "ocid", "technologies"} {
			if e.Fields[f] == "" {
				t.Errorf("no error for field %s: %v", f, e.Fields)
			}
		}
	})
}

func TestVisibilityAcrossOrganisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		town := storetest.Org(t, db, "town", model.OrgPublicBody)
		nhri := storetest.Org(t, db, "nhri", model.OrgOversight)
		vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
		other := storetest.Org(t, db, "other-vendor", model.OrgSupplier)
		ana := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		tom := storetest.User(t, db, town, "tom@town.example", model.RoleAdmin)
		bruno := storetest.User(t, db, nhri, "bruno@nhri.example", model.RoleOversight)
		chen := storetest.User(t, db, vendor, "chen@vendor.example", model.RoleSupplier)
		olga := storetest.User(t, db, other, "olga@other.example", model.RoleSupplier)
		p := storetest.Purchase(t, db, ana, "Welfare scoring")
		storetest.Purchase(t, db, tom, "Town cameras")

		if err := db.SetRemit(ctx, store.System, nhri.ID, []int64{city.ID}); err != nil {
			t.Fatal(err)
		}
		if err := db.InviteSupplier(ctx, store.ActorOf(ana), p, vendor.ID); err != nil {
			t.Fatal(err)
		}
		want := map[*model.User]access.Relation{ana: access.Owner, tom: access.None, bruno: access.Oversight, chen: access.Supplier, olga: access.None}
		for u, rel := range want {
			_, got, err := db.Purchase(ctx, u, p.ID)
			if rel == access.None {
				if model.ErrorCode(err) != model.ENotFound {
					t.Errorf("%s: err = %v, want not found", u.Email, err)
				}
			} else if err != nil || got != rel {
				t.Errorf("%s: relation %v, %v; want %v", u.Email, got, err, rel)
			}
			list, err := db.Purchases(ctx, u, store.PurchaseFilter{})
			if err != nil {
				t.Fatal(err)
			}
			wantN := 1
			if rel == access.None {
				wantN = 0
				if u == tom {
					wantN = 1 // his own
				}
			}
			if list.Total != wantN {
				t.Errorf("%s sees %d purchases, want %d", u.Email, list.Total, wantN)
			}
		}
	})
}

func TestListFiltersAndHostileQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		for _, title := range []string{"School platform", "100% uptime_cloud", "CCTV analytics", "Schools' tablets"} {
			storetest.Purchase(t, db, ana, title)
		}
		cases := map[string]int{"school": 2, "SCHOOL": 2, "%": 1, "_": 1, "' OR '1'='1": 0, `\`: 0, "NEAR(a b)": 0}
		for q, want := range cases {
			l, err := db.Purchases(ctx, ana, store.PurchaseFilter{Query: q})
			if err != nil || l.Total != want {
				t.Errorf("query %q: %d, %v; want %d", q, l.Total, err, want)
			}
		}
		// A technology with an underscore in its code filters on both
		// databases (LIKE must escape it the same way).
		tagged := storetest.Purchase(t, db, ana, "Cloud records")
		tagged.Technologies = []model.Technology{"data_platform"}
		if err := db.UpdatePurchase(ctx, store.ActorOf(ana), tagged); err != nil {
			t.Fatal(err)
		}
		if l, err := db.Purchases(ctx, ana, store.PurchaseFilter{Technology: "data_platform"}); err != nil || l.Total != 1 {
			t.Fatalf("technology filter: %d, %v", l.Total, err)
		}
		if l, err := db.Purchases(ctx, ana, store.PurchaseFilter{Technology: "data_platform", Query: "cloud"}); err != nil || l.Total != 1 {
			t.Fatalf("technology filter with a query: %d, %v", l.Total, err)
		}
		l, err := db.Purchases(ctx, ana, store.PurchaseFilter{PerPage: 3, Page: 2, Sort: "title"})
		if err != nil || l.Total != 5 || len(l.Items) != 2 || l.Pages() != 2 {
			t.Fatalf("paging: %+v %v", l, err)
		}
		counts, err := db.CountByStage(ctx, ana, false)
		if err != nil || counts[0].Stage != model.StagePlanning || counts[0].Count != 5 {
			t.Fatalf("counts = %v %v", counts, err)
		}
	})
}

func TestTransitionAtomicAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleApprover)
		p := storetest.Purchase(t, db, ana, "Cameras")

		// A crash between the writes and the commit leaves the old stage
		// and no history or audit row.
		db.SetFailAfterWrite(func(op string) error { return errors.New("power cut") })
		err := db.Transition(ctx, store.ActorOf(ana), p, store.Move{To: model.StageMarketEngagement, Override: true, Reason: "r",
			Failed: []model.GateFailure{{Rule: "need_recorded", Message: "no need"}}})
		if err == nil {
			t.Fatal("transition should have failed")
		}
		db.SetFailAfterWrite(nil)
		got, _, _ := db.Purchase(ctx, ana, p.ID)
		hist, _ := db.StageHistory(ctx, p.ID)
		if got.Stage != model.StagePlanning || len(hist) != 0 {
			t.Fatalf("after crash: stage %s, %d history rows", got.Stage, len(hist))
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}

		// Failed rules without an override are refused by the store too.
		if err := db.Transition(ctx, store.ActorOf(ana), got, store.Move{To: model.StageMarketEngagement, Failed: []model.GateFailure{{Rule: "x"}}}); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("unoverridden failure = %v", err)
		}
		if err := db.Transition(ctx, store.ActorOf(ana), got, store.Move{To: model.StageMarketEngagement, Override: true, Reason: "urgent",
			Failed: []model.GateFailure{{Rule: "need_recorded", Message: "no need"}}}); err != nil {
			t.Fatal(err)
		}
		hist, _ = db.StageHistory(ctx, p.ID)
		if len(hist) != 1 || hist[0].Override == nil || hist[0].Override.Failed[0].Rule != "need_recorded" || hist[0].Reason != "urgent" {
			t.Fatalf("history = %+v", hist)
		}
		ov, err := db.Overrides(ctx, ana, 10)
		if err != nil || len(ov) != 1 || ov[0].PurchaseTitle != "Cameras" {
			t.Fatalf("overrides = %+v %v", ov, err)
		}
		// The stale copy (old version) cannot move again.
		stale := *p
		if err := db.Transition(ctx, store.ActorOf(ana), &stale, store.Move{To: model.StageTenderDesign}); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("stale transition = %v", err)
		}
	})
}

func TestAuditTamperingDetected(t *testing.T) {
	tamper := []struct {
		name, sql string
		wantRow   int64
	}{
		{"edited detail", "UPDATE audit_log SET detail = '{}' WHERE id = 3", 3},
		{"edited actor", "UPDATE audit_log SET actor = 'mallory' WHERE id = 2", 2},
		{"removed middle row", "DELETE FROM audit_log WHERE id = 3", 3},
		{"removed last row", "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)", 5},
		{"reordered rows", "UPDATE audit_log SET id = CASE id WHEN 2 THEN 1002 WHEN 3 THEN 2 END WHERE id IN (2, 3); UPDATE audit_log SET id = 3 WHERE id = 1002", 2},
		{"rewritten hash", "UPDATE audit_log SET detail = '{}', hash = 'abc' WHERE id = 4", 4},
	}
	for _, tc := range tamper {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				org := storetest.Org(t, db, "city", model.OrgPublicBody)                 // row 1
				ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer) // row 2
				p := storetest.Purchase(t, db, ana, "A")                                 // row 3
				storetest.Purchase(t, db, ana, "B")                                      // row 4
				db.AddComment(ctx, store.ActorOf(ana), ana, p, "hello")                  // row 5
				n, head, err := db.VerifyAudit(ctx)
				if err != nil || n != 5 || len(head) != 64 {
					t.Fatalf("clean log: %d %q %v", n, head, err)
				}
				// As the database's owner could, past the append-only triggers.
				if err := db.Tamper(strings.Split(tc.sql, "; ")...); err != nil {
					t.Fatal(err)
				}
				_, _, err = db.VerifyAudit(ctx)
				var b *audit.Break
				if !errors.As(err, &b) || b.ID != tc.wantRow {
					t.Fatalf("VerifyAudit after %s = %v, want break at row %d", tc.name, err, tc.wantRow)
				}
			})
		})
	}
}

func TestSessionsAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		if err := db.CreateSession(ctx, ana.ID, "s1", 3600e9); err != nil {
			t.Fatal(err)
		}
		if u, err := db.SessionUser(ctx, "s1"); err != nil || u.ID != ana.ID || u.Org.Slug != "city" {
			t.Fatalf("SessionUser = %v %v", u, err)
		}
		tok, err := db.CreateToken(ctx, store.ActorOf(ana), ana, "laptop", "t1", store.TokenWrite, 30)
		if err != nil {
			t.Fatal(err)
		}
		if u, err := db.TokenUser(ctx, "t1"); err != nil || u.ID != ana.ID {
			t.Fatalf("TokenUser = %v %v", u, err)
		}
		// Disabling a person ends sessions and tokens.
		ana.Disabled = true
		if err := db.UpdateUser(ctx, store.System, ana); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, "s1"); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("session after disable: %v", err)
		}
		if _, err := db.TokenUser(ctx, "t1"); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("token after disable: %v", err)
		}
		toks, _ := db.Tokens(ctx, ana.ID)
		if len(toks) != 1 || toks[0].ID != tok.ID || toks[0].RevokedAt == nil {
			t.Fatalf("tokens = %+v", toks)
		}
	})
}

func TestBackup(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	org := storetest.Org(t, db, "city", model.OrgPublicBody)
	ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
	storetest.Purchase(t, db, ana, "A")
	out := t.TempDir() + "/copy.db"
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(ctx, "sqlite:"+out)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if n, _, err := cp.VerifyAudit(ctx); err != nil || n != 3 {
		t.Fatalf("copy audit: %d %v", n, err)
	}
	if err := db.Backup(ctx, out); err == nil {
		t.Fatal("backup over an existing file should fail")
	}
}
