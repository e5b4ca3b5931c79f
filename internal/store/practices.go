package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/search"
)

// Practice statuses: an author's entry is a draft until a Lab reviewer
// from another organisation (or the lead of its hub) approves it
// (reviewed) and a Lab editor publishes it; either may return it with a
// note. Only published ones reach the public portal or its search.
const (
	PracticeDraft     = "draft"
	PracticeReviewed  = "reviewed"
	PracticePublished = "published"
	PracticeReturned  = "returned"
)

// Hubs are the Learning Lab's sector hubs.
var Hubs = []string{"electronics", "private_security", "apparel", "ifi", "digital_public_services"}

// PracticeRights and PracticeTechnologies are the tags a practice may carry.
var (
	PracticeRights       = []string{"forced_labour", "child_labour", "health_safety", "freedom_association", "wages", "non_discrimination", "privacy", "security_of_person", "remedy", "accessibility", "social_security"}
	PracticeTechnologies = []string{"hardware", "automated_decisions", "biometrics", "surveillance", "data_platform", "cloud", "none"}
)

// Practice is one entry of the effective-practice library.
type Practice struct {
	ID            int64
	Title         string
	Body          string // the public body or organisation that did it
	Jurisdiction  string
	Stage         model.Stage
	Hub           string
	WhatDone      string
	WhatChanged   string
	Evidence      string
	Tools         string // templates or tools, one per line
	Sources       string // sources, one per line
	Rights        []string
	Technologies  []string
	Illustrative  bool // written by us as an example, not a documented case
	Status        string
	AuthorID      int64
	AuthorOrg     int64
	AuthorOrgName string
	ReviewerID    int64
	ReviewerName  string
	ReviewerOrg   string
	ReviewedAt    *time.Time
	ReviewNote    string
	CreatedAt     time.Time
	PublishedAt   *time.Time
	// FromPurchase is the body's own purchase the entry was drawn from;
	// the purchase's audit trail records the proposal.
	FromPurchase *model.Purchase
}

// Validate checks a practice and returns field problems.
func (p *Practice) Validate() error {
	f := model.FieldErrors{}
	req := func(field, v string, max int) {
		switch {
		case strings.TrimSpace(v) == "":
			f.Add(field, "invalid.required")
		case len(v) > max:
			f.Add(field, "invalid.too_long")
		}
	}
	req("lab_title", p.Title, 300)
	req("lab_body", p.Body, 300)
	req("lab_what_done", p.WhatDone, 10000)
	req("lab_what_changed", p.WhatChanged, 10000)
	if len(p.Evidence) > 10000 {
		f.Add("lab_evidence", "invalid.too_long")
	}
	if len(p.Tools) > 5000 {
		f.Add("lab_tools", "invalid.too_long")
	}
	req("lab_sources", p.Sources, 5000)
	if p.Stage.Index() < 0 {
		f.Add("lab_stage", "invalid.choice")
	}
	if !oneOfStr(p.Hub, Hubs) {
		f.Add("lab_hub", "invalid.choice")
	}
	if p.Jurisdiction == "" || len(p.Jurisdiction) > 8 {
		f.Add("lab_jurisdiction", "invalid.choice")
	}
	for _, r := range p.Rights {
		if !oneOfStr(r, PracticeRights) {
			f.Add("lab_rights", "invalid.choice")
		}
	}
	for _, t := range p.Technologies {
		if !oneOfStr(t, PracticeTechnologies) {
			f.Add("lab_technologies", "invalid.choice")
		}
	}
	return f.Err()
}

