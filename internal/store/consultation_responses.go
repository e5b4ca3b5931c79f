package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"buyright/internal/assessment"
	"buyright/internal/consultation"
	"buyright/internal/model"
)

// Responses to consultations, the body's answers and the report.

// ResponseInput is a response to store. The caller has checked who may
// send it, cleaned the answers (consultation.NormalizeAnswers) and checked
// the files; for a public response it has hashed the receipt code, and
// Seal, when the person gave a name and contact, seals them bound to the
// new response's id.
type ResponseInput struct {
	Kind     consultation.Kind
	OrgID    int64 // Organisation responses
	UserID   int64 // the person who sent an organisation's response
	Lang     string
	Answers  []string
	Lookup   string // public responses: the receipt code's first digits
	CodeHash string // and the argon2id hash of the whole code
	Seal     func(id int64) []byte
	Files    []consultation.File
}

// AddConsultationResponse stores a response while the consultation takes
// them: the status and deadline are read again inside the transaction, so
// a response sent as the deadline passes is refused rather than slipped in
// after the body started its report. An organisation's response needs its
// invitation. A public response's audit row says that a response came,
// never from whom.
func (db *DB) AddConsultationResponse(ctx context.Context, c *consultation.Consultation, in ResponseInput) (int64, error) {
	if in.Kind != consultation.Public && in.Kind != consultation.Organisation {
		return 0, fmt.Errorf("store: response kind %q", in.Kind)
	}
	answers, err := json.Marshal(in.Answers)
	if err != nil {
		return 0, err
	}
	today := model.DateOf(db.now())
	var id int64
	err = db.tx(ctx, "consultation response", func(tx *sql.Tx) error {
		var st consultation.Status
		var deadline model.Date
		if err := tx.QueryRowContext(ctx, "SELECT status, deadline FROM consultations WHERE id = $1", c.ID).Scan(&st, &deadline); err != nil {
			return fmt.Errorf("store: consultation response: %w", err)
		}
		if st != consultation.Open || deadline.Before(today) {
			return model.Errorf(model.EConflict, "consult.closed", "this consultation no longer takes responses")
		}
		actor := Actor{Label: "public"}
		if in.Kind == consultation.Organisation {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM consultation_invitations WHERE consultation_id = $1 AND org_id = $2", c.ID, in.OrgID).Scan(&n); err != nil {
				return err
			}
			if n == 0 || in.UserID == 0 {
				return model.Forbidden()
			}
			actor = Actor{UserID: in.UserID, Label: "organisation"}
			in.Lookup, in.CodeHash, in.Seal = "", "", nil
		} else {
			in.OrgID, in.UserID = 0, 0
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO consultation_responses (consultation_id, kind, org_id, user_id, lang, answers, lookup, code_hash, received_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			c.ID, in.Kind, nullID(in.OrgID), nullID(in.UserID), in.Lang, string(answers), in.Lookup, in.CodeHash, today).Scan(&id); err != nil {
			return fmt.Errorf("store: consultation response: %w", err)
		}
		if in.Seal != nil {
			if _, err := tx.ExecContext(ctx, "UPDATE consultation_responses SET identity = $1 WHERE id = $2", in.Seal(id), id); err != nil {
				return fmt.Errorf("store: consultation response identity: %w", err)
			}
		}
		for _, f := range in.Files {
			b, err := db.blobFor(ctx, tx, f.Data, f.SHA256)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO consultation_files (response_id, name, ctype, sha256, size) VALUES ($1, $2, $3, $4, $5)", id, f.Name, f.CType, b.SHA256, b.Size); err != nil {
				return fmt.Errorf("store: consultation file: %w", err)
			}
		}
		detail := map[string]any{"consultation": c.ID, "response": id, "kind": in.Kind}
		if in.Kind == consultation.Organisation {
			detail["org_id"] = in.OrgID
		}
		return db.appendAudit(ctx, tx, actor, c.OrgID, "purchase", c.PurchaseID, "consultation_response", detail)
	})
	return id, err
}

