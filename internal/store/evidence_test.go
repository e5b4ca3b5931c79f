package store_test

import (
	"fmt"
	"strings"
	"testing"

	"buyright/internal/assessment"
	"buyright/internal/evidence"
	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Evidence is kept whole, newest wins, and cannot be borrowed from another
// purchase; a screening sign-off lasts until the answers change; the facts
// the gates read come from what was recorded, not from what was declared.
func TestEvidenceAndSignOffs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		u := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		boss := storetest.User(t, db, org, "rui@city.example", model.RoleApprover)
		p := storetest.Purchase(t, db, u, "Scoring")
		other := storetest.Purchase(t, db, u, "Another")
		a := store.ActorOf(u)

		// Screening sign-off: only a complete screening, at the revision read.
		res := screening.Result{Status: screening.StatusIncomplete, Level: 3}
		if err := db.SaveScreening(ctx, a, p, map[string]any{"personal_data": "yes"}, res); err != nil {
			t.Fatal(err)
		}
		if err := db.SignOffScreening(ctx, store.ActorOf(boss), p, 1); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("signed off a draft: %v", err)
		}
		res.Status = screening.StatusComplete
		if err := db.SaveScreening(ctx, a, p, map[string]any{"personal_data": "yes", "hardware": "no"}, res); err != nil {
			t.Fatal(err)
		}
		if err := db.SignOffScreening(ctx, store.ActorOf(boss), p, 1); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("signed off a stale revision: %v", err)
		}
		if err := db.SignOffScreening(ctx, store.ActorOf(boss), p, 2); err != nil {
			t.Fatal(err)
		}
		f, err := db.RequirementFacts(ctx, p.ID)
		if err != nil || f.ScreeningSigned == nil || f.ScreeningSigned.By != "rui@city.example" {
			t.Fatalf("screening sign-off: %+v %v", f.ScreeningSigned, err)
		}
		// Saving the same answers keeps it; a changed answer clears it.
		if err := db.SaveScreening(ctx, a, p, map[string]any{"personal_data": "yes", "hardware": "no"}, res); err != nil {
			t.Fatal(err)
		}
		if s, _ := db.Screening(ctx, p.ID); !s.Signed() {
			t.Fatal("the same answers lost the sign-off")
		}
		if err := db.SaveScreening(ctx, a, p, map[string]any{"personal_data": "yes", "hardware": "yes"}, res); err != nil {
			t.Fatal(err)
		}
		if s, _ := db.Screening(ctx, p.ID); s.Signed() {
			t.Fatal("a changed answer kept the sign-off")
		}

		// Files and links must belong to the purchase.
		mine := &store.PurchaseFile{Kind: "evidence", Name: "minutes.txt", CType: "text/plain; charset=utf-8", Data: []byte("minutes")}
		theirs := &store.PurchaseFile{Kind: "evidence", Name: "theirs.txt", CType: "text/plain; charset=utf-8", Data: []byte("theirs")}
		if err := db.AddPurchaseFile(ctx, a, other, theirs); err != nil {
			t.Fatal(err)
		}
		for _, e := range []*evidence.Evidence{
			{Requirement: "CORE-NEED", Kind: evidence.File, FileID: theirs.ID},
			{Requirement: "CORE-NEED", Kind: evidence.Link, Link: fmt.Sprintf("/purchases/%d/files/%d", p.ID, theirs.ID)},
			{Requirement: "CORE-NEED", Kind: evidence.Link, Link: fmt.Sprintf("/purchases/%d/reviews/77", p.ID)},
			{Requirement: "CORE-NEED", Kind: evidence.Link, Link: fmt.Sprintf("/purchases/%d/contract", other.ID)},
		} {
			if err := db.AddEvidence(ctx, a, p, e, nil); model.ErrorCode(err) != model.EInvalid {
				t.Errorf("%+v accepted: %v", e, err)
			}
		}
		if err := db.AddEvidence(ctx, a, p, &evidence.Evidence{Requirement: "CORE-NEED", Kind: evidence.File}, mine); err != nil {
			t.Fatal(err)
		}
		stmt := &evidence.Evidence{Requirement: "CORE-NEED", Kind: evidence.Statement, Text: "Written in the council's decision of March."}
		if err := db.AddEvidence(ctx, store.ActorOf(boss), p, stmt, nil); err != nil {
			t.Fatal(err)
		}
		hist, err := db.Evidence(ctx, p.ID, "CORE-NEED")
		if err != nil || len(hist) != 2 || hist[0].FileName != "minutes.txt" || hist[1].ByName != "rui@city.example" {
			t.Fatalf("history: %+v %v", hist, err)
		}
		if hist, _ := db.Evidence(ctx, other.ID, ""); len(hist) != 0 {
			t.Fatalf("evidence leaked to another purchase: %+v", hist)
		}
		f, _ = db.RequirementFacts(ctx, p.ID)
		if f.Evidence["CORE-NEED"].Kind != evidence.Statement {
			t.Fatalf("newest record does not win: %+v", f.Evidence["CORE-NEED"])
		}

		// Held meetings count from the newest version; a signed version
		// covers what it wrote in full.
		if _, err := db.EditAssessment(ctx, a, p, "engagement", "h", func(d *assessment.Doc) error {
			d.Engagements = []assessment.Engagement{
				{ID: d.NewID(), Status: assessment.Planned, Who: "Claimants", When: "2026-05-01"},
				{ID: d.NewID(), Status: assessment.Held, Who: "Disability forum", When: "2026-03-02", Raised: "Accessible letters"},
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.SignOffAssessment(ctx, store.ActorOf(boss), p, 1, "2030-01-01", func(*store.AssessmentVersion) ([]byte, []string, error) {
			return []byte("{}"), []string{"hria", "dpia"}, nil
		}); err != nil {
			t.Fatal(err)
		}
		f, _ = db.RequirementFacts(ctx, p.ID)
		if f.Held != 1 || f.LastHeld != "2026-03-02" || f.HRIA == nil || f.DPIA == nil || f.FRIA != nil || f.DPIA.Version != 1 {
			t.Fatalf("facts: held %d %q hria %+v dpia %+v fria %+v", f.Held, f.LastHeld, f.HRIA, f.DPIA, f.FRIA)
		}
		v, _ := db.AssessmentVersion(ctx, p.ID, 1)
		if strings.Join(v.Covers, ",") != "hria,dpia" {
			t.Fatalf("covers: %v", v.Covers)
		}
		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 50)
		seen := map[string]int{}
		for _, e := range entries {
			seen[e.Action]++
		}
		if seen["evidence"] != 2 || seen["screening_signoff"] != 1 {
			t.Fatalf("audit: %v", seen)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
