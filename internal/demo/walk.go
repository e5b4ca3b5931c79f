package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/evidence"
	"buyright/internal/gates"
	"buyright/internal/i18n"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
)

// env is what the demo needs while it walks purchases through their
// stages: the database, its organisations and people, the catalogue, and
// the same gates the web pages use, so that nothing in the demo passed a
// gate a person could not have passed.
type env struct {
	ctx    context.Context
	db     *store.DB
	orgs   map[string]*model.Organisation
	people map[string]*model.User
	set    *catalog.Set
	q      *screening.Questionnaire
	gates  *lifecycle.Gates
	en     *i18n.Catalog
}

func newEnv(ctx context.Context, db *store.DB, orgs map[string]*model.Organisation, people map[string]*model.User) (*env, error) {
	set, err := catalog.Load("")
	if err != nil {
		return nil, err
	}
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	return &env{ctx: ctx, db: db, orgs: orgs, people: people, set: set, q: screening.New(set),
		gates: gates.All(db, func() *catalog.Set { return set }), en: bundle.Catalog("en")}, nil
}

// purchaseSpec is one demo purchase and how it got where it is: its
// screening answers, the work done in each stage before leaving it, the
// evidence its people vouched for, and the reasons an approver gave for
// passing a gate that was not met.
type purchaseSpec struct {
	org, lead, approver string
	p                   model.Purchase
	stage               model.Stage // where the walk ends
	answers             map[string]any
	draft               bool // the screening is left unfinished and unsigned
	work                map[model.Stage]func(e *env, p *model.Purchase) error
	// evidence records, for a requirement not met when its gate comes,
	// what a person vouches for: "/section" links to a record of this
	// purchase, "n/a: reason" is an approver's not applicable, anything
	// else is a written statement.
	evidence map[string]string
	// reasons are the approver's reasons for overriding a failed gate,
	// by the stage being left; reason covers any stage not named, and is
	// the reason for a cancellation.
	reasons  map[model.Stage]string
	reason   string
	invite   string // supplier slug
	comments []comment
}

type comment struct{ by, body string }

