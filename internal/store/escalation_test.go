package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// escalationWorld is a body, an oversight body with it in its remit, one
// without, and their people.
type escalationWorld struct {
	db                       *store.DB
	city, town               *model.Organisation
	officer, townOfficer     *model.User
	oversight, viewer, other *model.User
	nhri                     *model.Organisation
}

func newEscalationWorld(t *testing.T, db *store.DB) *escalationWorld {
	w := &escalationWorld{db: db}
	w.city = storetest.Org(t, db, "city", model.OrgPublicBody)
	w.town = storetest.Org(t, db, "town", model.OrgPublicBody)
	w.nhri = storetest.Org(t, db, "nhri", model.OrgOversight)
	dpa := storetest.Org(t, db, "dpa", model.OrgOversight)
	if err := db.SetRemit(ctx, store.System, w.nhri.ID, []int64{w.city.ID}); err != nil {
		t.Fatal(err)
	}
	w.officer = storetest.User(t, db, w.city, "ana@city.example", model.RoleOfficer)
	w.townOfficer = storetest.User(t, db, w.town, "rui@town.example", model.RoleOfficer)
	w.oversight = storetest.User(t, db, w.nhri, "bruno@nhri.example", model.RoleOversight)
	w.viewer = storetest.User(t, db, w.nhri, "vera@nhri.example", model.RoleViewer)
	w.other = storetest.User(t, db, dpa, "dora@dpa.example", model.RoleOversight)
	return w
}