const responseColumns = `r.id, r.consultation_id, r.kind, COALESCE(r.org_id, 0), COALESCE(o.name, ''), r.lang, r.answers,
	r.identity IS NOT NULL, r.received_on, COALESCE(r.answer_id, 0), r.hidden_on, r.hidden_rule, r.hidden_reason, r.identity_erased_on`

const responseFrom = ` FROM consultation_responses r LEFT JOIN organisations o ON o.id = r.org_id`

func scanResponse(row interface{ Scan(...any) error }) (*consultation.Response, error) {
	r := &consultation.Response{}
	var answers string
	var hiddenOn model.Date
	var rule, reason string
	if err := row.Scan(&r.ID, &r.ConsultationID, &r.Kind, &r.OrgID, &r.OrgName, &r.Lang, &answers,
		&r.Named, &r.ReceivedOn, &r.AnswerID, &hiddenOn, &rule, &reason, &r.IdentityErasedOn); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
		return nil, fmt.Errorf("store: response %d: %w", r.ID, err)
	}
	if !hiddenOn.IsZero() {
		r.Hidden = &consultation.Hiding{Rule: rule, Reason: reason, On: hiddenOn}
	}
	return r, nil
}

// responses runs a query over responseColumns and lists each response's
// files (without their data).
func (db *DB) responses(ctx context.Context, q string, args ...any) ([]*consultation.Response, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: responses: %w", err)
	}
	var out []*consultation.Response
	byID := map[int64]*consultation.Response{}
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
		byID[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	args = args[:0]
	marks := make([]string, 0, len(out))
	for _, r := range out {
		args = append(args, r.ID)
		marks = append(marks, fmt.Sprintf("$%d", len(args)))
	}
	frows, err := db.read.QueryContext(ctx, "SELECT id, response_id, name, ctype FROM consultation_files WHERE response_id IN ("+strings.Join(marks, ",")+") ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: response files: %w", err)
	}
	defer frows.Close()
	for frows.Next() {
		var f consultation.File
		var rid int64
		if err := frows.Scan(&f.ID, &rid, &f.Name, &f.CType); err != nil {
			return nil, err
		}
		byID[rid].Files = append(byID[rid].Files, f)
	}
	return out, frows.Err()
}

// ConsultationResponses lists a consultation's responses, oldest first.
func (db *DB) ConsultationResponses(ctx context.Context, consultationID int64) ([]*consultation.Response, error) {
	return db.responses(ctx, "SELECT "+responseColumns+responseFrom+" WHERE r.consultation_id = $1 ORDER BY r.id", consultationID)
}

// ConsultationResponse returns one response.
func (db *DB) ConsultationResponse(ctx context.Context, id int64) (*consultation.Response, error) {
	rs, err := db.responses(ctx, "SELECT "+responseColumns+responseFrom+" WHERE r.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, model.NotFound("response")
	}
	return rs[0], nil
}

// OrgResponses lists the responses an organisation sent from its
// account, newest first: its people read them whatever became of them.
func (db *DB) OrgResponses(ctx context.Context, orgID int64) ([]*consultation.Response, error) {
	return db.responses(ctx, "SELECT "+responseColumns+responseFrom+" WHERE r.org_id = $1 AND r.kind = 'organisation' ORDER BY r.id DESC", orgID)
}

// ResponseCode is what finds a public response from its receipt code.
type ResponseCode struct {
	ID       int64
	CodeHash string
}

