package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"buyright/internal/disclosure"
	"buyright/internal/model"
)

// Documents published on the register, in full or redacted. Both files
// are purchase_files of kind "disclosure"; the full one is read only
// through the body's own file route (owner and oversight). The public
// route asks PublicDisclosureFile, which hands out the redacted file until
// the document is republished in full, and nothing for a draft or for a
// purchase that is not on the register.

// CreateDisclosure keeps a draft document with its full file and, when
// parts are to be held back, its redacted file.
func (db *DB) CreateDisclosure(ctx context.Context, a Actor, p *model.Purchase, d *disclosure.Document, full, redacted *PurchaseFile) error {
	if fe := d.Validate(); len(fe) > 0 {
		return fe.Err()
	}
	if full == nil {
		return model.FieldErrors{"full_file": "invalid.required"}.Err()
	}
	now := db.now()
	return db.tx(ctx, "disclosure", func(tx *sql.Tx) error {
		full.Kind, full.Ref = "disclosure", "full"
		if err := db.addPurchaseFile(ctx, tx, a, p, full, now); err != nil {
			return err
		}
		d.FullFileID = full.ID
		var red sql.NullInt64
		if redacted != nil {
			redacted.Kind, redacted.Ref = "disclosure", "redacted"
			if err := db.addPurchaseFile(ctx, tx, a, p, redacted, now); err != nil {
				return err
			}
			d.RedactedFileID, red = redacted.ID, sql.NullInt64{Int64: redacted.ID, Valid: true}
		}
		d.PurchaseID, d.Status, d.CreatedAt = p.ID, disclosure.StatusDraft, now
		if err := tx.QueryRowContext(ctx, `INSERT INTO disclosures (purchase_id, kind, title, description, full_file_id, redacted_file_id, status, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, p.ID, d.Kind, d.Title, d.Description, d.FullFileID, red, d.Status, nullID(a.UserID), now).Scan(&d.ID); err != nil {
			return fmt.Errorf("store: disclosure: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "disclosure_drafted", map[string]any{
			"document": d.ID, "kind": d.Kind, "title": d.Title, "full_file": full.SHA256, "redacted_file": red.Valid})
	})
}

const disclosureColumns = `d.id, d.purchase_id, d.kind, d.title, d.description, d.full_file_id, COALESCE(d.redacted_file_id, 0), d.status, d.in_full,
	d.published_name, d.published_at, d.created_at, f.name, f.ctype, f.size, COALESCE(g.name, ''), COALESCE(g.ctype, ''), COALESCE(g.size, 0)`

// disclosureFrom joins the two files' names, types and sizes (never their
// content).
const disclosureFrom = " FROM disclosures d JOIN purchase_files f ON f.id = d.full_file_id LEFT JOIN purchase_files g ON g.id = d.redacted_file_id"

func scanDisclosure(sc interface{ Scan(...any) error }) (*disclosure.Document, error) {
	d := &disclosure.Document{}
	var at sql.NullTime
	if err := sc.Scan(&d.ID, &d.PurchaseID, &d.Kind, &d.Title, &d.Description, &d.FullFileID, &d.RedactedFileID, &d.Status, &d.InFull,
		&d.PublishedBy, &at, &d.CreatedAt, &d.Full.Name, &d.Full.CType, &d.Full.Size, &d.Redacted.Name, &d.Redacted.CType, &d.Redacted.Size); err != nil {
		return nil, err
	}
	d.PublishedAt = at.Time
	return d, nil
}

// Disclosures lists a purchase's documents, oldest first, with their
// redactions and reviews; publishedOnly leaves drafts out.
func (db *DB) Disclosures(ctx context.Context, purchaseID int64, publishedOnly bool) ([]*disclosure.Document, error) {
	q := "SELECT " + disclosureColumns + disclosureFrom + " WHERE d.purchase_id = $1"
	if publishedOnly {
		q += " AND d.status = 'published'"
	}
	rows, err := db.read.QueryContext(ctx, q+" ORDER BY d.id", purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: disclosures: %w", err)
	}
	var out []*disclosure.Document
	byID := map[int64]*disclosure.Document{}
	for rows.Next() {
		d, err := scanDisclosure(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: disclosures: %w", err)
		}
		out = append(out, d)
		byID[d.ID] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	if err := db.fillRedactions(ctx, db.read, purchaseID, byID); err != nil {
		return nil, err
	}
	return out, nil
}

func (db *DB) fillRedactions(ctx context.Context, q rowsQueryer, purchaseID int64, byID map[int64]*disclosure.Document) error {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.disclosure_id, r.ground, r.location, r.reason, r.lapses_on, r.agreed_name, r.agreed_at, r.lifted_at
		FROM redactions r JOIN disclosures d ON d.id = r.disclosure_id WHERE d.purchase_id = $1 ORDER BY r.id`, purchaseID)
	if err != nil {
		return fmt.Errorf("store: redactions: %w", err)
	}
	type ref struct{ doc, i int }
	where := map[int64]ref{}
	for rows.Next() {
		var r disclosure.Redaction
		var agreed, lifted sql.NullTime
		if err := rows.Scan(&r.ID, &r.DocumentID, &r.Ground, &r.Location, &r.Reason, &r.LapsesOn, &r.AgreedBy, &agreed, &lifted); err != nil {
			rows.Close()
			return fmt.Errorf("store: redactions: %w", err)
		}
		r.AgreedAt, r.LiftedAt = agreed.Time, lifted.Time
		if d := byID[r.DocumentID]; d != nil {
			d.Redactions = append(d.Redactions, r)
			where[r.ID] = ref{int(r.DocumentID), len(d.Redactions) - 1}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT v.redaction_id, v.old_lapse, v.new_lapse, v.note, v.decided_name, v.decided_at
		FROM redaction_reviews v JOIN redactions r ON r.id = v.redaction_id JOIN disclosures d ON d.id = r.disclosure_id WHERE d.purchase_id = $1 ORDER BY v.id`, purchaseID)
	if err != nil {
		return fmt.Errorf("store: redaction reviews: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v disclosure.Review
		if err := rows.Scan(&id, &v.OldLapse, &v.NewLapse, &v.Note, &v.DecidedBy, &v.DecidedAt); err != nil {
			return fmt.Errorf("store: redaction reviews: %w", err)
		}
		if at, ok := where[id]; ok {
			d := byID[int64(at.doc)]
			d.Redactions[at.i].Reviews = append(d.Redactions[at.i].Reviews, v)
		}
	}
	return rows.Err()
}

// disclosureTx reads one document of a purchase, with its redactions,
// inside a change to it.
func (db *DB) disclosureTx(ctx context.Context, tx *sql.Tx, purchaseID, id int64) (*disclosure.Document, error) {
	d, err := scanDisclosure(tx.QueryRowContext(ctx, "SELECT "+disclosureColumns+disclosureFrom+" WHERE d.id = $1 AND d.purchase_id = $2", id, purchaseID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("document")
	}
	if err != nil {
		return nil, fmt.Errorf("store: disclosure: %w", err)
	}
	if err := db.fillRedactions(ctx, tx, purchaseID, map[int64]*disclosure.Document{d.ID: d}); err != nil {
		return nil, err
	}
	return d, nil
}

// Disclosure reads one document of a purchase.
func (db *DB) Disclosure(ctx context.Context, purchaseID, id int64) (*disclosure.Document, error) {
	all, err := db.Disclosures(ctx, purchaseID, false)
	if err != nil {
		return nil, err
	}
	for _, d := range all {
		if d.ID == id {
			return d, nil
		}
	}
	return nil, model.NotFound("document")
}

// AddRedaction records a part of a draft document to hold back, with its
// ground, what it is and why.
func (db *DB) AddRedaction(ctx context.Context, a Actor, p *model.Purchase, docID int64, r *disclosure.Redaction) error {
	if fe := r.Validate(model.DateOf(db.now())); len(fe) > 0 {
		return fe.Err()
	}
	return db.tx(ctx, "redaction", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		d, err := db.disclosureTx(ctx, tx, p.ID, docID)
		if err != nil {
			return err
		}
		if k := d.CanAddRedaction(); k != "" {
			return model.Errorf(model.EConflict, k, "the document's redactions cannot change now")
		}
		r.DocumentID = d.ID
		if err := tx.QueryRowContext(ctx, `INSERT INTO redactions (disclosure_id, ground, location, reason, lapses_on, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			d.ID, r.Ground, r.Location, r.Reason, r.LapsesOn, db.now()).Scan(&r.ID); err != nil {
			return fmt.Errorf("store: redaction: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "redaction_added", map[string]any{
			"document": d.ID, "redaction": r.ID, "ground": r.Ground, "location": r.Location, "reason": r.Reason, "lapses_on": r.LapsesOn})
	})
}

// RemoveRedaction takes a redaction off a draft.
func (db *DB) RemoveRedaction(ctx context.Context, a Actor, p *model.Purchase, docID, redactionID int64) error {
	return db.tx(ctx, "redaction", func(tx *sql.Tx) error {
		d, err := db.disclosureTx(ctx, tx, p.ID, docID)
		if err != nil {
			return err
		}
		if d.Published() {
			return model.Errorf(model.EConflict, "disclosure.err.published", "the document is published; its redactions cannot change")
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM redactions WHERE id = $1 AND disclosure_id = $2", redactionID, d.ID)
		if err != nil {
			return fmt.Errorf("store: redaction: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.NotFound("redaction")
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "redaction_removed", map[string]any{"document": d.ID, "redaction": redactionID})
	})
}

func (db *DB) fileSum(ctx context.Context, tx *sql.Tx, purchaseID, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var sum string
	if err := tx.QueryRowContext(ctx, "SELECT sha256 FROM purchase_files WHERE id = $1 AND purchase_id = $2", id, purchaseID).Scan(&sum); err != nil {
		return "", fmt.Errorf("store: disclosure file: %w", err)
	}
	return sum, nil
}

// PublishDisclosure publishes a draft: the approver a agrees to each of
// its redactions, and is named on each. A document without redactions is
// published in full. The register entry, its search words and its feed
// change in the same transaction.
func (db *DB) PublishDisclosure(ctx context.Context, a Actor, p *model.Purchase, docID int64) error {
	now := db.now()
	return db.tx(ctx, "publish document", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		d, err := db.disclosureTx(ctx, tx, p.ID, docID)
		if err != nil {
			return err
		}
		full, err := db.fileSum(ctx, tx, p.ID, d.FullFileID)
		if err != nil {
			return err
		}
		red, err := db.fileSum(ctx, tx, p.ID, d.RedactedFileID)
		if err != nil {
			return err
		}
		if k := d.PublishProblem(full, red); k != "" {
			return model.Errorf(model.EConflict, k, "the document cannot be published as it is")
		}
		name, err := db.actorName(ctx, tx, a)
		if err != nil {
			return err
		}
		inFull := len(d.Redactions) == 0
		if _, err := tx.ExecContext(ctx, `UPDATE disclosures SET status = 'published', in_full = $1, published_by = $2, published_name = $3, published_at = $4 WHERE id = $5`,
			inFull, nullID(a.UserID), name, now, d.ID); err != nil {
			return fmt.Errorf("store: publish document: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE redactions SET agreed_by = $1, agreed_name = $2, agreed_at = $3 WHERE disclosure_id = $4`, nullID(a.UserID), name, now, d.ID); err != nil {
			return fmt.Errorf("store: publish document: %w", err)
		}
		var grounds []string
		for _, r := range d.Redactions {
			grounds = append(grounds, r.Ground+": "+r.Location)
		}
		if err := db.documentChanged(ctx, tx, p.ID, "document_published"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "disclosure_published", map[string]any{
			"document": d.ID, "title": d.Title, "in_full": inFull, "redactions": grounds, "agreed_by": name})
	})
}

// RepublishInFull lifts every redaction of a published document: the
// public gets the full file from now on. Tasks about its lapsed grounds
// are closed with the reason.
func (db *DB) RepublishInFull(ctx context.Context, a Actor, p *model.Purchase, docID int64, note string) error {
	note = model.CleanText(note)
	if model.TooLong(note, 2000) {
		return model.FieldErrors{"note": "invalid.too_long"}.Err()
	}
	now := db.now()
	return db.tx(ctx, "republish in full", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		d, err := db.disclosureTx(ctx, tx, p.ID, docID)
		if err != nil {
			return err
		}
		if !d.Published() || d.InFull {
			return model.Errorf(model.EConflict, "disclosure.err.not_redacted", "only a published document with redactions can be republished in full")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE disclosures SET in_full = TRUE WHERE id = $1", d.ID); err != nil {
			return fmt.Errorf("store: republish: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE redactions SET lifted_at = $1 WHERE disclosure_id = $2 AND lifted_at IS NULL", now, d.ID); err != nil {
			return fmt.Errorf("store: republish: %w", err)
		}
		if err := db.closeLapseTask(ctx, tx, a, p, d.ID, "republished in full"); err != nil {
			return err
		}
		if err := db.documentChanged(ctx, tx, p.ID, "document_in_full"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "disclosure_in_full", map[string]any{"document": d.ID, "title": d.Title, "note": note})
	})
}

// ReviewRedaction records an approver's decision to keep a redaction
// (whose ground lapsed, or is about to): a new lapse date or none, and
// why. The approver is named on the redaction from now on. When no
// lapsed ground remains on the document its task is closed.
func (db *DB) ReviewRedaction(ctx context.Context, a Actor, p *model.Purchase, docID, redactionID int64, newLapse model.Date, note string) error {
	today := model.DateOf(db.now())
	now := db.now()
	return db.tx(ctx, "review redaction", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		d, err := db.disclosureTx(ctx, tx, p.ID, docID)
		if err != nil {
			return err
		}
		if !d.Published() {
			return model.Errorf(model.EConflict, "disclosure.err.draft", "a draft's redactions are changed, not reviewed")
		}
		var r *disclosure.Redaction
		for i := range d.Redactions {
			if d.Redactions[i].ID == redactionID {
				r = &d.Redactions[i]
			}
		}
		if r == nil {
			return model.NotFound("redaction")
		}
		if fe := disclosure.ValidateReview(*r, newLapse, note, today); len(fe) > 0 {
			return fe.Err()
		}
		note = model.CleanText(note)
		name, err := db.actorName(ctx, tx, a)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO redaction_reviews (redaction_id, old_lapse, new_lapse, note, decided_by, decided_name, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			r.ID, r.LapsesOn, newLapse, note, nullID(a.UserID), name, now); err != nil {
			return fmt.Errorf("store: review redaction: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE redactions SET lapses_on = $1, agreed_by = $2, agreed_name = $3, agreed_at = $4 WHERE id = $5`,
			newLapse, nullID(a.UserID), name, now, r.ID); err != nil {
			return fmt.Errorf("store: review redaction: %w", err)
		}
		r.LapsesOn = newLapse
		if len(d.LapsedRedactions(today)) == 0 {
			if err := db.closeLapseTask(ctx, tx, a, p, d.ID, "every lapsed ground was reviewed"); err != nil {
				return err
			}
		}
		if err := db.documentChanged(ctx, tx, p.ID, "document_reviewed"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "redaction_reviewed", map[string]any{
			"document": d.ID, "redaction": r.ID, "new_lapse": newLapse, "note": note, "decided_by": name})
	})
}

// actorName is the name shown for the person acting (their name, else
// their e-mail), kept with what they agreed to.
func (db *DB) actorName(ctx context.Context, tx *sql.Tx, a Actor) (string, error) {
	if a.UserID == 0 {
		return a.Label, nil
	}
	var name string
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(NULLIF(name, ''), email) FROM users WHERE id = $1", a.UserID).Scan(&name); err != nil {
		return "", fmt.Errorf("store: person: %w", err)
	}
	return name, nil
}

// documentChanged tells the register's feed and refreshes the entry's
// search words when the purchase is on the register.
func (db *DB) documentChanged(ctx context.Context, tx *sql.Tx, purchaseID int64, kind string) error {
	var published bool
	err := tx.QueryRowContext(ctx, "SELECT published FROM publications WHERE purchase_id = $1", purchaseID).Scan(&published)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !published) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: register change: %w", err)
	}
	if err := db.noteChange(ctx, tx, purchaseID, kind); err != nil {
		return err
	}
	return db.refreshEntry(ctx, tx, purchaseID)
}

// documentWords are the titles and descriptions of a purchase's published
// documents, for the register's search. The files themselves are never
// indexed, so no search can find a word that was redacted.
func (db *DB) documentWords(ctx context.Context, tx *sql.Tx, purchaseID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT title, description FROM disclosures WHERE purchase_id = $1 AND status = 'published'", purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: document words: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t, d string
		if err := rows.Scan(&t, &d); err != nil {
			return nil, err
		}
		out = append(out, t, d)
	}
	return out, rows.Err()
}

