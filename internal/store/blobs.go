package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"modernc.org/sqlite"

	"buyright/internal/model"
)

// Uploaded files live in the database, so that any app server serves what
// another stored, but content-addressed (one copy of the same bytes, named
// by its SHA-256) and cut into chunks of BlobChunk bytes: storing streams
// the upload in chunk by chunk while hashing it, serving streams the
// chunks out, and neither holds a whole file in memory.

// BlobChunk is the size of one stored chunk.
const BlobChunk = 256 << 10

// Blob names stored bytes.
type Blob struct {
	SHA256 string
	Size   int64
}

// ErrBlobTooBig is returned by PutBlob when the content passes its limit;
// nothing of it is kept.
var ErrBlobTooBig = errors.New("store: the file is larger than the limit")

// ErrBlobRead wraps an error reading the content given to PutBlob (a
// request cut short, say), as against one of the database.
var ErrBlobRead = errors.New("store: reading the file")

// Fill reads into buf until it is full or r ends, and returns how much it
// read. Unlike io.ReadFull, only io.EOF counts as the end: a reader that
// fails with io.ErrUnexpectedEOF (a multipart body cut short) fails here.
func Fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func init() {
	// The SQLite migration that moved files into blobs hashes them in SQL
	// (PostgreSQL has sha256() built in).
	err := sqlite.RegisterDeterministicScalarFunction("sha256_hex", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		var b []byte
		switch v := args[0].(type) {
		case []byte:
			b = v
		case string:
			b = []byte(v)
		case nil:
			return nil, nil
		default:
			return nil, fmt.Errorf("sha256_hex: cannot hash a %T", v)
		}
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:]), nil
	})
	if err != nil {
		// Without it the files migration would fail later with "no such
		// function"; say why now.
		panic("store: registering sha256_hex with the SQLite driver: " + err.Error())
	}
}

// pendingKey names the chunks of an upload whose hash is not known yet.
// The start time in it, zero-padded, lets SweepBlobs find old ones.
func pendingKey(now time.Time) string {
	var r [8]byte
	_, _ = rand.Read(r[:])
	return fmt.Sprintf("pending:%012d:%s", now.Unix(), hex.EncodeToString(r[:]))
}

// PutBlob reads r to its end into the blob store and returns its hash and
// size. Each chunk is written in its own short statement (on SQLite a long
// transaction would stop every other writer while a slow client uploads);
// the chunks become visible under their hash in one transaction at the
// end. More than limit bytes, a read error or a cancelled request remove
// what was written and store nothing.
func (db *DB) PutBlob(ctx context.Context, r io.Reader, limit int64) (Blob, error) {
	pending := pendingKey(db.now())
	drop := func() {
		_, _ = db.write.ExecContext(context.WithoutCancel(ctx), "DELETE FROM blob_chunks WHERE blob = $1", pending)
	}
	h := sha256.New()
	buf := make([]byte, BlobChunk)
	var size int64
	for n := 0; ; n++ {
		k, rerr := Fill(r, buf)
		if rerr != nil {
			drop()
			return Blob{}, fmt.Errorf("%w: %w", ErrBlobRead, rerr)
		}
		if k > 0 {
			size += int64(k)
			if size > limit {
				drop()
				return Blob{}, ErrBlobTooBig
			}
			h.Write(buf[:k])
			if _, err := db.write.ExecContext(ctx, "INSERT INTO blob_chunks (blob, n, data) VALUES ($1, $2, $3)", pending, n, buf[:k]); err != nil {
				drop()
				return Blob{}, fmt.Errorf("store: store file: %w", err)
			}
		}
		if k < len(buf) {
			break
		}
	}
	b := Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: size}
	err := db.tx(ctx, "store file", func(tx *sql.Tx) error {
		kept, err := db.keepBlob(ctx, tx, b.SHA256)
		if err != nil || kept {
			if err == nil {
				// The same bytes are there already: keep that copy.
				_, err = tx.ExecContext(ctx, "DELETE FROM blob_chunks WHERE blob = $1", pending)
			}
			return err
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO blobs (sha256, size, created_at) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING", b.SHA256, b.Size, db.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			_, err = tx.ExecContext(ctx, "DELETE FROM blob_chunks WHERE blob = $1", pending)
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE blob_chunks SET blob = $1 WHERE blob = $2", b.SHA256, pending)
		return err
	})
	if err != nil {
		drop()
		return Blob{}, fmt.Errorf("store: store file: %w", err)
	}
	return b, nil
}

