package store_test

import (
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A database from before network roles: a supplier's employee proposed an
// answer for Portugal and the supplier's own administrator approved it; a
// person's practice was published by an organisation's administrator; the
// starting content was loaded by buyright. After the upgrade the supplier's
// answer and the practice are back in the review queue, with a note, and
// off every public list; the starting content stays, marked unreviewed.
func TestUpgradeSendsApprovalsWithoutNetworkReviewBackToTheQueue(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			db := storetest.OpenUnmigrated(t, d)
			if err := db.MigrateTo(ctx, 15); err != nil {
				t.Fatal(err)
			}
			vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
			staff := storetest.User(t, db, vendor, "staff@vendor.example", model.RoleSupplier)
			admin := storetest.User(t, db, vendor, "admin@vendor.example", model.RoleAdmin)
			now := time.Now().UTC()
			steps := []struct {
				q    string
				args []any
			}{
				{"INSERT INTO jurisdictions (code, name, kind) VALUES ('PT', 'Portugal', 'country')", nil},
				{`INSERT INTO law_answers (id, jurisdiction, question, answer, explanation, citations, judgement, as_of, status, starting, respondent_id, respondent, reviewer_id, created_at, approved_at)
					VALUES (1, 'PT', 'LM-EXCL-HR', 'no', 'Citing an act that does not exist.', '[]', FALSE, '2025-01-01', 'approved', FALSE, $1, 'Staff', $2, $3, $3)`, []any{staff.ID, admin.ID, now}},
				{`INSERT INTO law_answers (id, jurisdiction, question, answer, explanation, citations, judgement, as_of, status, starting, respondent, created_at, approved_at)
					VALUES (2, 'PT', 'LM-DPA', 'yes', 'Seed.', '[]', FALSE, '2019-08-08', 'approved', TRUE, 'buyright starting content', $1, $1)`, []any{now}},
				{`INSERT INTO practices (id, title, body, jurisdiction, stage, hub, what_done, what_changed, evidence, tools, sources, rights, technologies, illustrative, status, author_id, author_org, search_text, created_at, published_at)
					VALUES (1, 'Cobalt audits', 'Vendor', 'PT', 'contract', 'electronics', 'd', 'c', '', '', 's', '', '', FALSE, 'published', $1, $2, 'cobalt audits', $3, $3)`, []any{staff.ID, vendor.ID, now}},
			}
			if d == store.SQLite {
				steps = append(steps, struct {
					q    string
					args []any
				}{"INSERT INTO practices_fts (rowid, search_text) VALUES (1, 'cobalt audits')", nil})
			}
			for _, s := range steps {
				if err := db.Exec(s.q, s.args...); err != nil {
					t.Fatalf("%s: %v", s.q, err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			public, err := db.ApprovedLawAnswers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(public) != 1 || public[0].ID != 2 || public[0].Reviewed() {
				t.Fatalf("public answers after the upgrade: %+v", public)
			}
			queue, _ := db.UnpublishedLawAnswers(ctx, vendor.ID)
			if len(queue) != 1 || queue[0].ID != 1 || queue[0].Status != store.LawDraft || queue[0].ReviewNote == "" || queue[0].ReviewerID != 0 || queue[0].ContributorOrg != "Org vendor" {
				t.Fatalf("the supplier's answer after the upgrade: %+v", queue)
			}
			for _, q := range []store.PracticeQuery{{}, {Text: "cobalt"}} {
				if res, _ := db.SearchPractices(ctx, q); len(res.Practices) != 0 {
					t.Fatalf("practice still public after the upgrade (%+v)", q)
				}
			}
			if ps, _ := db.UnpublishedPractices(ctx, vendor.ID); len(ps) != 1 || ps[0].Status != store.PracticeDraft || ps[0].ReviewNote == "" {
				t.Fatalf("the practice after the upgrade: %+v", ps)
			}
		})
	}
}