// file files a complaint with the store's clock set back by days.
func (w *escalationWorld) file(t *testing.T, org *model.Organisation, daysAgo int) *store.Complaint {
	t.Helper()
	clock := w.db.Now
	w.db.Now = func() time.Time { return time.Now().AddDate(0, 0, -daysAgo) }
	defer func() { w.db.Now = clock }()
	c := &store.Complaint{OrgID: org.ID, Body: "My benefit was cut.", Lookup: "123456", CodeHash: "x"}
	if err := w.db.CreateComplaint(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *escalationWorld) reload(t *testing.T, c *store.Complaint) *store.Complaint {
	t.Helper()
	got, err := w.db.ComplaintByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func fieldErr(t *testing.T, err error, field, key string) {
	t.Helper()
	var e *model.Error
	if err == nil || !errors.As(err, &e) || e.Fields[field] != key {
		t.Fatalf("want %s: %s, got %v", field, key, err)
	}
}

// The person escalates when the body's time limit has passed (not before,
// and not with no oversight body to go to), with a reason the audit does
// not copy; the body owes its account within 14 days; the body cannot
// close the case before the oversight body decides; the body answers once;
// only an oversight body with the body in its remit decides, once; then
// the body may close it.
func TestEscalationByComplainant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newEscalationWorld(t, db)
		fresh := w.file(t, w.city, 0)
		fieldErr(t, db.EscalateByComplainant(ctx, fresh, grievance.GroundTimeLimit, "They never answered."), "ground", "escalation.err.ground_time_limit")
		fieldErr(t, db.EscalateByComplainant(ctx, fresh, grievance.GroundDissatisfied, "Bad answer."), "ground", "escalation.err.ground_dissatisfied")
		fieldErr(t, db.EscalateByComplainant(ctx, fresh, "whatever", "x"), "ground", "invalid.choice")

		late := w.file(t, w.city, 40) // answer due 30 days after filing: 10 days late
		fieldErr(t, db.EscalateByComplainant(ctx, late, grievance.GroundTimeLimit, "   "), "reason", "invalid.required")
		townLate := w.file(t, w.town, 40)
		fieldErr(t, db.EscalateByComplainant(ctx, townLate, grievance.GroundTimeLimit, "No answer."), "ground", "escalation.err.no_overseer")

		reason := "Forty days and no answer; my payments are still stopped."
		if err := db.EscalateByComplainant(ctx, late, grievance.GroundTimeLimit, reason); err != nil {
			t.Fatal(err)
		}
		c := w.reload(t, late)
		if c.Status != grievance.Escalated || c.EscalatedAt == nil {
			t.Fatalf("after escalation: %+v", c)
		}
		e, err := db.Escalation(ctx, c.ID)
		today := model.DateOf(time.Now())
		if err != nil || e == nil || e.RaisedBy != grievance.ByComplainant || e.Ground != grievance.GroundTimeLimit || e.Reason != reason ||
			e.AnswerDue.String() != today.AddDays(grievance.EscalationAnswerDays).String() || e.Decided() || e.Overdue(today) {
			t.Fatalf("escalation: %+v %v", e, err)
		}
		fieldErr(t, db.EscalateByComplainant(ctx, c, grievance.GroundTimeLimit, "Again."), "ground", "escalation.err.already")
		entries, _ := db.AuditFor(ctx, "complaint", c.ID, 10)
		if len(entries) == 0 || entries[0].Action != "escalated" || strings.Contains(entries[0].Detail, "payments") || !strings.Contains(entries[0].Detail, "time_limit") {
			t.Fatalf("audit: %+v", entries)
		}

		// Who sees it, and who must act.
		if _, err := db.ComplaintFor(ctx, w.oversight, c.ID); err != nil {
			t.Errorf("the oversight body does not see the escalated case: %v", err)
		}
		if _, err := db.ComplaintFor(ctx, w.other, c.ID); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("an oversight body without remit sees it: %v", err)
		}
		if items, _ := db.EscalationsFor(ctx, w.oversight, 10); len(items) != 1 || items[0].ComplaintID != c.ID || items[0].OrgName != "Org city" {
			t.Errorf("oversight list: %+v", items)
		}
		if items, _ := db.EscalationsFor(ctx, w.other, 10); len(items) != 0 {
			t.Errorf("an oversight body without remit lists it: %+v", items)
		}
		if items, _ := db.EscalationsFor(ctx, w.officer, 10); len(items) != 1 {
			t.Errorf("the body does not list it as awaiting its account: %+v", items)
		}
		if items, _ := db.EscalationsFor(ctx, w.townOfficer, 10); len(items) != 0 {
			t.Errorf("another body lists it: %+v", items)
		}

		a := store.ActorOf(w.officer)
		fieldErr(t, db.MoveComplaint(ctx, a, c, grievance.Closed, grievance.NotUpheld), "status", "escalation.err.close_undecided")
		fieldErr(t, db.AnswerEscalation(ctx, a, c, ""), "body_answer", "invalid.required")
		if err := db.AnswerEscalation(ctx, a, c, "We restored the payments on 2 December and apologised."); err != nil {
			t.Fatal(err)
		}
		fieldErr(t, db.AnswerEscalation(ctx, a, c, "Again"), "body_answer", "escalation.err.answered")
		if items, _ := db.EscalationsFor(ctx, w.officer, 10); len(items) != 0 {
			t.Errorf("answered, still awaiting the body: %+v", items)
		}

		for _, u := range []*model.User{w.viewer, w.other, w.officer} {
			if err := db.DecideEscalation(ctx, store.ActorOf(u), u, c, store.EscalationDecision{Decision: grievance.DecisionUpheld, Text: "x", Public: "x"}); model.ErrorCode(err) != model.EForbidden {
				t.Errorf("%s decides: %v", u.Email, err)
			}
		}
		fieldErr(t, db.DecideEscalation(ctx, store.ActorOf(w.oversight), w.oversight, c, store.EscalationDecision{Decision: "maybe", Text: "x", Public: "x"}), "decision", "invalid.choice")
		if err := db.DecideEscalation(ctx, store.ActorOf(w.oversight), w.oversight, c, store.EscalationDecision{Decision: grievance.DecisionUpheld,
			Text: "The body missed its own time limit by ten days.", Public: "The city answered a complaint ten days after its own time limit; it must answer on time."}); err != nil {
			t.Fatal(err)
		}
		fieldErr(t, db.DecideEscalation(ctx, store.ActorOf(w.oversight), w.oversight, c, store.EscalationDecision{Decision: grievance.DecisionNotUpheld, Text: "Changed my mind", Public: "Changed"}), "decision", "escalation.err.decided")
		e, _ = db.Escalation(ctx, c.ID)
		if !e.Decided() || e.Decision != grievance.DecisionUpheld || e.DecidedOrg != "Org nhri" || e.DecidedBy != "bruno@nhri.example" || e.BodyAnsweredAt == nil || e.BodyAnsweredBy != "ana@city.example" {
			t.Fatalf("decided: %+v", e)
		}
		if err := db.MoveComplaint(ctx, a, c, grievance.Closed, grievance.Upheld); err != nil {
			t.Fatalf("closing after the decision: %v", err)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// Dissatisfied with an answer, even of a closed case: the case is opened
// again as escalated. A body's own referral is recorded the same way.
func TestEscalationDissatisfiedAndReferred(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newEscalationWorld(t, db)
		a := store.ActorOf(w.officer)
		c := w.file(t, w.city, 0)
		if err := db.MoveComplaint(ctx, a, c, grievance.Answered, grievance.NotUpheld); err != nil {
			t.Fatal(err)
		}
		c = w.reload(t, c)
		if err := db.MoveComplaint(ctx, a, c, grievance.Closed, ""); err != nil {
			t.Fatal(err)
		}
		c = w.reload(t, c)
		fieldErr(t, db.EscalateByComplainant(ctx, c, grievance.GroundTimeLimit, "No."), "ground", "escalation.err.ground_time_limit")
		if err := db.EscalateByComplainant(ctx, c, grievance.GroundDissatisfied, "The answer ignores what I wrote."); err != nil {
			t.Fatal(err)
		}
		if c = w.reload(t, c); c.Status != grievance.Escalated {
			t.Fatalf("status %s", c.Status)
		}

		r := w.file(t, w.city, 0)
		if err := db.MoveComplaint(ctx, a, r, grievance.Escalated, ""); err != nil {
			t.Fatal(err)
		}
		e, err := db.Escalation(ctx, r.ID)
		if err != nil || e == nil || e.RaisedBy != grievance.ByBody || e.Ground != grievance.GroundReferred || e.Reason != "" {
			t.Fatalf("referral: %+v %v", e, err)
		}
		// Moving it on and back keeps one escalation.
		r = w.reload(t, r)
		if err := db.MoveComplaint(ctx, a, r, grievance.Answered, grievance.PartlyUpheld); err != nil {
			t.Fatal(err)
		}
		r = w.reload(t, r)
		if err := db.MoveComplaint(ctx, a, r, grievance.Escalated, ""); err != nil {
			t.Fatal(err)
		}
		// A body whose remit no oversight body holds cannot refer.
		tc := w.file(t, w.town, 0)
		fieldErr(t, db.MoveComplaint(ctx, store.ActorOf(w.townOfficer), tc, grievance.Escalated, ""), "ground", "escalation.err.no_overseer")
	})
}

