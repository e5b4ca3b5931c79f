package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"buyright/internal/consultation"
	"buyright/internal/i18n"
	"buyright/internal/reminders"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func inDays(n int) string { return time.Now().AddDate(0, 0, n).Format("2006-01-02") }

// orgRespond sends a response for the signed-in person's organisation and
// returns the status and the page it leads to (or the refused form).
func (w *world) orgRespond(name string, cid int64, fields url.Values, files map[string][]byte) (int, string) {
	w.t.Helper()
	resp, body := w.sendFiles(name, fmt.Sprintf("/consultations/%d/respond", cid), fields, files)
	if resp.StatusCode != 303 {
		return resp.StatusCode, body
	}
	return 303, w.page(name, resp.Header.Get("Location"))
}

// Every hostile string typed in a response comes back as text on every
// page that shows it; files are checked by their content and size; the
// checks are those of the complaints channel.
func TestConsultationHostileStringsAndFiles(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Scoring")
	cid := w.startConsultation(p.ID, inDays(30))
	accepted := 0
	for _, h := range hostileStrings(t) {
		s, page := w.orgRespond("cso_viewer", cid, url.Values{"r_q1": {h.Value}, "r_comments": {"comment " + h.Value}}, nil)
		if s == 422 {
			continue // empty once cleaned (control characters only): refused, nothing stored
		}
		if s != 303 {
			t.Errorf("%s: status %d\n%.300s", h.Name, s, page)
			continue
		}
		accepted++
		for _, raw := range []string{"<script>alert", "<img src=x", "<svg/onload", `" autofocus onfocus`} {
			if strings.Contains(h.Value, strings.TrimPrefix(raw, `" `)) && strings.Contains(page, raw) {
				t.Errorf("%s: the organisation's page contains raw %q", h.Name, raw)
			}
		}
	}
	if accepted < 10 {
		t.Fatalf("only %d hostile responses accepted: the test proves little", accepted)
	}
	work := w.page("city_officer", fmt.Sprintf("/purchases/%d/consultations/%d", p.ID, cid))
	for _, raw := range []string{"<script>alert", "<img src=x", "<svg/onload"} {
		if strings.Contains(work, raw) {
			t.Errorf("the working page contains raw %q", raw)
		}
	}
	// Files: an executable named as an image, a file over 5 MB and a
	// fourth file are refused, with what was typed kept.
	for name, files := range map[string]map[string][]byte{
		"disguised":  {"invoice\u202egpj.exe": []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")},
		"too big":    {"big.txt": []byte(strings.Repeat("a", 5<<20+1))},
		"four files": {"a.pdf": pdf, "b.pdf": pdf, "c.pdf": pdf, "d.pdf": pdf},
	} {
		s, body := w.orgRespond("cso_viewer", cid, url.Values{"r_q1": {"Kept text " + name}}, files)
		if s != 422 || !strings.Contains(body, "Kept text "+name) || !strings.Contains(body, `href="#f-files"`) {
			t.Errorf("%s: %d\n%.500s", name, s, body)
		}
	}
	before, _ := db.ConsultationResponses(ctx, cid)
	// The public form takes the same checks, and an empty response is
	// refused with the field named.
	resp, body := w.sendFiles("", fmt.Sprintf("/consultations/%d/respond", cid), url.Values{"r_q1": {"  "}}, nil)
	if resp.StatusCode != 422 || !strings.Contains(body, `href="#f-r_q1"`) {
		t.Errorf("empty public response: %d", resp.StatusCode)
	}
	resp, _ = w.sendFiles("", fmt.Sprintf("/consultations/%d/respond", cid), url.Values{"r_q1": {"See file"}}, map[string][]byte{"x.exe": []byte("MZ\x90\x00")})
	if resp.StatusCode != 422 {
		t.Errorf("public executable: %d", resp.StatusCode)
	}
	// A name typed while "anonymous" is chosen is never silently dropped.
	resp, body = w.sendFiles("", fmt.Sprintf("/consultations/%d/respond", cid), url.Values{"r_q1": {"x"}, "identify": {"no"}, "name": {"Dora"}}, nil)
	if resp.StatusCode != 422 || !strings.Contains(body, `value="Dora"`) {
		t.Errorf("name while anonymous: %d", resp.StatusCode)
	}
	after, _ := db.ConsultationResponses(ctx, cid)
	if len(after) != len(before) {
		t.Errorf("refused responses were stored: %d → %d", len(before), len(after))
	}
}

// The public form lets one address send 5 responses, then refuses with
// 429; a robot filling the hidden field gets a receipt and stores nothing.
func TestConsultationRateLimitAndHoneypot(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Scoring")
	cid := w.startConsultation(p.ID, inDays(30))
	w.respondPublicly(cid, url.Values{"r_q1": {"robot text"}, "website": {"http://spam.example"}}, nil)
	for i := 0; i < 4; i++ {
		w.respondPublicly(cid, url.Values{"r_q1": {fmt.Sprintf("person %d", i)}}, nil)
	}
	if resp, _ := w.sendFiles("", fmt.Sprintf("/consultations/%d/respond", cid), url.Values{"r_q1": {"sixth"}}, nil); resp.StatusCode != 429 {
		t.Fatalf("sixth response from one address: %d", resp.StatusCode)
	}
	rs, _ := db.ConsultationResponses(ctx, cid)
	if len(rs) != 4 {
		t.Fatalf("stored %d responses, want the 4 from people", len(rs))
	}
	for _, r := range rs {
		if strings.Contains(r.Answers[0], "robot") {
			t.Fatal("the robot's response was stored")
		}
	}
	// An invited organisation responding from its account is not held
	// back by the address's allowance.
	if s, _ := w.orgRespond("cso_viewer", cid, url.Values{"r_q1": {"from the association"}}, nil); s != 303 {
		t.Fatalf("organisation after the public limit: %d", s)
	}
}

// The consultation gate on a level III or IV purchase leaving market
// engagement: it names what is missing, opens with a recorded reason, and
// like any gate an approver may override it.
func TestConsultationGateBeforeTenderDesign(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Scoring")
	res := w.screenPlainly(p, map[string]any{"digital": "yes", "vulnerable_reached": "yes", "essential_service": "yes", "personal_data": "yes", "automation": "decides_alone",
		"decision_effects": []any{"fraud_selection", "suspension"}, "reversibility": "hard", "vulnerable_groups": []any{"low_income", "disability"}})
	if res.Level < 3 {
		t.Fatalf("screening level %d: the test needs III or IV", res.Level)
	}
	w.moveOverriding(p, "market_engagement")
	move := fmt.Sprintf("/purchases/%d/transition?to=tender_design", p.ID)
	page := w.page("city_officer", move)
	if !strings.Contains(page, "consultation_held") || !strings.Contains(page, "no consultation has been held") {
		t.Fatalf("transition page lacks the consultation gate:\n%.4000s", page)
	}
	list := w.page("city_officer", fmt.Sprintf("/purchases/%d/consultations", p.ID))
	if !strings.Contains(list, "Not met") {
		t.Error("the consultations page does not show the gate failing")
	}
	w.post("city_officer", fmt.Sprintf("/purchases/%d/consultation-waiver", p.ID), url.Values{"w_reason": {"short"}}, 422)
	w.post("city_officer", fmt.Sprintf("/purchases/%d/consultation-waiver", p.ID), url.Values{"w_reason": {"Claimants were consulted in the national benefits review of 2026."}}, 303)
	page = w.page("city_officer", move)
	if !strings.Contains(page, "the reason recorded is “Claimants were consulted in the national benefits review of 2026.”") {
		t.Fatalf("the waiver does not open the gate:\n%.4000s", page)
	}
}

// An impact raised in a response goes into the assessment in one step and
// keeps its source, also when it is edited in the assessment later.
func TestImpactFromResponseKeepsItsSource(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Scoring")
	cid := w.startConsultation(p.ID, inDays(30))
	if s, _ := w.orgRespond("cso_viewer", cid, url.Values{"r_q1": {"Payments stopped without a decision by a person."}}, nil); s != 303 {
		t.Fatal(s)
	}
	base := fmt.Sprintf("/purchases/%d/consultations/%d", p.ID, cid)
	rid := regexp.MustCompile(`id="response-(\d+)"`).FindStringSubmatch(w.page("city_officer", base))[1]
	// Without ratings the form comes back with its problems and what was typed.
	body := w.post("city_officer", base+"/responses/"+rid+"/impact", url.Values{"i_right": {"R-SOCSEC"}, "i_group": {"Single parents"}}, 422)
	if !strings.Contains(body, `href="#f-impact-`+rid+`-i_scale"`) || !strings.Contains(body, `value="Single parents"`) {
		t.Fatalf("refused impact:\n%.3000s", body)
	}
	w.post("city_officer", base+"/responses/"+rid+"/impact", url.Values{"i_right": {"R-SOCSEC"}, "i_group": {"Single parents"},
		"i_description": {"Payments stopped without a decision by a person."}, "i_scale": {"3"}, "i_scope": {"3"}, "i_irremediability": {"3"}, "i_likelihood": {"2"}}, 303)
	v, _ := db.Assessment(ctx, p.ID)
	if v == nil || len(v.Doc.Impacts) != 1 || v.Doc.Impacts[0].Source != fmt.Sprintf("consultation/%d/response/%s", cid, rid) {
		t.Fatalf("impact: %+v", v)
	}
	im := v.Doc.Impacts[0]
	if !strings.Contains(w.page("city_officer", base), fmt.Sprintf("Added to the assessment as impact %d", im.ID)) {
		t.Error("the working page does not show the impact added")
	}
	// Edited in the assessment, the impact keeps where it came from.
	w.assess("city_officer", p, "impact", url.Values{"item": {fmt.Sprint(im.ID)}, "i_right": {"R-SOCSEC"}, "i_group": {"Single parents and carers"},
		"i_scale": {"4"}, "i_scope": {"3"}, "i_irremediability": {"3"}, "i_likelihood": {"2"}}, 303)
	v, _ = db.Assessment(ctx, p.ID)
	if v.Doc.Impacts[0].Source != im.Source || v.Doc.Impacts[0].Group != "Single parents and carers" {
		t.Fatalf("edited impact: %+v", v.Doc.Impacts[0])
	}
	a := w.page("city_officer", fmt.Sprintf("/purchases/%d/assessment?step=impact", p.ID))
	if !strings.Contains(a, "Raised in") || !strings.Contains(a, fmt.Sprintf("/consultations/%d#response-%s", cid, rid)) {
		t.Error("the assessment does not link the impact to its response")
	}
	// Nobody but the body's assessment team adds impacts.
	for _, who := range []string{"city_viewer", "nhri_oversight"} {
		if s, _, _ := w.do(who, "POST", base+"/responses/"+rid+"/impact", url.Values{"i_right": {"R-SOCSEC"}}); s != 403 {
			t.Errorf("%s adds an impact: %d", who, s)
		}
	}
}

// Civil-society organisations are named as participants in meetings and
// see them; only civil-society organisations can be named.
func TestMeetingParticipants(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Scoring")
	meeting := url.Values{"e_status": {"held"}, "e_who": {"Claimants' association"}, "e_when": {"2026-01-10"}, "e_raised": {"Letters nobody can read"}}
	bad := url.Values{}
	for k, v := range meeting {
		bad[k] = v
	}
	bad["e_participants"] = []string{fmt.Sprint(w.orgs["vendor"].ID)}
	w.assess("city_officer", p, "engagement", bad, 422)
	meeting["e_participants"] = []string{fmt.Sprint(w.orgs["cso"].ID)}
	w.assess("city_officer", p, "engagement", meeting, 303)
	if part := w.page("cso_viewer", "/participation"); !strings.Contains(part, "Letters nobody can read") {
		t.Errorf("the organisation does not see its meeting:\n%.3000s", part)
	}
	if part := w.page("lab_reviewer", "/participation"); strings.Contains(part, "Letters nobody can read") {
		t.Error("another organisation sees the meeting")
	}
	if a := w.page("city_officer", fmt.Sprintf("/purchases/%d/assessment?step=engagement", p.ID)); !regexp.MustCompile(`value="` + fmt.Sprint(w.orgs["cso"].ID) + `" checked`).MatchString(a) {
		t.Error("the meeting's form does not show its participant ticked")
	}
}

// People of civil-society organisations follow published purchases and are
// told by e-mail, in their language, of an invitation (once, even when
// they also follow), a new signed-off version and a finding.
func TestFollowAndParticipationMail(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.publish("Fraud-risk scoring", "Plain words")
	entry := fmt.Sprintf("/register/%d", p.ID)
	if _, body, _ := w.do("cso_viewer", "GET", entry, nil); !strings.Contains(body, `action="/participation/follow"`) {
		t.Error("the register entry offers no follow button to civil society")
	}
	if _, body, _ := w.do("city_officer", "GET", entry, nil); strings.Contains(body, `action="/participation/follow"`) {
		t.Error("the register entry offers a follow button to a public body")
	}
	w.post("city_officer", "/participation/follow", url.Values{"purchase": {fmt.Sprint(p.ID)}}, 403)
	unpublished := w.purchase("Hidden")
	w.post("cso_viewer", "/participation/follow", url.Values{"purchase": {fmt.Sprint(unpublished.ID)}}, 404)
	w.post("cso_viewer", "/participation/follow", url.Values{"purchase": {fmt.Sprint(p.ID)}}, 303)
	if part := w.page("cso_viewer", "/participation"); !strings.Contains(part, entry) || !strings.Contains(part, "Stop following") {
		t.Errorf("participation page does not list the purchase followed:\n%.3000s", part)
	}
	// Her language is Portuguese.
	w.do("cso_viewer", "POST", "/lang", url.Values{"lang": {"pt"}, "next": {"/participation"}})
	w.startConsultation(p.ID, inDays(30))
	w.post("nhri_oversight", fmt.Sprintf("/purchases/%d/findings", p.ID), url.Values{"title": {"Finding on scoring"}, "finding": {"Suspensions need a human decision."}}, 303)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	writer := &reminders.Writer{I18n: b, BaseURL: "https://buyright.example"}
	for range 2 { // queued once however often the worker runs
		if err := writer.Queue(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	out, _ := db.Outbox(ctx, 100)
	var subjects []string
	for _, m := range out {
		if m.To == "cso_viewer@test.example" {
			subjects = append(subjects, m.Subject)
		}
	}
	want := []string{"Convite para responder: Pontuação de risco nas prestações", "Conclusão de supervisão sobre Fraud-risk scoring"}
	if len(subjects) != len(want) {
		t.Fatalf("mail to the follower: %q", subjects)
	}
	for _, s := range want {
		found := false
		for _, x := range subjects {
			found = found || x == s
		}
		if !found {
			t.Errorf("no mail %q among %q", s, subjects)
		}
	}
}

// Every key the consultation pages build from the domain's lists exists
// in English (and so, by the i18n test, in every language).
func TestConsultationKeys(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := b.Catalog("en")
	var need []string
	for _, f := range consultation.Formats {
		need = append(need, "consult.format."+string(f))
	}
	for _, r := range consultation.Rules {
		need = append(need, "consult.rule."+r, "consult.rule_help."+r)
	}
	for _, o := range consultation.Outcomes {
		need = append(need, "consult.outcome."+string(o))
	}
	for _, ph := range []consultation.Phase{consultation.PhaseDraft, consultation.PhaseOpen, consultation.PhaseClosed, consultation.PhaseReported} {
		need = append(need, "consult.phase."+string(ph))
	}
	for _, l := range consultation.Langs {
		for _, part := range []string{"title", "summary", "deciding", "questions", "use", "access", "report"} {
			need = append(need, "field."+consultation.FieldName(part, l))
		}
	}
	for i := 0; i < 20; i++ {
		need = append(need, "field."+consultation.AnswerField(i, 20))
	}
	need = append(need, "field."+consultation.AnswerField(20, 20))
	for _, kind := range []string{"consult_invited", "consult_reported", "follow_version", "follow_consultation", "follow_finding"} {
		need = append(need, "mail."+kind+".subject", "mail."+kind+".body")
	}
	for _, k := range need {
		if !en.Has(k) {
			t.Errorf("no English for %q", k)
		}
	}
}

// The public pages of a consultation answer everyone alike, signed in or
// not, whatever their role; a draft is not found for anyone, its own body
// included (which works on it from the purchase).
func TestConsultationPublicRoutesEveryRole(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Scoring")
	open := w.startConsultation(p.ID, inDays(30))
	_, _, h := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/consultations", p.ID), url.Values{"new_lang": {"en"}, "new_title": {"Draft"}})
	var draft int64
	fmt.Sscanf(h.Get("Location"), fmt.Sprintf("/purchases/%d/consultations/%%d", p.ID), &draft)
	for _, name := range append([]string{""}, everyone...) {
		for path, want := range map[string]int{
			"/consultations":                                200,
			"/consultations/follow":                         200,
			"/consultations/receipt":                        200,
			fmt.Sprintf("/consultations/%d", open):          200,
			fmt.Sprintf("/consultations/%d/respond", open):  200,
			fmt.Sprintf("/consultations/%d", draft):         404,
			fmt.Sprintf("/consultations/%d/respond", draft): 404,
			"/consultations/999999":                         404,
		} {
			if s, body, _ := w.do(name, "GET", path, nil); s != want {
				t.Errorf("GET %s as %q: %d, want %d\n%.300s", path, name, s, want, body)
			}
		}
	}
}
