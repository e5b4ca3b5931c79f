package demo_test

import (
	"context"
	"strings"
	"testing"

	"buyright/internal/disclosure"
	"buyright/internal/store"
)

// Civitas holds the booking contract and has something to see and do
// there; the contract is on the register with two redactions, each with
// its ground and the approver who agreed; the purchase passed every gate
// without an override.
func checkDemoAfterAward(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	chen, _, _ := db.UserForSignIn(ctx, "chen@civitas.example")
	held, err := db.HeldContracts(ctx, chen.OrgID)
	if err != nil || len(held) != 1 || held[0].Title != "Appointment booking for the social-services front desks" {
		t.Fatalf("Civitas holds %+v, %v", held, err)
	}
	id := held[0].PurchaseID
	feeds, _ := db.Feeds(ctx, id)
	if len(feeds) != 1 || feeds[0].SupplierOrgID != chen.OrgID || feeds[0].Latest.IsZero() {
		t.Errorf("feeds: %+v", feeds)
	}
	if inc, _ := db.SupplierIncidents(ctx, id, chen.OrgID); len(inc) != 1 {
		t.Errorf("incidents Civitas reported: %+v", inc)
	}
	if subs, _ := db.Subcontractors(ctx, id); len(subs) != 2 {
		t.Errorf("sub-processors: %+v", subs)
	}
	docs, err := db.Disclosures(ctx, id, true)
	if err != nil || len(docs) != 2 {
		t.Fatalf("published documents: %+v %v", docs, err)
	}
	c := docs[0]
	if c.Kind != disclosure.KindContract || c.InFull || len(c.ActiveRedactions()) != 2 {
		t.Fatalf("the contract: %+v", c)
	}
	grounds := map[string]bool{}
	for _, r := range c.Redactions {
		grounds[r.Ground] = true
		if r.AgreedBy != "Rui Matos" || r.Reason == "" {
			t.Errorf("redaction %+v", r)
		}
	}
	if !grounds[disclosure.GroundPersonal] || !grounds[disclosure.GroundCommercial] {
		t.Errorf("grounds: %v", grounds)
	}
	f, _, err := db.PublicDisclosureFile(ctx, id, c.ID)
	var data []byte
	if err == nil {
		data, err = db.ReadBlob(ctx, f.SHA256)
	}
	if err != nil || len(data) == 0 || strings.Contains(string(data), "Nogueira") || strings.Contains(string(data), "0.41") {
		t.Errorf("the public contract: %v %+v", err, f)
	}
	hist, _ := db.StageHistory(ctx, id)
	for _, h := range hist {
		if h.Override != nil {
			t.Errorf("the booking purchase passed a gate by override: %+v", h)
		}
	}
}
