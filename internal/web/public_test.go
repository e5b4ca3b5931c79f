package web_test

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/i18n"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// publish makes a city purchase with the given title and publishes it.
func (w *world) publish(title, summary string) *model.Purchase {
	w.t.Helper()
	p := w.purchase(title)
	s, body, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/publication", p.ID), url.Values{"publish": {"yes"}, "summary": {summary}})
	if s != 303 {
		w.t.Fatalf("publish: %d %.300s", s, body)
	}
	return p
}

// The register finds the same entries on both databases, in any of the
// four languages' names for a sector, and shows only published purchases.
func TestRegisterSearchAndFacets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		benefits := w.publish("Fraud-risk scoring for housing benefits", "Scores benefit claims for checks.")
		w.publish("Learning platform for schools", "Homework and messages for pupils.")
		w.purchase("Unpublished secret cameras")

		cases := []struct {
			q    string
			want []string
		}{
			{"fraud", []string{"Fraud-risk scoring"}},
			{"FRAU", []string{"Fraud-risk scoring"}},                          // prefix, any case
			{"benefits", []string{"Fraud-risk scoring", "Learning platform"}}, // the sector's name: both are social protection
			{"hôusing", []string{"Fraud-risk scoring"}},                       // diacritics do not matter
			{"secret", nil},                             // unpublished stays out
			{"scoring pupils", nil},                     // every word must match
			{`NEAR(a b) OR "unterminated AND -x*`, nil}, // operators are words
			{"", []string{"Fraud-risk scoring", "Learning platform"}},
		}
		if langs, _ := i18n.Load(); len(langs.Langs()) == 4 {
			// The sector's name in Portuguese, with and without diacritics.
			both := []string{"Fraud-risk scoring", "Learning platform"}
			cases = append(cases, struct {
				q    string
				want []string
			}{"proteção social", both}, struct {
				q    string
				want []string
			}{"protecao", both})
		}
		for _, c := range cases {
			_, body, _ := w.do("", "GET", "/register?q="+url.QueryEscape(c.q), nil)
			want := fmt.Sprintf("%d entries found", len(c.want))
			if len(c.want) == 1 {
				want = "1 entry found"
			}
			if !strings.Contains(body, want) {
				t.Errorf("q=%q: page lacks %q", c.q, want)
			}
			for _, title := range c.want {
				if !strings.Contains(body, title) {
					t.Errorf("q=%q: %q not found", c.q, title)
				}
			}
			if strings.Contains(body, "Unpublished secret") {
				t.Errorf("q=%q: unpublished purchase shown", c.q)
			}
		}
		// A facet narrows the results and the entry has a stable permalink.
		_, body, _ := w.do("", "GET", "/register?stage=planning&sector=social_protection", nil)
		if !strings.Contains(body, "2 entries found") || !strings.Contains(body, `aria-current="true"`) {
			t.Error("facet filter")
		}
		// Each refine link keeps the search and sets its own facet; the
		// current value says so.
		for _, link := range []string{
			`href="/register?sector=social_protection&amp;stage=planning" aria-current="true">Social protection and benefits</a> (2)`,
			`href="/register?level=none&amp;sector=social_protection&amp;stage=planning">`,
		} {
			if !strings.Contains(body, link) {
				t.Errorf("no refine link %s", link)
			}
		}
		s, body, _ := w.do("", "GET", fmt.Sprintf("/register/%d", benefits.ID), nil)
		if s != 200 || !strings.Contains(body, "Scores benefit claims for checks.") || !strings.Contains(body, "/complaints/new?purchase=") {
			t.Fatalf("entry page: %d", s)
		}
		if s, _, _ := w.do("", "GET", fmt.Sprintf("/register/%d", benefits.ID+2), nil); s != 404 {
			t.Fatalf("unpublished entry: %d", s)
		}
		// Withdrawing removes it from search at once.
		w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/publication", benefits.ID), url.Values{"publish": {"no"}})
		if _, body, _ := w.do("", "GET", "/register?q=fraud", nil); !strings.Contains(body, "0 entries found") {
			t.Error("withdrawn entry still found")
		}
	})
}