// ResponsesByLookup returns the public responses whose code starts with
// lookup; the caller checks the code against each hash.
func (db *DB) ResponsesByLookup(ctx context.Context, lookup string) ([]ResponseCode, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id, code_hash FROM consultation_responses WHERE lookup = $1 AND kind = 'public'", lookup)
	if err != nil {
		return nil, fmt.Errorf("store: responses by code: %w", err)
	}
	defer rows.Close()
	var out []ResponseCode
	for rows.Next() {
		var x ResponseCode
		if err := rows.Scan(&x.ID, &x.CodeHash); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ResponseIdentity returns a response's sealed name and contact, or nil.
func (db *DB) ResponseIdentity(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := db.read.QueryRowContext(ctx, "SELECT identity FROM consultation_responses WHERE id = $1", id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("response")
	}
	return b, err
}

// ConsultationFile returns one attachment of a response, to stream its blob.
func (db *DB) ConsultationFile(ctx context.Context, responseID, fileID int64) (*consultation.File, error) {
	f := &consultation.File{ID: fileID}
	err := db.read.QueryRowContext(ctx, "SELECT name, ctype, sha256, size FROM consultation_files WHERE id = $1 AND response_id = $2", fileID, responseID).Scan(&f.Name, &f.CType, &f.SHA256, &f.Size)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("file")
	}
	return f, err
}

// HideResponse hides a response of consultation c, citing a moderation
// rule with a public reason. A response is hidden once, and never edited
// or deleted: its words stay for the body, the oversight body and the
// organisation that sent them.
func (db *DB) HideResponse(ctx context.Context, a Actor, c *consultation.Consultation, responseID int64, rule, reason string) error {
	reason, fe := consultation.HideProblems(rule, reason)
	if err := fe.Err(); err != nil {
		return err
	}
	return db.tx(ctx, "hide response", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE consultation_responses SET hidden_on = $1, hidden_rule = $2, hidden_reason = $3, hidden_by = $4
			WHERE id = $5 AND consultation_id = $6 AND hidden_on IS NULL`, model.DateOf(db.now()), rule, reason, nullID(a.UserID), responseID, c.ID)
		if err != nil {
			return fmt.Errorf("store: hide response: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.Errorf(model.EConflict, "consult.hide_again", "this response is hidden already, or is not part of this consultation")
		}
		return db.appendAudit(ctx, tx, a, c.OrgID, "purchase", c.PurchaseID, "consultation_hide", map[string]any{"consultation": c.ID, "response": responseID, "rule": rule, "reason": reason})
	})
}

// SaveAnswer writes the body's answer (new when ans.ID is 0) and makes it
// the answer of the given responses of c, which are then no longer
// answered by any other. An answer changes only until the report is out.
func (db *DB) SaveAnswer(ctx context.Context, a Actor, c *consultation.Consultation, ans *consultation.Answer, responses []int64) error {
	fe := ans.Validate()
	if len(responses) == 0 {
		fe.Add("a_responses", "consult.answer_needs_responses")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	now := db.now()
	return db.tx(ctx, "consultation answer", func(tx *sql.Tx) error {
		var st consultation.Status
		if err := tx.QueryRowContext(ctx, "SELECT status FROM consultations WHERE id = $1", c.ID).Scan(&st); err != nil {
			return fmt.Errorf("store: consultation answer: %w", err)
		}
		if st != consultation.Open {
			return model.FieldErrors{"_form": "consult.answer_frozen"}.Err()
		}
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		if ans.ID == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO consultation_answers (consultation_id, said, did, why_not, outcome, by_user, by_name, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, c.ID, ans.Said, ans.Did, ans.WhyNot, ans.Outcome, nullID(a.UserID), name, now, now).Scan(&ans.ID); err != nil {
				return fmt.Errorf("store: consultation answer: %w", err)
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE consultation_answers SET said = $1, did = $2, why_not = $3, outcome = $4, by_user = $5, by_name = $6, updated_at = $7
				WHERE id = $8 AND consultation_id = $9`, ans.Said, ans.Did, ans.WhyNot, ans.Outcome, nullID(a.UserID), name, now, ans.ID, c.ID)
			if err != nil {
				return fmt.Errorf("store: consultation answer: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return model.NotFound("answer")
			}
			if _, err := tx.ExecContext(ctx, "UPDATE consultation_responses SET answer_id = NULL WHERE answer_id = $1", ans.ID); err != nil {
				return fmt.Errorf("store: consultation answer: %w", err)
			}
		}
		for _, rid := range responses {
			res, err := tx.ExecContext(ctx, "UPDATE consultation_responses SET answer_id = $1 WHERE id = $2 AND consultation_id = $3", ans.ID, rid, c.ID)
			if err != nil {
				return fmt.Errorf("store: consultation answer: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return model.FieldErrors{"a_responses": "invalid.choice"}.Err()
			}
		}
		ans.Responses, ans.By, ans.At = responses, name, now
		return db.appendAudit(ctx, tx, a, c.OrgID, "purchase", c.PurchaseID, "consultation_answer", map[string]any{"consultation": c.ID, "answer": ans.ID, "outcome": ans.Outcome, "responses": responses})
	})
}

