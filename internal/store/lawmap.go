package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"buyright/internal/access"
	"buyright/internal/lawmap"
	"buyright/internal/model"
)

// Law-answer statuses. A respondent's proposal is a draft; a Lab reviewer
// from another organisation approves it (reviewed) or returns it with a
// note; a Lab editor publishes a reviewed answer (approved, the only status
// the public law map, the purchase page and the gates read).
const (
	LawDraft    = "draft"
	LawReviewed = "reviewed"
	LawApproved = "approved"
	LawReturned = "returned"
)

// LawAnswer is a stored expert answer.
type LawAnswer struct {
	ID int64
	lawmap.Answer
	Status         string
	Starting       bool // shipped starting content (seed data)
	RespondentID   int64
	Respondent     string
	RespondentOrg  int64  // the respondent's organisation when they answered
	ContributorOrg string // its name
	ReviewerID     int64
	ReviewerName   string
	ReviewerOrg    string
	ReviewedAt     *time.Time
	PublisherID    int64
	ReviewNote     string
	CreatedAt      time.Time
	ApprovedAt     *time.Time // when it was published
}

// Reviewed reports whether a network reviewer checked the answer.
func (x *LawAnswer) Reviewed() bool { return x.ReviewerID != 0 && x.ReviewedAt != nil }

// ReviewedOn is the day of the review (UTC), or "" when there was none.
func (x *LawAnswer) ReviewedOn() string { return dayOf(x.ReviewedAt) }

func dayOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// CreateLawAnswer stores an answer that Check has accepted. A person's
// answer is always a draft; only starting content loaded by buyright
// itself (the system actor, Starting set) is stored approved, and it is
// shown as seed data that no network member reviewed. The respondent's
// organisation is recorded as it is now, so that moving to another
// organisation later does not let a colleague review it.
func (db *DB) CreateLawAnswer(ctx context.Context, a Actor, ans *LawAnswer) error {
	cites, err := json.Marshal(ans.Citations)
	if err != nil {
		return err
	}
	ans.Status = LawDraft
	if ans.Starting && a.UserID == 0 {
		ans.Status = LawApproved
	} else {
		ans.Starting = false
	}
	if ans.Respondent == "" {
		ans.Respondent = a.Label
	}
	ans.RespondentID = a.UserID
	ans.CreatedAt = db.now()
	if ans.Status == LawApproved {
		t := ans.CreatedAt
		ans.ApprovedAt = &t
	}
	return db.tx(ctx, "law answer", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM jurisdictions WHERE code = $1", ans.Jurisdiction).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return model.FieldErrors{"lab_jurisdiction": "invalid.choice"}.Err()
		}
		ans.RespondentOrg = 0
		if a.UserID != 0 {
			if err := tx.QueryRowContext(ctx, "SELECT org_id FROM users WHERE id = $1", a.UserID).Scan(&ans.RespondentOrg); err != nil {
				return fmt.Errorf("store: law answer: respondent %d: %w", a.UserID, err)
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO law_answers (jurisdiction, question, answer, explanation, citations, judgement, as_of, status, starting,
			respondent_id, respondent, respondent_org, created_at, approved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			ans.Jurisdiction, ans.Question, ans.Answer.Answer, ans.Explanation, string(cites), ans.Judgement, ans.AsOf, ans.Status, ans.Starting,
			nullID(a.UserID), ans.Respondent, nullID(ans.RespondentOrg), ans.CreatedAt, ans.ApprovedAt).Scan(&ans.ID)
		if err != nil {
			return fmt.Errorf("store: law answer: %w", err)
		}
		return db.appendAudit(ctx, tx, a, ans.RespondentOrg, "law_answer", ans.ID, "create", map[string]any{
			"jurisdiction": ans.Jurisdiction, "question": ans.Question, "answer": ans.Answer.Answer, "as_of": ans.AsOf, "status": ans.Status, "starting": ans.Starting})
	})
}

// lawStep is what a review step needs to know about an answer.
type lawStep struct {
	status       string
	starting     bool
	respondentID int64
	orgID        int64
	reviewerID   int64
}

