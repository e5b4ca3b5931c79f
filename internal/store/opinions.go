package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"buyright/internal/evidence"
	"buyright/internal/model"
	"buyright/internal/opinion"
)

// OpinionFacts reads what the opinions gate and pages need about purchase
// p: its impact level, the rules that may ask for opinions on it, every
// opinion with its conditions, the decisions to go on, when it reached
// each stage, and the newest evidence for each condition. What only rules
// or conditions need is read only when there are some, so a purchase no
// oversight body has spoken about costs one round of short queries.
func (db *DB) OpinionFacts(ctx context.Context, p *model.Purchase) (*opinion.Facts, error) {
	return fetch(ctx, db, func(b *Batch, out **opinion.Facts) { b.OpinionFacts(p, out) })
}

// OpinionFacts queues the reads of OpinionFacts into out.
func (b *Batch) OpinionFacts(p *model.Purchase, out **opinion.Facts) {
	f := &opinion.Facts{Evidence: map[string]*evidence.Evidence{}, Entered: map[model.Stage]time.Time{}}
	*out = f
	b.rulesOver(p.OrgID, &f.Rules)
	b.opinionsOf(p.ID, &f.Opinions, &f.Decisions)
	b.Then(func(context.Context) error {
		if len(f.Rules) > 0 {
			b.read("opinion facts", "SELECT "+impactLevelSQL+" FROM purchases p WHERE p.id = $1", []any{p.ID},
				func(rs rowScanner) error { return rs.Scan(&f.Level) })
			b.stageEntries(p, &f.Entered)
		}
		conditions := false
		for _, o := range f.Opinions {
			conditions = conditions || len(o.Conditions) > 0
		}
		if !conditions {
			return nil
		}
		var evs []evidence.Evidence
		b.evidence(p.ID, "", &evs)
		b.Then(func(context.Context) error {
			for i := range evs { // oldest first: the newest record wins
				if strings.HasPrefix(evs[i].Requirement, "OPN-") {
					f.Evidence[evs[i].Requirement] = &evs[i]
				}
			}
			return nil
		})
		return nil
	})
}

// stageEntries queues the read of when p last reached each stage. A
// purchase is in its first stage from its creation; one imported at a
// later stage has been in it since it was recorded.
func (b *Batch) stageEntries(p *model.Purchase, out *map[model.Stage]time.Time) {
	m := map[model.Stage]time.Time{model.StagePlanning: p.CreatedAt}
	*out = m
	b.read("stage entries", "SELECT to_stage, at FROM stage_changes WHERE purchase_id = $1 ORDER BY id", []any{p.ID}, func(rs rowScanner) error {
		var s model.Stage
		var at time.Time
		if err := rs.Scan(&s, &at); err != nil {
			return err
		}
		m[s] = at
		return nil
	})
	b.Then(func(context.Context) error {
		if _, ok := m[p.Stage]; !ok {
			m[p.Stage] = p.CreatedAt
		}
		return nil
	})
}

const opinionColumns = `x.id, x.purchase_id, x.org_id, o.name, x.before_stage, x.verdict, x.reasons, x.refs, COALESCE(x.supersedes, 0),
	x.due_on, COALESCE(x.by_user, 0), x.by_name, x.issued_at`

// opinionsOf queues the reads of every opinion on a purchase, oldest
// first, with its conditions, and of the decisions to go on by opinion.
// All three ask by purchase, so none waits on another.
func (b *Batch) opinionsOf(purchaseID int64, ops *[]opinion.Opinion, decisions *map[int64]*opinion.Decision) {
	b.read("opinions", `SELECT `+opinionColumns+` FROM opinions x JOIN organisations o ON o.id = x.org_id
		WHERE x.purchase_id = $1 ORDER BY x.id`, []any{purchaseID},
		appendRow(ops, func(rs rowScanner) (o opinion.Opinion, err error) {
			return o, rs.Scan(&o.ID, &o.PurchaseID, &o.OrgID, &o.OrgName, &o.Before, &o.Verdict, &o.Reasons, &o.References, &o.Supersedes,
				&o.Due, &o.By, &o.ByName, &o.At)
		}))
	type condition struct {
		opinion int64
		opinion.Condition
	}
	var conds []condition
	b.read("opinion conditions", `SELECT c.opinion_id, c.n, c.body, c.before_stage FROM opinion_conditions c
		JOIN opinions x ON x.id = c.opinion_id WHERE x.purchase_id = $1 ORDER BY c.opinion_id, c.n`, []any{purchaseID},
		appendRow(&conds, func(rs rowScanner) (c condition, err error) {
			return c, rs.Scan(&c.opinion, &c.N, &c.Text, &c.Before)
		}))
	*decisions = map[int64]*opinion.Decision{}
	b.read("opinion decisions", `SELECT id, opinion_id, purchase_id, reasons, COALESCE(by_user, 0), by_name, decided_at
		FROM opinion_decisions WHERE purchase_id = $1`, []any{purchaseID}, func(rs rowScanner) error {
		d := &opinion.Decision{}
		if err := rs.Scan(&d.ID, &d.OpinionID, &d.PurchaseID, &d.Reasons, &d.By, &d.ByName, &d.At); err != nil {
			return err
		}
		(*decisions)[d.OpinionID] = d
		return nil
	})
	b.Then(func(context.Context) error {
		index := map[int64]int{}
		for i, o := range *ops {
			index[o.ID] = i
		}
		for _, c := range conds {
			if i, ok := index[c.opinion]; ok {
				(*ops)[i].Conditions = append((*ops)[i].Conditions, c.Condition)
			}
		}
		return nil
	})
}

