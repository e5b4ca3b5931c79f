package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// welfare are screening answers of an automated benefits-suspension system
// (level IV, HRIA required).
var welfare = map[string][]string{
	"digital": {"yes"}, "goods": {"no"}, "staff_services": {"no"}, "essential_service": {"yes"}, "access_gate": {"no"},
	"personal_data": {"yes"}, "data_categories": {"financial", "special"}, "people_count": {"120000"},
	"vulnerable_groups": {"low_income", "disability"}, "vulnerable_reached": {"yes"}, "automation": {"decides_alone"}, "decision_effects": {"fraud_selection", "suspension"},
	"reversibility": {"hard"}, "profiling": {"yes"}, "ai_system": {"yes"}, "public_deployer": {"yes"}, "annex_iii": {"public_benefits"},
	"biometric_use": {"none"}, "prohibited_practices": {"none"}, "monitoring_public": {"no"}, "monitoring_individuals": {"no"},
	"legal_basis": {"general"}, "data_sharing": {"pooled", "vendor_access"}, "partnership": {"no"}, "procurement_route": {"open"},
	"emergency": {"no"}, "hardware": {"no"},
}

func screeningForm(answers map[string][]string) url.Values {
	f := url.Values{}
	for id, vs := range answers {
		f.Add("shown", id)
		for _, v := range vs {
			f.Add("q_"+id, v)
		}
	}
	return f
}

func (w *world) screen(p *model.Purchase, answers map[string][]string) string {
	w.t.Helper()
	path := fmt.Sprintf("/purchases/%d/screening", p.ID)
	if s, body, _ := w.do("city_officer", "POST", path, screeningForm(answers)); s != 303 {
		w.t.Fatalf("screening save: %d\n%.2000s", s, body)
	}
	_, body, _ := w.do("city_officer", "GET", path, nil)
	return body
}

func (w *world) assess(name string, p *model.Purchase, section string, form url.Values, want int) string {
	w.t.Helper()
	s, body, _ := w.do(name, "POST", fmt.Sprintf("/purchases/%d/assessment/%s", p.ID, section), form)
	if s != want {
		w.t.Fatalf("assessment %s as %s: %d, want %d\n%.3000s", section, name, s, want, body)
	}
	return body
}

func TestScreeningShowsRelevantQuestionsAndExplainsLevel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		path := fmt.Sprintf("/purchases/%d/screening", p.ID)
		_, body, _ := w.do("city_officer", "GET", path, nil)
		if strings.Contains(body, `name="q_data_categories"`) {
			t.Fatal("data categories asked before personal data is answered")
		}
		// Saving "personal data: yes" makes the data questions relevant.
		body = w.screen(p, map[string][]string{"digital": {"yes"}, "personal_data": {"yes"}})
		if !strings.Contains(body, `name="q_data_categories"`) || !strings.Contains(body, "Draft: incomplete") {
			t.Fatalf("after saving, the newly relevant question and the draft mark should show:\n%.3000s", body)
		}
		// A bad number is refused, named, and the typed text kept.
		s, body, _ := w.do("city_officer", "POST", path, url.Values{"shown": {"people_count"}, "q_people_count": {"many people"}})
		if s != 422 || !strings.Contains(body, "Enter a number") || !strings.Contains(body, `value="many people"`) {
			t.Fatalf("bad number: %d\n%.3000s", s, body)
		}
		body = w.screen(p, welfare)
		for _, want := range []string{"Impact level IV", "Complete", "Why this level", "Human-rights impact assessment", "CORE-HRIA-DONE"} {
			if !strings.Contains(body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
		// A reason cites the answer that drove it, in the question's words.
		if !strings.Contains(body, "<em>") {
			t.Error("reasons do not cite answers")
		}
		// Suppliers see nothing of the screening.
		if s, _, _ := w.do("vendor_supplier", "GET", path, nil); s != 403 {
			t.Errorf("supplier got %d", s)
		}
	})
}