// ConsultationAnswers lists a consultation's answers, oldest first, each
// with the responses it answers.
func (db *DB) ConsultationAnswers(ctx context.Context, consultationID int64) ([]*consultation.Answer, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, said, did, why_not, outcome, by_name, updated_at FROM consultation_answers
		WHERE consultation_id = $1 ORDER BY id`, consultationID)
	if err != nil {
		return nil, fmt.Errorf("store: consultation answers: %w", err)
	}
	var out []*consultation.Answer
	byID := map[int64]*consultation.Answer{}
	for rows.Next() {
		a := &consultation.Answer{ConsultationID: consultationID}
		if err := rows.Scan(&a.ID, &a.Said, &a.Did, &a.WhyNot, &a.Outcome, &a.By, &a.At); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rrows, err := db.read.QueryContext(ctx, "SELECT id, answer_id FROM consultation_responses WHERE consultation_id = $1 AND answer_id IS NOT NULL ORDER BY id", consultationID)
	if err != nil {
		return nil, fmt.Errorf("store: consultation answers: %w", err)
	}
	defer rrows.Close()
	for rrows.Next() {
		var rid, aid int64
		if err := rrows.Scan(&rid, &aid); err != nil {
			return nil, err
		}
		if a := byID[aid]; a != nil {
			a.Responses = append(a.Responses, rid)
		}
	}
	return out, rrows.Err()
}

// SaveReportWords saves the report's conclusions in each language of the
// consultation, before it is published (c.Rev is the revision read).
func (db *DB) SaveReportWords(ctx context.Context, a Actor, c *consultation.Consultation, words map[string]string) error {
	fe := model.FieldErrors{}
	for i, t := range c.Texts {
		c.Texts[i].Report = model.CleanText(words[t.Lang])
		if model.TooLong(c.Texts[i].Report, 20000) {
			fe.Add(consultation.FieldName("report", t.Lang), "invalid.too_long")
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.tx(ctx, "consultation report words", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE consultations SET rev = rev + 1, updated_at = $1 WHERE id = $2 AND rev = $3 AND status = 'open'", db.now(), c.ID, c.Rev)
		if err != nil {
			return fmt.Errorf("store: report words: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStaleConsultation()
		}
		c.Rev++
		for _, t := range c.Texts {
			if _, err := tx.ExecContext(ctx, "UPDATE consultation_texts SET report = $1 WHERE consultation_id = $2 AND lang = $3", t.Report, c.ID, t.Lang); err != nil {
				return fmt.Errorf("store: report words: %w", err)
			}
		}
		return db.appendAudit(ctx, tx, a, c.OrgID, "purchase", c.PurchaseID, "consultation_report_words", map[string]any{"consultation": c.ID})
	})
}

// PublishConsultationReport publishes the report of consultation c on
// purchase p, once the consultation is past its deadline, every response
// not hidden is answered and the conclusions are written in each of its
// languages. In the same transaction the report joins the assessment's
// engagement record as a held engagement (replacing one recorded from the
// same consultation before), the purchase's register entry is refreshed,
// and the audit log says who published it.
func (db *DB) PublishConsultationReport(ctx context.Context, a Actor, p *model.Purchase, c *consultation.Consultation, e assessment.Engagement, catalogHash string) error {
	today := model.DateOf(db.now())
	return db.tx(ctx, "publish consultation report", func(tx *sql.Tx) error {
		var rev int64
		if err := tx.QueryRowContext(ctx, "SELECT rev FROM consultations WHERE id = $1", c.ID).Scan(&rev); err != nil {
			return fmt.Errorf("store: publish report: %w", err)
		}
		if rev != c.Rev {
			return errStaleConsultation()
		}
		rs, err := responseStates(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if err := c.ReportProblems(rs, today).Err(); err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE consultations SET status = 'reported', reported_at = $1, reported_by = $2, rev = rev + 1, updated_at = $1
			WHERE id = $3 AND rev = $4 AND status = 'open'`, now, nullID(a.UserID), c.ID, c.Rev)
		if err != nil {
			return fmt.Errorf("store: publish report: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStaleConsultation()
		}
		e.Status, e.Source = assessment.Held, consultation.EngagementSource(c.ID)
		if _, err := db.editAssessmentTx(ctx, tx, a, p, "engagement", catalogHash, func(d *assessment.Doc) error {
			for i := range d.Engagements {
				if d.Engagements[i].Source == e.Source {
					e.ID = d.Engagements[i].ID
					d.Engagements[i] = e
					return nil
				}
			}
			e.ID = d.NewID()
			d.Engagements = append(d.Engagements, e)
			return nil
		}); err != nil {
			return err
		}
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		c.Status, c.ReportedAt = consultation.Reported, now
		c.Rev++
		n := consultation.Count(rs)
		return db.appendAudit(ctx, tx, a, c.OrgID, "purchase", p.ID, "consultation_report", map[string]any{
			"consultation": c.ID, "responses": n.Responses, "hidden": n.Hidden, "engagement": e.ID})
	})
}

