package web_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// levelFour screens p complete at level IV (with nothing else required)
// and puts it in market engagement, so its next gate is tender design.
func (w *world) levelFour(p *model.Purchase) {
	w.t.Helper()
	off := w.users["city_officer"]
	if err := w.db.SaveScreening(ctx, store.ActorOf(off), p, map[string]any{"essential_service": "yes"}, screening.Result{Status: screening.StatusComplete, Level: 4}); err != nil {
		w.t.Fatal(err)
	}
	if err := w.db.Transition(ctx, store.ActorOf(off), p, store.Move{To: model.StageMarketEngagement}); err != nil {
		w.t.Fatal(err)
	}
}

var opinionID = regexp.MustCompile(`#opinion-(\d+)`)

// giveOpinion issues an opinion as the NHRI's oversight officer and
// returns its id.
func (w *world) giveOpinion(p *model.Purchase, form url.Values) string {
	w.t.Helper()
	s, body, h := w.do("nhri_oversight", "POST", fmt.Sprintf("/purchases/%d/opinions", p.ID), form)
	m := opinionID.FindStringSubmatch(h.Get("Location"))
	if s != 303 || m == nil {
		w.t.Fatalf("opinion: %d %s\n%.3000s", s, h.Get("Location"), body)
	}
	return m[1]
}