func TestRegisterDownloadsAndFeed(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	evil := `=HYPERLINK("http://example.invalid","click")`
	p := w.publish(evil, "+cmd|' /C calc'!A0")
	s, body, h := w.do("", "GET", "/register.csv", nil)
	if s != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d", s)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv rows: %v %d", err, len(rows))
	}
	for _, cell := range rows[1] {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
			t.Errorf("formula cell not neutralised: %q", cell)
		}
	}
	s, body, _ = w.do("", "GET", "/register.json", nil)
	var recs []map[string]any
	if s != 200 || json.Unmarshal([]byte(body), &recs) != nil || len(recs) != 1 {
		t.Fatalf("json: %d %.200s", s, body)
	}
	s, body, _ = w.do("", "GET", fmt.Sprintf("/register/%d/record.json", p.ID), nil)
	var rec struct {
		Summary struct{ Name, Status string }
		Redress struct {
			ComplaintURL string `json:"complaint_url"`
		} `json:"complaints_and_redress"`
	}
	if s != 200 || json.Unmarshal([]byte(body), &rec) != nil || rec.Summary.Name != evil || rec.Summary.Status != "in_development" || rec.Redress.ComplaintURL == "" {
		t.Fatalf("record: %d %.300s", s, body)
	}
	s, body, _ = w.do("", "GET", "/register/feed.atom", nil)
	var feed struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if s != 200 || xml.Unmarshal([]byte(body), &feed) != nil || len(feed.Entries) != 1 || feed.Entries[0].Title != evil {
		t.Fatalf("feed: %d %.300s", s, body)
	}
}

var codeRE = regexp.MustCompile(`<code>(\d{4}(?: \d{4}){5})</code>`)

