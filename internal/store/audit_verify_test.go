package store_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"buyright/internal/audit"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Verifying while people write never reports tampering that did not
// happen: the rows and the head are read as of one moment. (The probe saw
// 17 false alarms in 18 runs under write load.)
func TestAuditVerifyUnderWriteLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		var wg sync.WaitGroup
		var written atomic.Int64
		const writers, each = 4, 40
		for i := 0; i < writers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < each; j++ {
					p := &model.Purchase{OrgID: city.ID, Title: fmt.Sprintf("P %d-%d", i, j), Sector: "health", LeadUserID: ana.ID}
					if err := db.CreatePurchase(ctx, store.ActorOf(ana), p); err != nil {
						t.Error(err)
						return
					}
					written.Add(1)
				}
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		runs, last := 0, int64(0)
		var failed error
		for finished := false; !finished && failed == nil; {
			select {
			case <-done:
				finished = true
			default:
			}
			n, _, err := db.VerifyAudit(ctx)
			switch {
			case err != nil:
				failed = fmt.Errorf("verify %d, after %d writes: %w", runs, written.Load(), err)
			case n < last:
				failed = fmt.Errorf("verify %d saw %d rows after an earlier one saw %d", runs, n, last)
			}
			last = n
			runs++
		}
		<-done
		if failed != nil {
			t.Fatal(failed)
		}
		if n, _, err := db.VerifyAudit(ctx); err != nil || n != 2+writers*each {
			t.Fatalf("final verify: %d rows, %v", n, err)
		}
		t.Logf("%d verifications during %d writes", runs, writers*each)
	})
}

// auditWorld is a small log: organisation, person, purchases A and B and
// a comment, rows 1 to 5.
func auditWorld(t *testing.T, db *store.DB) {
	t.Helper()
	org := storetest.Org(t, db, "city", model.OrgPublicBody)
	ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
	p := storetest.Purchase(t, db, ana, "A")
	storetest.Purchase(t, db, ana, "B")
	if _, err := db.AddComment(ctx, store.ActorOf(ana), ana, p, "hello"); err != nil {
		t.Fatal(err)
	}
}

// rowHash reads a row's hash as stored.
func rowHash(t *testing.T, db *store.DB, id int64) string {
	t.Helper()
	var h string
	if err := db.QueryRowForTest(fmt.Sprintf("SELECT hash FROM audit_log WHERE id = %d", id), &h); err != nil {
		t.Fatal(err)
	}
	return h
}

// rewriteFrom edits row id and recomputes every hash from there, and the
// head: a log consistent in itself that is not the one that was written.
func rewriteFrom(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	rows, err := db.RawDB().Query("SELECT id, at, COALESCE(actor_id, 0), actor, COALESCE(org_id, 0), object_type, object_id, action, detail, prev_hash, hash FROM audit_log ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var es []audit.Entry
	for rows.Next() {
		var e audit.Entry
		rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.OrgID, &e.ObjectType, &e.ObjectID, &e.Action, &e.Detail, &e.PrevHash, &e.Hash)
		es = append(es, e)
	}
	rows.Close()
	var qs []string
	for i := range es {
		if es[i].ID < id {
			continue
		}
		if es[i].ID == id {
			es[i].Detail = `{"body":"nothing happened"}`
		}
		es[i].Seal(es[i-1].Hash)
		qs = append(qs, fmt.Sprintf("UPDATE audit_log SET detail = '%s', prev_hash = '%s', hash = '%s' WHERE id = %d", es[i].Detail, es[i].PrevHash, es[i].Hash, es[i].ID))
	}
	last := es[len(es)-1]
	qs = append(qs, fmt.Sprintf("UPDATE audit_head SET last_id = %d, hash = '%s'", last.ID, last.Hash))
	if err := db.Tamper(qs...); err != nil {
		t.Fatal(err)
	}
}

func wantBreak(t *testing.T, err error, row int64, words string) {
	t.Helper()
	var b *audit.Break
	if !errors.As(err, &b) || b.ID != row || !strings.Contains(b.Error(), words) {
		t.Fatalf("verify = %v; want a break at row %d saying %q", err, row, words)
	}
}

