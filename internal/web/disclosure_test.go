package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The words only the full contract holds. None of them may reach anyone
// but the body and its oversight while the contract is published with
// redactions.
var heldBack = []string{"Quintela", "900 000 111", "EUR 12.34"}

const (
	fullText     = "Contract PV-77 for appointment booking.\nAnnex 2 unit price: EUR 12.34 per booking.\nAnnex 4 on-call engineer: Maria Quintela, +351 900 000 111.\n"
	redactedText = "Contract PV-77 for appointment booking.\nAnnex 2 unit price: [withheld: commercial secret].\nAnnex 4 on-call engineer: [withheld: personal data].\n"
)

// postDocument sends the document form with its full and redacted files.
func (w *world) postDocument(name, path string, fields map[string]string, full, redacted string) (int, string) {
	w.t.Helper()
	var b strings.Builder
	mw := newMultipart(&b)
	for k, v := range fields {
		mw.field(k, v)
	}
	mw.file("full_file", "contract-full.txt", []byte(full))
	if redacted != "" {
		mw.file("redacted_file", "contract-redacted.txt", []byte(redacted))
	}
	mw.close()
	req, _ := http.NewRequest("POST", w.srv.URL+path, strings.NewReader(b.String()))
	req.Header.Set("Content-Type", mw.contentType())
	req.AddCookie(w.signIn(name))
	resp, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// anon fetches a public URL without signing in.
func (w *world) anon(path string) (int, string) {
	w.t.Helper()
	resp, err := client().Get(w.srv.URL + path)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A contract published with two redactions: the public reads the redacted
// version and the record of each redaction, with its ground and the
// approver who agreed, through every route the register offers (the entry,
// its record, the bulk downloads, the OCDS API and file, the feed, the
// search, the document download), and none of them, nor the body's file
// route for anyone outside the body and oversight, gives out a word that
// was held back. Republished in full, the full version is what the public
// gets.
func TestDisclosureNeverLeaksTheFullDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Appointment booking")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		w.post("city_officer", base+"/publication", url.Values{"publish": {"yes"}, "summary": {"Booking for the front desks"}}, 303)

		hostile := `Signed contract PV-77 <script>alert("x")</script>`
		if s, body := w.postDocument("city_officer", base+"/disclosure", map[string]string{"doc_kind": "contract", "doc_title": ""}, fullText, redactedText); s != 422 || !strings.Contains(body, "f-doc_title") {
			t.Fatalf("a document without a title: %d", s)
		}
		if s, _ := w.postDocument("city_officer", base+"/disclosure", map[string]string{"doc_kind": "contract", "doc_title": hostile, "doc_description": "The contract and its annexes."}, fullText, redactedText); s != 303 {
			t.Fatalf("draft: %d", s)
		}
		docs, _ := db.Disclosures(ctx, p.ID, false)
		if len(docs) != 1 {
			t.Fatalf("documents: %+v", docs)
		}
		doc := docs[0]
		dbase := fmt.Sprintf("%s/disclosure/%d", base, doc.ID)
		public := fmt.Sprintf("/register/%d/documents/%d", p.ID, doc.ID)
		// A draft is not public, however it is asked for.
		if s, _ := w.anon(public); s != 404 {
			t.Errorf("draft downloaded: %d", s)
		}
		w.post("city_officer", dbase+"/redactions", url.Values{"ground": {"commercial_secret"}, "location": {"Annex 2: unit prices"}, "reason": {"Prices the supplier bids with this year."}, "lapses_on": {model.DateOf(db.Now()).AddDays(200).String()}}, 303)
		w.post("city_officer", dbase+"/redactions", url.Values{"ground": {"personal_data"}, "location": {"Annex 4: <b>engineer's</b> name and phone"}, "reason": {"Private contact details."}}, 303)
		w.post("city_officer", dbase+"/redactions", url.Values{"ground": {"gossip"}, "location": {"x"}, "reason": {"y"}}, 422)
		if s, _, _ := w.do("city_officer", "POST", dbase+"/publish", url.Values{}); s != 403 {
			t.Errorf("an officer publishes: %d", s)
		}
		w.post("city_approver", dbase+"/publish", url.Values{}, 303)

		// Every public route: the redacted version, the record, no held-back word.
		routes := []string{fmt.Sprintf("/register/%d", p.ID), fmt.Sprintf("/register/%d/record.json", p.ID), "/register.json", "/register.csv",
			"/register/feed.atom", "/api/v1/ocds/releases", "/ocds/releases.jsonl", public, "/register?q=Quintela", "/register?q=PV-77"}
		got := map[string]string{}
		for _, path := range routes {
			s, body := w.anon(path)
			if s != 200 {
				t.Fatalf("GET %s: %d", path, s)
			}
			got[path] = body
			if strings.HasPrefix(path, "/register?q=") {
				continue // the search page repeats what was searched for; its results are checked below
			}
			for _, word := range heldBack {
				if strings.Contains(body, word) {
					t.Errorf("%s gives out %q", path, word)
				}
			}
		}
		if got[public] != redactedText {
			t.Errorf("the public download is not the redacted version: %q", got[public])
		}
		entry := got[fmt.Sprintf("/register/%d", p.ID)]
		for _, want := range []string{"Commercial secret", "Personal data", "Annex 2: unit prices", "city_approver", "2 parts held back", "&lt;script&gt;", "Annex 4: &lt;b&gt;engineer&#39;s&lt;/b&gt;"} {
			if !strings.Contains(entry, want) {
				t.Errorf("the register entry lacks %q", want)
			}
		}
		if strings.Contains(entry, "<script>alert") {
			t.Error("the title is not escaped on the register")
		}
		var rec struct {
			Documents []struct {
				URL        string `json:"url"`
				InFull     bool   `json:"in_full"`
				Redactions []struct {
					Ground   string `json:"ground"`
					AgreedBy string `json:"agreed_by"`
				} `json:"redactions"`
			} `json:"documents"`
		}
		if err := json.Unmarshal([]byte(got[fmt.Sprintf("/register/%d/record.json", p.ID)]), &rec); err != nil || len(rec.Documents) != 1 ||
			!strings.HasSuffix(rec.Documents[0].URL, public) || rec.Documents[0].InFull || len(rec.Documents[0].Redactions) != 2 ||
			rec.Documents[0].Redactions[1].Ground != "personal_data" || rec.Documents[0].Redactions[1].AgreedBy != "city_approver" {
			t.Errorf("record: %v %+v", err, rec)
		}
		for _, path := range []string{"/api/v1/ocds/releases", "/ocds/releases.jsonl"} {
			flat := strings.Join(strings.Fields(got[path]), "")
			if !strings.Contains(flat, `"documentType":"contractSigned"`) || !strings.Contains(flat, `"ground":"commercialSecret"`) || !strings.Contains(flat, public) {
				t.Errorf("%s lacks the document: %.1500s", path, got[path])
			}
		}
		if !strings.Contains(got["/register/feed.atom"], "A document was published.") {
			t.Error("the feed does not say a document was published")
		}
		if strings.Contains(got["/register?q=Quintela"], fmt.Sprintf(`href="/register/%d"`, p.ID)) || !strings.Contains(got["/register?q=PV-77"], fmt.Sprintf(`href="/register/%d"`, p.ID)) {
			t.Error("the search finds held-back words, or not the document's title")
		}

		// The full file, through the body's own route: the body and its
		// oversight only.
		full := fmt.Sprintf("%s/files/%d", base, doc.FullFileID)
		for name, want := range map[string]int{"city_officer": 200, "city_viewer": 200, "nhri_oversight": 200, "vendor_supplier": 403, "rival_supplier": 404, "town_officer": 404, "cso_viewer": 404, "site_admin": 404} {
			s, body, _ := w.do(name, "GET", full, nil)
			if s != want {
				t.Errorf("%s fetches the full file: %d, want %d", name, s, want)
			}
			if s == 200 && body != fullText {
				t.Errorf("%s gets %q", name, body)
			}
		}
		if s, _ := w.anon(full); s != 303 {
			t.Errorf("the full file without signing in: %d", s)
		}
		// Nor by its number on the public route (which takes a document's
		// number and serves only its public version), nor through the API.
		for _, n := range []int64{doc.FullFileID, doc.RedactedFileID, doc.ID + 1} {
			if s, body := w.anon(fmt.Sprintf("/register/%d/documents/%d", p.ID, n)); body == fullText || (s == 200 && body != redactedText) {
				t.Errorf("number %d on the public route: %d %q", n, s, body)
			}
		}
		tok := w.token("vendor_supplier")
		if s, body := w.api(tok, "GET", fmt.Sprintf("/api/v1/purchases/%d", p.ID), ""); s != 200 || strings.Contains(body, "Quintela") {
			t.Errorf("the API: %d", s)
		}

		// A lapsed ground shows on the register; republished in full, the
		// public gets the full version and the record says the parts were lifted.
		if s, _, _ := w.do("city_officer", "POST", dbase+"/full", url.Values{}); s != 403 {
			t.Errorf("an officer republishes in full: %d", s)
		}
		w.post("city_approver", dbase+"/full", url.Values{"note": {"The tender closed."}}, 303)
		if s, body := w.anon(public); s != 200 || body != fullText {
			t.Errorf("after republishing in full: %d %q", s, body)
		}
		if s, body := w.anon(fmt.Sprintf("/register/%d", p.ID)); s != 200 || !strings.Contains(body, "now published in full") {
			t.Error("the register does not say the redactions were lifted")
		}
		if _, feed := w.anon("/register/feed.atom"); !strings.Contains(feed, "A document was republished in full.") {
			t.Error("the feed does not say the document was republished")
		}
	})
}

