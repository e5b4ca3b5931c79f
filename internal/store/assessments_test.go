package store_test

import (
	"encoding/json"
	"strings"
	"testing"

	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func TestScreeningSaveAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		u := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		p := storetest.Purchase(t, db, u, "Scoring")
		if s, err := db.Screening(ctx, p.ID); err != nil || s != nil {
			t.Fatalf("new purchase has a screening: %v %v", s, err)
		}
		res := screening.Result{Status: "incomplete", Level: 2, RequirementsByStage: map[string][]string{"planning": {"CORE-NEED"}}, CatalogHash: "abc"}
		if err := db.SaveScreening(ctx, store.ActorOf(u), p, map[string]any{"personal_data": "yes", "data_categories": []string{"special"}}, res); err != nil {
			t.Fatal(err)
		}
		res.Status, res.Level = "complete", 4
		if err := db.SaveScreening(ctx, store.ActorOf(u), p, map[string]any{"personal_data": "yes", "data_categories": []string{"special"}, "people_count": 12.0}, res); err != nil {
			t.Fatal(err)
		}
		s, err := db.Screening(ctx, p.ID)
		if err != nil || s == nil {
			t.Fatal(s, err)
		}
		if s.Result.Level != 4 || s.CatalogHash != "abc" || s.Rev != 2 || s.Answers["people_count"] != 12.0 {
			t.Fatalf("screening read back: %+v", s)
		}
		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 10)
		if len(entries) < 2 || entries[0].Action != "screening" || !strings.Contains(entries[0].Detail, "people_count") || strings.Contains(entries[0].Detail, "data_categories") {
			t.Fatalf("audit of the second save should name only the changed answer: %+v", entries[0])
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAssessmentVersionsFreeze(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		u := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		boss := storetest.User(t, db, org, "rui@city.example", model.RoleApprover)
		p := storetest.Purchase(t, db, u, "Scoring")
		a := store.ActorOf(u)
		v, err := db.EditAssessment(ctx, a, p, "mitigations", "h1", func(d *assessment.Doc) error {
			d.Mitigations = append(d.Mitigations, assessment.Mitigation{ID: d.NewID(), Action: "Human review of every flag", Status: "planned"})
			return nil
		})
		if err != nil || v.Version != 1 || v.Status != store.AssessmentDraft {
			t.Fatalf("first edit: %+v %v", v, err)
		}
		// A refused edit leaves nothing behind.
		if _, err := db.EditAssessment(ctx, a, p, "scope", "h1", func(d *assessment.Doc) error {
			d.Scope.Context = "lost"
			return model.FieldErrors{"a_context": "invalid.required"}.Err()
		}); err == nil {
			t.Fatal("edit error not returned")
		}
		if err := db.SignOffAssessment(ctx, store.ActorOf(boss), p, 1, "2030-01-01", func(v *store.AssessmentVersion) ([]byte, []string, error) {
			b, err := json.Marshal(assessment.Freeze(nil, v.Doc, nil, nil))
			return b, []string{"hria"}, err
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.SignOffAssessment(ctx, store.ActorOf(boss), p, 1, "", func(*store.AssessmentVersion) ([]byte, []string, error) { return []byte("{}"), nil, nil }); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("signing a signed version again: %v", err)
		}
		v2, err := db.EditAssessment(ctx, a, p, "mitigations", "h2", func(d *assessment.Doc) error {
			d.Mitigations[0].Action = "Human decision on every suspension"
			return nil
		})
		if err != nil || v2.Version != 2 || v2.Status != store.AssessmentDraft {
			t.Fatalf("edit after sign-off should start version 2: %+v %v", v2, err)
		}
		v1, err := db.AssessmentVersion(ctx, p.ID, 1)
		if err != nil || !v1.Signed() || v1.Doc.Mitigations[0].Action != "Human review of every flag" || v1.Doc.Scope.Context != "" || v1.SignedName != "rui@city.example" || v1.ReviewDate != "2030-01-01" {
			t.Fatalf("version 1 changed after sign-off: %+v %v", v1, err)
		}
		var snap assessment.Snapshot
		if err := json.Unmarshal(v1.Snapshot, &snap); err != nil || snap.Doc.Mitigations[0].Action != "Human review of every flag" {
			t.Fatalf("snapshot: %s %v", v1.Snapshot, err)
		}
		all, _ := db.AssessmentVersions(ctx, p.ID)
		if len(all) != 2 {
			t.Fatalf("%d versions", len(all))
		}
		ch := assessment.Diff(&all[0].Doc, &all[1].Doc)
		if len(ch) != 1 || ch[0].Section != "mitigation" || ch[0].Field != "action" {
			t.Fatalf("diff: %+v", ch)
		}
		f, err := db.GateFacts(ctx, p.ID)
		if err != nil || !f.SignedOff || f.Screened {
			t.Fatalf("gate facts: %+v %v", f, err)
		}
		due, err := db.AssessmentReviewsDue(ctx, u, model.DateOf(db.Now()))
		if err != nil || len(due) != 0 {
			t.Fatalf("review due while a draft is newest: %v %v", due, err)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCatalogUploadsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		src := []catalog.Source{{Name: "ours.yaml", Data: []byte("catalog: rights\n")}}
		if err := db.SaveCatalogUpload(ctx, store.System, "ours", "h1", src); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveCatalogUpload(ctx, store.System, "ours 2", "h2", src); err != nil {
			t.Fatal(err)
		}
		act, err := db.ActiveCatalogUpload(ctx)
		if err != nil || act == nil || act.Hash != "h2" {
			t.Fatalf("active: %+v %v", act, err)
		}
		old, err := db.CatalogUploadByHash(ctx, "h1")
		if err != nil || old == nil || old.Active || string(old.Sources[0].Data) != "catalog: rights\n" {
			t.Fatalf("older upload: %+v %v", old, err)
		}
		if err := db.DeactivateCatalogUploads(ctx, store.System); err != nil {
			t.Fatal(err)
		}
		if act, _ := db.ActiveCatalogUpload(ctx); act != nil {
			t.Fatal("still active after reset")
		}
		list, _ := db.CatalogUploads(ctx)
		if len(list) != 2 {
			t.Fatalf("%d uploads kept", len(list))
		}
	})
}