// PublicDisclosureFile is the file of a published document the public may
// download: the redacted version, or the full one once republished in
// full. A draft, another purchase's document or a purchase that is not on
// the register is not found.
func (db *DB) PublicDisclosureFile(ctx context.Context, purchaseID, docID int64) (*PurchaseFile, *disclosure.Document, error) {
	var onRegister int
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM register_entries WHERE purchase_id = $1", purchaseID).Scan(&onRegister); err != nil {
		return nil, nil, fmt.Errorf("store: public document: %w", err)
	}
	if onRegister == 0 {
		return nil, nil, model.NotFound("document")
	}
	d, err := scanDisclosure(db.read.QueryRowContext(ctx, "SELECT "+disclosureColumns+disclosureFrom+" WHERE d.id = $1 AND d.purchase_id = $2 AND d.status = 'published'", docID, purchaseID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, model.NotFound("document")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: public document: %w", err)
	}
	id := d.PublicFileID()
	if id == 0 {
		return nil, nil, model.NotFound("document")
	}
	f, err := db.PurchaseFileData(ctx, purchaseID, id)
	return f, d, err
}

// lapseSource names the task about a document's lapsed grounds.
func lapseSource(docID int64) string { return "disclosure:" + strconv.FormatInt(docID, 10) }

func (db *DB) closeLapseTask(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, docID int64, why string) error {
	res, err := tx.ExecContext(ctx, "UPDATE tasks SET done_at = $1, done_note = $2 WHERE purchase_id = $3 AND kind = 'disclosure' AND source = $4 AND done_at IS NULL",
		db.now(), why, p.ID, lapseSource(docID))
	if err != nil {
		return fmt.Errorf("store: close disclosure task: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "task_closed", map[string]any{"kind": "disclosure", "document": docID, "note": why})
	}
	return nil
}

// lapsedDocument is a published document with a ground that has lapsed.
type lapsedDocument struct {
	docID, purchaseID, orgID int64
	title, purchase          string
	lapse                    model.Date
}

func (db *DB) lapsedDocuments(ctx context.Context, q rowsQueryer, today model.Date) ([]lapsedDocument, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.purchase_id, p.org_id, d.title, p.title, MIN(r.lapses_on) FROM redactions r
		JOIN disclosures d ON d.id = r.disclosure_id JOIN purchases p ON p.id = d.purchase_id
		WHERE d.status = 'published' AND r.lifted_at IS NULL AND r.lapses_on IS NOT NULL AND r.lapses_on <= $1
		GROUP BY d.id, d.purchase_id, p.org_id, d.title, p.title ORDER BY d.id`, today)
	if err != nil {
		return nil, fmt.Errorf("store: lapsed documents: %w", err)
	}
	defer rows.Close()
	var out []lapsedDocument
	for rows.Next() {
		var x lapsedDocument
		if err := rows.Scan(&x.docID, &x.purchaseID, &x.orgID, &x.title, &x.purchase, &x.lapse); err != nil {
			return nil, fmt.Errorf("store: lapsed documents: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// OpenLapseTasks opens a task on every purchase with a published document
// whose redaction grounds have lapsed by day: republish it in full, or
// have an approver review each lapsed redaction. A task already open for
// the document is not opened again. It returns how many were opened.
func (db *DB) OpenLapseTasks(ctx context.Context, day model.Date) (int, error) {
	docs, err := db.lapsedDocuments(ctx, db.read, day)
	if err != nil {
		return 0, err
	}
	opened := 0
	for _, x := range docs {
		err := db.tx(ctx, "disclosure lapse", func(tx *sql.Tx) error {
			var open int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM tasks WHERE purchase_id = $1 AND kind = 'disclosure' AND source = $2 AND done_at IS NULL",
				x.purchaseID, lapseSource(x.docID)).Scan(&open); err != nil {
				return fmt.Errorf("store: disclosure lapse: %w", err)
			}
			if open > 0 {
				return nil
			}
			title := "The grounds for holding back parts of \"" + strings.TrimSpace(x.title) + "\" lapsed on " + x.lapse.String() + ": republish it in full or have an approver review each redaction"
			p := &model.Purchase{ID: x.purchaseID, OrgID: x.orgID}
			if _, err := db.openTask(ctx, tx, System, p, "disclosure", title, lapseSource(x.docID), day.AddDays(14)); err != nil {
				return err
			}
			opened++
			return nil
		})
		if err != nil {
			return opened, err
		}
	}
	return opened, nil
}

// lapseReminders tell each purchase's lead of its documents whose
// redaction grounds have lapsed, once per lapse date.
func (db *DB) lapseReminders(ctx context.Context, today model.Date) ([]Reminder, error) {
	docs, err := db.lapsedDocuments(ctx, db.read, today)
	if err != nil {
		return nil, err
	}
	var out []Reminder
	for _, x := range docs {
		var to, lang string
		err := db.read.QueryRowContext(ctx, `SELECT u.email, u.lang FROM purchases p JOIN users u ON u.id = p.lead_user_id
			WHERE p.id = $1 AND u.disabled = FALSE AND p.stage NOT IN ('cancelled')`, x.purchaseID).Scan(&to, &lang)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: lapse reminders: %w", err)
		}
		out = append(out, Reminder{Key: "disclosure-lapsed:" + strconv.FormatInt(x.docID, 10) + ":" + x.lapse.String(), Kind: "disclosure_lapsed", To: to, Lang: lang,
			PurchaseID: x.purchaseID, Purchase: x.purchase, ObjectID: x.docID, What: x.title, Due: x.lapse})
	}
	return out, nil
}
