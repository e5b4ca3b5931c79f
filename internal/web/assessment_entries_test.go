package web_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

var (
	formAttrRe = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
	inputRe    = regexp.MustCompile(`<input ([^>]*)>`)
	textareaRe = regexp.MustCompile(`(?s)<textarea ([^>]*)>(.*?)</textarea>`)
	selectRe   = regexp.MustCompile(`(?s)<select ([^>]*)>(.*?)</select>`)
	optionRe   = regexp.MustCompile(`<option value="([^"]*)"( selected)?>`)
)

func attrsOf(s string) map[string]string {
	out := map[string]string{}
	for _, m := range formAttrRe.FindAllStringSubmatch(s, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// stepForm reads a step's form off the workspace as a browser would submit
// it untouched (no button pressed): hidden fields, text, dates, text
// areas, the chosen option of each list and the ticked boxes.
func stepForm(t *testing.T, body, action string) url.Values {
	t.Helper()
	start := strings.Index(body, `action="`+action+`"`)
	if start < 0 {
		t.Fatalf("no form posting to %s:\n%.3000s", action, body)
	}
	chunk := body[start:]
	chunk = chunk[:strings.Index(chunk, "</form>")]
	if strings.Count(chunk, "<form") > 0 {
		t.Fatalf("a form inside the form posting to %s", action)
	}
	f := url.Values{}
	for _, m := range inputRe.FindAllStringSubmatch(chunk, -1) {
		a := attrsOf(m[1])
		if a["name"] == "" || a["type"] == "file" {
			continue
		}
		if _, on := a["checked"]; a["type"] == "checkbox" && !on {
			continue
		}
		f.Add(a["name"], a["value"])
	}
	for _, m := range textareaRe.FindAllStringSubmatch(chunk, -1) {
		f.Add(attrsOf(m[1])["name"], html.UnescapeString(m[2]))
	}
	for _, m := range selectRe.FindAllStringSubmatch(chunk, -1) {
		name, chosen := attrsOf(m[1])["name"], ""
		for i, o := range optionRe.FindAllStringSubmatch(m[2], -1) {
			if i == 0 || o[2] != "" {
				chosen = html.UnescapeString(o[1])
			}
		}
		f.Add(name, chosen)
	}
	return f
}

func TestAssessmentStepSavesEveryEntryAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		w.screen(p, welfare)
		path := fmt.Sprintf("/purchases/%d/assessment", p.ID)
		step := func() (string, url.Values) {
			body := w.page("city_officer", path+"?step=engagement")
			return body, stepForm(t, body, path+"/engagement")
		}

		// The step is one form: the empty "add" entry left empty is not
		// saved; typed, it is added.
		body, f := step()
		if strings.Count(body, `action="`+path+`/engagement"`) != 1 {
			t.Fatal("the meetings step should be one form")
		}
		w.assess("city_officer", p, "engagement", f, 303)
		if v, _ := db.Assessment(ctx, p.ID); v != nil && len(v.Doc.Engagements) != 0 {
			t.Fatalf("an empty new entry was saved: %+v", v.Doc.Engagements)
		}
		for _, who := range []string{"Claimants' association", "Tenants' union"} {
			_, f = step()
			f.Set("e_who-new", who)
			f.Set("e_when-new", "2099-05-01")
			w.assess("city_officer", p, "engagement", f, 303)
		}

		// Typing into both meetings and one Save keeps both.
		body, f = step()
		if !strings.Contains(body, "Meeting 1") || !strings.Contains(body, "Meeting 2") || strings.Count(body, `<form method="post" action="`+path+`/engagement"`) != 1 {
			t.Fatalf("the step should show both meetings in one form:\n%.4000s", body)
		}
		f.Set("e_how-1", "Typed into the first meeting")
		f.Set("e_how-2", "Typed into the second meeting")
		f.Set("e_participants-2", fmt.Sprint(w.orgs["cso"].ID))
		f.Set("a_no_engagement_reason", "")
		f.Set("then", "legality")
		s, _, hdr := w.do("city_officer", "POST", path+"/engagement", f)
		if s != 303 || !strings.Contains(hdr.Get("Location"), "step=legality") {
			t.Fatalf("save and continue: %d %s", s, hdr.Get("Location"))
		}
		v, _ := db.Assessment(ctx, p.ID)
		if len(v.Doc.Engagements) != 2 || v.Doc.Engagements[0].How != "Typed into the first meeting" || v.Doc.Engagements[1].How != "Typed into the second meeting" ||
			!v.Doc.Engagements[1].Participating(w.orgs["cso"].ID) {
			t.Fatalf("one save should keep both meetings' typing: %+v", v.Doc.Engagements)
		}
		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 1)
		if len(entries) != 1 || entries[0].Action != "assessment_update" || !strings.Contains(entries[0].Detail, `"changed":[1,2]`) {
			t.Errorf("the save should be audited with both entries: %+v", entries)
		}

		// Remove is a box applied on save, next to other typing.
		_, f = step()
		f.Set("remove-1", "yes")
		f.Set("e_raised-2", "Kept while the first is removed")
		w.assess("city_officer", p, "engagement", f, 303)
		v, _ = db.Assessment(ctx, p.ID)
		if len(v.Doc.Engagements) != 1 || v.Doc.Engagements[0].ID != 2 || v.Doc.Engagements[0].Raised != "Kept while the first is removed" {
			t.Fatalf("remove and edit in one save: %+v", v.Doc.Engagements)
		}
		entries, _ = db.AuditFor(ctx, "purchase", p.ID, 1)
		if !strings.Contains(entries[0].Detail, `"removed":[1]`) || !strings.Contains(entries[0].Detail, `"changed":[2]`) {
			t.Errorf("removal not audited: %s", entries[0].Detail)
		}

		// The other list steps are one form each as well.
		for _, sec := range []string{"misuse", "impact", "mitigation"} {
			body := w.page("city_officer", path+"?step="+sec)
			if n := strings.Count(body, `<form method="post" action="`+path+`/`+sec+`"`); n != 1 {
				t.Errorf("step %s has %d forms", sec, n)
			}
		}
		_, f = func() (string, url.Values) {
			body := w.page("city_officer", path+"?step=impact")
			return body, stepForm(t, body, path+"/impact")
		}()
		for k, v := range map[string]string{"i_right-new": "R-PRIV", "i_group-new": "Claimants", "i_scale-new": "3", "i_scope-new": "2", "i_irremediability-new": "2", "i_likelihood-new": "3"} {
			f.Set(k, v)
		}
		w.assess("city_officer", p, "impact", f, 303)
		if v, _ := db.Assessment(ctx, p.ID); len(v.Doc.Impacts) != 1 || v.Doc.Impacts[0].Scale != 3 {
			t.Fatalf("impact added through the step's form: %+v", v.Doc.Impacts)
		}
	})
}