// Dora's journey: an anonymous complaint, a receipt code, the body's
// answer read with the code; escalation to the oversight body, which
// publishes a finding on the public entry.
func TestComplaintJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.publish("Fraud-risk scoring for housing benefits", "Scores claims.")
		hostile := `<script>alert(1)</script> my benefit was cut`
		s, body := w.complain(url.Values{"purchase": {fmt.Sprint(p.ID)}, "complaint": {hostile}, "identify": {"no"}})
		if s != 200 {
			t.Fatalf("file complaint: %d %.500s", s, body)
		}
		m := codeRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no receipt code on the page:\n%s", body)
		}
		code := m[1]
		// The body sees it, never with markup executed.
		_, body, _ = w.do("city_officer", "GET", "/complaints", nil)
		id := regexp.MustCompile(`href="/complaints/(\d+)"`).FindStringSubmatch(body)
		if id == nil {
			t.Fatalf("body does not see the complaint:\n%s", body)
		}
		_, body, _ = w.do("city_officer", "GET", "/complaints/"+id[1], nil)
		if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;") {
			t.Error("complaint text not escaped")
		}
		// Another body and the supplier see nothing of it.
		for _, who := range []string{"town_officer", "vendor_supplier", "nhri_oversight", "dpa_oversight", "city_viewer"} {
			if s, _, _ := w.do(who, "GET", "/complaints/"+id[1], nil); s != 404 {
				t.Errorf("%s sees the complaint before escalation: %d", who, s)
			}
		}
		// The body answers.
		w.do("city_officer", "POST", "/complaints/"+id[1]+"/status", url.Values{"status": {"acknowledged"}})
		w.do("city_officer", "POST", "/complaints/"+id[1]+"/messages", url.Values{"message": {"We are reviewing your case."}})
		// The person reads the answer with the code; a wrong code gets the
		// same answer as an unknown one.
		s, body, _ = w.do("", "POST", "/complaints/follow", url.Values{"code": {code}})
		if s != 200 || !strings.Contains(body, "We are reviewing your case.") || !strings.Contains(body, "Acknowledged") {
			t.Fatalf("follow: %d", s)
		}
		wrong := []byte(strings.ReplaceAll(code, " ", ""))
		wrong[len(wrong)-1] = '0' + (wrong[len(wrong)-1]-'0'+1)%10
		s1, b1, _ := w.do("", "POST", "/complaints/follow", url.Values{"code": {string(wrong)}})
		s2, b2, _ := w.do("", "POST", "/complaints/follow", url.Values{"code": {"999999 9999 9999 9999 9999 99"}})
		if s1 != 404 || s2 != 404 || !strings.Contains(b1, "No complaint matches") || !strings.Contains(b2, "No complaint matches") {
			t.Fatalf("wrong code %d, unknown code %d", s1, s2)
		}
		// The person replies; the body escalates; oversight sees and
		// publishes a finding that the public entry shows.
		w.do("", "POST", "/complaints/follow", url.Values{"code": {code}, "action": {"reply"}, "message": {"Thank you, I wait."}})
		// The complaint opens a task to re-assess the purchase's risks,
		// which the officer finds on the dashboard and the purchase page.
		if s, _, _ := w.do("city_officer", "POST", "/complaints/"+id[1]+"/reassess", url.Values{}); s != 303 {
			t.Fatalf("reassess: %d", s)
		}
		if _, body, _ := w.do("city_officer", "GET", "/dashboard", nil); !strings.Contains(body, "Re-assess the risks raised by complaint "+id[1]) {
			t.Error("task not on the dashboard")
		}
		s, _, _ = w.do("city_officer", "POST", "/complaints/"+id[1]+"/status", url.Values{"status": {"escalated"}})
		if s != 303 {
			t.Fatalf("escalate: %d", s)
		}
		if s, body, _ := w.do("nhri_oversight", "GET", "/oversight", nil); s != 200 || !strings.Contains(body, "Complaint "+id[1]) {
			t.Fatalf("oversight workspace: %d", s)
		}
		if s, _, _ := w.do("nhri_oversight", "GET", "/complaints/"+id[1], nil); s != 200 {
			t.Fatalf("oversight opens escalated complaint: %d", s)
		}
		if s, _, _ := w.do("dpa_oversight", "GET", "/complaints/"+id[1], nil); s != 404 {
			t.Fatalf("oversight body without remit: %d", s)
		}
		s, _, _ = w.do("nhri_oversight", "POST", fmt.Sprintf("/purchases/%d/findings", p.ID), url.Values{"title": {"Automatic suspensions breach due process"}, "finding": {"The body must stop suspending benefits without a human decision."}})
		if s != 303 {
			t.Fatalf("finding: %d", s)
		}
		_, body, _ = w.do("", "GET", fmt.Sprintf("/register/%d", p.ID), nil)
		if !strings.Contains(body, "Automatic suspensions breach due process") || !strings.Contains(body, "Received: 1.") {
			t.Fatal("finding or statistics missing from the public entry")
		}
		if _, body, _ := w.do("", "GET", "/register?q=suspensions", nil); !strings.Contains(body, "1 entry found") {
			t.Error("finding text not searchable")
		}
		// Only an oversight body may publish findings.
		if s, _, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/findings", p.ID), url.Values{"title": {"x"}, "finding": {"y"}}); s != 403 {
			t.Errorf("owner publishing a finding: %d", s)
		}
	})
}

func TestComplaintIdentityEncryptedAndHoneypot(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	s, body := w.complain(url.Values{"body_org": {fmt.Sprint(w.orgs["city"].ID)}, "service": {"Bus passes"},
		"complaint": {"Card refused"}, "identify": {"yes"}, "name": {"Dora Silva"}, "contact": {"dora@example.org"}})
	if s != 200 {
		t.Fatalf("named complaint: %d %.300s", s, body)
	}
	// The name is not in the database in clear.
	var n int
	if err := db.QueryRowForTest("SELECT COUNT(*) FROM complaints WHERE CAST(identity AS TEXT) LIKE '%Dora%' OR body LIKE '%Dora%'", &n); err != nil || n != 0 {
		t.Fatalf("identity stored in clear: %d %v", n, err)
	}
	_, body, _ = w.do("city_handler", "GET", "/complaints", nil)
	id := regexp.MustCompile(`href="/complaints/(\d+)"`).FindStringSubmatch(body)
	_, body, _ = w.do("city_handler", "POST", "/complaints/"+id[1]+"/identity", url.Values{})
	if !strings.Contains(body, "Dora Silva") {
		t.Fatal("the body's complaints handler cannot read the identity")
	}
	// A robot filling the honeypot gets a receipt page but nothing is stored.
	s, body = w.complain(url.Values{"body_org": {fmt.Sprint(w.orgs["city"].ID)}, "complaint": {"spam"}, "website": {"http://spam.example"}})
	if s != 200 || codeRE.FindString(body) == "" {
		t.Fatalf("honeypot: %d", s)
	}
	if err := db.QueryRowForTest("SELECT COUNT(*) FROM complaints", &n); err != nil || n != 1 {
		t.Fatalf("complaints stored: %d", n)
	}
	// A name typed while "without my name" is chosen is not silently dropped.
	s, body, _ = w.do("", "POST", "/complaints/new", url.Values{"body_org": {fmt.Sprint(w.orgs["city"].ID)}, "complaint": {"x"}, "identify": {"no"}, "name": {"Dora"}})
	if s != 422 || !strings.Contains(body, "You chose to send without your name") || !strings.Contains(body, `value="Dora"`) {
		t.Fatalf("name with anonymous: %d", s)
	}
	// Missing fields are named and typed text kept.
	s, body, _ = w.do("", "POST", "/complaints/new", url.Values{"complaint": {"kept text"}, "identify": {"yes"}})
	if s != 422 || !strings.Contains(body, "kept text") || !strings.Contains(body, `href="#f-body_org"`) || !strings.Contains(body, "Give a name or a contact") {
		t.Fatalf("invalid complaint: %d", s)
	}
}

