package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"buyright/internal/i18n"
	"buyright/internal/model"
	"buyright/internal/reminders"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// shareMaterial posts a material with a file as a person and returns the
// status and where it was sent.
func (w *world) shareMaterial(name, title, fileName string, data []byte) (int, string) {
	w.t.Helper()
	s, _, h := w.postFile(name, "/lab/materials", map[string]string{"kind": "tool", "title": title,
		"description": "A checklist for <b>forced-labour</b> audits."}, "file", fileName, data)
	return s, h.Get("Location")
}

func TestLabMembersSpaceStaysPrivateUntilPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		if err := db.SetLabMember(ctx, store.System, w.orgs["cso"].ID, true); err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]int{"cso_viewer": 200, "site_admin": 200, "city_officer": 403, "vendor_supplier": 403} {
			if s, _, _ := w.do(name, "GET", "/lab/members", nil); s != want {
				t.Errorf("%s opens the members' space: %d, want %d", name, s, want)
			}
		}
		if s, _ := w.shareMaterial("city_officer", "Not a member", "a.txt", []byte("hello")); s != 403 {
			t.Errorf("non-member shares: %d", s)
		}
		if s, _ := w.shareMaterial("cso_viewer", "Bad file", "a.exe", []byte("MZ\x90\x00\x03\x00\x00\x00")); s != 422 {
			t.Errorf("executable accepted: %d", s)
		}
		s, loc := w.shareMaterial("cso_viewer", "Supplier audit checklist", "checklist.txt", []byte("1. Ask for the list of factories.\n"))
		if s != 303 {
			t.Fatalf("share: %d", s)
		}
		path := strings.TrimSuffix(loc, "?done=shared")
		w.post("cso_viewer", path+"/comments", url.Values{"body": {"Used it in March: <i>works</i>."}}, 303)
		body := w.page("cso_viewer", path)
		for _, want := range []string{"Supplier audit checklist", "&lt;b&gt;forced-labour&lt;/b&gt;", "&lt;i&gt;works&lt;/i&gt;", "members only"} {
			if !strings.Contains(body, want) {
				t.Errorf("member's view lacks %q", want)
			}
		}
		// Nothing of it reaches the portal, its downloads or its feed.
		for _, p := range []string{path, path + "/file"} {
			for _, name := range []string{"", "city_officer"} {
				if s, _, _ := w.do(name, "GET", p, nil); s != 404 {
					t.Errorf("%q reads %s before publication: %d", name, p, s)
				}
			}
		}
		for _, p := range []string{"/lab/materials", "/lab/materials.csv", "/lab/materials.json", "/lab/feed.atom", "/lab/materials?q=checklist"} {
			if _, body, _ := w.do("", "GET", p, nil); strings.Contains(body, "Supplier audit checklist") {
				t.Errorf("%s shows a members-only material", p)
			}
		}
		// An event with the practice it fed, members only too.
		pr := labPractice("Factory lists published with the contract", "contract")
		if err := db.CreatePractice(ctx, store.System, pr, true); err != nil {
			t.Fatal(err)
		}
		w.post("cso_viewer", "/lab/events", url.Values{"title": {"Peer exchange on electronics"}, "kind": {"peer_exchange"}, "starts_on": {"2026-10-01"}, "practices": {"999999"}}, 422)
		// The event form's error summary leads to the event form's own
		// field, not to the material form's title above it.
		if body := w.post("cso_viewer", "/lab/events", url.Values{"kind": {"peer_exchange"}, "starts_on": {"2026-10-01"}}, 422); !strings.Contains(body, `href="#f-etitle"`) || !strings.Contains(body, `id="f-etitle"`) {
			t.Error("the event form's error summary does not link to its title field #f-etitle")
		}
		w.post("cso_viewer", "/lab/events", url.Values{"title": {"Peer exchange on electronics"}, "kind": {"peer_exchange"}, "starts_on": {"2026-10-01"},
			"outcomes": {"Three buyers will ask for factory lists."}, "practices": {fmt.Sprint(pr.ID)}}, 303)
		if _, body, _ := w.do("", "GET", "/lab/events", nil); strings.Contains(body, "Peer exchange on electronics") {
			t.Error("members-only event on the portal")
		}
		// A member who is not a Lab editor cannot publish, nor can the site
		// administrator; the editor can.
		for _, name := range []string{"cso_viewer", "site_admin", "lab_reviewer"} {
			if s, _, _ := w.do(name, "POST", path+"/publish", url.Values{}); s != 403 {
				t.Errorf("%s publishes: %d", name, s)
			}
		}
		w.post("lab_editor", path+"/publish", url.Values{}, 303)
		evs, _ := db.Events(ctx, true)
		w.post("lab_editor", fmt.Sprintf("/lab/events/%d/publish", evs[0].ID), url.Values{}, 303)
		body = w.page("", path)
		if !strings.Contains(body, "Supplier audit checklist") || strings.Contains(body, "works") {
			t.Error("published material: shown without its members' comments?")
		}
		for _, p := range []string{"/lab/materials", "/lab/materials.csv", "/lab/materials.json", "/lab/feed.atom", "/lab/events", "/lab/events.csv"} {
			if _, body, _ := w.do("", "GET", p, nil); !strings.Contains(body, "Supplier audit checklist") && !strings.Contains(body, "Peer exchange on electronics") {
				t.Errorf("%s does not show what was published", p)
			}
		}
		if _, body, _ := w.do("", "GET", fmt.Sprintf("/lab/events/%d", evs[0].ID), nil); !strings.Contains(body, pr.Title) {
			t.Error("the event does not link the practice it fed")
		}
		if s, _, _ := w.do("", "GET", path+"/file", nil); s != 200 {
			t.Errorf("published file: %d", s)
		}
	})
}

