package store_test

import (
	"testing"

	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/supplierdd"
)

// A supplier updates its company-wide answers once: every open purchase it
// has answered gets a new version with them and keeps its answers about
// the State; the versions the body reviewed stay as they were; purchases
// it has not answered, or that are over, get nothing.
func TestSupplierProfileIsReusedAndUpdatedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		chen := storetest.User(t, db, vendor, "chen@vendor.example", model.RoleSupplier)
		a, b, unanswered, over := storetest.Purchase(t, db, off, "Portal"), storetest.Purchase(t, db, off, "Scoring"),
			storetest.Purchase(t, db, off, "Sensors"), storetest.Purchase(t, db, off, "Old tender")
		for _, p := range []*model.Purchase{a, b, unanswered, over} {
			if err := db.InviteSupplier(ctx, store.ActorOf(off), p, vendor.ID); err != nil {
				t.Fatal(err)
			}
		}
		as := store.ActorOf(chen)
		submit := func(p *model.Purchase, in map[string]string) int {
			t.Helper()
			v, err := db.SubmitSupplierAnswers(ctx, as, p, vendor.ID, ddq, in)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		submit(a, map[string]string{"policy": "Policy 2024", "legal_basis": "Art. 14"})
		submit(b, map[string]string{"policy": "Policy 2024", "misuse": "Contract forbids other uses"})
		submit(over, map[string]string{"policy": "Policy 2024"})
		if err := db.ReviewSupplierAnswers(ctx, store.ActorOf(off), a, vendor.ID, 1, ddq, map[string]string{"policy": "partial"}, "Say who approved it."); err != nil {
			t.Fatal(err)
		}
		if err := db.Transition(ctx, store.ActorOf(off), over, store.Move{To: model.StageCancelled, Reason: "no longer needed"}); err != nil {
			t.Fatal(err)
		}
		prof, err := db.SupplierProfile(ctx, vendor.ID)
		if err != nil || prof == nil || prof.Version != 1 || prof.Answers["policy"] != "Policy 2024" || len(prof.Answers) != 1 {
			t.Fatalf("company answers after three purchases with the same policy: %+v %v", prof, err)
		}

		// One update from the supplier's own account.
		v, updated, err := db.SaveSupplierProfile(ctx, as, vendor.ID, ddq, map[string]string{"policy": "Policy 2026, approved by the board", "data": "EU only", "legal_basis": "not company-wide"})
		if err != nil || v != 2 || len(updated) != 2 {
			t.Fatalf("update: version %d, purchases %v, %v", v, updated, err)
		}
		latest := func(p *model.Purchase) store.SupplierAnswer {
			t.Helper()
			vs, err := db.SupplierAnswers(ctx, p.ID, vendor.ID)
			if err != nil || len(vs) == 0 {
				t.Fatalf("%s: %v %v", p.Title, vs, err)
			}
			return vs[0]
		}
		for p, state := range map[*model.Purchase][2]string{a: {"legal_basis", "Art. 14"}, b: {"misuse", "Contract forbids other uses"}} {
			x := latest(p)
			if x.Version != 2 || x.ProfileVersion != 2 || x.Answers["policy"] != "Policy 2026, approved by the board" || x.Answers["data"] != "EU only" || x.Answers[state[0]] != state[1] || len(x.Answers) != 3 {
				t.Errorf("%s after the update: %+v", p.Title, x)
			}
			if x.Questionnaire != ddq.Hash() || x.SubmittedBy != "chen@vendor.example" {
				t.Errorf("%s: questionnaire %q by %q", p.Title, x.Questionnaire, x.SubmittedBy)
			}
		}
		// The reviewed version is untouched and keeps its review.
		vs, _ := db.SupplierAnswers(ctx, a.ID, vendor.ID)
		if vs[1].Answers["policy"] != "Policy 2024" || vs[1].Review == nil || vs[1].Review.Comment != "Say who approved it." || vs[0].Review != nil {
			t.Errorf("reviewed version changed: %+v", vs)
		}
		for _, p := range []*model.Purchase{unanswered, over} {
			if vs, _ := db.SupplierAnswers(ctx, p.ID, vendor.ID); len(vs) > 1 || (len(vs) == 1 && vs[0].Answers["policy"] != "Policy 2024") {
				t.Errorf("%s got the update: %+v", p.Title, vs)
			}
		}

		// The same answers again change nothing anywhere.
		if v, updated, err := db.SaveSupplierProfile(ctx, as, vendor.ID, ddq, map[string]string{"policy": "Policy 2026, approved by the board", "data": "EU only"}); err != nil || v != 2 || len(updated) != 0 {
			t.Errorf("unchanged update: %d %v %v", v, updated, err)
		}
		// Answering on one purchase with a new company answer updates the
		// other purchase too, once.
		if v := submit(b, map[string]string{"policy": "Policy 2026, approved by the board", "data": "EU and UK", "misuse": "Contract forbids other uses"}); v != 3 {
			t.Fatalf("b's version %d", v)
		}
		if x := latest(a); x.Version != 3 || x.Answers["data"] != "EU and UK" || x.Answers["legal_basis"] != "Art. 14" || x.ProfileVersion != 3 {
			t.Errorf("a after b's answer: %+v", x)
		}
		uses, err := db.ProfileUses(ctx, vendor.ID)
		if err != nil || len(uses) != 3 {
			t.Fatalf("uses: %+v %v", uses, err)
		}
		for _, u := range uses {
			want := map[int64]int{a.ID: 3, b.ID: 3, unanswered.ID: 0}[u.PurchaseID]
			if u.ProfileVersion != want {
				t.Errorf("%s carries company version %d, want %d", u.Title, u.ProfileVersion, want)
			}
		}

		// Bad updates: nothing company-wide, and a body trying to write one.
		if _, _, err := db.SaveSupplierProfile(ctx, as, vendor.ID, ddq, map[string]string{"legal_basis": "only the State part"}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("no company answer: %v", err)
		}
		if _, _, err := db.SaveSupplierProfile(ctx, store.ActorOf(off), city.ID, ddq, map[string]string{"policy": "x"}); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("a public body's profile: %v", err)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// A purchase keeps the questions its answers were given to: after an
// administrator rewords a question, the old version still reads with the
// old words and the new one with the new.
func TestSupplierAnswersKeepTheQuestionsTheyAnswered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		chen := storetest.User(t, db, vendor, "chen@vendor.example", model.RoleSupplier)
		p := storetest.Purchase(t, db, off, "Portal")
		if err := db.InviteSupplier(ctx, store.ActorOf(off), p, vendor.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitSupplierAnswers(ctx, store.ActorOf(chen), p, vendor.ID, ddq, map[string]string{"policy": "Policy"}); err != nil {
			t.Fatal(err)
		}
		set, probs := catalog.Build(catalog.Embedded(), []catalog.Source{{Name: "org/supplier.yaml", Data: []byte(`catalog: supplier_dd
version: "1.2.0"
languages: {en: full}
items:
  - id: sdd-policy
    part: supplier
    title: Your human-rights policy and who approved it
    help: Name the board decision.
    refs: [UNGP P16]
`)}})
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		edited := supplierdd.FromCatalog(set)
		if edited.Hash() == ddq.Hash() {
			t.Fatal("a reworded question did not change the questionnaire's hash")
		}
		if _, err := db.SubmitSupplierAnswers(ctx, store.ActorOf(chen), p, vendor.ID, edited, map[string]string{"policy": "Policy, approved by the board"}); err != nil {
			t.Fatal(err)
		}
		vs, _ := db.SupplierAnswers(ctx, p.ID, vendor.ID)
		for _, c := range []struct {
			v     store.SupplierAnswer
			title string
		}{{vs[1], "Your human-rights policy"}, {vs[0], "Your human-rights policy and who approved it"}} {
			q, err := db.SupplierQuestionnaire(ctx, c.v.Questionnaire)
			if err != nil || q == nil {
				t.Fatalf("version %d: %v", c.v.Version, err)
			}
			if x, _ := q.Question("policy"); x.Title.In("en") != c.title {
				t.Errorf("version %d reads %q, want %q", c.v.Version, x.Title.In("en"), c.title)
			}
		}
		if q, err := db.SupplierQuestionnaire(ctx, ""); q != nil || err != nil {
			t.Errorf("no hash: %v %v", q, err)
		}
	})
}
