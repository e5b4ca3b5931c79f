package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// sectionForm reads one section's form off the tender page as a browser
// would submit it untouched: every item with its checked decision, its
// text, weight and revision.
func sectionForm(t *testing.T, body, part string) url.Values {
	t.Helper()
	start := strings.Index(body, "/tender/section#part-"+part+`"`)
	if start < 0 {
		t.Fatalf("no form for section %s:\n%.3000s", part, body)
	}
	chunk := body[start:]
	chunk = chunk[:strings.Index(chunk, "</form>")]
	f := url.Values{"part": {part}}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(chunk, -1) {
		f.Add(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`name="(d-[^"]+)" value="([a-z]+)" checked`).FindAllStringSubmatch(chunk, -1) {
		f.Set(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`name="(weight-[^"]+)" type="number" min="0" max="100" value="([0-9]*)"`).FindAllStringSubmatch(chunk, -1) {
		f.Set(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`(?s)name="((?:text|reason)-[^"]+)" rows="\d"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(chunk, -1) {
		f.Set(m[1], strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&").Replace(m[2]))
	}
	return f
}

func (w *world) saveSection(p *model.Purchase, form url.Values, want int) string {
	w.t.Helper()
	s, body, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/tender/section", p.ID), form)
	if s != want {
		w.t.Fatalf("section save: %d, want %d\n%.3000s", s, want, body)
	}
	return body
}

func TestTenderSectionSavesProposalInOfficersName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		w.screen(p, welfare)
		path := fmt.Sprintf("/purchases/%d/tender", p.ID)
		body := w.page("city_officer", path)

		// Offered as accepted, but nothing is decided before a save: the
		// items say so and the coverage counts none of them.
		if !strings.Contains(body, `id="f-CL-EXIT-d-accepted" name="d-CL-EXIT" value="accepted" checked`) {
			t.Fatalf("a proposed clause is not offered as accepted:\n%.3000s", body)
		}
		if !strings.Contains(body, "Proposed, not decided") || strings.Contains(body, "Every mandatory requirement for tender design and the contract is covered") {
			t.Error("the page claims decisions before anyone saved")
		}
		if ch, _ := db.TenderChoices(ctx, p.ID); len(ch) != 0 {
			t.Fatalf("choices before a save: %v", ch)
		}
		if n := strings.Count(body, "<form method=\"post\" action=\""+path+"/section"); n != 4 {
			t.Errorf("want one form per section (4), have %d", n)
		}

		// Dropping without a reason is refused; nothing is stored and what
		// was typed anywhere in the section stays in the form.
		f := sectionForm(t, body, "clause")
		f.Set("d-CL-EXIT", "rejected")
		f.Set("reason-CL-AUDIT", "Typed note kept on refusal")
		f.Set("d-CL-AUDIT", "edited")
		f.Set("text-CL-AUDIT", "Audit once a year, typed & kept.")
		body = w.saveSection(p, f, 422)
		for _, want := range []string{"give a reason for dropping or editing this item", "Typed note kept on refusal", "Audit once a year, typed &amp; kept.",
			`id="f-CL-EXIT-d-rejected" name="d-CL-EXIT" value="rejected" checked`, `href="#f-CL-EXIT-reason"`} {
			if !strings.Contains(body, want) {
				t.Errorf("refused save lacks %q", want)
			}
		}
		if ch, _ := db.TenderChoices(ctx, p.ID); len(ch) != 0 {
			t.Fatalf("a refused save stored %d choices", len(ch))
		}

		// With a reason the whole section is saved in one go, by name.
		stale := sectionForm(t, w.page("city_officer", path), "clause")
		f.Set("reason-CL-EXIT", "The framework contract already has an exit schedule")
		s, _, hdr := w.do("city_officer", "POST", path+"/section", f)
		if s != 303 || !strings.Contains(hdr.Get("Location"), "saved=clause") {
			t.Fatalf("section save: %d %v", s, hdr)
		}
		choices, _ := db.TenderChoices(ctx, p.ID)
		items := f["item"]
		if len(choices) != len(items) || len(items) < 3 {
			t.Fatalf("stored %d choices for %d items", len(choices), len(items))
		}
		for _, id := range items {
			c := choices[id]
			if c.DecidedBy == "" || c.Rev != 1 {
				t.Errorf("%s: not recorded by a named person: %+v", id, c)
			}
		}
		if choices["CL-EXIT"].Decision != "rejected" || choices["CL-AUDIT"].Decision != "edited" || choices["CL-SUSPENSION"].Decision != "accepted" {
			t.Errorf("decisions: %+v", choices)
		}
		body = w.page("city_officer", path+"?saved=clause&n="+fmt.Sprint(len(items)))
		for _, want := range []string{fmt.Sprintf("Section saved: %d decisions recorded in your name.", len(items)),
			"Changed from the proposal", "The framework contract already has an exit schedule", "Dropped"} {
			if !strings.Contains(body, want) {
				t.Errorf("after the save the page lacks %q", want)
			}
		}
		changed := body[strings.Index(body, `id="changed-h"`):]
		changed = changed[:strings.Index(changed, "</section>")]
		if !strings.Contains(changed, "CL-EXIT") || !strings.Contains(changed, "CL-AUDIT") || strings.Contains(changed, "CL-SUSPENSION") {
			t.Errorf("the list of changes should name the dropped and the edited item only:\n%s", changed)
		}

		// The documents carry the dropped item with its reason, apart from the pack.
		doc := w.page("city_officer", path+"/document")
		_, md, _ := w.do("city_officer", "GET", path+".md", nil)
		for name, text := range map[string]string{"html": doc, "markdown": md} {
			i := strings.Index(text, "Dropped items and why")
			if i < 0 {
				t.Errorf("%s document has no dropped items", name)
				continue
			}
			if !strings.Contains(text[i:], "Exit plan and hand-over") || !strings.Contains(text[i:], "exit schedule") {
				t.Errorf("%s document: dropped item or reason missing", name)
			}
			if strings.Contains(text[:i], "Exit plan and hand-over") {
				t.Errorf("%s document lists the dropped item in the pack", name)
			}
		}

		audits := func() int {
			entries, _ := db.AuditFor(ctx, "purchase", p.ID, 200)
			n := 0
			for _, e := range entries {
				if e.Action == "tender_decision" {
					n++
				}
			}
			return n
		}
		if n := audits(); n != len(items) {
			t.Errorf("want %d audited decisions, have %d", len(items), n)
		}
		// Saving again unchanged records nothing new.
		again := sectionForm(t, w.page("city_officer", path), "clause")
		_, _, hdr = w.do("city_officer", "POST", path+"/section", again)
		if !strings.Contains(hdr.Get("Location"), "n=0") || audits() != len(items) {
			t.Errorf("an unchanged save recorded decisions: %v, %d audits", hdr.Get("Location"), audits())
		}

		// A form opened before that save conflicts: nothing is stored and what was typed stays.
		stale.Set("d-CL-SUSPENSION", "rejected")
		stale.Set("reason-CL-SUSPENSION", "Typed during a conflict")
		body = w.saveSection(p, stale, 409)
		if !strings.Contains(body, "Someone else saved this section") || !strings.Contains(body, "Typed during a conflict") {
			t.Errorf("conflict page:\n%.3000s", body)
		}
		if c, _ := db.TenderChoices(ctx, p.ID); c["CL-SUSPENSION"].Decision != "accepted" {
			t.Error("a conflicting save changed a decision")
		}
		// The conflict page's form carries the new revisions: saving it keeps the typed change.
		w.saveSection(p, sectionForm(t, body, "clause"), 303)
		if c, _ := db.TenderChoices(ctx, p.ID); c["CL-SUSPENSION"].Decision != "rejected" || c["CL-SUSPENSION"].Reason != "Typed during a conflict" {
			t.Errorf("after the conflict: %+v", c["CL-SUSPENSION"])
		}

		// Items of another section, unknown items and other roles are refused.
		bad := url.Values{"part": {"award"}, "item": {"CL-EXIT"}, "rev-CL-EXIT": {"1"}, "d-CL-EXIT": {"accepted"}}
		w.saveSection(p, bad, 422)
		if s, _, _ := w.do("vendor_supplier", "POST", path+"/section", again); s != 403 {
			t.Errorf("supplier section save: %d", s)
		}
	})
}