func TestAssessmentStepRefusalKeepsEveryEntry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		w.screen(p, welfare)
		path := fmt.Sprintf("/purchases/%d/assessment", p.ID)
		rate := func(f url.Values, slot string) {
			for k, v := range map[string]string{"i_right": "R-PRIV", "i_group": "Group " + slot, "i_scale": "2", "i_scope": "2", "i_irremediability": "2", "i_likelihood": "2"} {
				f.Set(k+"-"+slot, v)
			}
		}
		for range 2 {
			f := stepForm(t, w.page("city_officer", path+"?step=impact"), path+"/impact")
			rate(f, "new")
			w.assess("city_officer", p, "impact", f, 303)
		}
		before, _ := db.Assessment(ctx, p.ID)

		// Impact 2 has a bad rating; impact 1's typing and the new
		// impact's come back, and the summary names entry and field.
		f := stepForm(t, w.page("city_officer", path+"?step=impact"), path+"/impact")
		f.Set("i_description-1", "Typed into impact one, kept")
		f.Set("i_group-2", "")
		f.Set("i_residual_severity-2", "2")
		rate(f, "new")
		f.Set("i_description-new", "Typed new impact, kept")
		body := w.assess("city_officer", p, "impact", f, 422)
		for _, want := range []string{"Typed into impact one, kept", "Typed new impact, kept", "Impact 2 · Affected group: ", "Impact 2 · Residual likelihood", `href="#f-impact-2-i_group"`} {
			if !strings.Contains(body, want) {
				t.Errorf("refused step lacks %q", want)
			}
		}
		if strings.Contains(body, "Impact 1 · ") {
			t.Error("impact 1 is named as having a problem")
		}
		again := stepForm(t, body, path+"/impact")
		if again.Get("i_description-1") != "Typed into impact one, kept" || again.Get("i_group-2") != "" || again.Get("i_description-new") != "Typed new impact, kept" {
			t.Errorf("the refused form posts back: %v", again)
		}
		if v, _ := db.Assessment(ctx, p.ID); v.Rev != before.Rev {
			t.Error("a refused step stored part of its entries")
		}
		// Corrected, the same form saves all three.
		again.Set("i_group-2", "Group two corrected")
		again.Set("i_residual_likelihood-2", "1")
		w.assess("city_officer", p, "impact", again, 303)
		v, _ := db.Assessment(ctx, p.ID)
		if len(v.Doc.Impacts) != 3 || v.Doc.Impacts[0].Description != "Typed into impact one, kept" || v.Doc.Impacts[1].Group != "Group two corrected" || v.Doc.Impacts[2].Description != "Typed new impact, kept" {
			t.Fatalf("after correcting: %+v", v.Doc.Impacts)
		}
	})
}