// PublicOpinions lists the opinions on a purchase and the decisions to go
// on, for its public register entry: both are part of the public record.
func (db *DB) PublicOpinions(ctx context.Context, purchaseID int64) ([]opinion.Opinion, map[int64]*opinion.Decision, error) {
	var ops []opinion.Opinion
	var decisions map[int64]*opinion.Decision
	b := db.NewBatch()
	b.opinionsOf(purchaseID, &ops, &decisions)
	err := b.Run(ctx)
	return ops, decisions, err
}

// IssueOpinion records an opinion of u's oversight body on p. It follows
// (and takes the place of) the body's newest opinion for the same gate,
// which stays on record. The time limit a rule set, if any, is kept with
// it, so a late opinion shows as late. The purchase's stage is read again
// inside the transaction: an opinion for a gate already passed is refused.
func (db *DB) IssueOpinion(ctx context.Context, a Actor, u *model.User, p *model.Purchase, o *opinion.Opinion) error {
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgOversight {
		return model.Forbidden()
	}
	if fe := o.Validate(p.Stage); len(fe) > 0 {
		return fe.Err()
	}
	f, err := db.OpinionFacts(ctx, p)
	if err != nil {
		return err
	}
	o.Due = model.Date{}
	for _, s := range f.Standings(p, o.Before) {
		if s.OrgID == u.OrgID && s.Asked {
			o.Due = s.Due
		}
	}
	now := db.now()
	return db.tx(ctx, "issue opinion", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		var stage model.Stage
		var inRemit int
		if err := tx.QueryRowContext(ctx, `SELECT p.stage, (SELECT COUNT(*) FROM oversight_remits r WHERE r.oversight_org_id = $2 AND r.org_id = p.org_id)
			FROM purchases p WHERE p.id = $1`, p.ID, u.OrgID).Scan(&stage, &inRemit); err != nil {
			return fmt.Errorf("store: issue opinion: %w", err)
		}
		if inRemit == 0 {
			return model.Forbidden()
		}
		if fe := o.Validate(stage); len(fe) > 0 {
			return fe.Err()
		}
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		var prev sql.NullInt64
		err = tx.QueryRowContext(ctx, "SELECT MAX(id) FROM opinions WHERE purchase_id = $1 AND org_id = $2 AND before_stage = $3",
			p.ID, u.OrgID, string(o.Before)).Scan(&prev)
		if err != nil {
			return fmt.Errorf("store: issue opinion: %w", err)
		}
		o.PurchaseID, o.OrgID, o.OrgName, o.Supersedes, o.By, o.ByName, o.At = p.ID, u.OrgID, u.Org.Name, prev.Int64, a.UserID, name, now
		if err := tx.QueryRowContext(ctx, `INSERT INTO opinions (purchase_id, org_id, before_stage, gate_stage, verdict, reasons, refs, supersedes, due_on, by_user, by_name, issued_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			p.ID, u.OrgID, string(o.Before), string(o.Gate()), string(o.Verdict), o.Reasons, o.References, nullID(o.Supersedes), o.Due,
			nullID(a.UserID), name, now).Scan(&o.ID); err != nil {
			return fmt.Errorf("store: issue opinion: %w", err)
		}
		for _, c := range o.Conditions {
			if _, err := tx.ExecContext(ctx, "INSERT INTO opinion_conditions (opinion_id, n, body, before_stage) VALUES ($1, $2, $3, $4)",
				o.ID, c.N, c.Text, string(c.Before)); err != nil {
				return fmt.Errorf("store: opinion condition: %w", err)
			}
		}
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "opinion_issued", map[string]any{
			"opinion_id": o.ID, "by_org": o.OrgName, "verdict": o.Verdict, "before": o.Before, "conditions": len(o.Conditions),
			"supersedes": o.Supersedes, "due": o.Due.String()})
	})
}

// RecordNotGiven records that an oversight body asked for its opinion
// before p moves into stage before gave none by due. It is written once;
// nothing happens when the body has given an opinion for that gate since
// the gate looked (or another server recorded it first).
func (db *DB) RecordNotGiven(ctx context.Context, purchaseID, orgID int64, before model.Stage, due model.Date) error {
	err := db.tx(ctx, "opinion not given", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, purchaseID); err != nil {
			return err
		}
		var n int
		var owner int64
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM opinions WHERE purchase_id = $1 AND org_id = $2 AND before_stage = $3),
			(SELECT org_id FROM purchases WHERE id = $1), (SELECT name FROM organisations WHERE id = $2)`,
			purchaseID, orgID, string(before)).Scan(&n, &owner, &name); err != nil {
			return fmt.Errorf("store: opinion not given: %w", err)
		}
		if n > 0 {
			return nil
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO opinions (purchase_id, org_id, before_stage, gate_stage, verdict, due_on, by_name, issued_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			purchaseID, orgID, string(before), string(opinion.GateOf(before)), string(opinion.NotGiven), due, System.Label, db.now()).Scan(&id); err != nil {
			return fmt.Errorf("store: opinion not given: %w", err)
		}
		if err := db.refreshIfPublished(ctx, tx, purchaseID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, System, owner, "purchase", purchaseID, "opinion_not_given", map[string]any{
			"opinion_id": id, "by_org": name, "before": before, "due": due.String()})
	})
	if uniqueViolation(err) {
		return nil
	}
	return err
}

