package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"buyright/internal/access"
	"buyright/internal/audit"
	"buyright/internal/catalog"
	"buyright/internal/lawmap"
	"buyright/internal/model"
)

// Jurisdictions and law-map questions, kept by Lab editors in the
// interface. Every change is written to the audit log with the old and the
// new words of each field that changed, and LabMapHistory reads it back.

// JurisdictionKinds are the kinds of jurisdiction.
var JurisdictionKinds = []string{"country", "bloc"}

// seedJurisdiction adds a shipped jurisdiction unless one with its code
// exists: running the seed again must not undo an editor's renaming.
func (db *DB) seedJurisdiction(ctx context.Context, a Actor, j lawmap.Jurisdiction) error {
	if !lawmap.ValidCode(j.Code) || j.Name == "" {
		return model.FieldErrors{"lab_jurisdiction": "invalid.choice"}.Err()
	}
	return db.tx(ctx, "jurisdiction", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO jurisdictions (code, name, kind) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING", j.Code, j.Name, j.Kind)
		if err != nil {
			return fmt.Errorf("store: jurisdiction %s: %w", j.Code, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return db.appendAudit(ctx, tx, a, 0, "jurisdiction", 0, "create", map[string]any{"code": j.Code, "name": j.Name, "kind": j.Kind})
	})
}

// PutJurisdiction adds a jurisdiction or changes the name or kind of one,
// for a Lab editor. It reports whether it added one; a change that changes
// nothing writes nothing.
func (db *DB) PutJurisdiction(ctx context.Context, a Actor, j lawmap.Jurisdiction) (bool, error) {
	j.Name = model.CleanLine(j.Name)
	fe := model.FieldErrors{}
	if !lawmap.ValidCode(j.Code) {
		fe.Add("jur_code", "lab.map.invalid_jurisdiction")
	}
	if j.Name == "" {
		fe.Add("jur_name", "invalid.required")
	} else if model.TooLong(j.Name, 120) {
		fe.Add("jur_name", "invalid.too_long")
	}
	if !oneOfStr(j.Kind, JurisdictionKinds) {
		fe.Add("jur_kind", "invalid.choice")
	}
	if err := fe.Err(); err != nil {
		return false, err
	}
	created := false
	err := db.tx(ctx, "jurisdiction", func(tx *sql.Tx) error {
		if _, err := labRequire(ctx, tx, a, access.LabEditMap, ""); err != nil {
			return err
		}
		var old lawmap.Jurisdiction
		err := tx.QueryRowContext(ctx, "SELECT code, name, kind FROM jurisdictions WHERE code = $1", j.Code).Scan(&old.Code, &old.Name, &old.Kind)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			created = true
			_, err := tx.ExecContext(ctx, "INSERT INTO jurisdictions (code, name, kind) VALUES ($1, $2, $3)", j.Code, j.Name, j.Kind)
			if uniqueViolation(err) { // added by another editor a moment ago
				return model.FieldErrors{"jur_code": "lab.map.jurisdiction_added"}.Err()
			}
			if err != nil {
				return fmt.Errorf("store: jurisdiction %s: %w", j.Code, err)
			}
			return db.appendAudit(ctx, tx, a, 0, "jurisdiction", 0, "create", map[string]any{"code": j.Code, "name": j.Name, "kind": j.Kind})
		case err != nil:
			return fmt.Errorf("store: jurisdiction %s: %w", j.Code, err)
		}
		changes := map[string]Change{}
		if old.Name != j.Name {
			changes["name"] = Change{old.Name, j.Name}
		}
		if old.Kind != j.Kind {
			changes["kind"] = Change{old.Kind, j.Kind}
		}
		if len(changes) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE jurisdictions SET name = $1, kind = $2 WHERE code = $3", j.Name, j.Kind, j.Code); err != nil {
			return fmt.Errorf("store: jurisdiction %s: %w", j.Code, err)
		}
		return db.appendAudit(ctx, tx, a, 0, "jurisdiction", 0, "edit", map[string]any{"code": j.Code, "changes": changes})
	})
	return created, err
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

// LabQuestionDefs lists the questions editors added or reworded, in the
// order they were first saved.
func (db *DB) LabQuestionDefs(ctx context.Context) ([]lawmap.QuestionDef, error) {
	return labQuestionDefs(ctx, db.read, "")
}

// LabQuestionDefs queues the read of LabQuestionDefs into out.
func (b *Batch) LabQuestionDefs(out *[]lawmap.QuestionDef) {
	b.read("lab questions", labQuestionsQuery+" ORDER BY created_at, code", nil, appendRow(out, scanQuestionDef))
}

const labQuestionsQuery = "SELECT code, group_code, title_en, title_pt, title_es, title_fr, help_en FROM lab_questions"

func scanQuestionDef(rs rowScanner) (lawmap.QuestionDef, error) {
	d := lawmap.QuestionDef{Title: catalog.Text{}}
	var en, pt, es, fr string
	err := rs.Scan(&d.ID, &d.Group, &en, &pt, &es, &fr, &d.Help)
	d.Title["en"], d.Title["pt"], d.Title["es"], d.Title["fr"] = en, pt, es, fr
	return d, err
}

