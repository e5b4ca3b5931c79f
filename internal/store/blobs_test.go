package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// Files stored before the blob store (each row with its own bytes) come
// out of the upgrade byte for byte, the same bytes kept once, a file
// longer than a chunk cut into chunks.
func TestUpgradeMovesFilesIntoOneCopyEach(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			db := storetest.OpenUnmigrated(t, d)
			if err := db.MigrateTo(ctx, 24); err != nil {
				t.Fatal(err)
			}
			org := storetest.Org(t, db, "city", model.OrgPublicBody)
			u := storetest.User(t, db, org, "lead@city.example", model.RoleOfficer)
			p := storetest.Purchase(t, db, u, "School platform")
			big := bytes.Repeat([]byte("minutes of the meeting with parents\n"), 20000) // 720 KB: three chunks
			small := []byte("%PDF-1.4 evidence")
			now := time.Now().UTC()
			steps := []struct {
				q    string
				args []any
			}{
				{`INSERT INTO purchase_files (purchase_id, kind, ref, name, ctype, size, sha256, data, uploaded_at) VALUES ($1, 'engagement', '', 'minutes.txt', 'text/plain; charset=utf-8', $2, $3, $4, $5)`,
					[]any{p.ID, len(big), sum(big), big, now}},
				{`INSERT INTO purchase_files (purchase_id, kind, ref, name, ctype, size, sha256, data, uploaded_at) VALUES ($1, 'evidence', '', 'again.txt', 'text/plain; charset=utf-8', $2, $3, $4, $5)`,
					[]any{p.ID, len(big), sum(big), big, now}},
				{`INSERT INTO complaints (id, org_id, service, body, lookup, code_hash, status, received_at, ack_due, answer_due) VALUES (1, $1, 'schools', 'b', 'l', 'h', 'received', $2, '2026-01-01', '2026-02-01')`,
					[]any{org.ID, now}},
				{`INSERT INTO complaint_files (complaint_id, name, ctype, data, at) VALUES (1, 'photo.pdf', 'application/pdf', $1, $2)`, []any{small, now}},
				{`INSERT INTO lab_materials (org_id, kind, title, description, file_name, file_type, file_data, created_at) VALUES ($1, 'template', 'T', 'D', 'q.pdf', 'application/pdf', $2, $3)`,
					[]any{org.ID, small, now}},
				{`INSERT INTO lab_materials (org_id, kind, title, description, link, created_at) VALUES ($1, 'template', 'L', 'D', 'https://example.org', $2)`,
					[]any{org.ID, now}},
			}
			for _, s := range steps {
				if err := db.Exec(s.q, s.args...); err != nil {
					t.Fatalf("%s: %v", s.q, err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var blobs, chunks int
			if err := db.QueryRowForTest("SELECT (SELECT COUNT(*) FROM blobs), (SELECT COUNT(*) FROM blob_chunks)", &blobs, &chunks); err != nil {
				t.Fatal(err)
			}
			if blobs != 2 || chunks != 4 {
				t.Fatalf("after the upgrade: %d blobs in %d chunks, want 2 in 4 (3 for the minutes kept once, 1 for the PDF kept once)", blobs, chunks)
			}
			files, err := db.PurchaseFiles(ctx, p.ID, "evidence")
			if err != nil || len(files) != 1 {
				t.Fatal(files, err)
			}
			if got := blobOf(t, db, files[0].SHA256); !bytes.Equal(got, big) {
				t.Fatalf("the minutes come back as %d bytes, want %d", len(got), len(big))
			}
			cf, err := db.ComplaintFile(ctx, 1, 1)
			if err != nil || cf.SHA256 != sum(small) || cf.Size != int64(len(small)) || !bytes.Equal(blobOf(t, db, cf.SHA256), small) {
				t.Fatalf("complaint file: %+v %v", cf, err)
			}
			var withFile, without string
			if err := db.QueryRowForTest("SELECT (SELECT file_sha256 FROM lab_materials WHERE title = 'T'), (SELECT file_sha256 FROM lab_materials WHERE title = 'L')", &withFile, &without); err != nil {
				t.Fatal(err)
			}
			if withFile != sum(small) || without != "" {
				t.Fatalf("lab materials: %q %q", withFile, without)
			}
		})
	}
}