// DecideToProceed records the accountable head's public, reasoned decision
// to go on with p after an oversight body's unfavourable opinion. Only a
// person designated accountable head of p's body may, only on the
// opinion in force for a gate still ahead, and only once.
func (db *DB) DecideToProceed(ctx context.Context, a Actor, u *model.User, p *model.Purchase, opinionID int64, reasons string) (*opinion.Decision, error) {
	d := &opinion.Decision{OpinionID: opinionID, PurchaseID: p.ID, Reasons: reasons}
	if fe := d.Validate(); len(fe) > 0 {
		return nil, fe.Err()
	}
	err := db.tx(ctx, "decide to proceed", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		head, err := db.isHead(ctx, tx, u, p.OrgID)
		if err != nil {
			return err
		}
		if !head {
			return model.Forbidden()
		}
		var verdict, before string
		var org int64
		var later int
		var stage model.Stage
		err = tx.QueryRowContext(ctx, `SELECT x.verdict, x.before_stage, x.org_id,
			(SELECT COUNT(*) FROM opinions y WHERE y.purchase_id = x.purchase_id AND y.org_id = x.org_id AND y.before_stage = x.before_stage AND y.id > x.id),
			(SELECT stage FROM purchases WHERE id = x.purchase_id)
			FROM opinions x WHERE x.id = $1 AND x.purchase_id = $2`, opinionID, p.ID).Scan(&verdict, &before, &org, &later, &stage)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound("opinion")
		}
		if err != nil {
			return fmt.Errorf("store: decide to proceed: %w", err)
		}
		switch {
		case opinion.Verdict(verdict) != opinion.Unfavourable:
			return model.Errorf(model.EConflict, "opinion.not_unfavourable", "only an unfavourable opinion needs a decision to go on")
		case later > 0:
			return model.Errorf(model.EConflict, "opinion.was_superseded", "a later opinion of the body took this one's place")
		case !stage.Open() || model.Stage(before).Index() <= stage.Index():
			return model.Errorf(model.EConflict, "opinion.gate_passed", "the purchase has already passed this gate")
		}
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		d.By, d.ByName, d.At = a.UserID, name, db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO opinion_decisions (opinion_id, purchase_id, reasons, by_user, by_name, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, opinionID, p.ID, d.Reasons, nullID(a.UserID), name, d.At).Scan(&d.ID)
		if uniqueViolation(err) {
			return model.Errorf(model.EConflict, "opinion.decided_already", "a decision on this opinion is already recorded")
		}
		if err != nil {
			return fmt.Errorf("store: decide to proceed: %w", err)
		}
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "opinion_decision", map[string]any{
			"decision_id": d.ID, "opinion_id": opinionID, "opinion_org": org, "before": before, "reasons": d.Reasons})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ProceededDecision is an accountable head's decision to go on after an
// unfavourable opinion of the body reading it.
type ProceededDecision struct {
	opinion.Decision
	PurchaseTitle string
	BodyName      string // the public body that went on
	Before        model.Stage
}

// DecisionsAgainst lists, newest first, the decisions to go on that public
// bodies recorded after unfavourable opinions of oversight body orgID, so
// the body sees where its advice was not followed and why.
func (db *DB) DecisionsAgainst(ctx context.Context, orgID int64) ([]ProceededDecision, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT d.id, d.opinion_id, d.purchase_id, d.reasons, COALESCE(d.by_user, 0), d.by_name, d.decided_at,
		p.title, o.name, x.before_stage FROM opinion_decisions d JOIN opinions x ON x.id = d.opinion_id
		JOIN purchases p ON p.id = d.purchase_id JOIN organisations o ON o.id = p.org_id
		WHERE x.org_id = $1 ORDER BY d.id DESC`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: decisions against opinions: %w", err)
	}
	defer rows.Close()
	var out []ProceededDecision
	for rows.Next() {
		var d ProceededDecision
		if err := rows.Scan(&d.ID, &d.OpinionID, &d.PurchaseID, &d.Reasons, &d.By, &d.ByName, &d.At, &d.PurchaseTitle, &d.BodyName, &d.Before); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
