package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"buyright/internal/model"
	"buyright/internal/search"
)

// RegisterSeed is one synthetic published entry, for benchmarks.
type RegisterSeed struct {
	Title, Summary string
	Sector         model.Sector
	Technologies   []model.Technology
	Stage          model.Stage
	Level, Year    int
}

// SeedRegister writes n published purchases of org straight into the
// tables a register search reads (purchases, publications, the register
// entries and, on SQLite, the word index), in large batches and on
// PostgreSQL with COPY: a million entries in minutes, where publishing them
// one by one through Publish takes hours. It is for benchmarks on scratch
// databases only: it writes no audit rows and no feed lines, and it does
// not keep the purchase list's counts. The facet counts follow through
// their triggers like any other write.
func (db *DB) SeedRegister(ctx context.Context, org *model.Organisation, n int, gen func(i int) RegisterSeed) error {
	var first int64
	if err := db.write.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM purchases").Scan(&first); err != nil {
		return err
	}
	if db.dialect == Postgres {
		// The word index takes a batch's words in one merge instead of one
		// row at a time; searches later read it without a pending list.
		if _, err := db.write.ExecContext(ctx, "ALTER INDEX register_entries_search SET (fastupdate = on, gin_pending_list_limit = 65536)"); err != nil {
			return err
		}
		defer db.write.ExecContext(ctx, "ALTER INDEX register_entries_search SET (fastupdate = off)")
	}
	const batch = 20000
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		var err error
		if db.dialect == Postgres {
			err = db.seedCopy(ctx, org, first, lo, hi, gen)
		} else {
			err = db.seedInsert(ctx, org, first, lo, hi, gen)
		}
		if err != nil {
			return fmt.Errorf("store: seed register %d-%d: %w", lo, hi, err)
		}
	}
	if db.dialect == Postgres {
		if _, err := db.write.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('purchases', 'id'), (SELECT MAX(id) FROM purchases))"); err != nil {
			return err
		}
		_, err := db.write.ExecContext(ctx, "SELECT gin_clean_pending_list('register_entries_search'::regclass)")
		return err
	}
	return nil
}

type seedRow struct {
	id   int64
	s    RegisterSeed
	text string
}

func seedRows(org *model.Organisation, first int64, lo, hi int, gen func(int) RegisterSeed) []seedRow {
	rows := make([]seedRow, 0, hi-lo)
	for i := lo; i < hi; i++ {
		s := gen(i)
		parts := []string{s.Title, s.Summary, org.Name, labelWords("sector", string(s.Sector))}
		for _, t := range s.Technologies {
			parts = append(parts, labelWords("tech", string(t)))
		}
		rows = append(rows, seedRow{first + int64(i), s, search.Text(parts...)})
	}
	return rows
}

func (db *DB) seedInsert(ctx context.Context, org *model.Organisation, first int64, lo, hi int, gen func(int) RegisterSeed) error {
	rows := seedRows(org, first, lo, hi, gen)
	now := db.now()
	return db.tx(ctx, "seed register", func(tx *sql.Tx) error {
		stmts := []string{
			"INSERT INTO purchases (id, org_id, title, sector, technologies, stage, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
			"INSERT INTO publications (purchase_id, published, summary, decided_at, first_published_at) VALUES ($1, TRUE, $2, $3, $3)",
			`INSERT INTO register_entries (purchase_id, org_id, sector, technologies, stage, impact_level, year, search_text, title, org_name, summary, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			"INSERT INTO register_fts (rowid, search_text) VALUES ($1, $2)",
		}
		prepared := make([]*sql.Stmt, len(stmts))
		for i, q := range stmts {
			st, err := tx.PrepareContext(ctx, q)
			if err != nil {
				return err
			}
			defer st.Close()
			prepared[i] = st
		}
		for _, r := range rows {
			techs := joinTechs(r.s.Technologies)
			if _, err := prepared[0].ExecContext(ctx, r.id, org.ID, r.s.Title, r.s.Sector, techs, r.s.Stage, now); err != nil {
				return err
			}
			if _, err := prepared[1].ExecContext(ctx, r.id, r.s.Summary, now); err != nil {
				return err
			}
			if _, err := prepared[2].ExecContext(ctx, r.id, org.ID, r.s.Sector, techs, r.s.Stage, r.s.Level, r.s.Year, r.text, r.s.Title, org.Name, r.s.Summary, now); err != nil {
				return err
			}
			if _, err := prepared[3].ExecContext(ctx, r.id, r.text+facetTokens(string(r.s.Sector), techs, string(r.s.Stage), r.s.Level, org.ID, r.s.Year)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *DB) seedCopy(ctx context.Context, org *model.Organisation, first int64, lo, hi int, gen func(int) RegisterSeed) error {
	rows := seedRows(org, first, lo, hi, gen)
	now := db.now()
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		copyRows := func(table string, cols []string, row func(r seedRow) []any) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) { return row(rows[i]), nil }))
			return err
		}
		if err := copyRows("purchases", []string{"id", "org_id", "title", "sector", "technologies", "stage", "created_at", "updated_at"}, func(r seedRow) []any {
			return []any{r.id, org.ID, r.s.Title, string(r.s.Sector), joinTechs(r.s.Technologies), string(r.s.Stage), now, now}
		}); err != nil {
			return err
		}
		if err := copyRows("publications", []string{"purchase_id", "published", "summary", "decided_at", "first_published_at"}, func(r seedRow) []any {
			return []any{r.id, true, r.s.Summary, now, now}
		}); err != nil {
			return err
		}
		if err := copyRows("register_entries", []string{"purchase_id", "org_id", "sector", "technologies", "stage", "impact_level", "year", "search_text", "title", "org_name", "summary", "updated_at"}, func(r seedRow) []any {
			return []any{r.id, org.ID, string(r.s.Sector), joinTechs(r.s.Technologies), string(r.s.Stage), r.s.Level, r.s.Year, r.text, r.s.Title, org.Name, r.s.Summary, now}
		}); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}