// A file streamed in is kept once however often it is uploaded, comes
// back whole, and one over the limit leaves nothing behind.
func TestPutBlobStreamsKeepsOneCopyAndRefusesPastTheLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		data := bytes.Repeat([]byte("0123456789abcdef"), store.BlobChunk/16*2+1000) // two chunks and a bit
		for range 2 {
			b, err := db.PutBlob(ctx, bytes.NewReader(data), int64(len(data)))
			if err != nil || b.SHA256 != sum(data) || b.Size != int64(len(data)) {
				t.Fatalf("put: %+v %v", b, err)
			}
		}
		var blobs, chunks int
		count := func() {
			t.Helper()
			if err := db.QueryRowForTest("SELECT (SELECT COUNT(*) FROM blobs), (SELECT COUNT(*) FROM blob_chunks)", &blobs, &chunks); err != nil {
				t.Fatal(err)
			}
		}
		if count(); blobs != 1 || chunks != 3 {
			t.Fatalf("after two uploads of the same bytes: %d blobs, %d chunks; want 1 and 3", blobs, chunks)
		}
		if got := blobOf(t, db, sum(data)); !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes, want %d", len(got), len(data))
		}
		_, err := db.PutBlob(ctx, strings.NewReader(strings.Repeat("x", store.BlobChunk+1)), store.BlobChunk)
		if !errors.Is(err, store.ErrBlobTooBig) {
			t.Fatalf("over the limit: %v", err)
		}
		if count(); blobs != 1 || chunks != 3 {
			t.Fatalf("a refused upload left %d blobs, %d chunks", blobs, chunks)
		}
		// Nothing names the blob: the sweep removes it once it is old.
		if n, err := db.SweepBlobs(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("a fresh blob was swept: %d %v", n, err)
		}
		if n, err := db.SweepBlobs(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		if count(); blobs != 0 || chunks != 0 {
			t.Fatalf("after the sweep: %d blobs, %d chunks", blobs, chunks)
		}
	})
}

// patternReader yields n bytes without holding them.
type patternReader struct{ left int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	n := min(int64(len(b)), p.left)
	for i := range n {
		b[i] = byte((p.left - i) * 7)
	}
	p.left -= n
	return int(n), nil
}

// heapInUsePeak runs fn while sampling the heap in use, garbage
// included, and returns its peak above where it started.
func heapInUsePeak(fn func()) uint64 {
	runtime.GC()
	var base, ms runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak uint64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	if peak < base.HeapInuse {
		return 0
	}
	return peak - base.HeapInuse
}

// Storing a file and reading it back hold about the same memory for 1 MB
// as for 50 MB: a few chunks at a time, never the file. The heap in use is counted with its
// garbage, with the collector set to run early (GOGC=10) so that what
// the drivers copy and drop does not hide what is held.
func TestBlobMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 61 MB")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, mb := range []int64{1, 10, 50} {
			var b store.Blob
			var err error
			up := heapInUsePeak(func() { b, err = db.PutBlob(ctx, &patternReader{mb << 20}, 1<<30) })
			if err != nil || b.Size != mb<<20 {
				t.Fatal(b, err)
			}
			var n int64
			down := heapInUsePeak(func() { n, err = db.CopyBlob(ctx, io.Discard, b.SHA256) })
			if err != nil || n != b.Size {
				t.Fatal(n, err)
			}
			t.Logf("%s: %2d MB: heap in use peak +%.1f MB storing, +%.1f MB reading", db.Dialect(), mb, float64(up)/(1<<20), float64(down)/(1<<20))
			// A store that held the file would grow by at least its size
			// (50 MB). The bound is a fifth of that: room for what the
			// drivers and the race detector copy and drop between two
			// collections (seen up to 4.3 MB), far from holding the file.
			if limit := uint64(40 * store.BlobChunk); up > limit || down > limit {
				t.Errorf("%d MB: the heap grew by %d bytes storing and %d reading, more than 40 chunks (10 MB)", mb, up, down)
			}
		}
	})
}