// walk registers a purchase, screens it and moves it stage by stage to
// where its story ends, doing each stage's work first, recording the
// evidence its people vouched for, and overriding a failed gate only with
// the approver's reason. A failure no override can pass, or one with no
// reason written for it, stops the demo with the rules that failed.
func (e *env) walk(s purchaseSpec) (*model.Purchase, error) {
	lead, approver := e.people[s.lead], e.people[s.approver]
	p := s.p
	p.OrgID, p.LeadUserID = e.orgs[s.org].ID, lead.ID
	if lifecycle.PastSunset(&p, model.DateOf(time.Now())) {
		// An emergency measure past its sunset can no longer move on (no
		// override passes a sunset), so its history is written on its last
		// day in force, when it did.
		clock := e.db.Now
		e.db.Now = func() time.Time { return p.SunsetDate.Time().Add(12 * time.Hour) }
		defer func() { e.db.Now = clock }()
	}
	if err := e.db.CreatePurchase(e.ctx, store.ActorOf(lead), &p); err != nil {
		return nil, err
	}
	if s.answers != nil {
		if err := e.screen(&p, lead, approver, s.answers, !s.draft); err != nil {
			return nil, err
		}
	}
	if s.invite != "" {
		if err := e.db.InviteSupplier(e.ctx, store.ActorOf(lead), &p, e.orgs[s.invite].ID); err != nil {
			return nil, err
		}
	}
	for {
		if w := s.work[p.Stage]; w != nil {
			if err := w(e, &p); err != nil {
				return nil, fmt.Errorf("work in %s: %w", p.Stage, err)
			}
		}
		if p.Stage == s.stage {
			break
		}
		to := p.Stage.Next()
		if s.stage == model.StageCancelled {
			to = model.StageCancelled
		}
		if err := e.move(&p, s, to); err != nil {
			return nil, err
		}
	}
	for _, c := range s.comments {
		u := e.people[c.by]
		if _, err := e.db.AddComment(e.ctx, store.ActorOf(u), u, &p, c.body); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// screen saves the answers as the lead would and, when they are complete
// and sign is set, has the approver sign them off.
func (e *env) screen(p *model.Purchase, lead, approver *model.User, raw map[string]any, sign bool) error {
	answers, err := e.q.Normalize(raw)
	if err != nil {
		return fmt.Errorf("screening: %w", err)
	}
	res := e.q.Score(answers)
	if err := e.db.SaveScreening(e.ctx, store.ActorOf(lead), p, answers, res); err != nil {
		return err
	}
	if !sign {
		return nil
	}
	if !res.Complete() {
		return fmt.Errorf("screening incomplete: %v", res.Missing)
	}
	sc, err := e.db.Screening(e.ctx, p.ID)
	if err != nil {
		return err
	}
	return e.db.SignOffScreening(e.ctx, store.ActorOf(approver), p, sc.Rev)
}

// move leaves the current stage for to: evidence first, then the gates,
// then an override with a reason where the gates still fail.
func (e *env) move(p *model.Purchase, s purchaseSpec, to model.Stage) error {
	approver := e.people[s.approver]
	m := store.Move{To: to}
	if to == model.StageCancelled {
		m.Reason = s.reason
	} else {
		if err := e.vouchNow(p, s.evidence, s.lead, s.approver); err != nil {
			return err
		}
		res, err := e.gates.Evaluate(e.ctx, lifecycle.Subject{Purchase: p, From: p.Stage, To: to, Today: model.DateOf(e.db.Now())})
		if err != nil {
			return err
		}
		if m.Failed = lifecycle.Failures(res, e.en.T); len(m.Failed) > 0 {
			reason := s.reasons[p.Stage]
			if reason == "" {
				reason = s.reason
			}
			if lifecycle.HardFailures(res) > 0 || reason == "" {
				var names []string
				for _, f := range m.Failed {
					names = append(names, f.Rule+" ("+f.Message+")")
				}
				return fmt.Errorf("leaving %s: gates fail with no override possible or no reason written: %s", p.Stage, strings.Join(names, "; "))
			}
			m.Override, m.Reason = true, reason
		}
	}
	return e.db.Transition(e.ctx, store.ActorOf(approver), p, m)
}

// vouchNow records the evidence in ev for the requirements due by the
// purchase's stage that are not yet met: the lead vouches for statements
// and links, the approver for "not applicable".
func (e *env) vouchNow(p *model.Purchase, ev map[string]string, lead, approver string) error {
	f, err := e.db.RequirementFacts(e.ctx, p.ID)
	if err != nil {
		return err
	}
	f.Cover(e.set)
	for _, row := range evidence.Rows(e.set, f, p.Stage) {
		text, ok := ev[row.ID]
		if !row.Due || row.Met || !ok || evidence.Computed(row.Item) {
			continue
		}
		who := e.people[lead]
		rec := &evidence.Evidence{PurchaseID: p.ID, Requirement: row.ID, Kind: evidence.Statement, Text: text}
		switch {
		case strings.HasPrefix(text, "/"):
			rec.Kind, rec.Link, rec.Text = evidence.Link, fmt.Sprintf("/purchases/%d%s", p.ID, text), ""
		case strings.HasPrefix(text, "n/a: "):
			rec.Kind, rec.Text, who = evidence.NotApplicable, strings.TrimPrefix(text, "n/a: "), e.people[approver]
		}
		if fe := rec.Validate(); len(fe) > 0 {
			return fmt.Errorf("evidence for %s: %v", row.ID, fe)
		}
		if err := e.db.AddEvidence(e.ctx, store.ActorOf(who), p, rec, nil); err != nil {
			return fmt.Errorf("evidence for %s: %w", row.ID, err)
		}
	}
	return nil
}

// assess writes an assessment version with fill, as the lead would, and
// checks it the way the workspace does.
func (e *env) assess(p *model.Purchase, lead string, fill func(d *assessment.Doc)) error {
	_, err := e.db.EditAssessment(e.ctx, store.ActorOf(e.people[lead]), p, "demo", e.set.Hash(), func(d *assessment.Doc) error {
		fill(d)
		return d.Validate(func(id string) bool {
			it, ok := e.set.Item(id)
			return ok && it.Kind == "right"
		}, func(id string) bool {
			it, ok := e.set.Item(id)
			return ok && it.Kind == "element"
		}, model.DateOf(e.db.Now()))
	})
	return err
}

// signOff has the approver sign off the current draft, as the workspace
// does: the screening complete, a held meeting or a reason for level III
// and IV, and every requirement due by now met or given a reason in
// exceptions. A requirement due and unmet with no reason stops the demo.
func (e *env) signOff(p *model.Purchase, approver, review string, exceptions map[string]string) error {
	sc, err := e.db.Screening(e.ctx, p.ID)
	if err != nil {
		return err
	}
	u := e.people[approver]
	v, err := e.db.Assessment(e.ctx, p.ID)
	if err != nil || v == nil {
		return fmt.Errorf("sign-off: no draft (%v)", err)
	}
	return e.db.SignOffAssessment(e.ctx, store.ActorOf(u), p, v.Version, review, func(v *store.AssessmentVersion) ([]byte, []string, error) {
		if sc == nil || !sc.Result.Complete() {
			return nil, nil, fmt.Errorf("sign-off: screening incomplete")
		}
		if k := v.Doc.SignOffProblem(sc.Result.Level); k != "" {
			return nil, nil, fmt.Errorf("sign-off: %s", k)
		}
		covers := assessment.WrittenIn(e.set, &v.Doc)
		f, err := e.db.RequirementFacts(e.ctx, p.ID)
		if err != nil {
			return nil, nil, err
		}
		f.Cover(e.set)
		after := evidence.Rows(e.set, f.SignedNow(v.Version, covers), p.Stage)
		exc := map[string]string{}
		for _, r := range evidence.UnmetDue(after) {
			if exceptions[r.ID] == "" {
				return nil, nil, fmt.Errorf("sign-off: %s is due and not met, and no reason is written for it", r.ID)
			}
			exc[r.ID] = exceptions[r.ID]
		}
		v.Doc.SignOffExceptions = exc
		res := sc.Result
		snap := assessment.Freeze(e.set, v.Doc, sc.Answers, &res)
		snap.PurchaseID, snap.PurchaseTitle, snap.Version = p.ID, p.Title, v.Version
		snap.SignedBy, snap.SignedAt, snap.ReviewDate, snap.Covers = v.SignedName, v.SignedAt, review, covers
		snap.Statuses = evidence.Freeze(after, exc)
		b, err := json.Marshal(snap)
		return b, covers, err
	})
}

// waiveConsultation records, as the lead would, why a level III or IV
// purchase held no public consultation before its tender was designed.
func waiveConsultation(lead, reason string) func(e *env, p *model.Purchase) error {
	return func(e *env, p *model.Purchase) error {
		return e.db.RecordConsultationWaiver(e.ctx, store.ActorOf(e.people[lead]), p, reason)
	}
}
