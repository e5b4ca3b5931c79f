package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"buyright/internal/grievance"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The site administrator reads the schedule with its reasons, is refused
// a period below the minimum with that minimum (in her language, with
// what she typed kept), sets one within bounds; the hourly job then erases
// a closed complaint's name and attachment, and the case says when.
func TestRetentionSchedulePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		s, page, _ := w.do("site_admin", "GET", "/admin/retention", nil)
		for _, want := range []string{"Retention schedule", "Complainants&#39; names and contact details", "GDPR Art. 5(1)(e)",
			"to check for your country", "In force: 1095 days (the catalogue&#39;s default", "Allowed: 90 to 1825 days", `for="f-days-complaint_identity"`} {
			if s != 200 || !strings.Contains(page, want) {
				t.Errorf("schedule page (%d) lacks %q", s, want)
			}
		}
		s, page, _ = w.do("site_admin", "POST", "/admin/retention", url.Values{"kind": {"complaint_identity"}, "days": {"10"}})
		if s != 422 || !strings.Contains(page, "Too short: the minimum is 90 days.") || !strings.Contains(page, `value="10" aria-invalid="true"`) ||
			!strings.Contains(page, `href="#f-days-complaint_identity"`) {
			t.Errorf("below the minimum: %d %s", s, between(page, "<main", "</section>"))
		}
		// In Portuguese the refusal names the minimum too.
		req, _ := http.NewRequest("POST", w.srv.URL+"/admin/retention", strings.NewReader(url.Values{"kind": {"complaint_files"}, "days": {"3"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(w.signIn("site_admin"))
		req.AddCookie(&http.Cookie{Name: "buyright_lang", Value: "pt"})
		resp, err := client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 422 || !strings.Contains(string(b), "Demasiado curto: o mínimo é 365 dias.") {
			t.Errorf("Portuguese refusal: %d", resp.StatusCode)
		}
		for _, bad := range []string{"ninety", "", "1e9", "99999999"} {
			if s, _, _ := w.do("site_admin", "POST", "/admin/retention", url.Values{"kind": {"outbox"}, "days": {bad}}); s != 422 {
				t.Errorf("days %q: %d, want 422", bad, s)
			}
		}
		if s, _, _ := w.do("site_admin", "POST", "/admin/retention", url.Values{"kind": {"audit_log"}, "days": {"30"}}); s != 422 {
			t.Errorf("unknown kind: %d", s)
		}
		if s, _, _ := w.do("site_admin", "POST", "/admin/retention", url.Values{"kind": {"complaint_identity"}, "days": {"120"}}); s != 303 {
			t.Fatalf("within bounds: %d", s)
		}
		_, page, _ = w.do("site_admin", "GET", "/admin/retention", nil)
		if !strings.Contains(page, "In force: 120 days, set by site_admin@test.example") {
			t.Errorf("the setting does not show: %s", between(page, `id="k-complaint_identity"`, "</form>"))
		}

		// A named complaint with an attachment, closed; 121 days later the
		// job erases the name, and 366 days later the attachment.
		s, page = w.complain(url.Values{"body_org": {fmt.Sprint(w.orgs["city"].ID)}, "service": {"Bus passes"},
			"complaint": {"Card refused"}, "identify": {"yes"}, "name": {"Dora Silva"}, "contact": {"dora@example.org"}})
		if s != 200 {
			t.Fatalf("complaint: %d", s)
		}
		_, list, _ := w.do("city_handler", "GET", "/complaints", nil)
		m := regexp.MustCompile(`href="/complaints/(\d+)"`).FindStringSubmatch(list)
		if m == nil {
			t.Fatal("no complaint listed")
		}
		var id int64
		fmt.Sscan(m[1], &id)
		for _, to := range []grievance.Status{grievance.Acknowledged, grievance.Answered, grievance.Closed} {
			c, _ := db.ComplaintByID(ctx, id)
			out := grievance.NotUpheld
			if to == grievance.Acknowledged {
				out = ""
			}
			if err := db.MoveComplaint(ctx, store.ActorOf(w.users["city_handler"]), c, to, out); err != nil {
				t.Fatal(err)
			}
		}
		w.app.Tidy(ctx)
		if c, _ := db.ComplaintByID(ctx, id); c.Identity == nil {
			t.Fatal("the name was erased before its period")
		}
		db.Now = func() time.Time { return time.Now().AddDate(0, 0, 121) }
		w.app.Tidy(ctx)
		delete(w.cookies, "city_handler") // the session ended in those 121 days
		_, page, _ = w.do("city_handler", "GET", "/complaints/"+m[1], nil)
		erased := "Name and contact erased on " + time.Now().AddDate(0, 0, 121).UTC().Format("2006-01-02") + " under the retention schedule"
		if !strings.Contains(page, erased) || strings.Contains(page, "Anonymous") {
			t.Errorf("the case does not say the name was erased: %s", between(page, "<dl", "</dl>"))
		}
		if _, page, _ = w.do("city_handler", "POST", "/complaints/"+m[1]+"/identity", url.Values{}); strings.Contains(page, "Dora") {
			t.Error("the name can still be read")
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit verify after the job: %v", err)
		}
	})
}

// between returns the part of s from the first a to the next b, for
// short failure messages.
func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return s[:min(len(s), 300)]
	}
	j := strings.Index(s[i:], b)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(b)]
}