// RegisterConsultations lists the consultations of a purchase that anyone
// may read, newest first, with the figures of their responses, for its
// register entry.
func (db *DB) RegisterConsultations(ctx context.Context, purchaseID int64) ([]PublicConsultation, error) {
	cs, err := db.consultations(ctx, "SELECT "+consultationColumns+consultationFrom+" WHERE c.purchase_id = $1 AND c.status <> 'draft' ORDER BY c.id DESC", purchaseID)
	if err != nil {
		return nil, err
	}
	out := make([]PublicConsultation, 0, len(cs))
	for _, c := range cs {
		rs, err := db.ConsultationResponses(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, PublicConsultation{Consultation: c, Counts: consultation.Count(rs), State: c.Phase(model.DateOf(db.now()))})
	}
	return out, nil
}

// PublicConsultation is a consultation with its figures.
type PublicConsultation struct {
	*consultation.Consultation
	Counts consultation.Counts
	State  consultation.Phase // on the day it was read
}

// ImpactsFromResponses maps each response of consultation id that an
// impact of the newest assessment version came from to those impacts'
// ids, so the working page shows which points went into the assessment.
func (db *DB) ImpactsFromResponses(ctx context.Context, purchaseID, id int64) (map[int64][]int, error) {
	v, err := db.Assessment(ctx, purchaseID)
	if err != nil || v == nil {
		return nil, err
	}
	out := map[int64][]int{}
	for _, im := range v.Doc.Impacts {
		cid, rid, ok := consultation.ParseSource(im.Source)
		if ok && cid == id && rid != 0 && !slices.Contains(out[rid], im.ID) {
			out[rid] = append(out[rid], im.ID)
		}
	}
	return out, nil
}

// responseStates reads, inside tx, what the report's checks need of each
// response: its kind, whether it is hidden and whether it is answered.
func responseStates(ctx context.Context, tx *sql.Tx, consultationID int64) ([]*consultation.Response, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, kind, hidden_on IS NOT NULL, COALESCE(answer_id, 0) FROM consultation_responses WHERE consultation_id = $1", consultationID)
	if err != nil {
		return nil, fmt.Errorf("store: responses: %w", err)
	}
	defer rows.Close()
	var out []*consultation.Response
	for rows.Next() {
		r := &consultation.Response{ConsultationID: consultationID}
		var hidden bool
		if err := rows.Scan(&r.ID, &r.Kind, &hidden, &r.AnswerID); err != nil {
			return nil, err
		}
		if hidden {
			r.Hidden = &consultation.Hiding{}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