func lawStepOf(ctx context.Context, tx *sql.Tx, id int64) (*lawStep, error) {
	var x lawStep
	err := tx.QueryRowContext(ctx, "SELECT status, starting, COALESCE(respondent_id, 0), COALESCE(respondent_org, 0), COALESCE(reviewer_id, 0) FROM law_answers WHERE id = $1", id).
		Scan(&x.status, &x.starting, &x.respondentID, &x.orgID, &x.reviewerID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("law answer")
	}
	if err != nil {
		return nil, fmt.Errorf("store: law answer %d: %w", id, err)
	}
	return &x, nil
}

// labNoConflict refuses a review of one's own or a colleague's work.
func labNoConflict(u *model.User, authorID, authorOrg int64) error {
	switch access.LabConflict(u, authorID, authorOrg) {
	case access.LabOwnWork:
		return labRefused(access.LabOwnWork, "nobody reviews their own contribution")
	case access.LabColleagueWork:
		return labRefused(access.LabColleagueWork, "nobody reviews a contribution from their own organisation")
	}
	return nil
}

// ReviewLawAnswer is a Lab reviewer's approval of a draft: it becomes
// reviewed and waits for an editor to publish it. The reviewer may not
// be its respondent nor work at the respondent's organisation.
func (db *DB) ReviewLawAnswer(ctx context.Context, a Actor, id int64) error {
	return db.tx(ctx, "review law answer", func(tx *sql.Tx) error {
		u, err := labRequire(ctx, tx, a, access.LabReviewAnswer, "")
		if err != nil {
			return err
		}
		x, err := lawStepOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := labNoConflict(u, x.respondentID, x.orgID); err != nil {
			return err
		}
		if x.status != LawDraft {
			return model.NotFound("law answer")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE law_answers SET status = $1, reviewer_id = $2, reviewed_at = $3, review_note = '' WHERE id = $4",
			LawReviewed, u.ID, db.now(), id); err != nil {
			return fmt.Errorf("store: review law answer %d: %w", id, err)
		}
		return db.appendAudit(ctx, tx, a, x.orgID, "law_answer", id, "review", map[string]any{"reviewer_org": u.OrgID})
	})
}

// PublishLawAnswer is a Lab editor's publication of a reviewed answer:
// from now on the law map, the purchase pages and the gates show it.
func (db *DB) PublishLawAnswer(ctx context.Context, a Actor, id int64) error {
	return db.tx(ctx, "publish law answer", func(tx *sql.Tx) error {
		u, err := labRequire(ctx, tx, a, access.LabPublish, "")
		if err != nil {
			return err
		}
		x, err := lawStepOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if x.status != LawReviewed || x.reviewerID == 0 {
			return model.NotFound("law answer")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE law_answers SET status = $1, publisher_id = $2, approved_at = $3 WHERE id = $4",
			LawApproved, u.ID, db.now(), id); err != nil {
			return fmt.Errorf("store: publish law answer %d: %w", id, err)
		}
		return db.appendAudit(ctx, tx, a, x.orgID, "law_answer", id, "publish", nil)
	})
}

// ReturnLawAnswer sends a draft (a reviewer) or a reviewed answer (an
// editor) back to its respondent's organisation with a note saying why.
// It is a review, so the same conflict rule applies.
func (db *DB) ReturnLawAnswer(ctx context.Context, a Actor, id int64, note string) error {
	note = model.CleanText(note)
	if note == "" {
		return model.FieldErrors{"note": "lab.review.note_needed"}.Err()
	}
	if model.TooLong(note, 2000) {
		return model.FieldErrors{"note": "invalid.too_long"}.Err()
	}
	return db.tx(ctx, "return law answer", func(tx *sql.Tx) error {
		x, err := lawStepOf(ctx, tx, id)
		if err != nil {
			return err
		}
		act := access.LabReviewAnswer
		if x.status == LawReviewed {
			act = access.LabPublish
		}
		u, err := labRequire(ctx, tx, a, act, "")
		if err != nil {
			return err
		}
		if err := labNoConflict(u, x.respondentID, x.orgID); err != nil {
			return err
		}
		if x.status != LawDraft && x.status != LawReviewed {
			return model.NotFound("law answer")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE law_answers SET status = $1, review_note = $2, reviewer_id = NULL, reviewed_at = NULL WHERE id = $3",
			LawReturned, note, id); err != nil {
			return fmt.Errorf("store: return law answer %d: %w", id, err)
		}
		return db.appendAudit(ctx, tx, a, x.orgID, "law_answer", id, "return", map[string]string{"note": note})
	})
}

