package demo_test

import (
	"context"
	"strings"
	"testing"

	"buyright/internal/assessment"
	"buyright/internal/auth"
	"buyright/internal/consultation"
	"buyright/internal/demo"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The demo's fraud-scoring purchase ran a consultation in Portuguese and
// English: the association and two people responded (one response hidden
// with its reason), the city answered and published the report, which the
// register entry shows and the assessment records as a held engagement;
// Marta signs in with her printed password and follows the purchase.
func TestSeedConsultation(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	h := auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}
	accounts, err := demo.Seed(ctx, db, h)
	if err != nil {
		t.Fatal(err)
	}
	var pw string
	for _, a := range accounts {
		if a.Email == "marta@claimants.example" {
			pw = a.Password
		}
	}
	marta, hash, err := db.UserForSignIn(ctx, "marta@claimants.example")
	if err != nil || pw == "" {
		t.Fatalf("Marta: %v", err)
	}
	if ok, _ := h.Verify(pw, hash); !ok {
		t.Fatal("Marta's printed password does not sign in")
	}
	// The open one on the school platform is listed first, for anyone to
	// respond to; then the fraud-scoring one with its report.
	cs, err := db.PublicConsultations(ctx, 10)
	if err != nil || len(cs) != 2 || cs[0].Status != consultation.Open || cs[0].Title("en") != "The school platform after its first year" {
		t.Fatalf("consultations: %v %v", cs, err)
	}
	c := cs[1]
	if c.Status != consultation.Reported || strings.Join(c.Languages(), ",") != "en,pt" || c.Title("pt") != "Pontuação de risco nos pedidos de prestações" {
		t.Fatalf("consultation: %+v", c)
	}
	rs, _ := db.ConsultationResponses(ctx, c.ID)
	n := consultation.Count(rs)
	if n.Responses != 3 || n.Organisations != 1 || n.Hidden != 1 || n.Unanswered != 0 {
		t.Fatalf("responses: %+v", n)
	}
	entry, err := db.RegisterEntry(ctx, c.PurchaseID)
	if err != nil || len(entry.Consultations) != 1 || entry.Consultations[0].State != consultation.PhaseReported {
		t.Fatalf("register entry: %v %+v", err, entry)
	}
	v, _ := db.Assessment(ctx, c.PurchaseID)
	held := 0
	for _, e := range v.Doc.Engagements {
		if e.Source == consultation.EngagementSource(c.ID) && e.State() == assessment.Held {
			held++
		}
	}
	if held != 1 {
		t.Fatalf("the report is not in the engagement record: %+v", v.Doc.Engagements)
	}
	if f, _ := db.Following(ctx, marta.ID); len(f) != 1 || f[0].PurchaseID != c.PurchaseID {
		t.Fatalf("Marta follows: %+v", f)
	}
	if m, _ := db.OrgMeetings(ctx, marta.OrgID); len(m) < 2 {
		t.Fatalf("the association's meetings: %+v", m)
	}
	if mine, _ := db.OrgResponses(ctx, marta.OrgID); len(mine) != 1 || len(mine[0].Files) != 1 {
		t.Fatalf("the association's response: %+v", mine)
	}
	facts, _ := db.ConsultationFacts(ctx, c.PurchaseID)
	if r := consultation.Judge(facts, c.Deadline.AddDays(30)); !r.Passed {
		t.Fatalf("the gate after the demo's report: %+v", r)
	}
	if _, _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}