// Bruno's journey: a rule asks for the NHRI's opinion on level IV
// purchases before tender design, and the gate waits for it (no override
// passes); the opinion with two conditions turns them into requirements at
// that gate, met by evidence and never waived by the buying body; a later
// unfavourable opinion holds the gate until the accountable head, once
// designated, records a public decision to go on, which the register shows.
func TestOpinionJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Fraud scoring")
		w.levelFour(p)
		base := fmt.Sprintf("/purchases/%d", p.ID)
		move := base + "/transition?to=tender_design"

		w.post("nhri_oversight", "/oversight/opinion-rules", url.Values{"min_level": {"4"}, "before": {"tender_design"}, "days": {"0"}}, 422)
		w.post("nhri_oversight", "/oversight/opinion-rules", url.Values{"min_level": {"4"}, "before": {"tender_design"}, "days": {"30"}}, 303)
		if page := w.page("nhri_viewer", "/oversight/opinions"); !strings.Contains(page, "Fraud scoring") || !strings.Contains(page, "level 4 or higher") {
			t.Fatalf("owed opinions and rules:\n%.3000s", page)
		}
		page := w.page("city_officer", move)
		if !strings.Contains(page, "is asked for its opinion before this move") || !strings.Contains(page, "opinion:") {
			t.Fatalf("the gate does not wait for the opinion:\n%.4000s", page)
		}
		cur, _, _ := db.Purchase(ctx, w.users["city_approver"], p.ID)
		w.post("city_approver", base+"/transition", url.Values{"to": {"tender_design"}, "version": {fmt.Sprint(cur.Version)}, "override": {"yes"}, "reason": {"We cannot wait."}}, 422)

		// The opinion with two conditions for the next gate.
		id := w.giveOpinion(p, url.Values{"before": {"tender_design"}, "verdict": {"conditional"},
			"reasons":     {"Favourable provided no payment is ever suspended by the score alone."},
			"references":  {"ICESCR art. 9"},
			"cond_text_1": {"The tender forbids suspension of payments without a caseworker decision."}, "cond_before_1": {"tender_design"},
			"cond_text_2": {"Error rates by group are tested before tender design."}, "cond_before_2": {"tender_design"}})
		c1, c2 := "OPN-"+id+"-1", "OPN-"+id+"-2"
		reqs := w.page("city_officer", base+"/requirements")
		for _, want := range []string{c1, c2, "Error rates by group are tested before tender design.", "Condition 1 of the opinion of Org nhri"} {
			if !strings.Contains(reqs, want) {
				t.Fatalf("requirements page lacks %q:\n%.5000s", want, reqs)
			}
		}
		page = w.page("city_officer", move)
		if !strings.Contains(page, "gave a favourable opinion with conditions") || !strings.Contains(page, c1) || !strings.Contains(page, "is not met") {
			t.Fatalf("conditions at the gate:\n%.5000s", page)
		}
		w.post("city_officer", base+"/requirements/"+c1, url.Values{"kind": {"statement"}, "text": {"Clause 7.2 of the draft tender forbids it."}}, 303)
		refused := w.post("city_approver", base+"/requirements/"+c2, url.Values{"kind": {"not_applicable"}, "text": {"We think this does not apply to us."}}, 422)
		if !strings.Contains(refused, "cannot be declared not applicable") {
			t.Fatalf("waiver refused without saying why:\n%.3000s", refused)
		}
		if page = w.page("city_officer", move); !strings.Contains(page, "is met by a statement of city_officer") {
			t.Fatalf("condition met by the statement:\n%.5000s", page)
		}
		// No route changes an issued opinion.
		if s, _, _ := w.do("nhri_oversight", "POST", base+"/opinions/"+id, url.Values{"reasons": {"changed"}}); s != 404 {
			t.Fatalf("an opinion could be posted to: %d", s)
		}

		// A later unfavourable opinion; the approver is not yet accountable head.
		bad := w.giveOpinion(p, url.Values{"before": {"tender_design"}, "verdict": {"unfavourable"},
			"reasons": {"The model has not been tested for bias against people with disabilities."}})
		if page = w.page("city_officer", move); !strings.Contains(page, "gave an unfavourable opinion") || strings.Contains(page, c1) {
			t.Fatalf("unfavourable opinion at the gate (its predecessor's conditions gone):\n%.5000s", page)
		}
		decide := base + "/opinions/" + bad + "/decision"
		reasons := url.Values{"decision": {"The council has commissioned a bias test and will publish it before award."}}
		w.post("city_approver", decide, reasons, 403)
		if page = w.page("city_approver", base+"/opinions"); !strings.Contains(page, "has not designated an accountable head") || strings.Contains(page, decide) {
			t.Fatalf("opinions page before designation:\n%.5000s", page)
		}
		w.post("city_admin", "/admin/accountable-heads", url.Values{"user_id": {fmt.Sprint(w.users["city_approver"].ID)}, "designate": {"yes"}}, 303)
		if page = w.page("city_admin", "/admin/accountable-heads"); !strings.Contains(page, "since ") {
			t.Fatalf("designation not shown:\n%.3000s", page)
		}
		w.post("city_officer", decide, reasons, 403)
		w.post("city_approver", decide, url.Values{"decision": {"Because."}}, 422)
		w.post("city_approver", decide, reasons, 303)
		w.post("city_approver", decide, reasons, 409)
		if page = w.page("city_officer", move); !strings.Contains(page, "decided on") || !strings.Contains(page, "to go on") {
			t.Fatalf("the decision does not open the gate:\n%.5000s", page)
		}
		if page = w.page("nhri_viewer", "/oversight/opinions"); !strings.Contains(page, "commissioned a bias test") {
			t.Fatalf("the oversight body does not see the decision among its own:\n%.5000s", page)
		}
		for _, who := range []string{"nhri_viewer", "city_viewer"} {
			if page = w.page(who, base+"/opinions"); !strings.Contains(page, "Decision to go on, by city_approver") || !strings.Contains(page, "commissioned a bias test") {
				t.Fatalf("%s does not see the decision:\n%.5000s", who, page)
			}
		}

		// The public register shows the opinions and the decision.
		w.post("city_officer", base+"/publication", url.Values{"publish": {"yes"}, "summary": {"Scores claims for checks."}}, 303)
		entry := w.page("", fmt.Sprintf("/register/%d", p.ID))
		for _, want := range []string{"Opinions of oversight bodies", "Favourable with conditions", "Unfavourable", "commissioned a bias test", "Error rates by group are tested"} {
			if !strings.Contains(entry, want) {
				t.Fatalf("register entry lacks %q:\n%.6000s", want, entry)
			}
		}
		if page := w.page("city_officer", base); !strings.Contains(page, "Oversight opinions") || !strings.Contains(page, base+"/opinions") {
			t.Fatalf("purchase page has no opinions panel:\n%.3000s", page)
		}
	})
}

