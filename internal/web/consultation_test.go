package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/consultation"
	"buyright/internal/grievance"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// testClock is a clock the server and the database share, so a test can
// let a consultation's deadline pass.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// useClock restarts the world's server on clock c (with a fresh complaint
// key), and makes the database read it too.
func (w *world) useClock(c *testClock) {
	w.t.Helper()
	key, _ := grievance.ParseKey(grievance.NewKey())
	srv, err := web.New(web.Config{DB: w.db, Hasher: cheap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ComplaintKey: key, Now: c.now})
	if err != nil {
		w.t.Fatal(err)
	}
	w.db.Now = c.now
	w.srv.Close()
	w.srv = httptest.NewServer(srv)
	w.t.Cleanup(w.srv.Close)
}

// advance moves the clock on by days; sessions from before have expired.
func (w *world) advance(c *testClock, days int) {
	c.mu.Lock()
	c.t = c.t.AddDate(0, 0, days)
	c.mu.Unlock()
	for k := range w.cookies {
		delete(w.cookies, k)
	}
}

// sendFiles posts a multipart form as a person ("" for nobody) with files
// under "files", without following redirects, and returns the answer.
func (w *world) sendFiles(name, path string, fields url.Values, files map[string][]byte) (*http.Response, string) {
	w.t.Helper()
	var b strings.Builder
	mw := newMultipart(&b)
	for k, vs := range fields {
		for _, v := range vs {
			mw.field(k, v)
		}
	}
	for fname, data := range files {
		mw.file("files", fname, data)
	}
	mw.close()
	req, _ := http.NewRequest("POST", w.srv.URL+path, strings.NewReader(b.String()))
	req.Header.Set("Content-Type", mw.contentType())
	if name != "" {
		req.AddCookie(w.signIn(name))
	}
	resp, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

var receiptRE = regexp.MustCompile(`<code>(\d{4}(?: \d{4}){5})</code>`)

// respondPublicly sends a response through the public form as a browser
// would and returns its receipt code from the receipt page.
func (w *world) respondPublicly(cid int64, fields url.Values, files map[string][]byte) string {
	w.t.Helper()
	resp, body := w.sendFiles("", fmt.Sprintf("/consultations/%d/respond", cid), fields, files)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/consultations/receipt" {
		w.t.Fatalf("public response: %d %s\n%.3000s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	req, _ := http.NewRequest("GET", w.srv.URL+"/consultations/receipt", nil)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	r2, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer r2.Body.Close()
	b, _ := io.ReadAll(r2.Body)
	m := receiptRE.FindStringSubmatch(string(b))
	if m == nil {
		w.t.Fatalf("no receipt code:\n%s", b)
	}
	return m[1]
}

var pdf = []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n")

// draftForm is the draft of the fraud-scoring consultation in Portuguese
// and English.
func draftForm(rev int64, deadline string) url.Values {
	return url.Values{"rev": {fmt.Sprint(rev)}, "c_deadline": {deadline}, "c_formats": {"easy_read", "meeting"},
		"c_title_pt": {"Pontuação de risco nas prestações"}, "c_summary_pt": {"A câmara quer ordenar as verificações por risco."},
		"c_deciding_pt": {"Se o modelo é usado e com que salvaguardas."}, "c_questions_pt": {"1. Que riscos vê?\n2. Que salvaguardas pede?"},
		"c_use_pt": {"Respondemos a cada ponto no relatório."}, "c_access_pt": {"Peça leitura fácil pelo 800 000 000."},
		"c_title_en": {"Risk scoring of benefit claims"}, "c_summary_en": {"The city wants to order checks by risk."},
		"c_deciding_en": {"Whether the model is used, and with which safeguards."}, "c_questions_en": {"What risks do you see?\nWhat safeguards do you ask for?"},
		"c_use_en": {"We answer every point in the report."}}
}

// startConsultation has the city officer open a consultation on p in
// Portuguese and English and invite the civil-society organisation cso.
func (w *world) startConsultation(pid int64, deadline string) int64 {
	w.t.Helper()
	_, _, h := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/consultations", pid), url.Values{"new_lang": {"pt"}, "new_title": {"Pontuação"}})
	var cid int64
	if _, err := fmt.Sscanf(h.Get("Location"), fmt.Sprintf("/purchases/%d/consultations/%%d", pid), &cid); err != nil {
		w.t.Fatalf("create: %q", h.Get("Location"))
	}
	base := fmt.Sprintf("/purchases/%d/consultations/%d", pid, cid)
	f := draftForm(1, deadline)
	f.Set("action", "open")
	w.post("city_officer", base, f, 303)
	w.post("city_officer", base+"/invitations", url.Values{"inv_org": {fmt.Sprint(w.orgs["cso"].ID)}}, 303)
	return cid
}

// Marta's journey and the body's, from both sides, on both databases: a
// consultation in Portuguese and English, an invited organisation's
// response with a file, an anonymous person's and a named one's; a
// response hidden under a rule; one answer for two responses; the report
// once the deadline passed; and what each party then reads.
func TestConsultationJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		clk := &testClock{t: time.Now()}
		w.useClock(clk)
		p := w.publish("Fraud-risk scoring", "The city scores claims.")
		_, _, h := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/consultations", p.ID), url.Values{"new_lang": {"pt"}, "new_title": {"Pontuação"}})
		var cid int64
		fmt.Sscanf(h.Get("Location"), fmt.Sprintf("/purchases/%d/consultations/%%d", p.ID), &cid)
		base := fmt.Sprintf("/purchases/%d/consultations/%d", p.ID, cid)
		// Nobody outside the body sees a draft.
		if s, _, _ := w.do("", "GET", fmt.Sprintf("/consultations/%d", cid), nil); s != 404 {
			t.Fatalf("draft public: %d", s)
		}
		// Opening with a deadline next week: the words are saved, and the
		// form says what opening needs.
		soon := time.Now().AddDate(0, 0, 7).Format("2006-01-02")
		f := draftForm(1, soon)
		f.Set("action", "open")
		body := w.post("city_officer", base, f, 422)
		for _, want := range []string{`href="#f-draft-c_deadline"`, "Give people at least 14 days from today.", "Pontuação de risco nas prestações", `value="2"`} {
			if !strings.Contains(body, want) {
				t.Errorf("refused opening lacks %q", want)
			}
		}
		deadline := time.Now().AddDate(0, 0, 20).Format("2006-01-02")
		f = draftForm(2, deadline)
		f.Set("action", "open")
		w.post("city_officer", base, f, 303)
		w.post("city_officer", base+"/invitations", url.Values{"inv_org": {fmt.Sprint(w.orgs["vendor"].ID)}}, 422)
		w.post("city_officer", base+"/invitations", url.Values{"inv_org": {fmt.Sprint(w.orgs["cso"].ID)}}, 303)

		// The public page, in Portuguese on request, links the English.
		pub := fmt.Sprintf("/consultations/%d", cid)
		_, body, _ = w.do("", "GET", pub+"?in=pt", nil)
		for _, want := range []string{`<h1 lang="pt">Pontuação de risco nas prestações</h1>`, `<li>Que riscos vê?</li>`, `hreflang="en"`, "an easy-read version", "Moderation rules", "Personal data of others", pub + "/respond?in=pt", "No IP address is kept"} {
			if !strings.Contains(body, want) {
				t.Errorf("public page lacks %q", want)
			}
		}
		if _, list, _ := w.do("", "GET", "/consultations", nil); !strings.Contains(list, pub) {
			t.Error("the open consultation is not listed")
		}

		// Marta responds for her organisation, with a file.
		_, form, _ := w.do("cso_viewer", "GET", pub+"/respond?in=pt", nil)
		if !strings.Contains(form, "You are responding for Org cso") || strings.Contains(form, `name="identify"`) {
			t.Fatalf("invited organisation's form:\n%.2000s", form)
		}
		resp, body := w.sendFiles("cso_viewer", pub+"/respond", url.Values{"in": {"pt"}, "submission": {strings.Repeat("a", 32)},
			"r_q1": {"Suspensões automáticas de pagamentos"}, "r_q2": {"Revisão humana antes de qualquer corte"}, "r_comments": {"Ver o parecer anexo."}},
			map[string][]byte{"parecer.pdf": pdf})
		if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/participation/responses/") {
			t.Fatalf("organisation's response: %d %s\n%.2000s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		orgResp := strings.TrimSuffix(resp.Header.Get("Location"), "?done=responded")
		// The same form sent again is one response.
		again, _ := w.sendFiles("cso_viewer", pub+"/respond", url.Values{"in": {"pt"}, "submission": {strings.Repeat("a", 32)}, "r_q1": {"Suspensões"}}, nil)
		if again.Header.Get("Location") != orgResp {
			t.Fatalf("sent twice: %s", again.Header.Get("Location"))
		}
		// Someone of an organisation not invited gets the public form.
		if _, f, _ := w.do("lab_reviewer", "GET", pub+"/respond", nil); !strings.Contains(f, `name="identify"`) {
			t.Error("an organisation not invited was offered to respond under its name")
		}
		anon := w.respondPublicly(cid, url.Values{"in": {"en"}, "r_q1": {"My neighbour Maria Silva at Rua das Flores 12 was cut off."}, "identify": {"no"}}, nil)
		named := w.respondPublicly(cid, url.Values{"in": {"en"}, "r_q2": {"Letters I can read, and a phone line."}, "identify": {"yes"}, "name": {"Dora Reis"}, "contact": {"dora@example.org"}}, nil)
		if anon == named {
			t.Fatal("two responses share a code")
		}
		// While open, the public page counts responses but shows none.
		_, body, _ = w.do("", "GET", pub, nil)
		if !strings.Contains(body, "3 responses received so far.") || strings.Contains(body, "Suspensões automáticas") {
			t.Fatalf("open page shows responses:\n%.3000s", body)
		}

		// The body's working page: every response, the named person's
		// name for staff who may read it, never for a viewer or oversight.
		work := w.page("city_officer", base)
		for _, want := range []string{"Suspensões automáticas de pagamentos", "Org cso", "Dora Reis (dora@example.org)", "a person who gave no name", "parecer.pdf"} {
			if !strings.Contains(work, want) {
				t.Errorf("working page lacks %q", want)
			}
		}
		for _, who := range []string{"city_viewer", "nhri_oversight"} {
			page := w.page(who, base)
			if strings.Contains(page, "Dora Reis") || !strings.Contains(page, "a named person (you may not read names)") {
				t.Errorf("%s reads the named person's name", who)
			}
			if strings.Contains(page, `action="`+base+`/responses/`) {
				t.Errorf("%s is offered to hide or add impacts", who)
			}
		}
		if s, _, _ := w.do("vendor_supplier", "GET", base, nil); s != 403 {
			t.Errorf("supplier reads the working page: %d", s)
		}
		if s, _, _ := w.do("town_officer", "GET", base, nil); s != 404 {
			t.Errorf("another body reads the working page: %d", s)
		}
		ids := regexp.MustCompile(`id="response-(\d+)"`).FindAllStringSubmatch(work, -1)
		if len(ids) != 3 {
			t.Fatalf("responses on the working page: %v", ids)
		}
		rOrg, rAnon, rNamed := ids[0][1], ids[1][1], ids[2][1]
		// Hiding needs a published rule and a reason; it happens once.
		w.post("city_officer", base+"/responses/"+rAnon+"/hide", url.Values{"h_rule": {"disagrees"}, "h_reason": {"We do not like it"}}, 422)
		w.post("city_officer", base+"/responses/"+rAnon+"/hide", url.Values{"h_rule": {"personal_data"}, "h_reason": {"Names a neighbour and her address."}}, 303)
		w.post("city_officer", base+"/responses/"+rAnon+"/hide", url.Values{"h_rule": {"spam"}, "h_reason": {"Changing my mind later."}}, 409)
		// One answer for the organisation's and the named person's.
		w.post("city_officer", base+"/answers", url.Values{"a_said": {"Scores must never stop payments; letters must be readable."}, "a_outcome": {"partly"},
			"a_did": {"Automatic suspension is removed; easy-read letters."}, "a_why_not": {"Staff still check the highest scores first."}, "a_responses": {rOrg, rNamed}}, 303)
		// Every id on the pages is unique (labels, error links and anchors
		// point at one element each), with answers still open to change
		// and after the report.
		uniqueIDs := func() {
			t.Helper()
			for who, path := range map[string]string{"city_officer": base, "": pub, "cso_viewer": "/participation"} {
				_, page, _ := w.do(who, "GET", path, nil)
				seen := map[string]bool{}
				for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
					if seen[m[1]] {
						t.Errorf("%s: id %q twice", path, m[1])
					}
					seen[m[1]] = true
				}
			}
		}
		uniqueIDs()
		// The report waits for the deadline.
		body = w.post("city_officer", base+"/report", url.Values{"rev": {"0"}, "c_report_pt": {"Ouvimos."}, "c_report_en": {"We heard."}, "action": {"publish"}}, 409)
		if !strings.Contains(body, "Someone else changed this consultation meanwhile") {
			t.Errorf("a stale report form: %.500s", body)
		}

		w.advance(clk, 21)
		if resp, _ := w.sendFiles("", pub+"/respond", url.Values{"r_q1": {"Late"}}, nil); resp.StatusCode != 409 {
			t.Fatalf("a late response: %d", resp.StatusCode)
		}
		work = w.page("city_officer", base)
		rev := regexp.MustCompile(`action="` + regexp.QuoteMeta(base) + `/report" id="form-report" novalidate>\s*<input type="hidden" name="rev" value="(\d+)">`).FindStringSubmatch(work)
		if rev == nil || !strings.Contains(work, "Publish the report") {
			t.Fatalf("no report form after the deadline:\n%.5000s", work)
		}
		w.post("city_officer", base+"/report", url.Values{"rev": {rev[1]}, "c_report_pt": {"Ouvimos as associações: não haverá suspensões automáticas."},
			"c_report_en": {"We heard the associations: there will be no automatic suspensions."}, "action": {"publish"}}, 303)

		uniqueIDs()
		// What the public reads: the report, the answer, the responses not
		// hidden, the rule and reason of the hidden one, never a name.
		_, body, _ = w.do("", "GET", pub+"?in=en", nil)
		for _, want := range []string{"We heard the associations", "You said", "Scores must never stop payments", "We changed part of it", "Staff still check the highest scores first.",
			"Suspensões automáticas de pagamentos", "Org cso", "a member of the public", "Personal data of others", "Names a neighbour and her address.", "1 attached file, read by the body"} {
			if !strings.Contains(body, want) {
				t.Errorf("public page after the report lacks %q", want)
			}
		}
		for _, never := range []string{"Maria Silva", "Dora Reis", "dora@example.org", "parecer.pdf"} {
			if strings.Contains(body, never) {
				t.Errorf("public page shows %q", never)
			}
		}
		// The register entry carries the report.
		_, entry, _ := w.do("", "GET", fmt.Sprintf("/register/%d", p.ID), nil)
		if !strings.Contains(entry, "Consultations") || !strings.Contains(entry, "We heard the associations") || !strings.Contains(entry, pub+"#c-report") {
			t.Errorf("register entry lacks the report:\n%.4000s", entry)
		}
		// The assessment's engagement record holds it as a held meeting,
		// naming the organisation that responded.
		v, _ := db.Assessment(ctx, p.ID)
		if v == nil || len(v.Doc.Engagements) != 1 {
			t.Fatalf("assessment: %+v", v)
		}
		e := v.Doc.Engagements[0]
		if e.State() != assessment.Held || e.Source != consultation.EngagementSource(cid) || !e.Participating(w.orgs["cso"].ID) || !strings.Contains(e.How, "3 responses") {
			t.Errorf("engagement: %+v", e)
		}
		if f, _ := db.RequirementFacts(ctx, p.ID); f.Held != 1 {
			t.Errorf("held engagements seen by the evidence check: %d", f.Held)
		}
		if a := w.page("city_officer", fmt.Sprintf("/purchases/%d/assessment?step=engagement", p.ID)); !strings.Contains(a, "Recorded from the published report of") {
			t.Error("the assessment does not link the engagement to its consultation")
		}

		// The named person reads the answer with the code; the anonymous
		// one reads why theirs was hidden; a wrong code finds nothing.
		s, body, _ := w.do("", "POST", "/consultations/follow", url.Values{"code": {named}})
		if s != 200 || !strings.Contains(body, "Easy-read letters") && !strings.Contains(body, "easy-read letters") {
			t.Errorf("named person's answer: %d\n%.2000s", s, body)
		}
		if _, body, _ = w.do("", "POST", "/consultations/follow", url.Values{"code": {anon}}); !strings.Contains(body, "Names a neighbour and her address.") || !strings.Contains(body, "so it has no answer") {
			t.Errorf("hidden response read with its code:\n%.2000s", body)
		}
		if s, _, _ := w.do("", "POST", "/consultations/follow", url.Values{"code": {"0000 1111 2222 3333 4444 5555"}}); s != 404 {
			t.Errorf("wrong code: %d", s)
		}

		// Marta reads what her organisation sent, with its file, answered.
		part := w.page("cso_viewer", "/participation")
		if !strings.Contains(part, orgResp) || !strings.Contains(part, "answered") || !strings.Contains(part, "Risk scoring of benefit claims") {
			t.Errorf("participation page:\n%.3000s", part)
		}
		mine := w.page("cso_viewer", orgResp)
		file := regexp.MustCompile(`href="(` + regexp.QuoteMeta(orgResp) + `/files/\d+)"`).FindStringSubmatch(mine)
		if file == nil || !strings.Contains(mine, "Scores must never stop payments") {
			t.Fatalf("organisation's response page:\n%.3000s", mine)
		}
		if s, _, h := w.do("cso_viewer", "GET", file[1], nil); s != 200 || h.Get("Content-Type") != "application/pdf" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("file: %d %v", s, h)
		}
		for _, other := range []string{"lab_reviewer", "city_officer", "nhri_oversight"} {
			if s, _, _ := w.do(other, "GET", file[1], nil); s != 404 {
				t.Errorf("%s reads the organisation's file through its page: %d", other, s)
			}
		}
		// The body and the oversight body read it from the working page; a
		// supplier invited to the purchase does not.
		bodyFile := regexp.MustCompile(`href="(` + regexp.QuoteMeta(base) + `/responses/` + rOrg + `/files/\d+)"`).FindStringSubmatch(w.page("city_officer", base))
		if bodyFile == nil {
			t.Fatal("no file link on the working page")
		}
		for who, want := range map[string]int{"city_viewer": 200, "nhri_oversight": 200, "vendor_supplier": 403, "town_officer": 404, "cso_viewer": 404} {
			if s, _, _ := w.do(who, "GET", bodyFile[1], nil); s != want {
				t.Errorf("%s reads the file on the working page: %d, want %d", who, s, want)
			}
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