// The tampering a hash chain alone cannot see: an emptied log, rows
// removed from the end with the head moved back, a log rewritten from a
// row on with hashes recomputed. Verify catches them with what the
// database itself still holds (its organisations, people and purchases;
// the heads it published) and with witnesses kept outside.
func TestAuditTamperingBeyondTheChain(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, db *store.DB) []audit.Witness // tampers; returns witnesses an outsider kept
		row   int64
		words string
	}{
		{"emptied log", func(t *testing.T, db *store.DB) []audit.Witness {
			if err := db.Tamper("DELETE FROM audit_log", "DELETE FROM audit_head"); err != nil {
				t.Fatal(err)
			}
			return nil
		}, 1, "the log is empty"},
		{"last rows removed, head moved back", func(t *testing.T, db *store.DB) []audit.Witness {
			h3 := rowHash(t, db, 3)
			if err := db.Tamper("DELETE FROM audit_log WHERE id > 3", fmt.Sprintf("UPDATE audit_head SET last_id = 3, hash = '%s'", h3)); err != nil {
				t.Fatal(err)
			}
			return nil
		}, 4, "purchase"},
		{"last row removed, head moved back, caught by a witness", func(t *testing.T, db *store.DB) []audit.Witness {
			w := audit.Witness{ID: 5, Hash: rowHash(t, db, 5)}
			if err := db.Tamper("DELETE FROM audit_log WHERE id = 5", fmt.Sprintf("UPDATE audit_head SET last_id = 4, hash = '%s'", rowHash(t, db, 4))); err != nil {
				t.Fatal(err)
			}
			return []audit.Witness{w}
		}, 5, "row 5 was witnessed"},
		{"last row removed, head moved back, caught by a published head", func(t *testing.T, db *store.DB) []audit.Witness {
			if _, err := db.CheckpointAudit(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.Tamper("DELETE FROM audit_log WHERE id = 5", fmt.Sprintf("UPDATE audit_head SET last_id = 4, hash = '%s'", rowHash(t, db, 4))); err != nil {
				t.Fatal(err)
			}
			return nil
		}, 5, "published"},
		{"rewritten from row 3, caught by a witness", func(t *testing.T, db *store.DB) []audit.Witness {
			w := audit.Witness{ID: 4, Hash: rowHash(t, db, 4)}
			rewriteFrom(t, db, 3)
			return []audit.Witness{w}
		}, 4, "rewritten"},
		{"rewritten from row 3, caught by a published head", func(t *testing.T, db *store.DB) []audit.Witness {
			if _, err := db.CheckpointAudit(ctx); err != nil {
				t.Fatal(err)
			}
			rewriteFrom(t, db, 3)
			return nil
		}, 5, "published"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				auditWorld(t, db)
				if _, _, err := db.VerifyAudit(ctx); err != nil {
					t.Fatal(err)
				}
				ws := tc.setup(t, db)
				_, _, err := db.VerifyAudit(ctx, ws...)
				wantBreak(t, err, tc.row, tc.words)
			})
		})
	}
}

// The application cannot change or remove what the log holds: the
// database refuses it (triggers), and the head only moves forward.
func TestAuditLogAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		auditWorld(t, db)
		for _, q := range []string{
			"UPDATE audit_log SET actor = 'mallory' WHERE id = 2",
			"DELETE FROM audit_log WHERE id = 5",
			"DELETE FROM audit_log",
			"UPDATE audit_head SET last_id = 3",
			"DELETE FROM audit_head",
		} {
			if err := db.Exec(q); err == nil {
				t.Errorf("%s: accepted", q)
			}
		}
		if db.Dialect() == store.Postgres {
			if err := db.Exec("TRUNCATE audit_log"); err == nil {
				t.Error("TRUNCATE audit_log: accepted")
			}
		}
		if _, err := db.CheckpointAudit(ctx); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE audit_checkpoints SET hash = 'x'", "DELETE FROM audit_checkpoints"} {
			if err := db.Exec(q); err == nil {
				t.Errorf("%s: accepted", q)
			}
		}
		if n, _, err := db.VerifyAudit(ctx); err != nil || n != 5 {
			t.Fatalf("after the refused changes: %d %v", n, err)
		}
	})
}