// queueDue runs what the mail worker runs each minute.
func queueDue(t *testing.T, db *store.DB) error {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return (&reminders.Writer{I18n: b, BaseURL: "https://lab.example"}).Queue(ctx, db, time.Now())
}

var tokenRe = regexp.MustCompile(`token=([A-Za-z0-9_-]+)`)

func TestLabDigestDoubleOptInAndUnsubscribe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		body := w.post("", "/lab/subscribe", url.Values{"email": {"<script>@x"}}, 422)
		if !strings.Contains(body, "Enter an e-mail address") {
			t.Errorf("bad address:\n%.2000s", body)
		}
		w.post("", "/lab/subscribe", url.Values{"email": {"reader@example.org"}}, 200)
		mails, _ := db.ClaimMail(ctx, 10, time.Minute)
		if len(mails) != 1 || mails[0].To != "reader@example.org" {
			t.Fatalf("confirmation mail: %+v", mails)
		}
		m := tokenRe.FindStringSubmatch(mails[0].Body)
		if m == nil {
			t.Fatalf("no token in %q", mails[0].Body)
		}
		// Unconfirmed: no digest.
		pr := labPractice("Repair scores in award criteria", "tender_design")
		if err := db.CreatePractice(ctx, store.System, pr, true); err != nil {
			t.Fatal(err)
		}
		if err := queueDue(t, db); err != nil {
			t.Fatal(err)
		}
		if mails, _ := db.ClaimMail(ctx, 10, time.Minute); len(mails) != 0 {
			t.Fatalf("digest before confirmation: %+v", mails)
		}
		if body := w.page("", "/lab/subscribe/confirm?token="+m[1]); !strings.Contains(body, "Confirmed") {
			t.Fatalf("confirm:\n%.2000s", body)
		}
		if body := w.page("", "/lab/subscribe/confirm?token=wrong"); !strings.Contains(body, "no longer works") {
			t.Error("a wrong token is not explained")
		}
		if err := queueDue(t, db); err != nil {
			t.Fatal(err)
		}
		mails, _ = db.ClaimMail(ctx, 10, time.Minute)
		if len(mails) != 1 || !strings.Contains(mails[0].Body, "Repair scores in award criteria") || !strings.Contains(mails[0].Body, "https://lab.example/lab/unsubscribe?token=") {
			t.Fatalf("digest: %+v", mails)
		}
		// Not twice in a week.
		queueDue(t, db)
		if again, _ := db.ClaimMail(ctx, 10, time.Minute); len(again) != 0 {
			t.Errorf("second digest in a week: %d", len(again))
		}
		tok := tokenRe.FindStringSubmatch(mails[0].Body)[1]
		// Opening the link (as a mail scanner would) does not unsubscribe.
		w.page("", "/lab/unsubscribe?token="+tok)
		if body := w.post("", "/lab/unsubscribe", url.Values{"token": {tok}}, 200); !strings.Contains(body, "your address is deleted") {
			t.Errorf("unsubscribe:\n%.2000s", body)
		}
		if body := w.post("", "/lab/unsubscribe", url.Values{"token": {tok}}, 200); !strings.Contains(body, "no longer works") {
			t.Error("second unsubscribe")
		}
	})
}

