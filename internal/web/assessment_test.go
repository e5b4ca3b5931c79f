package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
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
		// Level IV without engagement: sign-off refused.
		body = w.assess("city_approver", p, "signoff", url.Values{"version": {"1"}}, 422)
		if !strings.Contains(body, "needs recorded engagement") {
			t.Fatalf("sign-off without engagement:\n%.3000s", body)
		}
		if s, _, _ := w.do("city_officer", "POST", base+"/signoff", url.Values{"version": {"1"}}); s != 403 {
			t.Fatalf("officer signed off: %d", s)
		}
		w.assess("city_officer", p, "engagement", url.Values{"e_who": {"Claimants' association"}, "e_how": {"Meeting"}, "e_when": {"2025-03-01"}, "e_raised": {"Suspension without review"}}, 303)
		w.assess("city_approver", p, "signoff", url.Values{"version": {"1"}, "review_date": {"2030-01-01"}}, 303)

		// After sign-off an edit starts version 2; version 1 keeps its words.
		w.assess("city_officer", p, "mitigation", url.Values{"item": {"2"}, "g_impact_id": {"1"}, "g_action": {"Human decision on every suspension"}, "g_status": {"in_progress"}}, 303)
		v1, err := db.AssessmentVersion(ctx, p.ID, 1)
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

		// Marking the planning requirements met lets the gate pass, except
		// for the other failing requirement, which still blocks; an
		// approver's override still works.
		form := url.Values{}
		for _, id := range []string{"CORE-HRIA-DONE", "AIA-27-DONE", "GDPR-35-DONE", "T-NECESSITY", "T-PROPORTIONALITY", "CORE-SCREENING", "CORE-NEED", "CORE-RIGHTS-MAP"} {
			form.Add("req", id)
			form.Set("c_"+id+"_status", "met")
		}
		form.Set("c_T-PROPORTIONALITY_status", "not_applicable")
		body = w.assess("city_officer", p, "checklist", form, 422)
		if !strings.Contains(body, "Say why the requirement does not apply.") {
			t.Fatalf("not applicable without justification accepted:\n%.3000s", body)
		}
		form.Set("c_T-PROPORTIONALITY_status", "not_met")
		w.assess("city_officer", p, "checklist", form, 303)
		_, body, _ = w.do("city_officer", "GET", fmt.Sprintf("/purchases/%d/transition?to=market_engagement", p.ID), nil)
		if !strings.Contains(body, "T-PROPORTIONALITY") || strings.Contains(body, "CORE-HRIA-DONE</code>") && strings.Contains(body, `class="fail"><span class="verdict">Not met</span>
    <strong>Human-rights impact assessment signed off`) {
			t.Fatalf("gate after checklist:\n%.4000s", body)
		}
		cur, _, _ := db.Purchase(ctx, w.users["city_officer"], p.ID)
		move := url.Values{"to": {"market_engagement"}, "version": {fmt.Sprint(cur.Version)}, "override": {"yes"}, "reason": {"Council deadline; proportionality test due next week"}}
		if s, body, _ := w.do("city_approver", "POST", fmt.Sprintf("/purchases/%d/transition", p.ID), move); s != 303 {
			t.Fatalf("approver override: %d\n%.3000s", s, body)
		}
		hist, _ := db.StageHistory(ctx, p.ID)
		if len(hist) != 1 || hist[0].Override == nil || !strings.Contains(fmt.Sprint(hist[0].Override.Failed), "T-PROPORTIONALITY") {
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
		if !strings.Contains(body, "our wording") || !strings.Contains(body, "1.0.0&#43;org-1") {
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
