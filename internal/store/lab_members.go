package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"buyright/internal/access"
	"buyright/internal/mail"
	"buyright/internal/model"
)

// The Learning Lab's members' space. Materials and events are visible to
// member organisations only, until an editor publishes them; every reader
// of the public portal goes through the Published* functions, which never
// return anything else.

// Statuses of materials and events.
const (
	LabMembersOnly = "members"
	LabPublished   = "published"
)

// MaterialKinds are the kinds of shared material.
var MaterialKinds = []string{"document", "tool", "training", "template"}

// EventKinds are the kinds of convening.
var EventKinds = []string{"workshop", "peer_exchange", "conference", "webinar"}

// IsLabMember reports whether an organisation takes part in the network.
func (db *DB) IsLabMember(ctx context.Context, orgID int64) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM lab_members WHERE org_id = $1", orgID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: lab member: %w", err)
	}
	return n > 0, nil
}

// SetLabMember adds an organisation to the network or removes it.
func (db *DB) SetLabMember(ctx context.Context, a Actor, orgID int64, member bool) error {
	return db.tx(ctx, "lab member", func(tx *sql.Tx) error {
		var err error
		if member {
			_, err = tx.ExecContext(ctx, "INSERT INTO lab_members (org_id, added_by, added_at) VALUES ($1, $2, $3) ON CONFLICT (org_id) DO NOTHING", orgID, nullID(a.UserID), db.now())
		} else {
			_, err = tx.ExecContext(ctx, "DELETE FROM lab_members WHERE org_id = $1", orgID)
		}
		if err != nil {
			return fmt.Errorf("store: lab member: %w", err)
		}
		return db.appendAudit(ctx, tx, a, orgID, "organisation", orgID, "lab_member", map[string]bool{"member": member})
	})
}