// keepBlob marks a stored blob as wanted now, so that SweepBlobs leaves
// it to the row about to name it (the sweep deletes only blobs that are
// still old when it deletes them), and reports whether it exists.
func (db *DB) keepBlob(ctx context.Context, tx *sql.Tx, sha string) (bool, error) {
	res, err := tx.ExecContext(ctx, "UPDATE blobs SET created_at = $1 WHERE sha256 = $2", db.now(), sha)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// putBlobTx stores bytes already in memory (small files made by buyright
// itself, the demo, tests) inside the caller's transaction.
func (db *DB) putBlobTx(ctx context.Context, tx *sql.Tx, data []byte) (Blob, error) {
	sum := sha256.Sum256(data)
	b := Blob{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	if kept, err := db.keepBlob(ctx, tx, b.SHA256); err != nil || kept {
		return b, err
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO blobs (sha256, size, created_at) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING", b.SHA256, b.Size, db.now())
	if err != nil {
		return b, fmt.Errorf("store: store file: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return b, nil
	}
	for n := 0; n*BlobChunk < len(data); n++ {
		chunk := data[n*BlobChunk : min(len(data), (n+1)*BlobChunk)]
		if _, err := tx.ExecContext(ctx, "INSERT INTO blob_chunks (blob, n, data) VALUES ($1, $2, $3)", b.SHA256, n, chunk); err != nil {
			return b, fmt.Errorf("store: store file: %w", err)
		}
	}
	return b, nil
}

// blobFor returns the blob a new file row names: the bytes given in
// memory, stored now, or a blob stored earlier by PutBlob, which must
// exist.
func (db *DB) blobFor(ctx context.Context, tx *sql.Tx, data []byte, sha string) (Blob, error) {
	if data != nil || sha == "" {
		return db.putBlobTx(ctx, tx, data)
	}
	b := Blob{SHA256: sha}
	err := tx.QueryRowContext(ctx, "UPDATE blobs SET created_at = $1 WHERE sha256 = $2 RETURNING size", db.now(), sha).Scan(&b.Size)
	if errors.Is(err, sql.ErrNoRows) {
		return b, model.NotFound("file")
	}
	return b, err
}

// CopyBlob writes the stored bytes to w chunk by chunk. Each chunk is
// its own short query: a slow client holds no database connection while
// it reads.
func (db *DB) CopyBlob(ctx context.Context, w io.Writer, sha string) (int64, error) {
	var total int64
	var chunk []byte
	for n := 0; ; n++ {
		err := db.read.QueryRowContext(ctx, "SELECT data FROM blob_chunks WHERE blob = $1 AND n = $2", sha, n).Scan(&chunk)
		if errors.Is(err, sql.ErrNoRows) {
			return total, nil
		}
		if err != nil {
			return total, fmt.Errorf("store: read file: %w", err)
		}
		k, err := w.Write(chunk)
		total += int64(k)
		if err != nil {
			return total, err
		}
	}
}

// ReadBlob returns stored bytes whole; for small files only (tests, the
// register's checks).
func (db *DB) ReadBlob(ctx context.Context, sha string) ([]byte, error) {
	var b bytesBuffer
	_, err := db.CopyBlob(ctx, &b, sha)
	return b, err
}

type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }

// SweepBlobs removes the chunks of uploads abandoned before cutoff, and
// blobs stored before cutoff that no file names (a form refused after its
// file was stored, a complaint deleted).
func (db *DB) SweepBlobs(ctx context.Context, cutoff time.Time) (int64, error) {
	if _, err := db.write.ExecContext(ctx, "DELETE FROM blob_chunks WHERE blob LIKE 'pending:%' AND blob < $1",
		fmt.Sprintf("pending:%012d:", cutoff.Unix())); err != nil {
		return 0, fmt.Errorf("store: sweep files: %w", err)
	}
	var n int64
	err := db.tx(ctx, "sweep files", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT sha256 FROM blobs b WHERE created_at < $1
			AND NOT EXISTS (SELECT 1 FROM purchase_files f WHERE f.sha256 = b.sha256)
			AND NOT EXISTS (SELECT 1 FROM complaint_files f WHERE f.sha256 = b.sha256)
			AND NOT EXISTS (SELECT 1 FROM consultation_files f WHERE f.sha256 = b.sha256)
			AND NOT EXISTS (SELECT 1 FROM lab_materials m WHERE m.file_sha256 = b.sha256) LIMIT 1000`, cutoff)
		if err != nil {
			return err
		}
		var gone []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			gone = append(gone, s)
		}
		rows.Close()
		for _, s := range gone {
			// Still old now: a file row about to name it would have made
			// it new (keepBlob), and waits for this delete or wins.
			res, err := tx.ExecContext(ctx, "DELETE FROM blobs WHERE sha256 = $1 AND created_at < $2", s, cutoff)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM blob_chunks WHERE blob = $1", s); err != nil {
				return err
			}
			n++
		}
		return rows.Err()
	})
	if err != nil {
		return 0, fmt.Errorf("store: sweep files: %w", err)
	}
	return n, nil
}