// The body's administrators and officers are reminded of its account to
// the oversight body three days before it is due, and again when late.
func TestEscalationReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newEscalationWorld(t, db)
		c := w.file(t, w.city, 40)
		if err := db.EscalateByComplainant(ctx, c, grievance.GroundTimeLimit, "No answer."); err != nil {
			t.Fatal(err)
		}
		kinds := func(day time.Time) []string {
			rs, err := db.DueReminders(ctx, day)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rs {
				if strings.HasPrefix(r.Kind, "escalation") && r.ObjectID == c.ID {
					out = append(out, r.Kind+" "+r.To)
				}
			}
			return out
		}
		if got := kinds(time.Now()); len(got) != 0 {
			t.Errorf("reminded 14 days early: %v", got)
		}
		if got := kinds(time.Now().AddDate(0, 0, 12)); len(got) != 1 || got[0] != "escalation_soon ana@city.example" {
			t.Errorf("three days before: %v", got)
		}
		if got := kinds(time.Now().AddDate(0, 0, 16)); len(got) != 1 || got[0] != "escalation_overdue ana@city.example" {
			t.Errorf("late: %v", got)
		}
		if err := db.AnswerEscalation(ctx, store.ActorOf(w.officer), c, "Our account."); err != nil {
			t.Fatal(err)
		}
		if got := kinds(time.Now().AddDate(0, 0, 16)); len(got) != 0 {
			t.Errorf("reminded after answering: %v", got)
		}
	})
}

