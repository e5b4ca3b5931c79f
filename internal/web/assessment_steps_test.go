package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func TestAssessmentWalkedInStepsKeepsWhatWasTyped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		w.screen(p, welfare)
		path := fmt.Sprintf("/purchases/%d/assessment", p.ID)
		action := func(section string) string { return fmt.Sprintf(`action="%s/%s"`, path, section) }

		// The workspace opens on its first step, with the others listed and
		// their progress, and no other step's form on the page.
		body := w.page("city_officer", path)
		for _, want := range []string{"Step 1 of 10", `aria-current="step">Scope and rights`, "0 of 6 done", "Meetings with the people affected", action("scope"), "Save and continue"} {
			if !strings.Contains(body, want) {
				t.Errorf("first step lacks %q", want)
			}
		}
		for _, not := range []string{action("legality"), action("impact"), action("summary")} {
			if strings.Contains(body, not) {
				t.Errorf("first step shows another step's form %q", not)
			}
		}

		// Save and continue stores the step and opens the next one.
		s, _, hdr := w.do("city_officer", "POST", path+"/scope", url.Values{"a_context": {"Scoring claims for review"}, "then": {"engagement"}})
		if s != 303 || !strings.Contains(hdr.Get("Location"), "step=engagement") {
			t.Fatalf("save and continue: %d %s", s, hdr.Get("Location"))
		}
		body = w.page("city_officer", path+"?step=scope")
		if !strings.Contains(body, "1 of 6 done") || !strings.Contains(body, "Scoring claims for review") {
			t.Error("the saved step does not show its progress or text")
		}

		// A meeting is planned, then marked held; the step is then done.
		w.assess("city_officer", p, "engagement", url.Values{"e_status": {"planned"}, "e_who": {"Claimants' association"}, "e_how": {"Meeting"}, "e_when": {"2099-03-01"}}, 303)
		body = w.page("city_officer", path+"?step=engagement")
		if !strings.Contains(body, "Meeting 1") || !strings.Contains(body, "Plan or record a meeting") || !strings.Contains(body, `<option value="held">Held</option>`) {
			t.Errorf("meeting step:\n%.4000s", body)
		}
		w.assess("city_officer", p, "engagement", url.Values{"item": {"1"}, "e_status": {"held"}, "e_who": {"Claimants' association"}, "e_how": {"Meeting"}, "e_when": {"2025-03-01"}, "e_raised": {"Suspension without review"}}, 303)
		body = w.page("city_officer", path+"?step=engagement")
		if !strings.Contains(body, `Meetings with the people affected</a>
  <span class="progress done">done</span>`) {
			t.Errorf("a held meeting should complete the step:\n%.3000s", body)
		}

		// A refused save shows its own step with everything typed.
		body = w.assess("city_officer", p, "impact", url.Values{"i_right": {"R-PRIV"}, "i_group": {"Typed group kept"}, "i_description": {"Typed description kept"}, "i_scale": {"9"}, "i_scope": {"1"}, "i_irremediability": {"1"}, "i_likelihood": {"1"}}, 422)
		if !strings.Contains(body, "Step 6 of 10") || !strings.Contains(body, "Typed group kept") || !strings.Contains(body, "Typed description kept") {
			t.Errorf("refused impact save:\n%.3000s", body)
		}
		// Links on a refused page lead back to the workspace, not to the POST address.
		if strings.Contains(body, `href="?step=`) {
			t.Error("relative step links on a refused page")
		}

		// The risk map is on the impacts step.
		w.assess("city_officer", p, "impact", url.Values{"i_right": {"R-PRIV"}, "i_group": {"Claimants"}, "i_scale": {"3"}, "i_scope": {"3"}, "i_irremediability": {"2"}, "i_likelihood": {"3"}}, 303)
		body = w.page("city_officer", path+"?step=impact")
		if !strings.Contains(body, "Risk map: inherent and residual") || strings.Count(body, `<figure class="heatmap">`) != 2 || !strings.Contains(body, "1 of 1 done") && !strings.Contains(body, "Impacts and risk map</a>\n  <span class=\"progress done\">") {
			t.Errorf("impacts step has no risk map:\n%.3000s", body)
		}

		// All steps on one page remain available.
		body = w.page("city_officer", path+"?step=all")
		for _, sec := range []string{"scope", "legality", "impact", "summary"} {
			if !strings.Contains(body, action(sec)) {
				t.Errorf("all-steps page lacks %s", sec)
			}
		}
		// An unknown step falls back to a real one.
		if body := w.page("city_officer", path+"?step=%3Cscript%3E"); !strings.Contains(body, "Step ") || strings.Contains(body, "<script>") {
			t.Error("unknown step")
		}
	})
}

func TestAssessmentConflictKeepsWhatWasTyped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		w.screen(p, welfare)
		path := fmt.Sprintf("/purchases/%d/assessment", p.ID)
		seenRe := regexp.MustCompile(`action="` + path + `/legality"><input type="hidden" name="seen" value="([^"]+)">`)
		seenOf := func(body string) string {
			m := seenRe.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no fingerprint on the legality form:\n%.3000s", body)
			}
			return m[1]
		}
		// Two people open the same step; the first saves.
		seen := seenOf(w.page("city_officer", path+"?step=legality"))
		w.assess("city_officer", p, "legality", url.Values{"seen": {seen}, "a_legality": {"First person's text"}}, 303)
		// The second person's save, from the older page, is refused with
		// their text kept, and the first person's text stands.
		body := w.assess("city_officer", p, "legality", url.Values{"seen": {seen}, "a_legality": {"Second person's text"}}, 409)
		if !strings.Contains(body, "Someone else saved this part of the assessment") || !strings.Contains(body, "Second person&#39;s text") {
			t.Errorf("conflict page:\n%.3000s", body)
		}
		if v, _ := db.Assessment(ctx, p.ID); v == nil || v.Doc.Legality.Legality != "First person's text" {
			t.Fatal("a conflicting save replaced the stored text")
		}
		// Saving the conflict page again is a deliberate replacement.
		w.assess("city_officer", p, "legality", url.Values{"seen": {seenOf(body)}, "a_legality": {"Second person's text"}}, 303)
		if v, _ := db.Assessment(ctx, p.ID); v.Doc.Legality.Legality != "Second person's text" {
			t.Error("the deliberate second save was not stored")
		}
	})
}
