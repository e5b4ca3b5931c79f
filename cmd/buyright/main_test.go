package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// runCLI runs the binary's entry point in-process with its own streams.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestHelpListsCommands(t *testing.T) {
	code, out, _ := runCLI(t, "", "help")
	for _, c := range []string{"serve", "migrate", "user", "backup", "audit", "version"} {
		if !strings.Contains(out, "\n  "+c) {
			t.Errorf("help does not list %s", c)
		}
	}
	if code != 0 {
		t.Fatal(code)
	}
	if code, _, errs := runCLI(t, "", "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errs)
	}
}

// Faults give one clear line and a non-zero exit, never a stack trace.
func TestDatabaseFaultsOneLine(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o555)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "--db", "mysql://x"}, "unknown database scheme"},
		{[]string{"migrate", "--db", "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"}, "not reachable"},
		{[]string{"migrate", "--db", "sqlite:" + filepath.Join(dir, "missing", "x.db")}, "does not exist"},
		{[]string{"backup", "--db", "sqlite:" + filepath.Join(dir, "b.db")}, "--out FILE is required"},
	}
	if os.Geteuid() != 0 { // root ignores permissions
		cases = append(cases, struct {
			args []string
			want string
		}{[]string{"migrate", "--db", "sqlite:" + filepath.Join(ro, "x.db")}, "read-only"})
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, "", c.args...)
		if code == 0 || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q; want one line with %q", c.args, code, errs, c.want)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	if code, _, errs := runCLI(t, "", "migrate", "--db", "sqlite:"+path); code != 0 {
		t.Fatal(errs)
	}
	db, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.Migrate(context.Background())
	sqlExec(t, path, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'x', 'x')")
	db.Close()
	code, _, errs := runCLI(t, "", "audit", "verify", "--db", "sqlite:"+path)
	if code != 1 || !strings.Contains(errs, "newer") || strings.Count(errs, "\n") != 1 {
		t.Fatalf("newer schema: %d %q", code, errs)
	}
}

func TestUserAddAuditVerifyAndTamper(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	url := "sqlite:" + path
	code, out, errs := runCLI(t, "a long enough password\n", "user", "add", "--db", url, "--org", "city", "--org-name", "City", "--role", "admin", "--email", "Admin@City.example")
	if code != 0 || !strings.Contains(out, "added admin@city.example as admin of City") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	code, _, errs = runCLI(t, "short\n", "user", "add", "--db", url, "--org", "city", "--role", "officer", "--email", "o@city.example")
	if code == 0 || !strings.Contains(errs, "12 characters") {
		t.Fatalf("short password: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, "a long enough password\n", "user", "add", "--db", url, "--org", "city", "--role", "supplier", "--email", "s@city.example")
	if code == 0 || !strings.Contains(errs, "role") {
		t.Fatalf("wrong role for org: %d %q", code, errs)
	}
	// Nothing is written when the command fails: no stray organisation.
	code, _, errs = runCLI(t, "a long enough password\n", "user", "add", "--db", url, "--org", "newbody", "--role", "boss", "--email", "x@new.example")
	if code != 2 || !strings.Contains(errs, "use one of: admin, officer, assessor, approver, viewer") {
		t.Fatalf("unknown role: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, "short\n", "user", "add", "--db", url, "--org", "newbody", "--role", "officer", "--email", "x@new.example")
	if code == 0 || !strings.Contains(errs, "12 characters") || strings.Contains(errs, "created organisation") {
		t.Fatalf("short password for a new organisation: %d %q", code, errs)
	}
	code, out, _ = runCLI(t, "", "audit", "verify", "--db", url)
	if code != 0 || !strings.Contains(out, "audit log intact: 2 rows") {
		t.Fatalf("verify: %d %q", code, out)
	}
	// Whoever holds the file can drop the append-only triggers first.
	sqlExec(t, path, "DROP TRIGGER audit_log_no_update")
	sqlExec(t, path, "UPDATE audit_log SET actor = 'someone else' WHERE id = 1")
	code, _, errs = runCLI(t, "", "audit", "verify", "--db", url)
	if code != 1 || !strings.Contains(errs, "NOT intact") || !strings.Contains(errs, "row 1") {
		t.Fatalf("tampered verify: %d %q", code, errs)
	}
	backup := filepath.Join(t.TempDir(), "copy.db")
	if code, out, errs := runCLI(t, "", "backup", "--db", url, "--out", backup); code != 0 || !strings.Contains(out, backup) {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
}

// A mistyped database path is an error, not a new empty database.
func TestMissingDatabaseFile(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"audit", "verify", "--db", "sqlite:" + filepath.Join(dir, "typo.db")},
		{"backup", "--db", "sqlite:" + filepath.Join(dir, "typo.db"), "--out", filepath.Join(dir, "b.db")},
	} {
		code, _, errs := runCLI(t, "", args...)
		if code != 1 || !strings.Contains(errs, "no database at") {
			t.Errorf("%v: %d %q", args, code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); err == nil {
		t.Fatal("a database file was created")
	}
}

// Without pg_dump, backup on PostgreSQL says what to install and writes
// nothing.
func TestBackupExplainsPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	out := filepath.Join(t.TempDir(), "x")
	code, _, errs := runCLI(t, "", "backup", "--db", url, "--out", out, "--pg-dump", filepath.Join(t.TempDir(), "no-pg_dump"))
	if code != 1 || !strings.Contains(errs, "apt-get install postgresql-client") {
		t.Fatalf("%d %q", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a file was written")
	}
}
