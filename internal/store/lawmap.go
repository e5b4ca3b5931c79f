package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"buyright/internal/lawmap"
	"buyright/internal/model"
)

// Law-answer statuses: a respondent's proposal is a draft until a reviewer
// approves it; only approved answers reach the public law map.
const (
	LawDraft    = "draft"
	LawApproved = "approved"
)

// LawAnswer is a stored expert answer.
type LawAnswer struct {
	ID int64
	lawmap.Answer
	Status       string
	Starting     bool // shipped starting content, to be reviewed
	RespondentID int64
	Respondent   string
	ReviewerID   int64
	CreatedAt    time.Time
	ApprovedAt   *time.Time
}

// PutJurisdiction adds a jurisdiction or renames it.
func (db *DB) PutJurisdiction(ctx context.Context, a Actor, j lawmap.Jurisdiction) error {
	if !lawmap.ValidCode(j.Code) || j.Name == "" {
		return model.FieldErrors{"lab_jurisdiction": "invalid.choice"}.Err()
	}
	return db.tx(ctx, "jurisdiction", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO jurisdictions (code, name, kind) VALUES ($1, $2, $3)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind`, j.Code, j.Name, j.Kind); err != nil {
			return fmt.Errorf("store: jurisdiction: %w", err)
		}
		return db.appendAudit(ctx, tx, a, 0, "jurisdiction", 0, "put", j)
	})
}

// Jurisdictions lists every jurisdiction by code.
func (db *DB) Jurisdictions(ctx context.Context) ([]lawmap.Jurisdiction, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT code, name, kind FROM jurisdictions ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("store: jurisdictions: %w", err)
	}
	defer rows.Close()
	var out []lawmap.Jurisdiction
	for rows.Next() {
		var j lawmap.Jurisdiction
		if err := rows.Scan(&j.Code, &j.Name, &j.Kind); err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// CreateLawAnswer stores an answer that Check has accepted. status is
// LawDraft for a proposal; LawApproved only for shipped starting content.
func (db *DB) CreateLawAnswer(ctx context.Context, a Actor, ans *LawAnswer) error {
	cites, err := json.Marshal(ans.Citations)
	if err != nil {
		return err
	}
	if ans.Status != LawApproved {
		ans.Status = LawDraft
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
		err := tx.QueryRowContext(ctx, `INSERT INTO law_answers (jurisdiction, question, answer, explanation, citations, judgement, as_of, status, starting,
			respondent_id, respondent, reviewer_id, created_at, approved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			ans.Jurisdiction, ans.Question, ans.Answer.Answer, ans.Explanation, string(cites), ans.Judgement, ans.AsOf, ans.Status, ans.Starting,
			nullID(a.UserID), ans.Respondent, nullID(ans.ReviewerID), ans.CreatedAt, ans.ApprovedAt).Scan(&ans.ID)
		if err != nil {
			return fmt.Errorf("store: law answer: %w", err)
		}
		return db.appendAudit(ctx, tx, a, 0, "law_answer", ans.ID, "create", map[string]any{
			"jurisdiction": ans.Jurisdiction, "question": ans.Question, "answer": ans.Answer.Answer, "as_of": ans.AsOf, "status": ans.Status, "starting": ans.Starting})
	})
}

// ApproveLawAnswer makes a draft answer public.
func (db *DB) ApproveLawAnswer(ctx context.Context, a Actor, id int64) error {
	return db.tx(ctx, "approve law answer", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE law_answers SET status = $1, reviewer_id = $2, approved_at = $3 WHERE id = $4 AND status = $5",
			LawApproved, nullID(a.UserID), db.now(), id, LawDraft)
		if err != nil {
			return fmt.Errorf("store: approve law answer: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.NotFound("law answer")
		}
		return db.appendAudit(ctx, tx, a, 0, "law_answer", id, "approve", nil)
	})
}

const lawColumns = `id, jurisdiction, question, answer, explanation, citations, judgement, as_of, status, starting,
	COALESCE(respondent_id, 0), respondent, COALESCE(reviewer_id, 0), created_at, approved_at`

func scanLawAnswer(sc interface{ Scan(...any) error }) (*LawAnswer, error) {
	var x LawAnswer
	var cites string
	var approved sql.NullTime
	if err := sc.Scan(&x.ID, &x.Jurisdiction, &x.Question, &x.Answer.Answer, &x.Explanation, &cites, &x.Judgement, &x.AsOf, &x.Status, &x.Starting,
		&x.RespondentID, &x.Respondent, &x.ReviewerID, &x.CreatedAt, &approved); err != nil {
		return nil, err
	}
	if approved.Valid {
		t := approved.Time
		x.ApprovedAt = &t
	}
	if err := json.Unmarshal([]byte(cites), &x.Citations); err != nil {
		return nil, fmt.Errorf("store: law answer %d citations: %w", x.ID, err)
	}
	return &x, nil
}

func (db *DB) lawAnswers(ctx context.Context, where string, args ...any) ([]*LawAnswer, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+lawColumns+" FROM law_answers WHERE "+where+" ORDER BY jurisdiction, question, as_of, id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: law answers: %w", err)
	}
	defer rows.Close()
	var out []*LawAnswer
	for rows.Next() {
		x, err := scanLawAnswer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ApprovedLawAnswers lists every approved answer, oldest as_of first per
// jurisdiction and question: the whole history of the public map.
func (db *DB) ApprovedLawAnswers(ctx context.Context) ([]*LawAnswer, error) {
	return db.lawAnswers(ctx, "status = $1", LawApproved)
}

// ApprovedLawAnswersIn is ApprovedLawAnswers for some jurisdictions only
// (a buyer's own and its bloc's), for the purchase page.
func (db *DB) ApprovedLawAnswersIn(ctx context.Context, jurisdictions []string) ([]*LawAnswer, error) {
	if len(jurisdictions) == 0 {
		return nil, nil
	}
	args := []any{LawApproved}
	var marks []string
	for _, j := range jurisdictions {
		args = append(args, j)
		marks = append(marks, fmt.Sprintf("$%d", len(args)))
	}
	return db.lawAnswers(ctx, "status = $1 AND jurisdiction IN ("+strings.Join(marks, ", ")+")", args...)
}

// DraftLawAnswers lists the answers waiting for a reviewer.
func (db *DB) DraftLawAnswers(ctx context.Context) ([]*LawAnswer, error) {
	return db.lawAnswers(ctx, "status = $1", LawDraft)
}

// LawAnswerByID returns one answer, draft or approved.
func (db *DB) LawAnswerByID(ctx context.Context, id int64) (*LawAnswer, error) {
	x, err := scanLawAnswer(db.read.QueryRowContext(ctx, "SELECT "+lawColumns+" FROM law_answers WHERE id = $1", id))
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
		if err := db.PutJurisdiction(ctx, a, j); err != nil {
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
