package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Batch gathers reads that do not wait on each other, so that a page which
// needs two dozen small answers asks for them together. On PostgreSQL the
// reads of a round go to the server in one round trip (pgx's batch: every
// statement written at once, one Sync), where one after the other each
// would cost a trip to another process and back, about 55 µs of CPU
// across the two processes, which is most of what such a read costs. On
// SQLite, in the same process, they simply run in turn.
//
// A read hands each row to its own function. Steps queued with Then run
// after the round's reads, in order, and may queue further reads: those go
// out in the next round, together with whatever else was queued by then.
// Nothing is read until Run.
type Batch struct {
	db    *DB
	reads []batchRead
	steps []func(context.Context) error
}

type batchRead struct {
	what  string // names the read in errors: "store: <what>: ..."
	query string
	args  []any
	row   func(rowScanner) error
}

// rowScanner is one row as *sql.Rows, *sql.Row and pgx.Rows all offer it.
type rowScanner interface {
	Scan(dest ...any) error
}

// NewBatch starts an empty batch of reads.
func (db *DB) NewBatch() *Batch { return &Batch{db: db} }

// read queues a query; row is called once per row, in order.
func (b *Batch) read(what, query string, args []any, row func(rowScanner) error) {
	b.reads = append(b.reads, batchRead{what: what, query: query, args: args, row: row})
}

// Then queues a step to run once the reads queued before it have run.
func (b *Batch) Then(step func(context.Context) error) {
	b.steps = append(b.steps, step)
}

// Run sends the queued reads round by round until none are left, and runs
// each round's steps after its reads. The first error stops it.
func (b *Batch) Run(ctx context.Context) error {
	for len(b.reads) > 0 || len(b.steps) > 0 {
		reads, steps := b.reads, b.steps
		b.reads, b.steps = nil, nil
		if err := b.send(ctx, reads); err != nil {
			return err
		}
		for _, step := range steps {
			if err := step(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *Batch) send(ctx context.Context, reads []batchRead) error {
	if b.db.dialect == Postgres && len(reads) > 1 {
		return b.sendTogether(ctx, reads)
	}
	for _, r := range reads {
		rows, err := b.db.read.QueryContext(ctx, r.query, r.args...)
		if err != nil {
			return r.failed(err)
		}
		err = takeRows(r, rows)
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return r.failed(err)
		}
	}
	return nil
}

// sendTogether writes a round's reads to one PostgreSQL connection at once
// and reads the answers back in the same order. It borrows the pool's pgx
// connection, so the statement cache is the one every other query uses.
func (b *Batch) sendTogether(ctx context.Context, reads []batchRead) error {
	conn, err := b.db.read.Conn(ctx)
	if err != nil {
		return reads[0].failed(err)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		var pb pgx.Batch
		for _, r := range reads {
			pb.Queue(r.query, r.args...)
		}
		res := pc.SendBatch(ctx, &pb)
		for _, r := range reads {
			rows, err := res.Query()
			if err == nil {
				err = takeRows(r, rows)
				rows.Close()
			}
			if err != nil {
				res.Close()
				return r.failed(err)
			}
		}
		return res.Close()
	})
}

// rowSource is what both *sql.Rows and pgx.Rows offer for walking rows.
type rowSource interface {
	rowScanner
	Next() bool
	Err() error
}

func takeRows(r batchRead, rows rowSource) error {
	for rows.Next() {
		if err := r.row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (r batchRead) failed(err error) error {
	return fmt.Errorf("store: %s: %w", r.what, err)
}

// fetch runs a batch of what one batch method queues and returns what it
// filled: the plain form of a batch read, for callers with nothing else to
// ask at the same time.
func fetch[T any](ctx context.Context, db *DB, queue func(*Batch, *T)) (T, error) {
	var out T
	b := db.NewBatch()
	queue(b, &out)
	err := b.Run(ctx)
	return out, err
}

// appendRow returns a row function that scans each row with scan and
// appends the result to *out.
func appendRow[T any](out *[]T, scan func(rowScanner) (T, error)) func(rowScanner) error {
	return func(rs rowScanner) error {
		x, err := scan(rs)
		if err != nil {
			return err
		}
		*out = append(*out, x)
		return nil
	}
}
