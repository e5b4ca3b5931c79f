package demo_test

import (
	"context"
	"strings"
	"testing"

	"buyright/internal/assessment"
	"buyright/internal/auth"
	"buyright/internal/demo"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/tender"
)

func TestSeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}
		accounts, err := demo.Seed(ctx, db, h)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, a := range accounts {
			if len(a.Password) < 16 || seen[a.Password] {
				t.Fatalf("weak or repeated demo password for %s", a.Email)
			}
			seen[a.Password] = true
		}
		// The officer signs in with the printed password and sees purchases
		// in several stages, one of them moved by override.
		ana, hash, err := db.UserForSignIn(ctx, "ana@portavera.example")
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := h.Verify(accounts[0].Password, hash); !ok {
			t.Fatal("printed password does not sign in")
		}
		counts, _ := db.CountByStage(ctx, ana, false)
		stages := 0
		for _, c := range counts {
			if c.Count > 0 {
				stages++
			}
		}
		if stages < 4 {
			t.Errorf("the city's demo purchases cover %d stages", stages)
		}
		bruno, _, _ := db.UserForSignIn(ctx, "bruno@nhri.example")
		all, _ := db.Purchases(ctx, bruno, store.PurchaseFilter{})
		if all.Total < 8 {
			t.Errorf("oversight sees %d demo purchases, want at least 8", all.Total)
		}
		if ov, _ := db.Overrides(ctx, bruno, 10); len(ov) == 0 {
			t.Error("no gate override in the demo")
		}
		chen, _, _ := db.UserForSignIn(ctx, "chen@civitas.example")
		if l, _ := db.Purchases(ctx, chen, store.PurchaseFilter{}); l.Total != 2 {
			t.Errorf("supplier sees %d purchases, want its 2 invitations", l.Total)
		}
		// The contract stages have something to show: a widening amendment
		// that re-opened a screening, and an exit plan waiting for evidence.
		lena, _, _ := db.UserForSignIn(ctx, "lena@border.example")
		gates, _ := db.Purchases(ctx, lena, store.PurchaseFilter{Query: "Automated border gates"})
		if len(gates.Items) != 1 {
			t.Fatalf("border gates: %d", len(gates.Items))
		}
		kinds := map[string]int{}
		tasks, _ := db.PurchaseTasks(ctx, gates.Items[0].ID)
		for _, x := range tasks {
			kinds[x.Kind]++
		}
		// Re-screen after the amendment; act on the four-fifths flag.
		if kinds["rescreen"] != 1 || kinds["monitoring"] == 0 {
			t.Errorf("border gates tasks: %+v", tasks)
		}
		res, err := db.SearchRegister(ctx, store.RegisterQuery{})
		if err != nil || res.Total != 5 {
			t.Errorf("register has %d demo entries, %v; want 5", res.Total, err)
		}
		if res, _ := db.SearchRegister(ctx, store.RegisterQuery{Text: "benefit"}); res.Total < 1 {
			t.Error("searching the demo register for benefit finds nothing")
		}
		// Dora searches in Portuguese and finds the benefits system by the
		// words of its Portuguese summary.
		if res, _ := db.SearchRegister(ctx, store.RegisterQuery{Text: "prestações habitação"}); res.Total != 1 {
			t.Errorf("searching in Portuguese finds %d entries, want 1", res.Total)
		}
		// One escalated complaint awaits the oversight body's decision; the
		// other was decided, and its public version shows on the school
		// platform's entry with a task for the city.
		if cs, _ := db.ComplaintsFor(ctx, bruno, "", 10); len(cs) != 2 {
			t.Errorf("oversight sees %d escalated demo complaints, want 2", len(cs))
		}
		school, _ := db.Purchases(ctx, bruno, store.PurchaseFilter{Query: "Learning platform"})
		if len(school.Items) != 1 {
			t.Fatalf("school platform: %d", len(school.Items))
		}
		if pub, _ := db.PublicDecisions(ctx, school.Items[0].ID); len(pub) != 1 {
			t.Errorf("the decided complaint is not public on the school platform's entry: %+v", pub)
		}
		checkDemoLab(t, db, accounts)
		checkDemoGates(t, db)
		checkDemoWelfare(t, db)
		checkDemoAfterAward(t, db)
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Seed(ctx, db, h); err == nil {
			t.Fatal("seeding twice should be refused")
		}
	})
}