// ConfirmSeedAnswer records that a Lab reviewer checked a starting answer
// shipped with buyright against its sources; the public map then names
// the reviewer instead of calling it unreviewed seed data.
func (db *DB) ConfirmSeedAnswer(ctx context.Context, a Actor, id int64) error {
	return db.tx(ctx, "confirm seed answer", func(tx *sql.Tx) error {
		u, err := labRequire(ctx, tx, a, access.LabReviewAnswer, "")
		if err != nil {
			return err
		}
		x, err := lawStepOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if !x.starting || x.status != LawApproved || x.reviewerID != 0 {
			return model.NotFound("law answer")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE law_answers SET reviewer_id = $1, reviewed_at = $2 WHERE id = $3", u.ID, db.now(), id); err != nil {
			return fmt.Errorf("store: confirm seed answer %d: %w", id, err)
		}
		return db.appendAudit(ctx, tx, a, 0, "law_answer", id, "confirm_seed", map[string]any{"reviewer_org": u.OrgID})
	})
}

// lawColumns names, with the answer, who gave it (their organisation) and
// who reviewed it (name and organisation), read when the page is shown.
const lawColumns = `a.id, a.jurisdiction, a.question, a.answer, a.explanation, a.citations, a.judgement, a.as_of, a.status, a.starting,
	COALESCE(a.respondent_id, 0), a.respondent, COALESCE(a.respondent_org, 0), COALESCE(ro.name, ''),
	COALESCE(a.reviewer_id, 0), COALESCE(NULLIF(rv.name, ''), rv.email, ''), COALESCE(rvo.name, ''), a.reviewed_at,
	COALESCE(a.publisher_id, 0), a.review_note, a.created_at, a.approved_at`

const lawFrom = ` FROM law_answers a LEFT JOIN organisations ro ON ro.id = a.respondent_org
	LEFT JOIN users rv ON rv.id = a.reviewer_id LEFT JOIN organisations rvo ON rvo.id = rv.org_id`

func scanLawAnswer(sc rowScanner) (*LawAnswer, error) {
	var x LawAnswer
	var cites string
	var approved, reviewed sql.NullTime
	if err := sc.Scan(&x.ID, &x.Jurisdiction, &x.Question, &x.Answer.Answer, &x.Explanation, &cites, &x.Judgement, &x.AsOf, &x.Status, &x.Starting,
		&x.RespondentID, &x.Respondent, &x.RespondentOrg, &x.ContributorOrg,
		&x.ReviewerID, &x.ReviewerName, &x.ReviewerOrg, &reviewed,
		&x.PublisherID, &x.ReviewNote, &x.CreatedAt, &approved); err != nil {
		return nil, err
	}
	if approved.Valid {
		t := approved.Time
		x.ApprovedAt = &t
	}
	if reviewed.Valid {
		t := reviewed.Time
		x.ReviewedAt = &t
	}
	if err := json.Unmarshal([]byte(cites), &x.Citations); err != nil {
		return nil, fmt.Errorf("store: law answer %d citations: %w", x.ID, err)
	}
	return &x, nil
}

func (db *DB) lawAnswers(ctx context.Context, where string, args ...any) ([]*LawAnswer, error) {
	return fetch(ctx, db, func(b *Batch, out *[]*LawAnswer) { b.lawAnswers(where, args, out) })
}

func (b *Batch) lawAnswers(where string, args []any, out *[]*LawAnswer) {
	b.read("law answers", "SELECT "+lawColumns+lawFrom+" WHERE "+where+" ORDER BY a.jurisdiction, a.question, a.as_of, a.id", args,
		appendRow(out, scanLawAnswer))
}

// ApprovedLawAnswers lists every published answer, oldest as_of first per
// jurisdiction and question: the whole history of the public map.
func (db *DB) ApprovedLawAnswers(ctx context.Context) ([]*LawAnswer, error) {
	return db.lawAnswers(ctx, "a.status = $1", LawApproved)
}

