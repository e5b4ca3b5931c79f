package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/evidence"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/opinion"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// opinionWorld is a city council in the remit of a human rights
// institution, and a data-protection authority whose remit is elsewhere.
type opinionWorld struct {
	db                                  *store.DB
	city, nhri, dpa                     *model.Organisation
	officer, approver, admin, bruno, dp *model.User
	now                                 time.Time
}

func newOpinionWorld(t *testing.T, db *store.DB) *opinionWorld {
	t.Helper()
	w := &opinionWorld{db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return w.now }
	w.city = storetest.Org(t, db, "city", model.OrgPublicBody)
	town := storetest.Org(t, db, "town", model.OrgPublicBody)
	w.nhri = storetest.Org(t, db, "nhri", model.OrgOversight)
	w.dpa = storetest.Org(t, db, "dpa", model.OrgOversight)
	if err := db.SetRemit(ctx, store.System, w.nhri.ID, []int64{w.city.ID}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRemit(ctx, store.System, w.dpa.ID, []int64{town.ID}); err != nil {
		t.Fatal(err)
	}
	w.officer = storetest.User(t, db, w.city, "ana@city.example", model.RoleOfficer)
	w.approver = storetest.User(t, db, w.city, "rui@city.example", model.RoleApprover)
	w.admin = storetest.User(t, db, w.city, "marta@city.example", model.RoleAdmin)
	w.bruno = storetest.User(t, db, w.nhri, "bruno@nhri.example", model.RoleOversight)
	w.dp = storetest.User(t, db, w.dpa, "dp@dpa.example", model.RoleOversight)
	return w
}

// screened makes a purchase of the city screened at level, moved on to stage.
func (w *opinionWorld) screened(t *testing.T, title string, level int, stage model.Stage, techs ...model.Technology) *model.Purchase {
	t.Helper()
	p := &model.Purchase{OrgID: w.city.ID, Title: title, Sector: "social_protection", Technologies: techs, LeadUserID: w.officer.ID}
	if err := w.db.CreatePurchase(ctx, store.ActorOf(w.officer), p); err != nil {
		t.Fatal(err)
	}
	if level > 0 {
		res := screening.Result{Status: screening.StatusComplete, Level: level}
		if err := w.db.SaveScreening(ctx, store.ActorOf(w.officer), p, map[string]any{"essential_service": "yes"}, res); err != nil {
			t.Fatal(err)
		}
	}
	for p.Stage != stage {
		if err := w.db.Transition(ctx, store.ActorOf(w.officer), p, store.Move{To: p.Stage.Next()}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// gate evaluates the opinions gate for p's next move on the world's day.
func (w *opinionWorld) gate(t *testing.T, p *model.Purchase) map[string]lifecycle.Result {
	t.Helper()
	g := &lifecycle.Gates{}
	g.Add(opinion.Gate(w.db))
	res, err := g.Evaluate(ctx, lifecycle.Subject{Purchase: p, From: p.Stage, To: p.Stage.Next(), Today: model.DateOf(w.now)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]lifecycle.Result{}
	for _, r := range res {
		out[r.Rule] = r
	}
	return out
}

func statement(text string) *evidence.Evidence {
	return &evidence.Evidence{Kind: evidence.Statement, Text: text}
}

// The whole life of an opinion at one gate: asked for by a rule, awaited
// (no override passes), recorded as not given when its time runs out (the
// gate opens), followed late by an unfavourable one (the gate shuts again
// until the accountable head decides, in public, to go on), then by one
// with conditions that become requirements met by evidence. Nothing issued
// is ever changed.
func TestOpinionAtTheGate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOpinionWorld(t, db)
		p := w.screened(t, "Fraud scoring", 4, model.StageMarketEngagement, "automated_decisions")
		low := w.screened(t, "Opening hours page", 1, model.StageMarketEngagement, "apps")
		entered := w.now

		// Rules: the NHRI asks for every level IV purchase before tender
		// design; a rule of a body whose remit is elsewhere asks nothing here.
		rule := &opinion.Rule{MinLevel: 4, Before: model.StageTenderDesign, Days: 30}
		if err := db.AddOpinionRule(ctx, store.ActorOf(w.bruno), w.bruno, rule); err != nil {
			t.Fatal(err)
		}
		if err := db.AddOpinionRule(ctx, store.ActorOf(w.dp), w.dp, &opinion.Rule{Before: model.StageTenderDesign, Days: 5}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddOpinionRule(ctx, store.ActorOf(w.officer), w.officer, &opinion.Rule{Before: model.StageAward, Days: 5}); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("a public body set an opinion rule: %v", err)
		}
		if err := db.AddOpinionRule(ctx, store.ActorOf(w.bruno), w.bruno, &opinion.Rule{Before: model.StagePlanning, Days: 0}); err == nil {
			t.Fatal("a rule before the first stage with no time was accepted")
		}
		nhriRule := "opinion:" + fmt.Sprint(w.nhri.ID)
		due := model.DateOf(entered).AddDays(30)

		res := w.gate(t, p)
		if r := res[nhriRule]; r.Passed || !r.Hard || r.Message != "opinion.gate.awaiting" || r.Args[1] != due.String() {
			t.Fatalf("awaited opinion: %+v", r)
		}
		if len(res) != 1 {
			t.Fatalf("only the NHRI is asked here: %+v", res)
		}
		if res := w.gate(t, low); len(res) != 0 {
			t.Fatalf("a level I purchase is held: %+v", res)
		}

		// The day after the time limit, the gate records the silence and opens, once.
		w.now = due.Time().Add(30 * time.Hour)
		for range 2 {
			if r := w.gate(t, p)[nhriRule]; !r.Passed || r.Message != "opinion.gate.not_given" {
				t.Fatalf("opinion not given: %+v", r)
			}
		}
		f, err := db.OpinionFacts(ctx, p)
		if err != nil || len(f.Opinions) != 1 || f.Opinions[0].Verdict != opinion.NotGiven || f.Opinions[0].Due != due {
			t.Fatalf("not given recorded: %+v %v", f.Opinions, err)
		}
		lapse := f.Opinions[0].ID

		// A late opinion still counts for a gate not yet passed.
		bad := &opinion.Opinion{Before: model.StageTenderDesign, Verdict: opinion.Unfavourable,
			Reasons: "Automatic suspension of benefits breaches the right to social security.", References: "ICESCR art. 9\n\nGC 19"}
		if err := db.IssueOpinion(ctx, store.ActorOf(w.bruno), w.bruno, p, bad); err != nil {
			t.Fatal(err)
		}
		if bad.Supersedes != lapse || !bad.Late() || bad.Due != due || len(bad.RefList()) != 2 {
			t.Fatalf("late opinion: %+v", bad)
		}
		if r := w.gate(t, p)[nhriRule]; r.Passed || !r.Hard || r.Message != "opinion.gate.unfavourable" {
			t.Fatalf("unfavourable opinion: %+v", r)
		}

		// Only a designated accountable head decides to go on, with reasons, once.
		const why = "The council has removed automatic suspension; a caseworker decides every payment."
		if _, err := db.DecideToProceed(ctx, store.ActorOf(w.approver), w.approver, p, bad.ID, why); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("an approver not designated decided: %v", err)
		}
		if err := db.DesignateHead(ctx, store.ActorOf(w.admin), w.admin, w.officer.ID, true); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("an officer was made accountable head: %v", err)
		}
		if err := db.DesignateHead(ctx, store.ActorOf(w.approver), w.approver, w.approver.ID, true); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("an approver designated themselves: %v", err)
		}
		if err := db.DesignateHead(ctx, store.ActorOf(w.admin), w.admin, w.bruno.ID, true); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("a person of another body was designated: %v", err)
		}
		if err := db.DesignateHead(ctx, store.ActorOf(w.admin), w.admin, w.approver.ID, true); err != nil {
			t.Fatal(err)
		}
		if ok, _ := db.IsAccountableHead(ctx, w.approver, w.city.ID); !ok {
			t.Fatal("designated approver is not head")
		}
		if _, err := db.DecideToProceed(ctx, store.ActorOf(w.approver), w.approver, p, bad.ID, "Because."); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("a decision without reasons: %v", err)
		}
		if _, err := db.DecideToProceed(ctx, store.ActorOf(w.approver), w.approver, p, lapse, why); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("decided on a record of silence: %v", err)
		}
		d, err := db.DecideToProceed(ctx, store.ActorOf(w.approver), w.approver, p, bad.ID, why)
		if err != nil || d.ByName != "rui@city.example" {
			t.Fatalf("decision: %+v %v", d, err)
		}
		if _, err := db.DecideToProceed(ctx, store.ActorOf(w.approver), w.approver, p, bad.ID, why); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("decided twice: %v", err)
		}
		if r := w.gate(t, p)[nhriRule]; !r.Passed || r.Message != "opinion.gate.proceeded" {
			t.Fatalf("after the decision: %+v", r)
		}
		if ds, err := db.DecisionsAgainst(ctx, w.nhri.ID); err != nil || len(ds) != 1 || ds[0].PurchaseTitle != "Fraud scoring" || ds[0].Before != model.StageTenderDesign || ds[0].BodyName != "Org city" {
			t.Fatalf("decisions against the NHRI: %+v %v", ds, err)
		}
		if ds, _ := db.DecisionsAgainst(ctx, w.dpa.ID); len(ds) != 0 {
			t.Fatalf("decisions against the DPA: %+v", ds)
		}
		ops, decisions, err := db.PublicOpinions(ctx, p.ID)
		if err != nil || len(ops) != 2 || decisions[bad.ID] == nil || decisions[bad.ID].Reasons != why {
			t.Fatalf("public record: %+v %+v %v", ops, decisions, err)
		}

		// A later opinion with conditions takes the place of the unfavourable one.
		good := &opinion.Opinion{Before: model.StageTenderDesign, Verdict: opinion.Conditional,
			Reasons: "Favourable, now that a person decides every payment, on two conditions.",
			Conditions: []opinion.Condition{
				{Text: "The tender requires that no payment is suspended without a caseworker's decision.", Before: model.StageTenderDesign},
				{Text: "  "}, // blank rows are dropped
				{Text: "Error rates by group are published before award.", Before: model.StageTenderDesign},
			}}
		if err := db.IssueOpinion(ctx, store.ActorOf(w.bruno), w.bruno, p, good); err != nil {
			t.Fatal(err)
		}
		if good.Supersedes != bad.ID || len(good.Conditions) != 2 || good.Conditions[1].N != 2 {
			t.Fatalf("conditional opinion: %+v", good)
		}
		c1, c2 := opinion.RequirementID(good.ID, 1), opinion.RequirementID(good.ID, 2)
		res = w.gate(t, p)
		if !res[nhriRule].Passed || res[nhriRule].Message != "opinion.gate.conditional" || res[c1].Passed || res[c2].Passed || res[c1].Hard {
			t.Fatalf("conditions at the gate: %+v", res)
		}
		// A statement meets a condition; an approver's "not applicable" does not.
		if err := db.AddEvidence(ctx, store.ActorOf(w.officer), p, &evidence.Evidence{Requirement: c1, Kind: evidence.Statement,
			Text: "Clause 7.2 of the draft tender forbids suspension without a caseworker's decision."}, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.AddEvidence(ctx, store.ActorOf(w.approver), p, &evidence.Evidence{Requirement: c2, Kind: evidence.NotApplicable,
			Text: "We do not think this applies to us at all."}, nil); err != nil {
			t.Fatal(err)
		}
		res = w.gate(t, p)
		if !res[c1].Passed || res[c1].Message != "opinion.cond.met.statement" || res[c2].Passed {
			t.Fatalf("conditions met by evidence: %+v / %+v", res[c1], res[c2])
		}

		// Issued opinions and decisions stay as issued.
		var id int64
		for _, q := range []string{
			fmt.Sprintf("UPDATE opinions SET reasons = 'changed' WHERE id = %d RETURNING id", good.ID),
			fmt.Sprintf("UPDATE opinion_conditions SET body = 'changed' WHERE opinion_id = %d RETURNING opinion_id", good.ID),
			fmt.Sprintf("UPDATE opinion_decisions SET reasons = 'changed' WHERE id = %d RETURNING id", d.ID),
		} {
			if err := db.QueryRowForTest(q, &id); err == nil || !strings.Contains(err.Error(), "changed") {
				t.Errorf("%s: %v", q, err)
			}
		}

		// No opinion for a gate already passed, nor from a body without the remit.
		late := &opinion.Opinion{Before: model.StageMarketEngagement, Verdict: opinion.Favourable, Reasons: "Fine by us, for the record of it."}
		if err := db.IssueOpinion(ctx, store.ActorOf(w.bruno), w.bruno, p, late); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("opinion for a passed gate: %v", err)
		}
		other := &opinion.Opinion{Before: model.StageAward, Verdict: opinion.Favourable, Reasons: "Not ours to say, but we say it anyway."}
		if err := db.IssueOpinion(ctx, store.ActorOf(w.dp), w.dp, p, other); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("opinion from outside the remit: %v", err)
		}

		// Every step is in the purchase's audit trail.
		entries, err := db.AuditFor(ctx, "purchase", p.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			seen[e.Action]++
		}
		if seen["opinion_issued"] != 2 || seen["opinion_not_given"] != 1 || seen["opinion_decision"] != 1 {
			t.Fatalf("audit: %v", seen)
		}

		// A retired rule asks no more: a new level IV purchase is not held.
		if err := db.RetireOpinionRule(ctx, store.ActorOf(w.bruno), w.bruno, rule.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RetireOpinionRule(ctx, store.ActorOf(w.dp), w.dp, rule.ID); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("another body retired the rule: %v", err)
		}
		q := w.screened(t, "Second scoring", 4, model.StageMarketEngagement)
		if res := w.gate(t, q); len(res) != 0 {
			t.Fatalf("retired rule still asks: %+v", res)
		}
	})
}