// LabMemberOrgs lists the member organisations by name.
func (db *DB) LabMemberOrgs(ctx context.Context) ([]*model.Organisation, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT o.id, o.name, o.kind, o.jurisdiction FROM lab_members m JOIN organisations o ON o.id = m.org_id ORDER BY o.name")
	if err != nil {
		return nil, fmt.Errorf("store: lab members: %w", err)
	}
	defer rows.Close()
	var out []*model.Organisation
	for rows.Next() {
		o := &model.Organisation{}
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind, &o.Jurisdiction); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Material is a document, tool or training shared by a member.
type Material struct {
	ID          int64
	OrgID       int64
	OrgName     string
	AuthorID    int64
	Kind        string
	Title       string
	Description string
	Link        string
	FileName    string
	FileType    string
	FileData    []byte // bytes to store, for small files; or
	FileSHA256  string // a blob stored already (filled only by MaterialFile)
	FileSize    int64
	PracticeID  int64
	EventID     int64
	Status      string
	CreatedAt   time.Time
	PublishedAt sql.NullTime
	Comments    int
}

// Validate checks a material before it is saved.
func (m *Material) Validate() error {
	fe := model.FieldErrors{}
	m.Title, m.Description, m.Link = model.CleanLine(m.Title), model.CleanText(m.Description), strings.TrimSpace(m.Link)
	if !oneOfStr(m.Kind, MaterialKinds) {
		fe.Add("kind", "invalid.choice")
	}
	if m.Title == "" {
		fe.Add("title", "invalid.required")
	} else if model.TooLong(m.Title, 300) {
		fe.Add("title", "invalid.too_long")
	}
	if m.Description == "" {
		fe.Add("description", "invalid.required")
	} else if model.TooLong(m.Description, 8000) {
		fe.Add("description", "invalid.too_long")
	}
	if m.Link != "" {
		u, err := url.Parse(m.Link)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || model.TooLong(m.Link, 1000) {
			fe.Add("link", "lab.invalid.url")
		}
	}
	if m.Link == "" && len(m.FileData) == 0 && m.FileSHA256 == "" {
		fe.Add("file", "lab.members.need_file_or_link")
	}
	return fe.Err()
}

// CreateMaterial shares a material in the members' space.
func (db *DB) CreateMaterial(ctx context.Context, a Actor, m *Material) error {
	if err := m.Validate(); err != nil {
		return err
	}
	m.Status, m.CreatedAt = LabMembersOnly, db.now()
	return db.tx(ctx, "lab material", func(tx *sql.Tx) error {
		if len(m.FileData) > 0 || m.FileSHA256 != "" {
			b, err := db.blobFor(ctx, tx, m.FileData, m.FileSHA256)
			if err != nil {
				return err
			}
			m.FileSHA256, m.FileSize = b.SHA256, b.Size
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO lab_materials (org_id, author_id, kind, title, description, link, file_name, file_type, file_sha256, file_size, practice_id, event_id, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			m.OrgID, nullID(a.UserID), m.Kind, m.Title, m.Description, m.Link, m.FileName, m.FileType, m.FileSHA256, m.FileSize, nullID(m.PracticeID), nullID(m.EventID), m.Status, m.CreatedAt).Scan(&m.ID); err != nil {
			return fmt.Errorf("store: lab material: %w", err)
		}
		return db.appendAudit(ctx, tx, a, m.OrgID, "lab_material", m.ID, "create", map[string]any{"title": m.Title, "kind": m.Kind, "file": m.FileName, "link": m.Link})
	})
}

const materialColumns = `m.id, m.org_id, o.name, COALESCE(m.author_id, 0), m.kind, m.title, m.description, m.link, m.file_name, m.file_type,
	COALESCE(m.practice_id, 0), COALESCE(m.event_id, 0), m.status, m.created_at, m.published_at,
	(SELECT COUNT(*) FROM lab_comments c WHERE c.material_id = m.id)`

func scanMaterial(sc interface{ Scan(...any) error }) (*Material, error) {
	m := &Material{}
	err := sc.Scan(&m.ID, &m.OrgID, &m.OrgName, &m.AuthorID, &m.Kind, &m.Title, &m.Description, &m.Link, &m.FileName, &m.FileType,
		&m.PracticeID, &m.EventID, &m.Status, &m.CreatedAt, &m.PublishedAt, &m.Comments)
	return m, err
}

// MaterialQuery filters materials.
type MaterialQuery struct {
	Members bool // include members-only materials (the caller checked membership)
	Text    string
	Kind    string
	EventID int64
}

// Materials lists materials, newest first.
func (db *DB) Materials(ctx context.Context, q MaterialQuery) ([]*Material, error) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if !q.Members {
		add("m.status = ?", LabPublished)
	}
	if q.Kind != "" {
		add("m.kind = ?", q.Kind)
	}
	if q.EventID != 0 {
		add("m.event_id = ?", q.EventID)
	}
	for _, w := range strings.Fields(strings.ToLower(q.Text)) {
		add(`LOWER(m.title || ' ' || m.description) LIKE ? ESCAPE '\'`, "%"+likeEscape(w)+"%")
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := db.read.QueryContext(ctx, "SELECT "+materialColumns+" FROM lab_materials m JOIN organisations o ON o.id = m.org_id"+where+" ORDER BY m.id DESC LIMIT 500", args...)
	if err != nil {
		return nil, fmt.Errorf("store: lab materials: %w", err)
	}
	defer rows.Close()
	var out []*Material
	for rows.Next() {
		m, err := scanMaterial(rows)
		if err != nil {
			return nil, fmt.Errorf("store: lab materials: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Material returns one material; a members-only one only when members is
// true, so a public handler cannot leak one.
func (db *DB) Material(ctx context.Context, id int64, members bool) (*Material, error) {
	m, err := scanMaterial(db.read.QueryRowContext(ctx, "SELECT "+materialColumns+" FROM lab_materials m JOIN organisations o ON o.id = m.org_id WHERE m.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && m.Status != LabPublished && !members) {
		return nil, model.NotFound("material")
	}
	if err != nil {
		return nil, fmt.Errorf("store: lab material: %w", err)
	}
	return m, nil
}

// MaterialFile returns a material with its file, under the same rule.
func (db *DB) MaterialFile(ctx context.Context, id int64, members bool) (*Material, error) {
	m, err := db.Material(ctx, id, members)
	if err != nil {
		return nil, err
	}
	if err := db.read.QueryRowContext(ctx, "SELECT file_sha256, file_size FROM lab_materials WHERE id = $1", id).Scan(&m.FileSHA256, &m.FileSize); err != nil {
		return nil, fmt.Errorf("store: lab material file: %w", err)
	}
	if m.FileSHA256 == "" {
		return nil, model.NotFound("file")
	}
	return m, nil
}

// PublishMaterial puts a material on the public portal.
func (db *DB) PublishMaterial(ctx context.Context, a Actor, id int64) error {
	return db.publishLab(ctx, a, "lab_materials", "lab_material", id)
}

// PublishEvent puts an event on the public portal.
func (db *DB) PublishEvent(ctx context.Context, a Actor, id int64) error {
	return db.publishLab(ctx, a, "lab_events", "lab_event", id)
}

// publishLab puts a member's material or event on the portal; only a Lab
// editor does that.
func (db *DB) publishLab(ctx context.Context, a Actor, table, obj string, id int64) error {
	return db.tx(ctx, "publish "+obj, func(tx *sql.Tx) error {
		if _, err := labRequire(ctx, tx, a, access.LabPublish, ""); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE "+table+" SET status = $1, published_at = $2 WHERE id = $3 AND status IN ($4, $5)", LabPublished, db.now(), id, LabMembersOnly, LabProposed)
		if err != nil {
			return fmt.Errorf("store: publish: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return model.NotFound(obj)
		}
		return db.appendAudit(ctx, tx, a, 0, obj, id, "publish", nil)
	})
}

// LabComment is a member's comment on a material.
type LabComment struct {
	ID        int64
	Author    string
	Body      string
	CreatedAt time.Time
}

// AddLabComment adds a comment to a material.
func (db *DB) AddLabComment(ctx context.Context, a Actor, u *model.User, materialID int64, body string) error {
	body = model.CleanText(body)
	if body == "" {
		return model.FieldErrors{"body": "invalid.required"}.Err()
	}
	if model.TooLong(body, 4000) {
		return model.FieldErrors{"body": "invalid.too_long"}.Err()
	}
	name := u.Name
	if name == "" {
		name = u.Email
	}
	if u.Org != nil {
		name += " (" + u.Org.Name + ")"
	}
	return db.tx(ctx, "lab comment", func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO lab_comments (material_id, author_id, author_name, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			materialID, nullID(u.ID), name, body, db.now()).Scan(&id); err != nil {
			return fmt.Errorf("store: lab comment: %w", err)
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "lab_material", materialID, "comment", map[string]any{"comment": id, "body": body})
	})
}

// LabComments lists a material's comments, oldest first.
func (db *DB) LabComments(ctx context.Context, materialID int64) ([]LabComment, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id, author_name, body, created_at FROM lab_comments WHERE material_id = $1 ORDER BY id", materialID)
	if err != nil {
		return nil, fmt.Errorf("store: lab comments: %w", err)
	}
	defer rows.Close()
	var out []LabComment
	for rows.Next() {
		var c LabComment
		if err := rows.Scan(&c.ID, &c.Author, &c.Body, &c.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LabEvent is a convening of the network.
type LabEvent struct {
	ID           int64
	Title        string
	Kind         string
	StartsOn     model.Date
	Place        string
	Agenda       string
	Participants string
	Outcomes     string
	Practices    []int64 // practices the outcomes fed
	Status       string
	CreatedAt    time.Time
	PublishedAt  sql.NullTime
}

// Validate checks an event before it is saved.
func (e *LabEvent) Validate() error {
	fe := model.FieldErrors{}
	e.Title, e.Place = model.CleanLine(e.Title), model.CleanLine(e.Place)
	e.Agenda, e.Participants, e.Outcomes = model.CleanText(e.Agenda), model.CleanText(e.Participants), model.CleanText(e.Outcomes)
	if e.Title == "" {
		fe.Add("title", "invalid.required")
	}
	if !oneOfStr(e.Kind, EventKinds) {
		fe.Add("kind", "invalid.choice")
	}
	if e.StartsOn.IsZero() {
		fe.Add("starts_on", "invalid.required")
	}
	for f, v := range map[string]string{"title": e.Title, "place": e.Place} {
		if model.TooLong(v, 300) {
			fe.Add(f, "invalid.too_long")
		}
	}
	for f, v := range map[string]string{"agenda": e.Agenda, "participants": e.Participants, "outcomes": e.Outcomes} {
		if model.TooLong(v, 8000) {
			fe.Add(f, "invalid.too_long")
		}
	}
	return fe.Err()
}

func joinIDs(ids []int64) string {
	var s []string
	for _, id := range ids {
		s = append(s, strconv.FormatInt(id, 10))
	}
	return strings.Join(s, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// CreateEvent records a convening in the members' space.
func (db *DB) CreateEvent(ctx context.Context, a Actor, orgID int64, e *LabEvent) error {
	if err := e.Validate(); err != nil {
		return err
	}
	e.Status, e.CreatedAt = LabMembersOnly, db.now()
	return db.tx(ctx, "lab event", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO lab_events (title, kind, starts_on, place, agenda, participants, outcomes, practices, status, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			e.Title, e.Kind, e.StartsOn, e.Place, e.Agenda, e.Participants, e.Outcomes, joinIDs(e.Practices), e.Status, nullID(a.UserID), e.CreatedAt).Scan(&e.ID); err != nil {
			return fmt.Errorf("store: lab event: %w", err)
		}
		return db.appendAudit(ctx, tx, a, orgID, "lab_event", e.ID, "create", map[string]any{"title": e.Title, "kind": e.Kind, "starts_on": e.StartsOn})
	})
}

const eventColumns = "id, title, kind, starts_on, place, agenda, participants, outcomes, practices, status, created_at, published_at"

func scanEvent(sc interface{ Scan(...any) error }) (*LabEvent, error) {
	e := &LabEvent{}
	var prs string
	if err := sc.Scan(&e.ID, &e.Title, &e.Kind, &e.StartsOn, &e.Place, &e.Agenda, &e.Participants, &e.Outcomes, &prs, &e.Status, &e.CreatedAt, &e.PublishedAt); err != nil {
		return nil, err
	}
	e.Practices = splitIDs(prs)
	return e, nil
}

// Events lists events, the most recent first; members-only ones only when
// members is true.
func (db *DB) Events(ctx context.Context, members bool) ([]*LabEvent, error) {
	q := "SELECT " + eventColumns + " FROM lab_events"
	var args []any
	if !members {
		q += " WHERE status = $1"
		args = append(args, LabPublished)
	}
	rows, err := db.read.QueryContext(ctx, q+" ORDER BY starts_on DESC, id DESC LIMIT 500", args...)
	if err != nil {
		return nil, fmt.Errorf("store: lab events: %w", err)
	}
	defer rows.Close()
	var out []*LabEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("store: lab events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Event returns one event under the same rule as Material.
func (db *DB) Event(ctx context.Context, id int64, members bool) (*LabEvent, error) {
	e, err := scanEvent(db.read.QueryRowContext(ctx, "SELECT "+eventColumns+" FROM lab_events WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && e.Status != LabPublished && !members) {
		return nil, model.NotFound("event")
	}
	if err != nil {
		return nil, fmt.Errorf("store: lab event: %w", err)
	}
	return e, nil
}

// PublishedPractices lists the published practices, newest first, for
// downloads and the feed.
func (db *DB) PublishedPractices(ctx context.Context) ([]*Practice, error) {
	return db.queryPractices(ctx, "SELECT "+practiceColumns+practiceFrom+" WHERE p.status = $1 ORDER BY p.published_at DESC, p.id DESC", PracticePublished)
}

// ReturnPractice sends a draft (a reviewer or the hub's lead) or a
// reviewed practice (an editor) back to its author's organisation with a
// note saying what to change; the author edits it and it comes back as a
// draft. Returning is a review, so nobody returns their own organisation's.
func (db *DB) ReturnPractice(ctx context.Context, a Actor, id int64, note string) error {
	note = model.CleanText(note)
	if note == "" {
		return model.FieldErrors{"note": "lab.review.note_needed"}.Err()
	}
	if model.TooLong(note, 2000) {
		return model.FieldErrors{"note": "invalid.too_long"}.Err()
	}
	return db.tx(ctx, "return practice", func(tx *sql.Tx) error {
		x, err := practiceStepOf(ctx, tx, id)
		if err != nil {
			return err
		}
		act := access.LabReviewPractice
		if x.status == PracticeReviewed {
			act = access.LabPublish
		}
		u, err := labRequire(ctx, tx, a, act, x.hub)
		if err != nil {
			return err
		}
		if err := labNoConflict(u, x.authorID, x.orgID); err != nil {
			return err
		}
		if x.status != PracticeDraft && x.status != PracticeReviewed {
			return model.NotFound("practice")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE practices SET status = $1, review_note = $2, reviewer_id = NULL, reviewed_at = NULL WHERE id = $3",
			PracticeReturned, note, id); err != nil {
			return fmt.Errorf("store: return practice %d: %w", id, err)
		}
		return db.appendAudit(ctx, tx, a, x.orgID, "practice", id, "return", map[string]string{"note": note})
	})
}

// ReturnedPractices lists the practices an organisation's people proposed
// that a reviewer or editor sent back, each with its note.
func (db *DB) ReturnedPractices(ctx context.Context, orgID int64) ([]*Practice, error) {
	return db.queryPractices(ctx, "SELECT "+practiceColumns+practiceFrom+" WHERE p.status = $1 AND p.author_org = $2 ORDER BY p.id", PracticeReturned, orgID)
}

// UpdatePractice lets the author's organisation correct a draft or
// returned practice; it goes back to the review queue as a draft. Nobody
// else edits it: a reviewer who rewrote a proposal would be reviewing
// their own words.
func (db *DB) UpdatePractice(ctx context.Context, a Actor, p *Practice) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, "edit practice", func(tx *sql.Tx) error {
		x, err := practiceStepOf(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		var org int64
		if err := tx.QueryRowContext(ctx, "SELECT org_id FROM users WHERE id = $1", a.UserID).Scan(&org); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: edit practice %d: %w", p.ID, err)
		}
		if org == 0 || org != x.orgID || (x.status != PracticeDraft && x.status != PracticeReturned) {
			return model.NotFound("practice")
		}
		p.AuthorOrg = x.orgID
		if _, err := tx.ExecContext(ctx, `UPDATE practices SET title = $1, body = $2, jurisdiction = $3, stage = $4, hub = $5, what_done = $6, what_changed = $7,
			evidence = $8, tools = $9, sources = $10, rights = $11, technologies = $12, search_text = $13, status = $14, review_note = ''
			WHERE id = $15`,
			p.Title, p.Body, p.Jurisdiction, p.Stage, p.Hub, p.WhatDone, p.WhatChanged, p.Evidence, p.Tools, p.Sources,
			joinTags(p.Rights), joinTags(p.Technologies), p.searchText(), PracticeDraft, p.ID); err != nil {
			return fmt.Errorf("store: edit practice %d: %w", p.ID, err)
		}
		return db.appendAudit(ctx, tx, a, p.AuthorOrg, "practice", p.ID, "edit", map[string]any{"title": p.Title})
	})
}

// newToken returns a random secret and its SHA-256 in hex.
func newToken() (string, string) {
	var b [24]byte
	_, _ = rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	return tok, tokenHash(tok)
}

func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// Subscribe asks for the Lab's digest. Nothing is sent but a confirmation
// (double opt-in), composed by confirm with the secret of the link;
// asking again sends a new confirmation. The answer is the same whether
// or not the address was already there, so the form does not tell
// strangers who subscribes.
func (db *DB) Subscribe(ctx context.Context, email, lang string, confirm func(token string) mail.Message) error {
	addr, err := mail.Address(email)
	if err != nil || len(addr) > 254 {
		return model.FieldErrors{"email": "invalid.email"}.Err()
	}
	tok, hash := newToken()
	now := db.now()
	return db.tx(ctx, "subscribe", func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM lab_subscribers WHERE email = $1", addr).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			err = tx.QueryRowContext(ctx, "INSERT INTO lab_subscribers (email, lang, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id", addr, lang, hash, now).Scan(&id)
		case err == nil:
			_, err = tx.ExecContext(ctx, "UPDATE lab_subscribers SET token_hash = $1, lang = $2 WHERE id = $3", hash, lang, id)
		}
		if err != nil {
			return fmt.Errorf("store: subscribe: %w", err)
		}
		m := confirm(tok)
		m.To = addr
		_, err = db.queueMail(ctx, tx, "lab-confirm:"+hash, m)
		return err
	})
}

// ConfirmSubscription confirms the address holding the token.
func (db *DB) ConfirmSubscription(ctx context.Context, token string) error {
	res, err := db.write.ExecContext(ctx, "UPDATE lab_subscribers SET confirmed_at = COALESCE(confirmed_at, $1) WHERE token_hash = $2", db.now(), tokenHash(token))
	if err != nil {
		return fmt.Errorf("store: confirm: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return model.NotFound("subscription")
	}
	return nil
}

// Unsubscribe forgets the address holding the token.
func (db *DB) Unsubscribe(ctx context.Context, token string) error {
	res, err := db.write.ExecContext(ctx, "DELETE FROM lab_subscribers WHERE token_hash = $1", tokenHash(token))
	if err != nil {
		return fmt.Errorf("store: unsubscribe: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return model.NotFound("subscription")
	}
	return nil
}

// LabNews is one thing published in the Lab.
type LabNews struct {
	Kind  string // practice, law, material, event
	Title string
	Path  string
	At    time.Time
}

// LabNewsSince lists what was published after t, newest first.
func (db *DB) LabNewsSince(ctx context.Context, t time.Time, limit int) ([]LabNews, error) {
	q := `SELECT 'practice', title, '/lab/practices/' || CAST(id AS TEXT), published_at FROM practices WHERE status = 'published' AND published_at > $1
		UNION ALL SELECT 'law', jurisdiction || ' ' || question, '/lab/law/' || jurisdiction, approved_at FROM law_answers WHERE status = 'approved' AND approved_at > $1 AND starting = FALSE
		UNION ALL SELECT 'material', title, '/lab/materials/' || CAST(id AS TEXT), published_at FROM lab_materials WHERE status = 'published' AND published_at > $1
		UNION ALL SELECT 'event', title, '/lab/events/' || CAST(id AS TEXT), published_at FROM lab_events WHERE status = 'published' AND published_at > $1
		ORDER BY 4 DESC LIMIT ` + strconv.Itoa(limit)
	rows, err := db.read.QueryContext(ctx, q, t)
	if err != nil {
		return nil, fmt.Errorf("store: lab news: %w", err)
	}
	defer rows.Close()
	var out []LabNews
	for rows.Next() {
		var n LabNews
		if err := rows.Scan(&n.Kind, &n.Title, &n.Path, &n.At); err != nil {
			return nil, fmt.Errorf("store: lab news: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// QueueDigests queues, once a week per confirmed subscriber, an e-mail
// composed by compose from what was published since the last one (in the
// subscriber's language, with the secret of a fresh unsubscribe link). A
// week with nothing new sends nothing.
func (db *DB) QueueDigests(ctx context.Context, now time.Time, compose func(lang string, news []LabNews, token string) mail.Message) (int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, email, lang, confirmed_at, last_digest_at FROM lab_subscribers
		WHERE confirmed_at IS NOT NULL AND (last_digest_at IS NULL OR last_digest_at <= $1)`, now.Add(-7*24*time.Hour))
	if err != nil {
		return 0, fmt.Errorf("store: digests: %w", err)
	}
	type sub struct {
		id          int64
		email, lang string
		confirmed   time.Time
		last        sql.NullTime
	}
	var subs []sub
	for rows.Next() {
		var s sub
		if err := rows.Scan(&s.id, &s.email, &s.lang, &s.confirmed, &s.last); err != nil {
			rows.Close()
			return 0, err
		}
		subs = append(subs, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, s := range subs {
		since := s.confirmed.Add(-7 * 24 * time.Hour)
		if s.last.Valid {
			since = s.last.Time
		}
		news, err := db.LabNewsSince(ctx, since, 50)
		if err != nil {
			return n, err
		}
		if len(news) == 0 {
			continue
		}
		tok, hash := newToken()
		m := compose(s.lang, news, tok)
		m.To = s.email
		err = db.tx(ctx, "digest", func(tx *sql.Tx) error {
			// A new token per digest: the link in the newest message works,
			// and an old forwarded one cannot unsubscribe the person later.
			if _, err := tx.ExecContext(ctx, "UPDATE lab_subscribers SET last_digest_at = $1, token_hash = $2 WHERE id = $3", now, hash, s.id); err != nil {
				return err
			}
			_, err := db.queueMail(ctx, tx, "lab-digest:"+strconv.FormatInt(s.id, 10)+":"+now.Format("2006-01-02"), m)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("store: digest: %w", err)
		}
		n++
	}
	return n, nil
}