func labQuestionDefs(ctx context.Context, q labQuerier, code string) ([]lawmap.QuestionDef, error) {
	query := labQuestionsQuery
	var args []any
	if code != "" {
		query += " WHERE code = $1"
		args = append(args, code)
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY created_at, code", args...)
	if err != nil {
		return nil, fmt.Errorf("store: lab questions: %w", err)
	}
	defer rows.Close()
	var out []lawmap.QuestionDef
	for rows.Next() {
		d, err := scanQuestionDef(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// PutLabQuestion adds a question (isNew) or rewords one, for a Lab editor.
// builtin is the questionnaire shipped with buyright; the check runs
// against it with every saved change applied, read in the same
// transaction, so two editors cannot both add one identifier.
func (db *DB) PutLabQuestion(ctx context.Context, a Actor, builtin *lawmap.Questionnaire, d lawmap.QuestionDef, isNew bool) error {
	d.Help = model.CleanText(d.Help)
	for _, l := range lawmap.TitleLangs {
		d.Title[l] = model.CleanLine(d.Title[l])
	}
	return db.tx(ctx, "lab question", func(tx *sql.Tx) error {
		if _, err := labRequire(ctx, tx, a, access.LabEditMap, ""); err != nil {
			return err
		}
		saved, err := labQuestionDefs(ctx, tx, "")
		if err != nil {
			return err
		}
		cur := builtin.With(saved)
		if fe := lawmap.CheckQuestion(cur, &d, isNew); len(fe) > 0 {
			return model.FieldErrors(fe).Err()
		}
		now := db.now()
		old, existed := cur.Def(d.ID)
		if !existed {
			_, err := tx.ExecContext(ctx, `INSERT INTO lab_questions (code, group_code, title_en, title_pt, title_es, title_fr, help_en, created_by, created_at, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9)`, d.ID, d.Group, d.Title["en"], d.Title["pt"], d.Title["es"], d.Title["fr"], d.Help, nullID(a.UserID), now)
			if uniqueViolation(err) { // added by another editor a moment ago
				return model.FieldErrors{"lab_code": "lab.map.code_taken"}.Err()
			}
			if err != nil {
				return fmt.Errorf("store: lab question %s: %w", d.ID, err)
			}
			return db.appendAudit(ctx, tx, a, 0, "lab_question", 0, "create", map[string]any{"code": d.ID, "group": d.Group, "title": d.Title, "help": d.Help})
		}
		changes := map[string]Change{}
		if old.Group != d.Group {
			changes["group"] = Change{old.Group, d.Group}
		}
		for _, l := range lawmap.TitleLangs {
			if old.Title[l] != d.Title[l] {
				changes["title_"+l] = Change{old.Title[l], d.Title[l]}
			}
		}
		if old.Help != d.Help {
			changes["help"] = Change{old.Help, d.Help}
		}
		if len(changes) == 0 {
			return nil
		}
		// A built-in question reworded for the first time gets its row now.
		res, err := tx.ExecContext(ctx, `UPDATE lab_questions SET group_code = $1, title_en = $2, title_pt = $3, title_es = $4, title_fr = $5, help_en = $6,
			updated_by = $7, updated_at = $8 WHERE code = $9`, d.Group, d.Title["en"], d.Title["pt"], d.Title["es"], d.Title["fr"], d.Help, nullID(a.UserID), now, d.ID)
		if err != nil {
			return fmt.Errorf("store: lab question %s: %w", d.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO lab_questions (code, group_code, title_en, title_pt, title_es, title_fr, help_en, created_by, created_at, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9)`, d.ID, d.Group, d.Title["en"], d.Title["pt"], d.Title["es"], d.Title["fr"], d.Help, nullID(a.UserID), now); err != nil {
				return fmt.Errorf("store: lab question %s: %w", d.ID, err)
			}
		}
		return db.appendAudit(ctx, tx, a, 0, "lab_question", 0, "edit", map[string]any{"code": d.ID, "changes": changes})
	})
}

// LabMapChange is one entry of the history of jurisdictions and questions.
type LabMapChange struct {
	At      time.Time
	Actor   string
	Kind    string // jurisdiction or lab_question
	Action  string // create or edit
	Code    string
	Changes map[string]Change // for edits
	Created map[string]string // for additions: the values given
}

// LabMapHistory lists the newest changes to jurisdictions and questions,
// read from the audit log, optionally for one code only.
func (db *DB) LabMapHistory(ctx context.Context, code string, limit int) ([]LabMapChange, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT at, actor, object_type, action, detail FROM audit_log
		WHERE object_type IN ('jurisdiction', 'lab_question') ORDER BY id DESC LIMIT $1`, 2000)
	if err != nil {
		return nil, fmt.Errorf("store: lab map history: %w", err)
	}
	defer rows.Close()
	var out []LabMapChange
	for rows.Next() && len(out) < limit {
		var c LabMapChange
		var at, detail string
		if err := rows.Scan(&at, &c.Actor, &c.Kind, &c.Action, &detail); err != nil {
			return nil, fmt.Errorf("store: lab map history: %w", err)
		}
		var d struct {
			Code    string            `json:"code"`
			Changes map[string]Change `json:"changes"`
		}
		if err := json.Unmarshal([]byte(detail), &d); err != nil {
			return nil, fmt.Errorf("store: lab map history: %w", err)
		}
		if code != "" && d.Code != code {
			continue
		}
		c.Code, c.Changes = d.Code, d.Changes
		if c.Action == "create" || c.Action == "put" {
			var given map[string]any
			if err := json.Unmarshal([]byte(detail), &given); err != nil {
				return nil, fmt.Errorf("store: lab map history: %w", err)
			}
			c.Created = flatten(given)
			delete(c.Created, "code")
		}
		if c.At, err = time.Parse(audit.TimeLayout, at); err != nil {
			return nil, fmt.Errorf("store: lab map history: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// flatten turns a decoded detail into field: text, a title in several
// languages into one field per language.
func flatten(m map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			for l, x := range sub {
				out[k+"_"+l] = fmt.Sprint(x)
			}
			continue
		}
		out[k] = fmt.Sprint(v)
	}
	return out
}