func TestComplaintAttachmentsCheckedByContent(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	post := func(name string, data []byte) int {
		var b strings.Builder
		mw := newMultipart(&b)
		mw.field("body_org", fmt.Sprint(w.orgs["city"].ID))
		mw.field("complaint", "See the attached letter")
		mw.file("files", name, data)
		mw.close()
		req, _ := http.NewRequest("POST", w.srv.URL+"/complaints/new", strings.NewReader(b.String()))
		req.Header.Set("Content-Type", mw.contentType())
		resp, err := client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := post("letter.pdf", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n")); s != 303 {
		t.Fatalf("pdf: %d", s)
	}
	if s := post("invoice\u202egpj.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")); s != 422 {
		t.Fatalf("executable disguised as image: %d", s)
	}
	if s := post("big.txt", []byte(strings.Repeat("a", 5<<20+1))); s != 422 {
		t.Fatalf("oversized file: %d", s)
	}
	_, body, _ := w.do("city_officer", "GET", "/complaints", nil)
	id := regexp.MustCompile(`href="/complaints/(\d+)"`).FindStringSubmatch(body)
	_, body, _ = w.do("city_officer", "GET", "/complaints/"+id[1], nil)
	f := regexp.MustCompile(`href="(/complaints/\d+/files/\d+)"`).FindStringSubmatch(body)
	if f == nil {
		t.Fatal("attachment not listed")
	}
	_, _, h := w.do("city_officer", "GET", f[1], nil)
	if !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") || h.Get("Content-Type") != "application/pdf" {
		t.Fatalf("attachment headers: %v", h)
	}
	if s, _, _ := w.do("town_officer", "GET", f[1], nil); s != 404 {
		t.Fatalf("another body downloads the attachment: %d", s)
	}
}

func TestChangeRequestsAndUnpublishedFlag(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Cameras")
	path := fmt.Sprintf("/purchases/%d/change-requests", p.ID)
	s, body, _ := w.do("nhri_oversight", "POST", path, url.Values{"request": {"Consult residents"}, "due": {"2001-01-01"}})
	if s != 422 || !strings.Contains(body, "Enter a date from today on") || !strings.Contains(body, "Consult residents") {
		t.Fatalf("past deadline: %d", s)
	}
	if s, _, _ := w.do("nhri_oversight", "POST", path, url.Values{"request": {"Consult residents"}, "due": {"2099-01-01"}}); s != 303 {
		t.Fatalf("request: %d", s)
	}
	if s, _, _ := w.do("city_officer", "POST", path, url.Values{"request": {"x"}, "due": {"2099-01-01"}}); s != 403 {
		t.Fatalf("owner requesting: %d", s)
	}
	_, body, _ = w.do("city_officer", "GET", fmt.Sprintf("/purchases/%d", p.ID), nil)
	rid := regexp.MustCompile(`/change-requests/(\d+)"`).FindStringSubmatch(body)
	if rid == nil {
		t.Fatal("owner does not see the request")
	}
	if s, _, _ := w.do("city_officer", "POST", path+"/"+rid[1], url.Values{"status": {"done"}, "response": {"Two meetings held"}}); s != 303 {
		t.Fatalf("answer: %d", s)
	}
	_, body, _ = w.do("nhri_oversight", "GET", "/oversight", nil)
	if !strings.Contains(body, "Done") {
		t.Error("oversight does not see the answered request")
	}
}

