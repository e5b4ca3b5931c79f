package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/retention"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The restore drill, as the README tells an operator to run it: seed a
// database, back it up with `buyright backup` while it is open, restore the
// copy somewhere new (SQLite: the copy is the database; PostgreSQL:
// pg_restore into a fresh database), and check that `buyright audit
// verify` passes, the head is the original's, the data and its schema are
// there, and the complaint key beside the copy opens the complainant's name.
func TestRestoreDrill(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			if d == store.Postgres {
				for _, tool := range []string{"pg_dump", "pg_restore"} {
					if _, err := exec.LookPath(tool); err != nil {
						t.Skipf("%s is not installed here (Debian: apt-get install postgresql-client); the PostgreSQL drill is skipped", tool)
					}
				}
			}
			ctx := context.Background()
			key := grievance.NewKey()
			with := map[string]string{"BUYRIGHT_COMPLAINT_KEY": key}
			src := storetest.URL(t, d)
			raw, err := grievance.ParseKey(key)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := keyFor(t, with, src, ""); err != nil {
				t.Fatal(err)
			}
			fileComplaint(t, src, raw)
			db, err := store.Open(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			city, _ := db.OrgBySlug(ctx, "city")
			u := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
			p := storetest.Purchase(t, db, u, "Benefit fraud scoring — ação piloto")
			if err := db.SetRetention(ctx, store.ActorOf(u), retention.Outbox, 30); err != nil {
				t.Fatal(err)
			}
			head := auditHead(t, src)

			// Back up while the source is open and in use.
			out := filepath.Join(t.TempDir(), "buyright.backup")
			code, stdout, errs := runWith(t, with, "backup", "--db", src, "--out", out)
			if code != 0 || !strings.Contains(stdout, "wrote a consistent copy") || !strings.Contains(stdout, "copied the complaint key") {
				t.Fatalf("backup: %d %q %q", code, stdout, errs)
			}
			db.Close()

			restored := restore(t, d, src, out)
			code, stdout, errs = runWith(t, nil, "audit", "verify", "--db", restored)
			if code != 0 || !strings.Contains(stdout, "audit log intact") || !strings.Contains(stdout, head) {
				t.Fatalf("audit verify of the restored copy: %d %q %q (want head %s)", code, stdout, errs, head)
			}
			rdb, err := store.Open(ctx, restored)
			if err != nil {
				t.Fatal(err)
			}
			defer rdb.Close()
			if err := rdb.CheckSchema(ctx); err != nil {
				t.Fatalf("restored schema: %v", err)
			}
			got, _, err := rdb.Purchase(ctx, u, p.ID)
			if err != nil || got.Title != p.Title {
				t.Fatalf("restored purchase: %+v %v", got, err)
			}
			sched, _ := rdb.RetentionSchedule(ctx)
			if sched[0].Kind != retention.Outbox || sched[0].Days != 30 || sched[0].SetBy != "ana@city.example" {
				t.Errorf("restored retention setting: %+v", sched[0])
			}
			c, err := rdb.ComplaintByID(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			keyCopy, err := os.ReadFile(out + ".complaint-key")
			if err != nil {
				t.Fatal(err)
			}
			k, _ := grievance.ParseKey(strings.TrimSpace(string(keyCopy)))
			box, _ := grievance.NewBox(k)
			if name, err := box.Open(c.Identity, grievance.Ref(c.ID)); err != nil || !strings.HasPrefix(string(name), "Dora") {
				t.Errorf("the key beside the copy does not open the complainant's name: %v", err)
			}
		})
	}
}

// auditHead runs audit verify and returns the ROW:HASH it prints.
func auditHead(t *testing.T, dbURL string) string {
	t.Helper()
	code, stdout, errs := runWith(t, nil, "audit", "verify", "--db", dbURL)
	if code != 0 {
		t.Fatalf("audit verify: %d %q", code, errs)
	}
	_, after, _ := strings.Cut(stdout, "; head ")
	h, _, _ := strings.Cut(after, "\n")
	if h == "" {
		t.Fatalf("no head in %q", stdout)
	}
	return h
}

// restore brings a backup back as a new database and returns its URL.
func restore(t *testing.T, d store.Dialect, src, backup string) string {
	t.Helper()
	if d == store.SQLite {
		// The copy is a complete database: restoring is putting it where
		// the server will look, with its key beside it.
		dst := filepath.Join(t.TempDir(), "restored.db")
		b, err := os.ReadFile(backup)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return "sqlite:" + dst
	}
	// PostgreSQL: a fresh database, as after losing the server.
	base, _ := url.Parse(os.Getenv(storetest.EnvPostgres))
	admin, err := sql.Open("pgx", base.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 5)
	rand.Read(b)
	name := "restore_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating the scratch database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base.String())
		if err == nil {
			a.Exec("DROP DATABASE " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	target := *base
	target.Path = "/" + name
	// The command the README gives.
	cmd := exec.Command("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname="+target.String(), backup)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v: %s", err, out)
	}
	su, _ := url.Parse(src)
	q := target.Query()
	q.Set("search_path", su.Query().Get("search_path"))
	target.RawQuery = q.Encode()
	return target.String()
}

// The schedule from the command line: a period below the minimum is
// refused with it and exit 1; one within bounds is kept and shown.
func TestRetentionCommand(t *testing.T) {
	src := storetest.URL(t, store.SQLite)
	if code, _, errs := runWith(t, nil, "migrate", "--db", src); code != 0 {
		t.Fatal(errs)
	}
	code, _, errs := runWith(t, nil, "retention", "set", "complaint_identity", "10", "--db", src)
	if code != 1 || !strings.Contains(errs, "below the minimum of 90 days") {
		t.Errorf("below the minimum: %d %q", code, errs)
	}
	if code, _, errs := runWith(t, nil, "retention", "set", "complaint_identity", "120", "--db", src); code != 0 {
		t.Fatalf("set: %q", errs)
	}
	code, out, _ := runWith(t, nil, "retention", "show", "--db", src)
	if code != 0 || !strings.Contains(out, "complaint_identity        120  90-1825 (set from the command line") {
		t.Errorf("show: %q", out)
	}
	if code, out, _ := runWith(t, nil, "retention", "run", "--db", src); code != 0 || !strings.Contains(out, "outbox                 0 deleted") {
		t.Errorf("run: %d %q", code, out)
	}
	if code, _, _ := runWith(t, nil, "retention", "purge"); code != 2 {
		t.Errorf("unknown subcommand: exit %d, want 2", code)
	}
}