// The body's page: drafts, redactions and their review by an approver.
func TestDisclosurePageReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Appointment booking")
		d, r := w.document(p, true)
		page := w.page("city_approver", fmt.Sprintf("/purchases/%d/disclosure", p.ID))
		for _, want := range []string{"Signed contract", "published with redactions", "Annex 4", "Keep it: review", "Republish in full", "not on the public register"} {
			if !strings.Contains(page, want) {
				t.Errorf("the approver's page lacks %q", want)
			}
		}
		if page := w.page("city_officer", fmt.Sprintf("/purchases/%d/disclosure", p.ID)); strings.Contains(page, "Keep it: review") {
			t.Error("an officer is offered the review")
		}
		review := fmt.Sprintf("/purchases/%d/disclosure/%d/redactions/%d/review", p.ID, d.ID, r.ID)
		if body := w.post("city_approver", review, url.Values{"new_lapse": {"2001-01-01"}, "note": {""}}, 422); !strings.Contains(body, "The date must be after today.") {
			t.Error("a past lapse date is not explained")
		}
		w.post("city_approver", review, url.Values{"new_lapse": {""}, "note": {"Staff names stay private."}}, 303)
		if page := w.page("city_viewer", fmt.Sprintf("/purchases/%d/disclosure", p.ID)); !strings.Contains(page, "Kept by city_approver") {
			t.Error("the review is not recorded on the page")
		}
		if s, _, _ := w.do("vendor_supplier", "GET", fmt.Sprintf("/purchases/%d/disclosure", p.ID), nil); s != 403 {
			t.Errorf("the supplier reads the body's documents page: %d", s)
		}
	})
}
