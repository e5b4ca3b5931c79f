package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"buyright/internal/i18n"
	"buyright/internal/model"
	"buyright/internal/search"
)

// Publication is a body's decision to show a purchase on the public register.
type Publication struct {
	PurchaseID       int64
	Published        bool
	Summary          string // plain-language summary for the public
	DecidedAt        time.Time
	FirstPublishedAt *time.Time
	// Summaries are the summary in other languages, by language, where
	// the body wrote them (written with the decision, read with it).
	Summaries map[string]string
}

// Publication returns the decision recorded for a purchase (zero if none).
func (db *DB) Publication(ctx context.Context, purchaseID int64) (Publication, error) {
	return fetch(ctx, db, func(b *Batch, out *Publication) { b.Publication(purchaseID, out) })
}

// Publication queues the read of Publication into out.
func (b *Batch) Publication(purchaseID int64, out *Publication) {
	*out = Publication{PurchaseID: purchaseID, Summaries: map[string]string{}}
	b.read("publication", `SELECT p.published, p.summary, p.decided_at, p.first_published_at, COALESCE(s.lang, ''), COALESCE(s.summary, '')
		FROM publications p LEFT JOIN publication_summaries s ON s.purchase_id = p.purchase_id WHERE p.purchase_id = $1`, []any{purchaseID},
		func(rs rowScanner) error {
			var first sql.NullTime
			var lang, summary string
			if err := rs.Scan(&out.Published, &out.Summary, &out.DecidedAt, &first, &lang, &summary); err != nil {
				return err
			}
			if first.Valid {
				out.FirstPublishedAt = &first.Time
			}
			if lang != "" {
				out.Summaries[lang] = summary
			}
			return nil
		})
}