// A gate passed by override is shown on the public entry with its reason.
func TestRegisterShowsOverrides(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.publish("Cameras in the park", "Cameras.")
	w.screenPlainly(p, nil)
	s, body, _ := w.do("city_approver", "POST", fmt.Sprintf("/purchases/%d/transition", p.ID), url.Values{"to": {"market_engagement"}, "version": {"1"}, "override": {"yes"}, "reason": {"Festival deadline"}})
	if s != 303 {
		t.Fatalf("override: %d %.300s", s, body)
	}
	_, body, _ = w.do("", "GET", fmt.Sprintf("/register/%d", p.ID), nil)
	if !strings.Contains(body, "Checks that were skipped") || !strings.Contains(body, "Festival deadline") {
		t.Fatal("override not on the public entry")
	}
}

// Guessing receipt codes is slowed down per address.
func TestReceiptCodeGuessingLimited(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	limited := false
	for i := 0; i < 15; i++ {
		s, body, _ := w.do("", "POST", "/complaints/follow", url.Values{"code": {fmt.Sprintf("%024d", i)}})
		if s == 429 {
			if !strings.Contains(body, "Too many attempts") {
				t.Fatal("rate-limit page does not say why")
			}
			limited = true
			break
		}
		if s != 404 {
			t.Fatalf("guess %d: %d", i, s)
		}
	}
	if !limited {
		t.Fatal("15 guesses in a row were not limited")
	}
}

// Minutes of an engagement are attached to the assessment, checked by
// content, and downloadable only by those who may see the record.
func TestEngagementFiles(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Welfare scoring")
	upload := func(who, name string, data []byte) int {
		var b strings.Builder
		mw := newMultipart(&b)
		mw.field("kind", "engagement")
		mw.field("ref", "1")
		mw.field("next", fmt.Sprintf("/purchases/%d/assessment#engagement", p.ID))
		mw.file("file", name, data)
		mw.close()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/purchases/%d/files", w.srv.URL, p.ID), strings.NewReader(b.String()))
		req.Header.Set("Content-Type", mw.contentType())
		req.AddCookie(w.signIn(who))
		resp, err := client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := upload("city_assessor", "../../minutes <b>.pdf", []byte("%PDF-1.4\nminutes")); s != 303 {
		t.Fatalf("upload: %d", s)
	}
	if s := upload("city_assessor", "virus.pdf", []byte("MZ\x90\x00binary")); s != 422 {
		t.Fatalf("executable upload: %d", s)
	}
	// The refusal says why on the error page.
	{
		var b strings.Builder
		mw := newMultipart(&b)
		mw.field("kind", "engagement")
		mw.file("file", "virus.pdf", []byte("MZ\x90\x00binary"))
		mw.close()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/purchases/%d/files", w.srv.URL, p.ID), strings.NewReader(b.String()))
		req.Header.Set("Content-Type", mw.contentType())
		req.Header.Set("Referer", fmt.Sprintf("%s/purchases/%d/assessment", w.srv.URL, p.ID))
		req.AddCookie(w.signIn("city_assessor"))
		resp, _ := client().Do(req)
		body := new(strings.Builder)
		io.Copy(body, resp.Body)
		resp.Body.Close()
		if !strings.Contains(body.String(), "File: The file is not a PDF, PNG, JPEG or plain-text file.") || !strings.Contains(body.String(), fmt.Sprintf(`href="/purchases/%d/assessment"`, p.ID)) {
			t.Fatalf("refused upload page does not say why or lead back:\n%s", body)
		}
	}
	if s := upload("nhri_oversight", "x.pdf", []byte("%PDF-1.4\n")); s != 403 {
		t.Fatalf("oversight upload: %d", s)
	}
	files, err := db.PurchaseFiles(ctx, p.ID, "engagement")
	if err != nil || len(files) != 1 || files[0].Name != "minutes <b>.pdf" || files[0].Ref != "1" {
		t.Fatalf("files: %+v %v", files, err)
	}
	path := fmt.Sprintf("/purchases/%d/files/%d", p.ID, files[0].ID)
	s, body, h := w.do("nhri_oversight", "GET", path, nil)
	if s != 200 || body != "%PDF-1.4\nminutes" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("download: %d %v", s, h)
	}
	if s, _, _ := w.do("town_officer", "GET", path, nil); s != 404 {
		t.Fatalf("another body downloads: %d", s)
	}
	if s, _, _ := w.do("vendor_supplier", "GET", path, nil); s != 403 {
		t.Fatalf("supplier downloads: %d", s)
	}
}

