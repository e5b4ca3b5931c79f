package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// fileLate files a complaint through the public form as if daysAgo days
// ago, and returns its receipt code and number.
func (w *world) fileLate(org, text string, daysAgo int) (code, id string) {
	w.t.Helper()
	clock := w.db.Now
	w.db.Now = func() time.Time { return time.Now().AddDate(0, 0, -daysAgo) }
	s, body := w.complain(url.Values{"body_org": {fmt.Sprint(w.orgs[org].ID)}, "service": {"Housing benefit"}, "complaint": {text}, "identify": {"no"}})
	w.db.Now = clock
	m := codeRE.FindStringSubmatch(body)
	if s != 200 || m == nil {
		w.t.Fatalf("file complaint: %d %.500s", s, body)
	}
	cs, err := w.db.ComplaintsFor(ctx, w.users[org+"_officer"], "", 100)
	if err != nil || len(cs) == 0 {
		w.t.Fatalf("complaints: %v", err)
	}
	return m[1], fmt.Sprint(cs[len(cs)-1].ID)
}

func (w *world) follow(code string, form url.Values) (int, string) {
	w.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("code", code)
	s, body, _ := w.do("", "POST", "/complaints/follow", form)
	return s, body
}

// Dora's complaint goes unanswered past the body's time limit. With her
// receipt code, and no account, she asks the oversight body to look at it
// and says why; the body sees that it owes the oversight body its account
// by a date (also on its dashboard) and cannot close the case; the
// oversight body sees it in its workspace, reads the account and records
// its decision; Dora reads the decision with her code, not the body's
// account; nobody else sees any of it.
func TestComplainantEscalatesAndReadsTheDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		code, id := w.fileLate("city", "My housing benefit stopped without a letter.", 40)

		s, body := w.follow(code, nil)
		for _, want := range []string{"ask the oversight body (Org nhri)", "The body did not answer within its published time limit", `name="action" value="escalate"`} {
			if s != 200 || !strings.Contains(body, want) {
				t.Errorf("Dora's case page lacks %q", want)
			}
		}
		if strings.Contains(body, "I am not satisfied with the body") {
			t.Error("offered to be dissatisfied with an answer that does not exist")
		}

		// Refused: no reason, or a ground that does not hold; what she typed stays.
		s, body = w.follow(code, url.Values{"action": {"escalate"}, "ground": {"time_limit"}, "reason": {""}})
		if s != 422 || !strings.Contains(body, `href="#f-reason"`) {
			t.Errorf("escalation without a reason: %d", s)
		}
		s, body = w.follow(code, url.Values{"action": {"escalate"}, "ground": {"dissatisfied"}, "reason": {"Kept text"}})
		if s != 422 || !strings.Contains(body, "The body has not answered yet") || !strings.Contains(body, "Kept text") {
			t.Errorf("escalation on a ground that does not hold: %d", s)
		}

		reason := `Forty days and no answer. <script>alert("x")</script>`
		s, body = w.follow(code, url.Values{"action": {"escalate"}, "ground": {"time_limit"}, "reason": {reason}})
		due := time.Now().AddDate(0, 0, 14).UTC().Format("2006-01-02")
		for _, want := range []string{"Your complaint is with the oversight body", "the body&#39;s time limit passed without an answer", "Forty days and no answer. &lt;script&gt;", due, "not given yet", "awaiting decision", "Escalated to the oversight body"} {
			if s != 200 || !strings.Contains(body, want) {
				t.Errorf("after escalating, Dora's page lacks %q (%d)", want, s)
			}
		}
		if strings.Contains(body, `<script>alert("x")`) || strings.Contains(body, `value="escalate"`) {
			t.Error("hostile reason shown as markup, or the form offered again")
		}

		// The body: the case, its account due, the dashboard; it cannot close.
		body = w.page("city_officer", "/complaints/"+id)
		for _, want := range []string{"by the person who complained", "Forty days and no answer.", due, `action="/complaints/` + id + `/escalation/answer"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the body's case page lacks %q", want)
			}
		}
		if strings.Contains(body, "/escalation/decision") {
			t.Error("the body is offered the oversight body's decision")
		}
		if body := w.page("city_officer", "/dashboard"); !strings.Contains(body, "escalated: give the oversight body your account by "+due) {
			t.Error("the body's dashboard does not remind it of its account")
		}
		body = w.post("city_officer", "/complaints/"+id+"/status", url.Values{"status": {"closed"}, "outcome": {"not_upheld"}}, 422)
		if !strings.Contains(body, "can be closed once the decision is recorded") {
			t.Error("closing an undecided case is not explained")
		}

		// The oversight body: workspace row, no decision yet, then the account.
		body = w.page("nhri_oversight", "/oversight")
		if !strings.Contains(body, `href="/complaints/`+id+`#escalation"`) || !strings.Contains(body, "due "+due) || !strings.Contains(body, "awaiting decision") {
			t.Errorf("the oversight workspace does not list the escalation:\n%s", body[strings.Index(body, "ov-compl"):][:1500])
		}
		for who, want := range map[string]int{"dpa_oversight": 404, "town_officer": 404, "vendor_supplier": 404, "city_viewer": 404} {
			if s, _, _ := w.do(who, "GET", "/complaints/"+id, nil); s != want {
				t.Errorf("%s opens the case: %d", who, s)
			}
		}
		w.post("city_officer", "/complaints/"+id+"/escalation/answer", url.Values{"body_answer": {"Payments restored on 2 December; the letter was never sent, which we regret."}}, 303)
		body = w.page("nhri_oversight", "/complaints/"+id)
		if !strings.Contains(body, "Payments restored on 2 December") || !strings.Contains(body, `action="/complaints/`+id+`/escalation/decision"`) {
			t.Error("the oversight body does not read the account or cannot decide")
		}
		if s, _, _ := w.do("nhri_viewer", "POST", "/complaints/"+id+"/escalation/decision", url.Values{"decision": {"upheld"}, "decision_text": {"x"}}); s != 404 && s != 403 {
			t.Errorf("a viewer records a decision: %d", s)
		}
		if s, _, _ := w.do("city_officer", "POST", "/complaints/"+id+"/escalation/decision", url.Values{"decision": {"not_upheld"}, "decision_text": {"x"}}); s != 403 {
			t.Errorf("the body records the oversight body's decision: %d", s)
		}
		body = w.post("nhri_oversight", "/complaints/"+id+"/escalation/decision", url.Values{"decision": {""}, "decision_text": {"Typed reasons"}}, 422)
		if !strings.Contains(body, "Typed reasons") {
			t.Error("a refused decision loses what was typed")
		}
		w.post("nhri_oversight", "/complaints/"+id+"/escalation/decision", url.Values{"decision": {"upheld"},
			"decision_text":   {"The body missed its own time limit by ten days and stopped payments without a letter. It must write to every person affected."},
			"decision_public": {"A body stopped payments without a letter and answered late; it must write to every person affected."}}, 303)

		// Dora reads the decision with her code, not the body's account.
		s, body = w.follow(code, nil)
		for _, want := range []string{"Upheld", "Org nhri", "It must write to every person affected.", "given on"} {
			if s != 200 || !strings.Contains(body, want) {
				t.Errorf("Dora's page lacks %q", want)
			}
		}
		if strings.Contains(body, "Payments restored on 2 December") {
			t.Error("the body's account to the oversight body is shown to the complainant")
		}
		// Now the body may close it.
		w.post("city_officer", "/complaints/"+id+"/status", url.Values{"status": {"closed"}, "outcome": {"upheld"}}, 303)
	})
}

// Answered, Dora is not satisfied: she escalates on that ground. A body
// no oversight body oversees offers no escalation, and says why.
func TestComplainantDissatisfiedAndNoOverseer(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	code, id := w.fileLate("city", "Wrong decision on my claim.", 0)
	if _, body := w.follow(code, nil); !strings.Contains(body, "If the body has not answered by") || strings.Contains(body, `value="escalate"`) {
		t.Error("escalation offered before any ground holds")
	}
	w.post("city_officer", "/complaints/"+id+"/status", url.Values{"status": {"answered"}, "outcome": {"not_upheld"}}, 303)
	_, body := w.follow(code, nil)
	if !strings.Contains(body, "I am not satisfied with the body") || strings.Contains(body, "did not answer within its published time limit") {
		t.Fatal("the dissatisfied ground is not the one offered")
	}
	s, body := w.follow(code, url.Values{"action": {"escalate"}, "ground": {"dissatisfied"}, "reason": {"The answer ignores the letter I attached."}})
	if s != 200 || !strings.Contains(body, "dissatisfied with the body&#39;s answer") {
		t.Fatalf("dissatisfied escalation: %d", s)
	}

	townCode, _ := w.fileLate("town", "Nobody answers.", 40)
	_, body = w.follow(townCode, nil)
	if !strings.Contains(body, "No oversight body has this public body in its remit") || strings.Contains(body, `value="escalate"`) {
		t.Error("escalation offered with no oversight body to go to")
	}
	s, _ = w.follow(townCode, url.Values{"action": {"escalate"}, "ground": {"time_limit"}, "reason": {"Please"}})
	if s != 422 {
		t.Errorf("escalating with no oversight body: %d", s)
	}
	if n := len(regexp.MustCompile(`value="escalate"`).FindAllString(body, -1)); n != 0 {
		t.Errorf("%d escalation forms", n)
	}
}
