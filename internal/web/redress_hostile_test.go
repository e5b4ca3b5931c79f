package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Every hostile string as the person's reason for escalating, the body's
// account and the oversight body's decision comes back as text on the
// body's and the oversight body's case pages, the oversight workspace and
// the person's own page; as a continuation's legal basis and reason, on
// the sunset page and the public register entry.
func TestRedressShowsHostileStringsAsText(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	raw := []string{"<script>alert", "<img src=x", "<svg/onload", "<iframe", `" autofocus onfocus`}
	check := func(name, where, body, value string) {
		t.Helper()
		for _, bad := range raw {
			if strings.Contains(value, strings.TrimPrefix(bad, `" `)) && strings.Contains(body, bad) {
				t.Errorf("%s: %s contains raw %q", name, where, bad)
			}
		}
	}
	accepted := 0
	for _, h := range hostileStrings(t) {
		clock := db.Now
		db.Now = func() time.Time { return time.Now().AddDate(0, 0, -40) }
		c := &store.Complaint{OrgID: w.orgs["city"].ID, Body: "Complaint", Lookup: "123456", CodeHash: "x"}
		err := db.CreateComplaint(ctx, c, nil)
		db.Now = clock
		if err != nil {
			t.Fatal(err)
		}
		if err := db.EscalateByComplainant(ctx, c, grievance.GroundTimeLimit, "Reason "+h.Value); err != nil {
			if model.ErrorCode(err) != model.EInvalid {
				t.Fatalf("%s: %v", h.Name, err)
			}
			continue
		}
		accepted++
		path := fmt.Sprintf("/complaints/%d", c.ID)
		if s, _, _ := w.do("city_officer", "POST", path+"/escalation/answer", url.Values{"body_answer": {"Account " + h.Value}}); s != 303 && s != 422 {
			t.Errorf("%s: account status %d", h.Name, s)
		}
		if s, _, _ := w.do("nhri_oversight", "POST", path+"/escalation/decision", url.Values{"decision": {"upheld"}, "decision_text": {"Decision " + h.Value}, "decision_public": {"Public " + h.Value}}); s != 303 && s != 422 {
			t.Errorf("%s: decision status %d", h.Name, s)
		}
		check(h.Name, "the body's case page", w.page("city_officer", path), h.Value)
		check(h.Name, "the oversight body's case page", w.page("nhri_oversight", path), h.Value)
	}
	if accepted < 10 {
		t.Fatalf("only %d hostile reasons accepted: the test proves little", accepted)
	}
	t.Logf("%d hostile reasons accepted", accepted)
	all := strings.Join(raw, "")
	check("all", "the oversight workspace", w.page("nhri_oversight", "/oversight"), all)
	check("all", "the body's dashboard", w.page("city_officer", "/dashboard"), all)

	// The person's own page, with the code, for one of them.
	code, _ := w.fileLate("city", "Late", 40)
	s, body := w.follow(code, url.Values{"action": {"escalate"}, "ground": {"time_limit"}, "reason": {`<script>alert(1)</script><img src=x onerror=alert(2)>`}})
	if s != 200 {
		t.Fatalf("escalate: %d", s)
	}
	check("script", "the person's page", body, "<script>alert<img src=x")

	// A continuation's words, on the sunset page and the register entry.
	p := w.pastSunset("Emergency measure")
	w.screen(p, portal)
	hostile := `Decree <script>alert(3)</script> " autofocus onfocus=alert(4) x="`
	w.post("city_approver", fmt.Sprintf("/purchases/%d/emergency", p.ID), url.Values{"legal_basis": {hostile},
		"new_sunset": {model.DateOf(time.Now()).AddDays(20).String()}, "reason": {"Why <img src=x onerror=alert(5)>"}}, 303)
	check("continuation", "the sunset page", w.page("city_officer", fmt.Sprintf("/purchases/%d/emergency", p.ID)), hostile+"<img src=x")
	check("continuation", "the register entry", w.page("", fmt.Sprintf("/register/%d", p.ID)), hostile+"<img src=x")
}