func TestLabReviewerReturnsPracticeAndAuthorEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.post("city_officer", "/lab/propose/practice", url.Values{"lab_title": {"Draft practice"}, "lab_body": {"Org city"}, "lab_jurisdiction": {"PT"},
			"lab_stage": {"contract"}, "lab_hub": {"electronics"}, "lab_what_done": {"Did"}, "lab_what_changed": {"Changed"}, "lab_sources": {"A report"}}, 303)
		drafts, _ := db.DraftPractices(ctx)
		if len(drafts) != 1 {
			t.Fatal(drafts)
		}
		id := fmt.Sprint(drafts[0].ID)
		for _, name := range []string{"city_officer", "city_admin", "site_admin"} {
			if s, _, _ := w.do(name, "POST", "/lab/review/practices/"+id+"/return", url.Values{"note": {"x"}}); s != 403 {
				t.Errorf("%s returns: %d", name, s)
			}
		}
		w.post("lab_reviewer", "/lab/review/practices/"+id+"/return", url.Values{"note": {""}}, 422)
		w.post("lab_reviewer", "/lab/review/practices/"+id+"/return", url.Values{"note": {"Add the evidence: the audit report."}}, 303)
		if drafts, _ := db.DraftPractices(ctx); len(drafts) != 0 {
			t.Error("returned practice still in the queue")
		}
		if s, _, _ := w.do("town_officer", "GET", "/lab/propose/practice?edit="+id, nil); s != 404 {
			t.Errorf("another body edits: %d", s)
		}
		form := w.page("city_officer", "/lab/propose/practice?edit="+id)
		if !strings.Contains(form, `value="Draft practice"`) {
			t.Fatal("edit form not prefilled")
		}
		w.post("city_officer", "/lab/propose/practice", url.Values{"edit": {id}, "lab_title": {"Draft practice"}, "lab_body": {"Org city"}, "lab_jurisdiction": {"PT"},
			"lab_stage": {"contract"}, "lab_hub": {"electronics"}, "lab_what_done": {"Did"}, "lab_what_changed": {"Changed"}, "lab_evidence": {"Audit report 2026"}, "lab_sources": {"A report"}}, 303)
		drafts, _ = db.DraftPractices(ctx)
		if len(drafts) != 1 || drafts[0].Evidence != "Audit report 2026" {
			t.Errorf("edited practice back in the queue: %+v", drafts)
		}
	})
}

// The language a person chooses is the language of their e-mail.
func TestChosenLanguageReachesEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Portal de prestações")
		w.post("city_officer", "/lang", url.Values{"lang": {"pt"}, "next": {"/dashboard"}}, 303)
		if _, err := db.ScheduleReview(ctx, store.ActorOf(w.users["city_officer"]), p, "renewal", model.DateOf(time.Now()).AddDays(3)); err != nil {
			t.Fatal(err)
		}
		if err := queueDue(t, db); err != nil {
			t.Fatal(err)
		}
		ms, _ := db.ClaimMail(ctx, 10, time.Minute)
		if len(ms) != 1 || !strings.HasPrefix(ms[0].Subject, "Prevista para ") || !strings.Contains(ms[0].Subject, "Decisão de renovação de Portal de prestações") {
			t.Fatalf("reminder: %+v", ms)
		}
	})
}