// Notes: a note the oversight body keeps to itself is read by its own
// people only; a comment names an impact of the assessment.
func TestOversightNotesOnParts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Cameras")
		w.screenPlainly(p, nil)
		base := fmt.Sprintf("/purchases/%d", p.ID)
		w.assess("city_officer", p, "impact", url.Values{"i_right": {"R-PRIV"}, "i_group": {"Passers-by"}, "i_description": {"Faces recorded"},
			"i_scale": {"3"}, "i_scope": {"3"}, "i_irremediability": {"2"}, "i_likelihood": {"3"}}, 303)
		page := w.page("nhri_oversight", base+"/opinions")
		if !strings.Contains(page, `value="impact:1"`) {
			t.Fatalf("the impact is not offered:\n%.5000s", page)
		}
		w.post("nhri_oversight", base+"/oversight-notes", url.Values{"note_kind": {"assessment"}, "note_body": {"PRIVATE-VIEW of the institution."}}, 303)
		w.post("nhri_oversight", base+"/oversight-notes", url.Values{"note_kind": {"note"}, "part": {"impact:1"}, "shared": {"yes"}, "note_body": {"Scale is rated too low."}}, 303)
		w.post("nhri_oversight", base+"/oversight-notes", url.Values{"note_kind": {"note"}, "part": {"mitigation:7"}, "note_body": {"x"}}, 422)
		w.post("nhri_oversight", base+"/oversight-notes", url.Values{"note_kind": {"note"}, "part": {"impact:x"}, "note_body": {"x"}}, 422)
		w.post("dpa_oversight", base+"/oversight-notes", url.Values{"note_kind": {"note"}, "note_body": {"x"}}, 404)
		own, theirs := w.page("nhri_viewer", base+"/opinions"), w.page("city_officer", base+"/opinions")
		if !strings.Contains(own, "PRIVATE-VIEW") || strings.Contains(theirs, "PRIVATE-VIEW") || strings.Contains(w.page("city_officer", base), "PRIVATE-VIEW") {
			t.Fatal("a private note leaked, or is not shown to its own body")
		}
		if !strings.Contains(theirs, "Scale is rated too low.") || !strings.Contains(theirs, "Impact #1: Passers-by") {
			t.Fatalf("comment on the impact:\n%.5000s", theirs)
		}
	})
}

// The views across agencies list the remit only, filter by level and by a
// supplier across bodies, and download as JSON and as CSV with formulas
// neutralised.
func TestOversightViewsAndDownloads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		high := w.purchase("=HYPERLINK(\"http://evil.example\",\"x\")")
		w.levelFour(high)
		w.purchase("Plain city purchase")
		town := &model.Purchase{OrgID: w.orgs["town"].ID, Title: "Town scoring", Sector: "health"}
		if err := db.CreatePurchase(ctx, store.ActorOf(w.users["town_officer"]), town); err != nil {
			t.Fatal(err)
		}
		page := w.page("nhri_viewer", "/oversight/purchases?level=4")
		if !strings.Contains(page, "HYPERLINK") || strings.Contains(page, "Plain city purchase") || strings.Contains(page, "Town scoring") {
			t.Fatalf("level IV view:\n%.5000s", page)
		}
		if page = w.page("nhri_viewer", "/oversight/purchases"); strings.Contains(page, "Town scoring") || !strings.Contains(page, "Plain city purchase") {
			t.Fatalf("remit view:\n%.5000s", page)
		}
		if page = w.page("nhri_viewer", "/oversight/suppliers"); !strings.Contains(page, "Org vendor") || !strings.Contains(page, "supplier=Org&#43;vendor") {
			t.Fatalf("suppliers:\n%.3000s", page)
		}
		if page = w.page("nhri_viewer", "/oversight/purchases?supplier=ORG+VENDOR"); !strings.Contains(page, "2 purchases") {
			t.Fatalf("one supplier's purchases:\n%.5000s", page)
		}
		if page = w.page("nhri_viewer", "/oversight/technologies"); !strings.Contains(page, "Technologies across bodies") {
			t.Fatalf("technologies:\n%.3000s", page)
		}
		s, body, h := w.do("nhri_viewer", "GET", "/oversight/purchases.csv?level=4", nil)
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if s != 200 || err != nil || len(rows) != 2 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d %v %q", s, err, body)
		}
		if rows[0][2] != "title" || !strings.HasPrefix(rows[1][2], "'=HYPERLINK") || rows[1][7] != "4" {
			t.Fatalf("csv row not neutralised or wrong: %q", rows[1])
		}
		s, body, _ = w.do("nhri_viewer", "GET", "/oversight/purchases.json?sort=title", nil)
		var recs []struct {
			Title       string   `json:"title"`
			ImpactLevel int      `json:"impactLevel"`
			Suppliers   []string `json:"suppliers"`
		}
		if err := json.Unmarshal([]byte(body), &recs); s != 200 || err != nil || len(recs) != 2 || recs[1].ImpactLevel != 0 || len(recs[0].Suppliers) != 1 {
			t.Fatalf("json: %d %v %+v", s, err, recs)
		}
	})
}