func oneOfStr(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func joinTags(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return "," + strings.Join(tags, ",") + ","
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(strings.Trim(s, ","), ",") {
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (p *Practice) searchText() string {
	return search.Text(p.Title, p.Body, p.Jurisdiction, p.WhatDone, p.WhatChanged, p.Evidence, p.Tools, p.Sources,
		strings.Join(p.Rights, " "), strings.Join(p.Technologies, " "), strings.ReplaceAll(p.Hub, "_", " "))
}

// CreatePractice stores a practice as a draft, or published when publish
// is true, which only buyright itself may ask (the system actor: the demo's
// examples); a person's entry always waits for review.
func (db *DB) CreatePractice(ctx context.Context, a Actor, p *Practice, publish bool) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if publish && a.UserID != 0 {
		return model.Forbidden()
	}
	p.Status = PracticeDraft
	p.CreatedAt = db.now()
	p.PublishedAt = nil
	if publish {
		p.Status = PracticePublished
		t := p.CreatedAt
		p.PublishedAt = &t
	}
	p.AuthorID = a.UserID
	return db.tx(ctx, "practice", func(tx *sql.Tx) error {
		// The author's organisation is the one they belong to now, whatever
		// the caller passed: the conflict rule of reviews rests on it.
		if a.UserID != 0 {
			if err := tx.QueryRowContext(ctx, "SELECT org_id FROM users WHERE id = $1", a.UserID).Scan(&p.AuthorOrg); err != nil {
				return fmt.Errorf("store: practice: author %d: %w", a.UserID, err)
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO practices (title, body, jurisdiction, stage, hub, what_done, what_changed, evidence, tools, sources,
			rights, technologies, illustrative, status, author_id, author_org, search_text, created_at, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
			p.Title, p.Body, p.Jurisdiction, p.Stage, p.Hub, p.WhatDone, p.WhatChanged, p.Evidence, p.Tools, p.Sources,
			joinTags(p.Rights), joinTags(p.Technologies), p.Illustrative, p.Status, nullID(p.AuthorID), nullID(p.AuthorOrg), p.searchText(),
			p.CreatedAt, p.PublishedAt).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("store: practice: %w", err)
		}
		if publish {
			if err := db.indexPractice(ctx, tx, p.ID, p.searchText()); err != nil {
				return err
			}
		}
		if src := p.FromPurchase; src != nil {
			if err := db.appendAudit(ctx, tx, a, src.OrgID, "purchase", src.ID, "practice_proposed", map[string]any{"practice": p.ID, "title": p.Title}); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a, p.AuthorOrg, "practice", p.ID, "create", map[string]any{"title": p.Title, "hub": p.Hub, "stage": p.Stage, "status": p.Status})
	})
}

// indexPractice adds a published practice to SQLite's text index
// (PostgreSQL indexes the generated column, filtered by status).
func (db *DB) indexPractice(ctx context.Context, tx *sql.Tx, id int64, text string) error {
	if db.dialect != SQLite {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO practices_fts (rowid, search_text) VALUES ($1, $2)", id, text); err != nil {
		return fmt.Errorf("store: practice search: %w", err)
	}
	return nil
}

// practiceStep is what a review step needs to know about a practice.
type practiceStep struct {
	status, hub, text string
	authorID, orgID   int64
	reviewerID        int64
}

func practiceStepOf(ctx context.Context, tx *sql.Tx, id int64) (*practiceStep, error) {
	var x practiceStep
	err := tx.QueryRowContext(ctx, "SELECT status, hub, search_text, COALESCE(author_id, 0), COALESCE(author_org, 0), COALESCE(reviewer_id, 0) FROM practices WHERE id = $1", id).
		Scan(&x.status, &x.hub, &x.text, &x.authorID, &x.orgID, &x.reviewerID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("practice")
	}
	if err != nil {
		return nil, fmt.Errorf("store: practice %d: %w", id, err)
	}
	return &x, nil
}

// ReviewPractice is a Lab reviewer's (or the hub lead's) approval of a
// draft; it then waits for an editor. Nobody approves their own practice
// or one from their own organisation.
func (db *DB) ReviewPractice(ctx context.Context, a Actor, id int64) error {
	return db.tx(ctx, "review practice", func(tx *sql.Tx) error {
		x, err := practiceStepOf(ctx, tx, id)
		if err != nil {
			return err
		}
		u, err := labRequire(ctx, tx, a, access.LabReviewPractice, x.hub)
		if err != nil {
			return err
		}
		if err := labNoConflict(u, x.authorID, x.orgID); err != nil {
			return err
		}
		if x.status != PracticeDraft {
			return model.NotFound("practice")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE practices SET status = $1, reviewer_id = $2, reviewed_at = $3, review_note = '' WHERE id = $4",
			PracticeReviewed, u.ID, db.now(), id); err != nil {
			return fmt.Errorf("store: review practice %d: %w", id, err)
		}
		return db.appendAudit(ctx, tx, a, x.orgID, "practice", id, "review", map[string]any{"reviewer_org": u.OrgID})
	})
}

// PublishPractice is a Lab editor's publication of a reviewed practice.
func (db *DB) PublishPractice(ctx context.Context, a Actor, id int64) error {
	return db.tx(ctx, "publish practice", func(tx *sql.Tx) error {
		u, err := labRequire(ctx, tx, a, access.LabPublish, "")
		if err != nil {
			return err
		}
		x, err := practiceStepOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if x.status != PracticeReviewed || x.reviewerID == 0 {
			return model.NotFound("practice")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE practices SET status = $1, published_at = $2, publisher_id = $3 WHERE id = $4", PracticePublished, db.now(), u.ID, id); err != nil {
			return fmt.Errorf("store: publish practice %d: %w", id, err)
		}
		if err := db.indexPractice(ctx, tx, id, x.text); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, x.orgID, "practice", id, "publish", nil)
	})
}

// practiceJoins name the author's organisation and the reviewer.
const practiceJoins = ` LEFT JOIN organisations ao ON ao.id = p.author_org
	LEFT JOIN users rv ON rv.id = p.reviewer_id LEFT JOIN organisations rvo ON rvo.id = rv.org_id`

const practiceFrom = " FROM practices p" + practiceJoins

const practiceColumns = `p.id, p.title, p.body, p.jurisdiction, p.stage, p.hub, p.what_done, p.what_changed, p.evidence, p.tools, p.sources,
	p.rights, p.technologies, p.illustrative, p.status, COALESCE(p.author_id, 0), COALESCE(p.author_org, 0), COALESCE(ao.name, ''),
	COALESCE(p.reviewer_id, 0), COALESCE(NULLIF(rv.name, ''), rv.email, ''), COALESCE(rvo.name, ''), p.reviewed_at, p.review_note,
	p.created_at, p.published_at`

func scanPractice(sc rowScanner) (*Practice, error) {
	var p Practice
	var rights, techs string
	var pub, reviewed sql.NullTime
	if err := sc.Scan(&p.ID, &p.Title, &p.Body, &p.Jurisdiction, &p.Stage, &p.Hub, &p.WhatDone, &p.WhatChanged, &p.Evidence, &p.Tools, &p.Sources,
		&rights, &techs, &p.Illustrative, &p.Status, &p.AuthorID, &p.AuthorOrg, &p.AuthorOrgName,
		&p.ReviewerID, &p.ReviewerName, &p.ReviewerOrg, &reviewed, &p.ReviewNote,
		&p.CreatedAt, &pub); err != nil {
		return nil, err
	}
	p.Rights, p.Technologies = splitTags(rights), splitTags(techs)
	if pub.Valid {
		t := pub.Time
		p.PublishedAt = &t
	}
	if reviewed.Valid {
		t := reviewed.Time
		p.ReviewedAt = &t
	}
	return &p, nil
}

// Reviewed reports whether a network reviewer checked the practice.
func (p *Practice) Reviewed() bool { return p.ReviewerID != 0 && p.ReviewedAt != nil }

// ReviewedOn is the day of the review (UTC), or "" when there was none.
func (p *Practice) ReviewedOn() string { return dayOf(p.ReviewedAt) }

// PracticeByID returns a published practice, or with unpublished true one
// in any status: only for a caller that checked the reader may see it
// (the author's organisation, or a Lab role that reads the queue).
func (db *DB) PracticeByID(ctx context.Context, id int64, unpublished bool) (*Practice, error) {
	p, err := scanPractice(db.read.QueryRowContext(ctx, "SELECT "+practiceColumns+practiceFrom+" WHERE p.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && p.Status != PracticePublished && !unpublished) {
		return nil, model.NotFound("practice")
	}
	return p, err
}

// DraftPractices lists practices waiting for a reviewer.
func (db *DB) DraftPractices(ctx context.Context) ([]*Practice, error) {
	return db.queryPractices(ctx, "SELECT "+practiceColumns+practiceFrom+" WHERE p.status = $1 ORDER BY p.id", PracticeDraft)
}

// UnpublishedPractices lists the practices not public yet (drafts,
// reviewed and returned ones) of one organisation, or of every
// organisation when orgID is 0, for a caller that checked the reader may
// read the queue.
func (db *DB) UnpublishedPractices(ctx context.Context, orgID int64) ([]*Practice, error) {
	q := "SELECT " + practiceColumns + practiceFrom + " WHERE p.status IN ($1, $2, $3)"
	args := []any{PracticeDraft, PracticeReviewed, PracticeReturned}
	if orgID != 0 {
		q += " AND p.author_org = $4"
		args = append(args, orgID)
	}
	return db.queryPractices(ctx, q+" ORDER BY p.id", args...)
}

func (db *DB) queryPractices(ctx context.Context, q string, args ...any) ([]*Practice, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: practices: %w", err)
	}
	defer rows.Close()
	var out []*Practice
	for rows.Next() {
		p, err := scanPractice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// StagePractices queues the read of the newest published practices, at
// most limit, for one stage in any of the hubs: what a purchase's page
// suggests for the stage it is at.
func (b *Batch) StagePractices(stage model.Stage, hubs []string, limit int, out *[]*Practice) {
	if len(hubs) == 0 {
		return
	}
	args := []any{PracticePublished, stage}
	b.read("practices", "SELECT "+practiceColumns+practiceFrom+" WHERE p.status = $1 AND p.stage = $2 AND p.hub IN ("+placeholders(&args, hubs)+
		") ORDER BY p.id DESC LIMIT "+strconv.Itoa(limit), args, appendRow(out, scanPractice))
}

// PracticeQuery is a search of the published library.
type PracticeQuery struct {
	Text         string
	Stage        string
	Hub          string
	Jurisdiction string
	Right        string
	Technology   string
}

// PracticeResult is every matching published practice, ordered by stage in
// the lifecycle, then newest first, with facet counts.
type PracticeResult struct {
	Practices []*Practice
	Facets    map[string][]Facet // stage, hub, jurisdiction, right, technology
}

// SearchPractices searches published practices only. Text search uses the
// same normalised words on both databases, and the order does not depend on
// either engine's ranking, so both return the same list.
func (db *DB) SearchPractices(ctx context.Context, q PracticeQuery) (*PracticeResult, error) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	from := practiceFrom
	add("p.status = ?", PracticePublished)
	if terms := search.Terms(q.Text); len(terms) > 0 {
		if db.dialect == SQLite {
			from = " FROM practices_fts f JOIN practices p ON p.id = f.rowid" + practiceJoins
			add("f.practices_fts MATCH ?", search.FTS5(terms))
		} else {
			add("p.search_vec @@ to_tsquery('simple', ?)", search.TSQuery(terms))
		}
	}
	if q.Stage != "" {
		add("p.stage = ?", q.Stage)
	}
	if q.Hub != "" {
		add("p.hub = ?", q.Hub)
	}
	if q.Jurisdiction != "" {
		add("p.jurisdiction = ?", q.Jurisdiction)
	}
	if q.Right != "" {
		add(`p.rights LIKE ? ESCAPE '\'`, "%,"+likeEscape(q.Right)+",%")
	}
	if q.Technology != "" {
		add(`p.technologies LIKE ? ESCAPE '\'`, "%,"+likeEscape(q.Technology)+",%")
	}
	list, err := db.queryPractices(ctx, "SELECT "+practiceColumns+from+" WHERE "+strings.Join(conds, " AND ")+" ORDER BY p.id DESC", args...)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Stage.Index() < list[j].Stage.Index() })
	counts := map[string]map[string]int{"stage": {}, "hub": {}, "jurisdiction": {}, "right": {}, "technology": {}}
	for _, p := range list {
		counts["stage"][string(p.Stage)]++
		counts["hub"][p.Hub]++
		counts["jurisdiction"][p.Jurisdiction]++
		for _, r := range p.Rights {
			counts["right"][r]++
		}
		for _, t := range p.Technologies {
			counts["technology"][t]++
		}
	}
	res := &PracticeResult{Practices: list, Facets: map[string][]Facet{}}
	for name, m := range counts {
		fs := make([]Facet, 0, len(m))
		for v, n := range m {
			fs = append(fs, Facet{v, n})
		}
		sort.Slice(fs, func(i, j int) bool {
			if fs[i].Count != fs[j].Count {
				return fs[i].Count > fs[j].Count
			}
			return fs[i].Value < fs[j].Value
		})
		res.Facets[name] = fs
	}
	return res, nil
}

// SourceLine is one line of a practice's sources or tools: a link when the
// line is an http(s) address, plain text otherwise.
type SourceLine struct {
	Text string
	URL  string
}

// Lines splits a multi-line field for display.
func Lines(s string) []SourceLine {
	var out []SourceLine
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		sl := SourceLine{Text: l}
		if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") {
			if i := strings.IndexAny(l, " \t"); i < 0 {
				sl.URL = l
			}
		}
		out = append(out, sl)
	}
	return out
}

// SourceLines are the practice's sources, one per line.
func (p *Practice) SourceLines() []SourceLine { return Lines(p.Sources) }

// ToolLines are the practice's templates and tools, one per line.
func (p *Practice) ToolLines() []SourceLine { return Lines(p.Tools) }