// Notes: a note the body keeps to itself is read only by that body, and
// its words never reach the buying body through the audit trail; a comment
// names a part of the assessment that exists.
func TestOversightNotes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOpinionWorld(t, db)
		p := w.screened(t, "Fraud scoring", 4, model.StageMarketEngagement)
		var impact int
		if _, err := db.EditAssessment(ctx, store.ActorOf(w.officer), p, "impact", "", func(d *assessment.Doc) error {
			impact = d.NewID()
			d.Impacts = append(d.Impacts, assessment.Impact{ID: impact, Right: "R-SOCSEC", Group: "Households", Description: "Payments stopped"})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		private := &opinion.Note{Kind: opinion.KindAssessment, Title: "Our own view", Body: "SECRET-WORKING-NOTE on the scoring model."}
		if err := db.AddOversightNote(ctx, store.ActorOf(w.bruno), w.bruno, p, private); err != nil {
			t.Fatal(err)
		}
		comment := &opinion.Note{Kind: opinion.KindNote, Part: opinion.Impact, PartID: impact, Shared: true, Body: "Severity is rated too low."}
		if err := db.AddOversightNote(ctx, store.ActorOf(w.bruno), w.bruno, p, comment); err != nil {
			t.Fatal(err)
		}
		missing := &opinion.Note{Kind: opinion.KindNote, Part: opinion.Mitigation, PartID: 99, Shared: true, Body: "No such mitigation."}
		if err := db.AddOversightNote(ctx, store.ActorOf(w.bruno), w.bruno, p, missing); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("comment on a missing part: %v", err)
		}
		if err := db.AddOversightNote(ctx, store.ActorOf(w.dp), w.dp, p, &opinion.Note{Kind: opinion.KindNote, Body: "x"}); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("note from outside the remit: %v", err)
		}
		mine, _ := db.OversightNotes(ctx, w.bruno, p.ID)
		theirs, _ := db.OversightNotes(ctx, w.officer, p.ID)
		if len(mine) != 2 || len(theirs) != 1 || theirs[0].Part != opinion.Impact || theirs[0].PartID != impact {
			t.Fatalf("notes: mine %+v, theirs %+v", mine, theirs)
		}
		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 100)
		for _, e := range entries {
			if strings.Contains(e.Detail, "SECRET") {
				t.Fatalf("a private note's words in the audit trail: %s", e.Detail)
			}
		}
	})
}