// A resident reads the summary in their language, and finds it by its words.
func TestRegisterSummaryInVisitorsLanguage(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Benefits scoring")
	s, _, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/publication", p.ID), url.Values{"publish": {"yes"},
		"summary": {"Scores claims."}, "summary_pt": {"Classifica os pedidos de prestações."}})
	if s != 303 {
		t.Fatalf("publish: %d", s)
	}
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/register/%d", w.srv.URL, p.ID), nil)
	req.Header.Set("Accept-Language", "pt-PT,pt;q=0.9")
	resp, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b := new(strings.Builder)
	io.Copy(b, resp.Body)
	resp.Body.Close()
	if !strings.Contains(b.String(), "Classifica os pedidos de prestações.") || !strings.Contains(b.String(), `lang="pt"`) {
		t.Fatal("Portuguese visitor does not read the Portuguese summary")
	}
	if _, body, _ := w.do("", "GET", "/register?q=classifica", nil); !strings.Contains(body, fmt.Sprintf("/register/%d", p.ID)) {
		t.Fatal("Portuguese summary words are not searchable")
	}
}

// complain files a complaint as a browser would: the form's answer sends
// it on to the receipt page with a cookie; it returns that page.
func (w *world) complain(form url.Values) (int, string) {
	w.t.Helper()
	resp, err := client().PostForm(w.srv.URL+"/complaints/new", form)
	if err != nil {
		w.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return resp.StatusCode, string(b)
	}
	if loc := resp.Header.Get("Location"); loc != "/complaints/receipt" {
		w.t.Fatalf("complaint sent to %q", loc)
	}
	req, _ := http.NewRequest("GET", w.srv.URL+"/complaints/receipt", nil)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	r2, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer r2.Body.Close()
	b, _ = io.ReadAll(r2.Body)
	return r2.StatusCode, string(b)
}

// Reloading the receipt, or sending the same form again (back button,
// double click), files one complaint and shows the same code; another
// browser is not shown the code.
func TestComplaintReceiptReloadFilesOnce(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	_, form, _ := w.do("", "GET", "/complaints/new", nil)
	sub := regexp.MustCompile(`name="submission" value="([0-9a-f]{32})"`).FindStringSubmatch(form)
	if sub == nil {
		t.Fatalf("no submission number on the form:\n%s", form)
	}
	f := url.Values{"body_org": {fmt.Sprint(w.orgs["city"].ID)}, "complaint": {"Card refused"}, "identify": {"no"}, "submission": {sub[1]}}
	s, first := w.complain(f)
	code := codeRE.FindStringSubmatch(first)
	if s != 200 || code == nil {
		t.Fatalf("first sending: %d\n%s", s, first)
	}
	s, again := w.complain(f)
	if again2 := codeRE.FindStringSubmatch(again); s != 200 || again2 == nil || again2[1] != code[1] {
		t.Fatalf("second sending shows another receipt: %d %v", s, again2)
	}
	var n int
	if err := db.QueryRowForTest("SELECT COUNT(*) FROM complaints", &n); err != nil || n != 1 {
		t.Fatalf("complaints stored: %d %v", n, err)
	}
	s, other, _ := w.do("", "GET", "/complaints/receipt", nil)
	if s != 200 || codeRE.MatchString(other) || !strings.Contains(other, "30 minutes") {
		t.Fatalf("receipt without the cookie: %d\n%s", s, other)
	}
}
