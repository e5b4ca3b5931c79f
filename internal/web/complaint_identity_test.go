package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A complainant's name and contact are read only by the body's complaints
// handler, and by the oversight staff once the complaint is escalated to
// them; nobody sees them just by opening the case, and every reading is in
// the audit log. Officers, assessors, approvers and administrators work the
// case without them.
func TestComplainantIdentityOnlyForHandler(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		s, page := w.complain(url.Values{"body_org": {fmt.Sprint(w.orgs["city"].ID)}, "service": {"Bus passes"},
			"complaint": {"Card refused"}, "identify": {"yes"}, "name": {"Dora Silva"}, "contact": {"dora@example.org"}})
		if s != 200 {
			t.Fatalf("named complaint: %d %.300s", s, page)
		}
		_, list, _ := w.do("city_handler", "GET", "/complaints", nil)
		m := regexp.MustCompile(`href="/complaints/(\d+)"`).FindStringSubmatch(list)
		if m == nil {
			t.Fatal("the complaints handler does not see the complaint")
		}
		id := m[1]
		reveal := "/complaints/" + id + "/identity"
		readings := func() int {
			var n int
			if err := db.QueryRowForTest("SELECT COUNT(*) FROM audit_log WHERE object_type = 'complaint' AND object_id = "+id+" AND action = 'read_identity'", &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, name := range everyone {
			s, page, _ := w.do(name, "GET", "/complaints/"+id, nil)
			if strings.Contains(page, "Dora") || strings.Contains(page, "dora@example.org") {
				t.Errorf("%s sees the complainant by opening the case (%d)", name, s)
			}
			s, page, _ = w.do(name, "POST", reveal, url.Values{})
			switch {
			case name == "city_handler":
				if s != 200 || !strings.Contains(page, "Dora Silva") || !strings.Contains(page, "dora@example.org") {
					t.Errorf("the complaints handler cannot read the complainant: %d", s)
				}
			case slices.Contains([]string{"city_admin", "city_officer", "city_assessor", "city_approver"}, name):
				if s != 403 || strings.Contains(page, "Dora") {
					t.Errorf("%s asking for the complainant: %d, want 403", name, s)
				}
			default: // cannot see the case at all before escalation
				if s != 404 || strings.Contains(page, "Dora") {
					t.Errorf("%s asking for the complainant: %d, want 404", name, s)
				}
			}
		}
		if n := readings(); n != 1 {
			t.Fatalf("%d readings in the audit log, want 1", n)
		}
		w.do("city_handler", "POST", reveal, url.Values{})
		if n := readings(); n != 2 {
			t.Fatalf("a second reading is not logged: %d", n)
		}
		// The page offers the handler, and only the handler, a way to read it.
		_, handlerPage, _ := w.do("city_handler", "GET", "/complaints/"+id, nil)
		_, officerPage, _ := w.do("city_officer", "GET", "/complaints/"+id, nil)
		if !strings.Contains(handlerPage, `action="`+reveal+`"`) || strings.Contains(officerPage, `action="`+reveal+`"`) {
			t.Error("the button to read the complainant is shown to the wrong people")
		}

		// After escalation, the oversight body's staff read it too; its
		// viewer and another oversight body do not.
		if s, _, _ := w.do("city_officer", "POST", "/complaints/"+id+"/status", url.Values{"status": {"escalated"}}); s != 303 {
			t.Fatalf("escalate: %d", s)
		}
		if s, page, _ := w.do("nhri_oversight", "POST", reveal, url.Values{}); s != 200 || !strings.Contains(page, "Dora Silva") {
			t.Fatalf("oversight after escalation: %d", s)
		}
		for _, name := range []string{"nhri_viewer", "dpa_oversight", "city_officer"} {
			if s, page, _ := w.do(name, "POST", reveal, url.Values{}); s < 400 || strings.Contains(page, "Dora") {
				t.Errorf("%s after escalation: %d", name, s)
			}
		}
		if n := readings(); n != 3 {
			t.Fatalf("%d readings in the audit log, want 3", n)
		}
		var who string
		if err := db.QueryRowForTest("SELECT actor FROM audit_log WHERE object_type = 'complaint' AND object_id = "+id+" AND action = 'read_identity' ORDER BY id DESC LIMIT 1", &who); err != nil || who != "nhri_oversight@test.example" {
			t.Fatalf("the last reading is logged as %q (%v)", who, err)
		}
	})
}