// checkDemoLab: the researcher and the Lab's people are printed with the
// other sign-ins; every review in the demo was made by someone outside the
// contributor's organisation; the published answer names both.
func checkDemoLab(t *testing.T, db *store.DB, accounts []demo.Account) {
	t.Helper()
	ctx := context.Background()
	printed := map[string]string{}
	for _, a := range accounts {
		printed[a.Email] = a.Role
	}
	for email, role := range map[string]string{"sofia@research.example": "viewer", "helena@research.example": "Lab reviewer, hub lead",
		"teresa@claimants.example": "Lab editor, network lead", "bruno@nhri.example": "Lab reviewer"} {
		if !strings.Contains(printed[email], role) {
			t.Errorf("%s printed as %q, want %q", email, printed[email], role)
		}
	}
	orgOf := map[string]int64{}
	for _, e := range []string{"sofia@research.example", "helena@research.example", "bruno@nhri.example"} {
		u, _, err := db.UserForSignIn(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		orgOf[e] = u.OrgID
	}
	answers, _ := db.UnpublishedLawAnswers(ctx, 0)
	public, _ := db.ApprovedLawAnswers(ctx)
	var named bool
	for _, a := range append(answers, public...) {
		if a.Reviewed() && a.RespondentOrg != 0 {
			rev, err := db.User(ctx, a.ReviewerID)
			if err != nil || rev.OrgID == a.RespondentOrg || rev.ID == a.RespondentID {
				t.Errorf("answer %d reviewed within its own organisation", a.ID)
			}
		}
		if a.Status == store.LawApproved && !a.Starting {
			named = a.ContributorOrg == "Institute for Procurement and Rights Research" && a.ReviewerName == "Bruno Almeida" && a.ReviewerOrg == "National Human Rights Institution"
		}
	}
	if !named {
		t.Error("the demo's published answer does not name its contributor and reviewer")
	}
	practices, _ := db.UnpublishedPractices(ctx, 0)
	var waiting, reviewed int
	for _, p := range practices {
		if p.Reviewed() {
			reviewed++
			rev, err := db.User(ctx, p.ReviewerID)
			if err != nil || rev.OrgID == p.AuthorOrg {
				t.Errorf("practice %d reviewed within its own organisation", p.ID)
			}
		} else if p.Status == store.PracticeDraft && p.AuthorOrg == orgOf["sofia@research.example"] {
			waiting++
		}
	}
	if waiting != 1 || reviewed != 1 {
		t.Errorf("demo queue: %d of the researcher's practices waiting, %d approved waiting for the editor", waiting, reviewed)
	}
	recs, _ := db.LabRoleRecords(ctx)
	if len(recs) != 5 {
		t.Errorf("demo network roles: %d", len(recs))
	}
}

// checkDemoGates: nothing in the demo skipped a gate. Every purchase past
// planning has a complete screening signed off by an approver; every move
// forward either passed its gates or was overridden with a reason; every
// published purchase shows its impact level.
func checkDemoGates(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	bruno, _, _ := db.UserForSignIn(ctx, "bruno@nhri.example")
	all, err := db.Purchases(ctx, bruno, store.PurchaseFilter{PerPage: 100})
	if err != nil || all.Total < 10 {
		t.Fatalf("demo purchases: %v %v", all, err)
	}
	clean := 0
	for _, p := range all.Items {
		hist, err := db.StageHistory(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		sc, _ := db.Screening(ctx, p.ID)
		past := p.Stage != model.StagePlanning && !(p.Stage == model.StageCancelled && len(hist) == 1 && hist[0].From == model.StagePlanning)
		if past && (sc == nil || !sc.Result.Complete() || !sc.Signed()) {
			t.Errorf("%q is at %s without a complete, signed-off screening", p.Title, p.Stage)
		}
		for _, h := range hist {
			if h.To == model.StageCancelled || h.To.Index() < h.From.Index() {
				continue
			}
			if h.Override == nil {
				clean++
			} else if strings.TrimSpace(h.Override.Reason) == "" || len(h.Override.Failed) == 0 {
				t.Errorf("%q %s->%s overridden without a reason or without the failures: %+v", p.Title, h.From, h.To, h.Override)
			}
		}
	}
	if clean < 8 {
		t.Errorf("only %d demo moves passed their gates without an override", clean)
	}
	res, err := db.SearchRegister(ctx, store.RegisterQuery{PerPage: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Cards {
		if e.Level == 0 {
			t.Errorf("published %q shows no impact level", e.Title)
		}
	}
}

// checkDemoWelfare: the level IV purchase is screened, its version 1 is
// signed off covering the DPIA and FRIA it wrote, with the legality test as
// a recorded exception, version 2 is a draft with a meeting still planned,
// and its tender pack is partly decided.
func checkDemoWelfare(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	ana, _, _ := db.UserForSignIn(ctx, "ana@portavera.example")
	list, _ := db.Purchases(ctx, ana, store.PurchaseFilter{Query: "Fraud-risk scoring"})
	if len(list.Items) != 1 {
		t.Fatalf("%d welfare purchases", len(list.Items))
	}
	p := list.Items[0]
	sc, err := db.Screening(ctx, p.ID)
	if err != nil || sc == nil || sc.Result.Level != 4 || !sc.Result.Complete() {
		t.Fatalf("screening: %+v %v", sc, err)
	}
	v1, err := db.AssessmentVersion(ctx, p.ID, 1)
	if err != nil || !v1.Signed() || strings.Join(v1.Covers, ",") != "hria,dpia,fria" || v1.Doc.SignOffExceptions["T-LEGALITY"] == "" {
		t.Fatalf("version 1: covers %v exceptions %v %v", v1.Covers, v1.Doc.SignOffExceptions, err)
	}
	v2, err := db.Assessment(ctx, p.ID)
	if err != nil || v2.Version != 2 || v2.Signed() || !v2.Doc.Impacts[0].Residual() {
		t.Fatalf("version 2: %+v %v", v2, err)
	}
	planned := 0
	for _, g := range v2.Doc.Engagements {
		if g.State() == assessment.Planned {
			planned++
		}
	}
	if held, _ := v2.Doc.HeldEngagements(); held < 2 || planned != 1 {
		t.Errorf("%d meetings held and %d planned, want the two meetings (and the consultation) held and one planned", held, planned)
	}
	cs, err := db.TenderChoices(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, c := range cs {
		count[c.Decision]++
		if c.Decision == tender.Rejected && c.Reason == "" {
			t.Errorf("%s rejected without a reason", c.ItemID)
		}
	}
	if count[tender.Accepted] < 5 || count[tender.Rejected] != 1 || count[tender.Edited] != 1 {
		t.Fatalf("demo tender pack decisions: %v", count)
	}
}