// Publish records the decision to publish (or withdraw) a purchase and its
// public summary, and refreshes its register entry in the same transaction.
func (db *DB) Publish(ctx context.Context, a Actor, p *model.Purchase, publish bool, summary string, translations map[string]string) error {
	summary = model.CleanText(summary)
	if model.TooLong(summary, 5000) {
		return model.FieldErrors{"summary": "invalid.too_long"}.Err()
	}
	for lang, t := range translations {
		translations[lang] = model.CleanText(t)
		if model.TooLong(t, 5000) {
			return model.FieldErrors{"summary_" + lang: "invalid.too_long"}.Err()
		}
	}
	if publish && summary == "" {
		return model.FieldErrors{"summary": "invalid.required"}.Err()
	}
	old, err := db.Publication(ctx, p.ID)
	if err != nil {
		return err
	}
	now := db.now()
	return db.tx(ctx, "publish", func(tx *sql.Tx) error {
		var first any
		if publish {
			first = now
			if old.FirstPublishedAt != nil {
				first = *old.FirstPublishedAt
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO publications (purchase_id, published, summary, decided_by, decided_at, first_published_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (purchase_id) DO UPDATE SET published = excluded.published, summary = excluded.summary,
				decided_by = excluded.decided_by, decided_at = excluded.decided_at, first_published_at = excluded.first_published_at`,
			p.ID, publish, summary, nullID(a.UserID), now, first); err != nil {
			return fmt.Errorf("store: publish: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM publication_summaries WHERE purchase_id = $1", p.ID); err != nil {
			return err
		}
		for lang, t := range translations {
			if t == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO publication_summaries (purchase_id, lang, summary) VALUES ($1, $2, $3)", p.ID, lang, t); err != nil {
				return fmt.Errorf("store: publish: %w", err)
			}
		}
		kind := "published"
		switch {
		case !publish:
			kind = "withdrawn"
		case old.Published:
			kind = "updated"
		}
		// Withdrawing what was never public changes nothing the public sees.
		if publish || old.Published {
			if err := db.noteChange(ctx, tx, p.ID, kind); err != nil {
				return err
			}
		}
		if err := db.refreshEntry(ctx, tx, p.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "publish",
			map[string]any{"published": Change{old.Published, publish}, "summary": Change{old.Summary, summary}, "translations": translations})
	})
}

// noteChange adds a line to the public feed with the title the change made
// public: for a publication or an update the purchase's own (already
// written in this transaction), for a withdrawal the entry's, before the
// entry is removed. The feed never reads a purchase's current title.
func (db *DB) noteChange(ctx context.Context, tx *sql.Tx, purchaseID int64, kind string) error {
	q := "SELECT title FROM purchases WHERE id = $1"
	if kind == "withdrawn" {
		q = "SELECT COALESCE((SELECT title FROM register_entries WHERE purchase_id = $1), '')"
	}
	var title string
	if err := tx.QueryRowContext(ctx, q, purchaseID).Scan(&title); err != nil {
		return fmt.Errorf("store: register change: %w", err)
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO register_changes (purchase_id, kind, at, title) VALUES ($1, $2, $3, $4)", purchaseID, kind, db.now(), title)
	if err != nil {
		return fmt.Errorf("store: register change: %w", err)
	}
	return nil
}

var (
	labelsOnce sync.Once
	labels     *i18n.Bundle
)

// labelWords are the names of a sector or technology in every language, so
// that "saúde", "santé" and "health" all find a health purchase.
func labelWords(kind, value string) string {
	labelsOnce.Do(func() { labels, _ = i18n.Load() })
	if labels == nil {
		return value
	}
	var b strings.Builder
	for _, l := range labels.Langs() {
		b.WriteString(labels.Catalog(l).T(kind + "." + value))
		b.WriteByte(' ')
	}
	return b.String()
}

// refreshEntry rebuilds the register row of a purchase inside tx: it is
// removed when the purchase is not published, and rewritten when it is.
// Every write that changes what the public sees calls it.
func (db *DB) refreshEntry(ctx context.Context, tx *sql.Tx, purchaseID int64) error {
	if db.dialect == SQLite {
		if _, err := tx.ExecContext(ctx, "DELETE FROM register_fts WHERE rowid = $1", purchaseID); err != nil {
			return fmt.Errorf("store: register search: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM register_entries WHERE purchase_id = $1", purchaseID); err != nil {
		return fmt.Errorf("store: register entry: %w", err)
	}
	var published bool
	var summary string
	err := tx.QueryRowContext(ctx, "SELECT published, summary FROM publications WHERE purchase_id = $1", purchaseID).Scan(&published, &summary)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !published) {
		return nil
	}
	if err != nil {
		return err
	}
	p, err := scanPurchase(tx.QueryRowContext(ctx, "SELECT "+purchaseColumns+purchaseFrom+" WHERE p.id = $1", purchaseID))
	if err != nil {
		return fmt.Errorf("store: register entry: %w", err)
	}
	var orgName string
	if err := tx.QueryRowContext(ctx, "SELECT name FROM organisations WHERE id = $1", p.OrgID).Scan(&orgName); err != nil {
		return err
	}
	rows0, err := tx.QueryContext(ctx, "SELECT summary FROM publication_summaries WHERE purchase_id = $1", purchaseID)
	if err != nil {
		return err
	}
	var translated []string
	for rows0.Next() {
		var t string
		if err := rows0.Scan(&t); err != nil {
			rows0.Close()
			return err
		}
		translated = append(translated, t)
	}
	rows0.Close()
	parts := []string{p.Title, summary, strings.Join(translated, " "), p.Need, p.Purpose, p.AffectedPeople, p.VulnerableGroups, p.LegalBasis, orgName, p.Funder, p.OCID,
		labelWords("sector", string(p.Sector))}
	for _, t := range p.Technologies {
		parts = append(parts, labelWords("tech", string(t)))
	}
	rows, err := tx.QueryContext(ctx, "SELECT title, body FROM findings WHERE purchase_id = $1", purchaseID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var t, b string
		if err := rows.Scan(&t, &b); err != nil {
			rows.Close()
			return err
		}
		parts = append(parts, t, b)
	}
	rows.Close()
	// The titles of its published documents (never their files).
	words, err := db.documentWords(ctx, tx, purchaseID)
	if err != nil {
		return err
	}
	parts = append(parts, words...)
	level, err := db.impactLevel(ctx, tx, purchaseID)
	if err != nil {
		return err
	}
	text := search.Text(parts...)
	if _, err := tx.ExecContext(ctx, `INSERT INTO register_entries (purchase_id, org_id, sector, technologies, stage, impact_level, year, search_text, title, org_name, summary, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		p.ID, p.OrgID, p.Sector, joinTechs(p.Technologies), p.Stage, level, entryYear(p), text, p.Title, orgName, summary, db.now()); err != nil {
		return fmt.Errorf("store: register entry: %w", err)
	}
	if db.dialect == SQLite {
		indexed := text + facetTokens(string(p.Sector), joinTechs(p.Technologies), string(p.Stage), level, p.OrgID, entryYear(p))
		if _, err := tx.ExecContext(ctx, "INSERT INTO register_fts (rowid, search_text) VALUES ($1, $2)", p.ID, indexed); err != nil {
			return fmt.Errorf("store: register search: %w", err)
		}
	}
	return nil
}

// impactLevelSQL gives the impact level of purchase p from its completed
// screening, 0 when it has none: a draft screening proves nothing.
const impactLevelSQL = "COALESCE((SELECT s.level FROM screenings s WHERE s.purchase_id = p.id AND s.status = 'complete'), 0)"

// impactLevel is the purchase's screened impact level, 0 when unknown.
func (db *DB) impactLevel(ctx context.Context, tx *sql.Tx, purchaseID int64) (int, error) {
	var level int
	err := tx.QueryRowContext(ctx, "SELECT "+impactLevelSQL+" FROM purchases p WHERE p.id = $1", purchaseID).Scan(&level)
	return level, err
}

// entryYear is the year a register reader thinks of: when the contract
// started, else when it was tendered, else when it was registered.
func entryYear(p *model.Purchase) int {
	switch {
	case !p.ContractStart.IsZero():
		return p.ContractStart.Time().Year()
	case !p.TenderDate.IsZero():
		return p.TenderDate.Time().Year()
	}
	return p.CreatedAt.Year()
}

// refreshIfPublished is called by writes that change a purchase.
func (db *DB) refreshIfPublished(ctx context.Context, tx *sql.Tx, purchaseID int64) error {
	var published bool
	err := tx.QueryRowContext(ctx, "SELECT published FROM publications WHERE purchase_id = $1", purchaseID).Scan(&published)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !published) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := db.noteChange(ctx, tx, purchaseID, "updated"); err != nil {
		return err
	}
	return db.refreshEntry(ctx, tx, purchaseID)
}

// SummaryTranslations returns a published purchase's summary per language.
func (db *DB) SummaryTranslations(ctx context.Context, purchaseID int64) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT lang, summary FROM publication_summaries WHERE purchase_id = $1", purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: summaries: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var l, t string
		if err := rows.Scan(&l, &t); err != nil {
			return nil, err
		}
		out[l] = t
	}
	return out, rows.Err()
}