func TestAssessmentStepConflictKeepsEveryEntry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		w.screen(p, welfare)
		path := fmt.Sprintf("/purchases/%d/assessment", p.ID)
		open := func() url.Values {
			return stepForm(t, w.page("city_officer", path+"?step=misuse"), path+"/misuse")
		}
		for _, how := range []string{"Scores reused for policing", "Data sold to lenders", "Profiles kept after closure"} {
			f := open()
			f.Set("m_how-new", how)
			w.assess("city_officer", p, "misuse", f, 303)
		}
		// Two people open the step. The first changes misuse 1; the
		// second, from the older page, changes misuse 2 only: no conflict.
		first, second := open(), open()
		first.Set("m_who-1", "First person")
		w.assess("city_officer", p, "misuse", first, 303)
		second.Set("m_who-2", "Second person")
		w.assess("city_officer", p, "misuse", second, 303)
		v, _ := db.Assessment(ctx, p.ID)
		if v.Doc.Misuses[0].Who != "First person" || v.Doc.Misuses[1].Who != "Second person" {
			t.Fatalf("changes to different entries should both stand: %+v", v.Doc.Misuses)
		}

		// Now both change misuse 3 and the second adds one: the second is
		// refused, everything typed is shown and nothing of it stored.
		first, second = open(), open()
		first.Set("m_who-3", "First on three")
		w.assess("city_officer", p, "misuse", first, 303)
		second.Set("m_who-3", "Second on three")
		second.Set("m_how-1", "Second also edits one")
		second.Set("m_how-new", "Second's new case")
		body := w.assess("city_officer", p, "misuse", second, 409)
		for _, want := range []string{"Someone else saved this part of the assessment", "Someone else changed this after you opened the page", "Second on three", "Second also edits one", "Second&#39;s new case"} {
			if !strings.Contains(body, want) {
				t.Errorf("conflict page lacks %q", want)
			}
		}
		v, _ = db.Assessment(ctx, p.ID)
		if v.Doc.Misuses[2].Who != "First on three" || v.Doc.Misuses[0].How != "Scores reused for policing" || len(v.Doc.Misuses) != 3 {
			t.Fatalf("a refused save changed the draft: %+v", v.Doc.Misuses)
		}
		// Saving the conflict page is a deliberate replacement of all of it.
		w.assess("city_officer", p, "misuse", stepForm(t, body, path+"/misuse"), 303)
		v, _ = db.Assessment(ctx, p.ID)
		if v.Doc.Misuses[2].Who != "Second on three" || v.Doc.Misuses[0].How != "Second also edits one" || len(v.Doc.Misuses) != 4 {
			t.Fatalf("the deliberate save: %+v", v.Doc.Misuses)
		}

		// An entry someone else removed comes back as a new one.
		first, second = open(), open()
		first.Set("remove-4", "yes")
		w.assess("city_officer", p, "misuse", first, 303)
		second.Set("m_who-4", "Typed into a removed case")
		body = w.assess("city_officer", p, "misuse", second, 409)
		if !strings.Contains(body, "Someone else removed this entry") || !strings.Contains(body, "Typed into a removed case") {
			t.Errorf("removed entry's typing:\n%.3000s", body)
		}
		w.assess("city_officer", p, "misuse", stepForm(t, body, path+"/misuse"), 303)
		v, _ = db.Assessment(ctx, p.ID)
		if n := len(v.Doc.Misuses); n != 4 || v.Doc.Misuses[3].Who != "Typed into a removed case" {
			t.Fatalf("re-added: %+v", v.Doc.Misuses)
		}
	})
}

// The workspace's forms read what they post: the entry slots of a step's
// form name fields only of their own entry.
func TestAssessmentStepFormRefusesStrangeSlots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		w.screen(p, welfare)
		for _, slot := range []string{"0", "-1", "new0", "new1", "x", "01", "<b>"} {
			w.assess("city_officer", p, "misuse", url.Values{"entry": {slot}, "m_how-" + slot: {"x"}}, 422)
		}
		if v, _ := db.Assessment(ctx, p.ID); v != nil && len(v.Doc.Misuses) > 0 {
			t.Error("a strange slot stored an entry")
		}
	})
}