func TestAssessmentSignOffVersionsDiffAndGate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		w.screen(p, welfare)
		base := fmt.Sprintf("/purchases/%d/assessment", p.ID)

		// The planning gate names each unmet mandatory requirement.
		_, body, _ := w.do("city_officer", "GET", fmt.Sprintf("/purchases/%d/transition?to=market_engagement", p.ID), nil)
		if !strings.Contains(body, "T-NECESSITY") || !strings.Contains(body, "Necessity test - no less intrusive way would achieve the aim") || !strings.Contains(body, "not met") {
			t.Fatalf("gate page does not name the unmet requirement:\n%.4000s", body)
		}
		s, _, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/transition", p.ID), url.Values{"to": {"market_engagement"}, "version": {"1"}})
		if s != 422 {
			t.Fatalf("officer passed a failed gate: %d", s)
		}

		hostile := `<script>alert("x")</script>`
		w.assess("city_assessor", p, "scope", url.Values{"a_context": {hostile}, "a_rights": {"R-SOCSEC", "R-PRIV"}}, 303)
		w.assess("city_officer", p, "impact", url.Values{"i_right": {"R-SOCSEC"}, "i_group": {"Claimants with disabilities"},
			"i_scale": {"4"}, "i_scope": {"3"}, "i_irremediability": {"3"}, "i_likelihood": {"3"}}, 303)
		// A rating out of range is refused, named, and typed text kept.
		body = w.assess("city_officer", p, "impact", url.Values{"i_right": {"R-PRIV"}, "i_group": {"Kept group"}, "i_scale": {"9"}, "i_scope": {"1"}, "i_irremediability": {"1"}, "i_likelihood": {"1"}}, 422)
		if !strings.Contains(body, "Choose a rating from 1 to 4.") || !strings.Contains(body, `value="Kept group"`) {
			t.Fatalf("bad rating:\n%.3000s", body)
		}
		w.assess("city_officer", p, "mitigation", url.Values{"g_impact_id": {"1"}, "g_action": {"Human review of every flag"}, "g_owner": {"Benefits unit"}, "g_status": {"planned"}}, 303)

		_, body, _ = w.do("city_officer", "GET", base, nil)
		if strings.Contains(body, hostile) || !strings.Contains(body, "&lt;script&gt;") {
			t.Fatal("hostile text not escaped on the workspace")
		}
		// Level IV without a meeting held: sign-off refused. A planned
		// meeting is a promise, not a consultation.
		body = w.assess("city_approver", p, "signoff", url.Values{"version": {"1"}}, 422)
		if !strings.Contains(body, "needs a meeting with the people affected that was held") {
			t.Fatalf("sign-off without engagement:\n%.3000s", body)
		}
		if s, _, _ := w.do("city_officer", "POST", base+"/signoff", url.Values{"version": {"1"}}); s != 403 {
			t.Fatalf("officer signed off: %d", s)
		}
		w.assess("city_officer", p, "engagement", url.Values{"e_status": {"planned"}, "e_who": {"Claimants' association"}, "e_how": {"Meeting"}, "e_when": {"2099-03-01"}}, 303)
		w.assess("city_approver", p, "signoff", url.Values{"version": {"1"}}, 422)
		draft, _ := db.Assessment(ctx, p.ID)
		eid := fmt.Sprint(draft.Doc.Engagements[0].ID)
		// Held in the future, or held with nothing recorded, is refused.
		body = w.assess("city_officer", p, "engagement", url.Values{"item": {eid}, "e_status": {"held"}, "e_who": {"Claimants' association"}, "e_when": {"2099-03-01"}, "e_raised": {"Suspension without review"}}, 422)
		if !strings.Contains(body, "cannot have been held") || !strings.Contains(body, "Suspension without review") {
			t.Fatalf("meeting held in the future:\n%.3000s", body)
		}
		w.assess("city_officer", p, "engagement", url.Values{"item": {eid}, "e_status": {"held"}, "e_who": {"Claimants' association"}, "e_when": {"2025-03-01"}}, 422)
		w.assess("city_officer", p, "engagement", url.Values{"item": {eid}, "e_status": {"held"}, "e_who": {"Claimants' association"}, "e_how": {"Meeting"}, "e_when": {"2025-03-01"}, "e_raised": {"Suspension without review"}}, 303)
		// Requirements due in planning and not met need the approver's
		// reason, one by one; the typed reasons are kept when refused.
		body = w.assess("city_approver", p, "signoff", url.Values{"version": {"1"}, "review_date": {"2030-01-01"}, "exc_CORE-NEED": {"Need written in the council's decision of March."}}, 422)
		if !strings.Contains(body, "Give a reason of at least a sentence") || !strings.Contains(body, "Need written in the council&#39;s decision of March.") || !strings.Contains(body, `name="exc_CORE-SCREENING"`) {
			t.Fatalf("sign-off with unmet requirements:\n%.4000s", body)
		}
		if strings.Contains(body, `name="exc_CORE-HRIA-DONE"`) || strings.Contains(body, `name="exc_CORE-ENGAGEMENT"`) {
			t.Error("the sign-off asks a reason for what it meets itself, or for the meeting held")
		}
		signoff := url.Values{"version": {"1"}, "review_date": {"2030-01-01"}}
		for _, m := range regexp.MustCompile(`name="(exc_[A-Za-z0-9._-]+)"`).FindAllStringSubmatch(body, -1) {
			signoff.Set(m[1], "Due before tender design; the council accepted this on 2 May.")
		}
		w.assess("city_approver", p, "signoff", signoff, 303)
		v1, err := db.AssessmentVersion(ctx, p.ID, 1)
		if err != nil || len(v1.Doc.SignOffExceptions) == 0 || v1.Doc.SignOffExceptions["CORE-SCREENING"] == "" {
			t.Fatalf("exceptions not kept with the version: %+v %v", v1.Doc.SignOffExceptions, err)
		}

		// After sign-off an edit starts version 2; version 1 keeps its words.
		w.assess("city_officer", p, "mitigation", url.Values{"item": {"2"}, "g_impact_id": {"1"}, "g_action": {"Human decision on every suspension"}, "g_status": {"in_progress"}}, 303)
		v1, err = db.AssessmentVersion(ctx, p.ID, 1)
		if err != nil || !v1.Signed() || v1.Doc.Mitigations[0].Action != "Human review of every flag" {
			t.Fatalf("version 1 changed: %+v %v", v1, err)
		}
		v2, err := db.AssessmentVersion(ctx, p.ID, 2)
		if err != nil || v2.Signed() || v2.Doc.Mitigations[0].Action != "Human decision on every suspension" {
			t.Fatalf("version 2: %+v %v", v2, err)
		}
		_, body, _ = w.do("nhri_oversight", "GET", base+"/diff?from=1&to=2", nil)
		if !strings.Contains(body, "Human review of every flag") || !strings.Contains(body, "Human decision on every suspension") || !strings.Contains(body, "Mitigation") {
			t.Fatalf("diff does not show the changed mitigation:\n%.4000s", body)
		}

		// The report draws both heat maps as inline SVG, readable without colour.
		_, body, _ = w.do("nhri_oversight", "GET", base+"/report?version=1", nil)
		if strings.Count(body, "<svg") != 2 || !strings.Contains(body, "Inherent risk") || !strings.Contains(body, "Residual risk") || strings.Contains(body, hostile) {
			t.Fatalf("report:\n%.4000s", body)
		}
		if !strings.Contains(body, "Signed off by city_approver") {
			t.Error("report of version 1 does not say who signed it off")
		}
		// With a newer draft, the report prints the signed version by
		// default, says a draft exists, and marks the draft as one.
		_, body, _ = w.do("nhri_oversight", "GET", base+"/report", nil)
		if !strings.Contains(body, "Version 1") || !strings.Contains(body, "Signed off by city_approver") || !strings.Contains(body, "A newer draft, version 2") ||
			!strings.Contains(body, "Due before tender design; the council accepted this on 2 May.") {
			t.Fatalf("default report is not the signed version with its exceptions:\n%.4000s", body)
		}
		_, body, _ = w.do("nhri_oversight", "GET", base+"/report?version=2", nil)
		if !strings.Contains(body, "This is a draft: nobody has signed it off") {
			t.Fatalf("draft report not marked as a draft:\n%.3000s", body)
		}
		// The JSON export parses and carries both versions.
		s, body, h := w.do("nhri_oversight", "GET", fmt.Sprintf("/purchases/%d/assessment.json", p.ID), nil)
		var export struct {
			Versions []struct {
				Version  int             `json:"version"`
				Status   string          `json:"status"`
				Snapshot json.RawMessage `json:"snapshot"`
			} `json:"versions"`
			Screening struct {
				Result struct{ Level int } `json:"result"`
			} `json:"screening"`
		}
		if err := json.Unmarshal([]byte(body), &export); err != nil || s != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Fatalf("export: %d %v\n%.500s", s, err, body)
		}
		if len(export.Versions) != 2 || export.Versions[0].Status != "signed" || len(export.Versions[0].Snapshot) == 0 || export.Screening.Result.Level != 4 {
			t.Fatalf("export content: %+v", export)
		}
		if s, _, _ := w.do("vendor_supplier", "GET", fmt.Sprintf("/purchases/%d/assessment.json", p.ID), nil); s != 403 {
			t.Errorf("supplier export: %d", s)
		}

		// Requirements are met by evidence someone vouches for, never by
		// a tick: an empty statement, a link to another purchase and a
		// statement for what buyright checks itself are refused, with the
		// typed words kept; "not applicable" is an approver's call.
		reqs := fmt.Sprintf("/purchases/%d/requirements/", p.ID)
		other := w.purchase("Another purchase")
		for _, c := range []struct {
			who, req string
			form     url.Values
			want     string
		}{
			{"city_officer", "CORE-NEED", url.Values{"kind": {"statement"}, "text": {"done"}}, "Write at least a sentence"},
			{"city_officer", "CORE-NEED", url.Values{"kind": {"link"}, "link": {fmt.Sprintf("/purchases/%d/contract", other.ID)}}, "points to another purchase"},
			{"city_officer", "CORE-NEED", url.Values{"kind": {"link"}, "link": {fmt.Sprintf("/purchases/%d/files/999", p.ID)}}, "does not exist in this purchase"},
			{"city_officer", "CORE-HRIA-DONE", url.Values{"kind": {"statement"}, "text": {"The assessment was signed on paper by the mayor."}}, "checks this requirement itself"},
			{"city_officer", "T-PROPORTIONALITY", url.Values{"kind": {"not_applicable"}, "text": {"Proportionality is covered by the legal opinion."}}, "Only an approver may"},
		} {
			s, body, _ := w.do(c.who, "POST", reqs+c.req, c.form)
			if s != 422 || !strings.Contains(body, c.want) {
				t.Fatalf("%s %v: %d, want %q\n%.3000s", c.req, c.form, s, c.want, body)
			}
			if txt := c.form.Get("text"); txt != "" && c.req != "CORE-HRIA-DONE" && !strings.Contains(body, txt) {
				t.Errorf("%s: typed text lost", c.req)
			}
		}
		if s, _, _ := w.do("city_officer", "POST", reqs+"CORE-NEED", url.Values{"kind": {"statement"}, "text": {"The need is set out in the council decision of 3 March, section 2."}}); s != 303 {
			t.Fatalf("statement: %d", s)
		}
		if s, _, _ := w.do("city_approver", "POST", reqs+"T-PROPORTIONALITY", url.Values{"kind": {"not_applicable"}, "text": {"Covered by the legal service's opinion, which binds the council here."}}); s != 303 {
			t.Fatalf("approver not applicable: %d", s)
		}
		_, body, _ = w.do("city_officer", "GET", fmt.Sprintf("/purchases/%d/transition?to=market_engagement", p.ID), nil)
		for _, want := range []string{"met by a statement vouched for by city_officer", "not applicable: Covered by the legal service"} {
			if !strings.Contains(body, want) {
				t.Errorf("gate page does not say how a requirement is met: %q", want)
			}
		}
		if _, page, _ := w.do("nhri_oversight", "GET", fmt.Sprintf("/purchases/%d/requirements", p.ID), nil); !strings.Contains(page, "assessment version 1 signed off by city_approver") {
			t.Errorf("requirements page does not say the sign-off meets CORE-HRIA-DONE:\n%.3000s", page)
		}
		if !strings.Contains(body, "an approver has not signed off the screening") {
			t.Fatalf("gate after evidence:\n%.4000s", body)
		}
		// The JSON export carries each requirement with its evidence.
		if _, js, _ := w.do("nhri_oversight", "GET", fmt.Sprintf("/purchases/%d/assessment.json", p.ID), nil); !strings.Contains(js, `"kind": "statement"`) ||
			!strings.Contains(js, "council decision of 3 March") || !strings.Contains(js, `"how": "not_applicable"`) {
			t.Errorf("export lacks the evidence:\n%.3000s", js)
		}
		cur, _, _ := db.Purchase(ctx, w.users["city_officer"], p.ID)
		move := url.Values{"to": {"market_engagement"}, "version": {fmt.Sprint(cur.Version)}, "override": {"yes"}, "reason": {"Council deadline; screening sign-off due next week"}}
		if s, body, _ := w.do("city_approver", "POST", fmt.Sprintf("/purchases/%d/transition", p.ID), move); s != 303 {
			t.Fatalf("approver override: %d\n%.3000s", s, body)
		}
		hist, _ := db.StageHistory(ctx, p.ID)
		if len(hist) != 1 || hist[0].Override == nil || !strings.Contains(fmt.Sprint(hist[0].Override.Failed), "CORE-SCREENING") {
			t.Fatalf("override record: %+v", hist)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func upload(w *world, name, file, content string) (int, string) {
	w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("catalog_files", file)
	io.WriteString(fw, content)
	mw.WriteField("name", name)
	mw.Close()
	req, _ := http.NewRequest("POST", w.srv.URL+"/admin/catalogs", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(w.signIn("site_admin"))
	resp, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCatalogUploadLintsAndKeepsVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		broken := "catalog: rights\nversion: \"1.0.0\"\nlanguages: {en: full}\nitems:\n  - id: R-PRIV\n    title: Privacy\n    refs: [NOPE 1]\n"
		s, body := upload(w, "broken", "ours.yaml", broken)
		if s != 422 || !strings.Contains(body, "upload/ours.yaml:7:") {
			t.Fatalf("broken upload: %d\n%.3000s", s, body)
		}
		if list, _ := db.CatalogUploads(ctx); len(list) != 0 {
			t.Fatal("a broken catalogue was kept or activated")
		}
		good := "catalog: rights\nversion: \"org-1\"\nlanguages: {en: full}\nitems:\n  - id: R-PRIV\n    title: Privacy and personal data (our wording)\n    text: What privacy means for our services.\n    refs: [UDHR 12]\n"
		if s, body := upload(w, "our wording", "ours.yaml", good); s != 303 {
			t.Fatalf("clean upload: %d\n%.3000s", s, body)
		}
		_, body, _ = w.do("site_admin", "GET", "/admin/catalogs", nil)
		if !strings.Contains(body, "our wording") || !strings.Contains(body, "&#43;org-1</td>") {
			i := strings.Index(body, "<main")
			t.Fatalf("admin page after upload:\n%.3000s", body[i:])
		}
		p := w.purchase("Wording")
		_, body, _ = w.do("city_officer", "GET", fmt.Sprintf("/purchases/%d/assessment", p.ID), nil)
		if !strings.Contains(body, "Privacy and personal data (our wording)") {
			t.Fatal("the uploaded wording is not in force")
		}
	})
}
