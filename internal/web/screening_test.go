package web_test

import (
	"fmt"
	"strings"
	"testing"

	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Contradictory answers are refused with a message on both questions that
// names the other one; nothing is saved.
func TestScreeningRefusesContradictoryAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Biometric check-in")
		path := fmt.Sprintf("/purchases/%d/screening", p.ID)
		w.screen(p, map[string][]string{"digital": {"yes"}, "personal_data": {"no"}})
		s, body, _ := w.do("city_officer", "POST", path, screeningForm(map[string][]string{"biometric_use": {"verification"}}))
		if s != 422 {
			t.Fatalf("contradiction accepted: %d\n%.3000s", s, body)
		}
		for _, want := range []string{
			"This answer contradicts your answer to “Will the purchase process personal data?”:",
			"This answer contradicts your answer to “Does the system recognise or sort people by their body or behaviour?”:",
			"processes personal data",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		sc, err := db.Screening(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, saved := sc.Answers["biometric_use"]; saved {
			t.Error("the contradictory answer was saved")
		}
	})
}

// Changing an answer so a question is no longer asked drops its answer: a
// stored screening never holds answers that do not count.
func TestScreeningDropsAnswersNoLongerAsked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Case management")
		w.screen(p, map[string][]string{"digital": {"yes"}, "personal_data": {"yes"}, "data_categories": {"special"}})
		body := w.screen(p, map[string][]string{"personal_data": {"no"}})
		if strings.Contains(body, `name="q_data_categories"`) {
			t.Error("the data question is still asked")
		}
		sc, _ := db.Screening(ctx, p.ID)
		if _, kept := sc.Answers["data_categories"]; kept {
			t.Errorf("stored answers keep a question no longer asked: %v", sc.Answers)
		}
	})
}

// The result says which reasons set the level, which others fired, and
// which single answers would lower it, in the question's words.
func TestScreeningMarksDecisiveReasonsAndChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		body := w.screen(p, portal)
		for _, want := range []string{"Impact level III", "What set this level", "People must go through what is bought to get an essential service",
			"Other reasons that fired", "People depend on the purchase for an essential public service", "What would change the level",
			"instead of “No” to “Can people who cannot use it"} {
			if !strings.Contains(body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
		decisive := body[strings.Index(body, "What set this level"):strings.Index(body, "Other reasons that fired")]
		if strings.Contains(decisive, "People depend on the purchase for an essential public service") {
			t.Error("a level II reason is listed among those that set level III")
		}
	})
}

// A screening stored under an older catalogue (another hash, answers and
// rules that no longer exist) still opens: its result is shown as scored
// under an older catalogue, with its own reasons, and the form asks the
// questions of the catalogue in force.
func TestScreeningFromAnOlderCatalogueStillLoads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Screened long ago")
		old := screening.Result{Status: screening.StatusComplete, Level: 4, LevelName: "IV",
			Reasons: []screening.Reason{{Rule: "l4-old-rule", Text: "Four or more risk factors come together", Level: 4, Refs: []string{"UNGP P14"},
				Answers: []screening.Cited{{Question: "offline_alternative", Answer: "no"}}}},
			Assessments: []string{"hria", "dpia"}, RequirementsByStage: map[string][]string{"planning": {"CORE-SCREENING"}},
			CatalogHash: "0ldc4t4l06ha5h", CatalogVersions: map[string]string{"screening": "1.0.0"}}
		answers := map[string]any{"essential_service": "yes", "personal_data": "yes", "prohibited_practices": []string{"none"},
			"offline_alternative": "no", "retired_question": "yes"}
		if err := db.SaveScreening(ctx, store.ActorOf(w.users["city_officer"]), p, answers, old); err != nil {
			t.Fatal(err)
		}
		s, body, _ := w.do("city_officer", "GET", fmt.Sprintf("/purchases/%d/screening", p.ID), nil)
		if s != 200 {
			t.Fatalf("old screening: %d\n%.2000s", s, body)
		}
		for _, want := range []string{"Impact level IV", "scored against another version of the catalogues", "0ldc4t4l06ha",
			"Four or more risk factors come together", `name="q_digital"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		// Saving again scores the answers against the catalogue in force.
		w.screen(p, map[string][]string{"digital": {"yes"}})
		sc, _ := db.Screening(ctx, p.ID)
		if sc.Result.CatalogHash == old.CatalogHash || sc.Result.Complete() {
			t.Errorf("saving again did not re-score as a draft under the new catalogue: %s %s", sc.Result.CatalogHash, sc.Result.Status)
		}
		if _, kept := sc.Answers["retired_question"]; kept {
			t.Error("an answer to a retired question was stored again")
		}
	})
}