// A decision upholding a complaint about a purchase opens a task to put it
// right and, where it says so, re-opens the assessment as a new draft; its
// public version is listed with the purchase, and a decision that refers
// the case elsewhere sets nothing in motion. A decision needs its public
// version, and re-opening needs a purchase.
func TestEscalationDecisionEffects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newEscalationWorld(t, db)
		p := storetest.Purchase(t, db, w.officer, "Fraud scoring")
		escalate := func(purchase int64) *store.Complaint {
			clock := db.Now
			db.Now = func() time.Time { return time.Now().AddDate(0, 0, -40) }
			c := &store.Complaint{OrgID: w.city.ID, PurchaseID: purchase, Body: "My payment was stopped.", Lookup: "654321", CodeHash: "x"}
			err := db.CreateComplaint(ctx, c, nil)
			db.Now = clock
			if err != nil {
				t.Fatal(err)
			}
			c = w.reload(t, c)
			if err := db.EscalateByComplainant(ctx, c, grievance.GroundTimeLimit, "No answer after forty days."); err != nil {
				t.Fatal(err)
			}
			return w.reload(t, c)
		}
		c := escalate(p.ID)
		a := store.ActorOf(w.oversight)
		fieldErr(t, db.DecideEscalation(ctx, a, w.oversight, c, store.EscalationDecision{Decision: grievance.DecisionUpheld, Text: "Upheld."}), "decision_public", "invalid.required")
		if err := db.DecideEscalation(ctx, a, w.oversight, c, store.EscalationDecision{Decision: grievance.DecisionUpheld,
			Text: "The city stopped the payment without a letter.", Public: "A payment was stopped without a letter; the city must write before any stop.", Reopen: true}); err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		tasks, _ := db.PurchaseTasks(ctx, p.ID)
		for _, x := range tasks {
			kinds[x.Kind]++
		}
		if kinds["complaint_decision"] != 1 || kinds["reassess"] != 1 {
			t.Fatalf("tasks after an upheld decision: %v", kinds)
		}
		if v, err := db.Assessment(ctx, p.ID); err != nil || v == nil || v.Signed() {
			t.Fatalf("assessment not re-opened as a draft: %+v %v", v, err)
		}
		pub, err := db.PublicDecisions(ctx, p.ID)
		if err != nil || len(pub) != 1 || !strings.Contains(pub[0].Text, "must write before any stop") || strings.Contains(pub[0].Text, "without a letter.") && pub[0].Decision != grievance.DecisionUpheld {
			t.Fatalf("public decisions: %+v %v", pub, err)
		}
		// Referred elsewhere: nothing opens.
		c2 := escalate(p.ID)
		if err := db.DecideEscalation(ctx, a, w.oversight, c2, store.EscalationDecision{Decision: grievance.DecisionReferred,
			Text: "The data-protection authority is competent.", Public: "Referred to the data-protection authority."}); err != nil {
			t.Fatal(err)
		}
		if tasks2, _ := db.PurchaseTasks(ctx, p.ID); len(tasks2) != len(tasks) {
			t.Fatalf("a referral opened tasks: %d -> %d", len(tasks), len(tasks2))
		}
		// No purchase, nothing to re-open.
		c3 := escalate(0)
		fieldErr(t, db.DecideEscalation(ctx, a, w.oversight, c3, store.EscalationDecision{Decision: grievance.DecisionUpheld, Text: "x", Public: "y", Reopen: true}), "reopen", "escalation.err.no_purchase")
	})
}