// ApprovedLawAnswersIn is ApprovedLawAnswers for some jurisdictions only
// (a buyer's own and its bloc's), for the purchase page.
func (db *DB) ApprovedLawAnswersIn(ctx context.Context, jurisdictions []string) ([]*LawAnswer, error) {
	return fetch(ctx, db, func(b *Batch, out *[]*LawAnswer) { b.ApprovedLawAnswersIn(jurisdictions, out) })
}

// ApprovedLawAnswersIn queues the read of ApprovedLawAnswersIn into out.
func (b *Batch) ApprovedLawAnswersIn(jurisdictions []string, out *[]*LawAnswer) {
	if len(jurisdictions) == 0 {
		return
	}
	args := []any{LawApproved}
	b.lawAnswers("a.status = $1 AND a.jurisdiction IN ("+placeholders(&args, jurisdictions)+")", args, out)
}

// placeholders appends vs to args and returns their $n marks, comma
// separated, for an IN list.
func placeholders(args *[]any, vs []string) string {
	marks := make([]string, len(vs))
	for i, v := range vs {
		*args = append(*args, v)
		marks[i] = "$" + strconv.Itoa(len(*args))
	}
	return strings.Join(marks, ", ")
}

// DraftLawAnswers lists the answers waiting for a reviewer.
func (db *DB) DraftLawAnswers(ctx context.Context) ([]*LawAnswer, error) {
	return db.lawAnswers(ctx, "a.status = $1", LawDraft)
}

// UnpublishedLawAnswers lists the answers not public yet (drafts, reviewed
// and returned ones) of one organisation, or of every organisation when
// orgID is 0: only for people the caller has checked may read the queue.
func (db *DB) UnpublishedLawAnswers(ctx context.Context, orgID int64) ([]*LawAnswer, error) {
	if orgID == 0 {
		return db.lawAnswers(ctx, "a.status IN ($1, $2, $3)", LawDraft, LawReviewed, LawReturned)
	}
	return db.lawAnswers(ctx, "a.status IN ($1, $2, $3) AND a.respondent_org = $4", LawDraft, LawReviewed, LawReturned, orgID)
}

// LawAnswerByID returns one answer, whatever its status.
func (db *DB) LawAnswerByID(ctx context.Context, id int64) (*LawAnswer, error) {
	x, err := scanLawAnswer(db.read.QueryRowContext(ctx, "SELECT "+lawColumns+lawFrom+" WHERE a.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("law answer")
	}
	return x, err
}

// LawCurrent picks, from answers ordered as ApprovedLawAnswers returns
// them, the newest answer per jurisdiction and question whose as_of is not
// after asOf ("" means no limit). Keys are "JUR|QUESTION".
func LawCurrent(all []*LawAnswer, asOf string) map[string]*LawAnswer {
	out := map[string]*LawAnswer{}
	for _, x := range all {
		if asOf != "" && x.AsOf > asOf {
			continue
		}
		k := x.Jurisdiction + "|" + x.Question
		if prev, ok := out[k]; !ok || x.AsOf > prev.AsOf || (x.AsOf == prev.AsOf && x.ID > prev.ID) {
			out[k] = x
		}
	}
	return out
}

// SeedLawmap loads the shipped jurisdictions and starting answers, approved
// and marked as starting content. An answer already stored (same
// jurisdiction, question and as_of, starting) is not added twice, so the
// command can run again after an upgrade.
func (db *DB) SeedLawmap(ctx context.Context, a Actor, s *lawmap.Seed) (added int, err error) {
	for _, j := range s.Jurisdictions {
		if err := db.seedJurisdiction(ctx, a, j); err != nil {
			return added, err
		}
	}
	for _, ans := range s.Answers {
		var n int
		if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM law_answers WHERE jurisdiction = $1 AND question = $2 AND as_of = $3 AND starting = $4",
			ans.Jurisdiction, ans.Question, ans.AsOf, true).Scan(&n); err != nil {
			return added, err
		}
		if n > 0 {
			continue
		}
		x := &LawAnswer{Answer: ans, Status: LawApproved, Starting: true, Respondent: "buyright starting content"}
		if err := db.CreateLawAnswer(ctx, a, x); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}
