package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// runWith runs the command line with the given environment.
func runWith(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// keyFor runs the start-up key check the way serve does.
func keyFor(t *testing.T, vars map[string]string, url, file string) ([]byte, error) {
	t.Helper()
	db, err := openDB(context.Background(), url, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
	return complaintKey(context.Background(), e, db, file, url, quiet)
}

// fileComplaint files a complaint whose name is sealed with key.
func fileComplaint(t *testing.T, url string, key []byte) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	org := &model.Organisation{Slug: "city", Name: "City", Kind: model.OrgPublicBody}
	if err := db.CreateOrg(ctx, store.System, org); err != nil && !strings.Contains(err.Error(), "taken") {
		t.Fatal(err)
	}
	c := &store.Complaint{OrgID: org.ID, Body: "My benefit was cut.", Lookup: "123456", CodeHash: "x"}
	if err := db.CreateComplaint(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	box, _ := grievance.NewBox(key)
	if err := db.SetComplaintIdentity(ctx, c.ID, box.Seal([]byte("Dora\ndora@example.org"), grievance.Ref(c.ID))); err != nil {
		t.Fatal(err)
	}
}

// On SQLite: the first start creates the key beside the database and
// records its fingerprint; once there are complaints, a missing key file
// or another key is refused with where the key is expected and how to
// restore it, and no new key is made; a database from before fingerprints
// is checked against a stored name; backup copies the key beside the copy,
// and the copy starts with it.
func TestComplaintKeyOnSQLite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "city.db")
	url := "sqlite:" + path
	keyFile := path + ".complaint-key"
	key, err := keyFor(t, nil, url, "")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(keyFile); err != nil || !strings.Contains(string(b), "=") {
		t.Fatalf("no key file created: %v", err)
	}
	if fi, _ := os.Stat(keyFile); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", fi.Mode().Perm())
	}
	fileComplaint(t, url, key)

	// The key file is gone (a database copied without it).
	saved, _ := os.ReadFile(keyFile)
	os.Remove(keyFile)
	code, _, errs := runWith(t, nil, "serve", "--db", url, "--addr", "127.0.0.1:0")
	for _, want := range []string{"refusing to start", "holds 1 complaint", "expected at " + keyFile, "Restore the key file from the backup", "none is created"} {
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("missing key: exit %d, stderr %q lacks %q", code, errs, want)
		}
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Fatal("a new key was created for a database with complaints")
	}

	// Another key in its place.
	os.WriteFile(keyFile, []byte(grievance.NewKey()+"\n"), 0o600)
	code, _, errs = runWith(t, nil, "serve", "--db", url, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errs, "is not the key this database's 1 complaint") || !strings.Contains(errs, "fingerprint "+grievance.Fingerprint(key)[:12]) {
		t.Errorf("wrong key: exit %d, %q", code, errs)
	}

	// The right key back: it starts.
	os.WriteFile(keyFile, saved, 0o600)
	if got, err := keyFor(t, nil, url, ""); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("right key refused: %v", err)
	}

	// A database from before fingerprints: the key must open a stored name.
	sqlExec(t, path, "DELETE FROM complaint_key")
	other := t.TempDir() + "/other.key"
	os.WriteFile(other, []byte(grievance.NewKey()), 0o600)
	if _, err := keyFor(t, nil, url, other); err == nil || !strings.Contains(err.Error(), "does not open the names already stored") {
		t.Errorf("wrong key on an old database: %v", err)
	}
	if _, err := keyFor(t, nil, url, ""); err != nil {
		t.Fatalf("right key on an old database: %v", err)
	}

	// Backup copies the key beside the copy and says so; the copy starts.
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	code, out, errs := runWith(t, nil, "backup", "--db", url, "--out", copyPath)
	if code != 0 || !strings.Contains(out, "copied the complaint key to "+copyPath+".complaint-key") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	if b, _ := os.ReadFile(copyPath + ".complaint-key"); strings.TrimSpace(string(b)) != strings.TrimSpace(string(saved)) {
		t.Fatal("the key beside the copy is not the database's key")
	}
	if fi, _ := os.Stat(copyPath + ".complaint-key"); fi.Mode().Perm() != 0o600 {
		t.Errorf("copied key mode %v", fi.Mode().Perm())
	}
	if _, err := keyFor(t, nil, "sqlite:"+copyPath, ""); err != nil {
		t.Fatalf("the copy does not start with the key beside it: %v", err)
	}

	// Without the key, backup still writes the copy but fails loudly.
	os.Remove(keyFile)
	second := filepath.Join(t.TempDir(), "second.db")
	code, out, errs = runWith(t, nil, "backup", "--db", url, "--out", second)
	if code != 1 || !strings.Contains(out, "wrote a consistent copy") || !strings.Contains(errs, "the complaint key was not found at "+keyFile) {
		t.Errorf("backup without key: %d %q %q", code, out, errs)
	}
}

// On PostgreSQL the key comes from the environment: with complaints in the
// database, no key or another key is refused; the right one starts; backup
// dumps the data with pg_dump and writes the key beside the dump.
func TestComplaintKeyOnPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	k1, k2 := grievance.NewKey(), grievance.NewKey()
	with := map[string]string{"BUYRIGHT_COMPLAINT_KEY": k1}
	key, err := keyFor(t, with, url, "")
	if err != nil {
		t.Fatal(err)
	}
	fileComplaint(t, url, key)
	code, _, errs := runWith(t, nil, "serve", "--db", url, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errs, "refusing to start") || !strings.Contains(errs, "BUYRIGHT_COMPLAINT_KEY, --complaint-key-file, BUYRIGHT_COMPLAINT_KEY_FILE or "+secretMount+" (none is set)") {
		t.Errorf("no key: %d %q", code, errs)
	}
	code, _, errs = runWith(t, map[string]string{"BUYRIGHT_COMPLAINT_KEY": k2}, "serve", "--db", url, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errs, "is not the key this database's 1 complaint") {
		t.Errorf("another key: %d %q", code, errs)
	}
	if _, err := keyFor(t, with, url, ""); err != nil {
		t.Fatalf("right key refused: %v", err)
	}
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump is not installed here (Debian: apt-get install postgresql-client); the backup part is skipped")
	}
	out := filepath.Join(t.TempDir(), "city.dump")
	code, stdout, errs := runWith(t, with, "backup", "--db", url, "--out", out)
	if code != 0 || !strings.Contains(stdout, "wrote a consistent copy to "+out) || !strings.Contains(stdout, "copied the complaint key to "+out+".complaint-key") {
		t.Errorf("backup on PostgreSQL: %d %q %q", code, stdout, errs)
	}
	if b, _ := os.ReadFile(out + ".complaint-key"); strings.TrimSpace(string(b)) != k1 {
		t.Error("the key beside the dump is not the server's key")
	}
}

// The key reaches every app server one of three ways, all checked against
// the database the same way: the environment variable holding it, a file
// named by the flag or by BUYRIGHT_COMPLAINT_KEY_FILE, or a secret mounted
// at the usual place. A server given another key refuses to start; a key
// given twice is refused, so no one wonders which one counts.
func TestComplaintKeyReachesEachServerThreeWays(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			url := storetest.URL(t, d)
			k := grievance.NewKey()
			key, err := keyFor(t, map[string]string{"BUYRIGHT_COMPLAINT_KEY": k}, url, "")
			if err != nil {
				t.Fatal(err)
			}
			fileComplaint(t, url, key)
			dir := t.TempDir()
			right, wrong := filepath.Join(dir, "right"), filepath.Join(dir, "wrong")
			os.WriteFile(right, []byte(k+"\n"), 0o600)
			os.WriteFile(wrong, []byte(grievance.NewKey()+"\n"), 0o600)
			defer func(old string) { secretMount = old }(secretMount)
			for _, c := range []struct {
				how   string
				vars  map[string]string
				flag  string
				mount string
				ok    bool
			}{
				{"environment variable", map[string]string{"BUYRIGHT_COMPLAINT_KEY": k}, "", "", true},
				{"--complaint-key-file", nil, right, "", true},
				{"BUYRIGHT_COMPLAINT_KEY_FILE", map[string]string{"BUYRIGHT_COMPLAINT_KEY_FILE": right}, "", "", true},
				{"secret mount", nil, "", right, true},
				{"another key in the secret mount", nil, "", wrong, false},
				{"another key in BUYRIGHT_COMPLAINT_KEY_FILE", map[string]string{"BUYRIGHT_COMPLAINT_KEY_FILE": wrong}, "", "", false},
				{"the flag before the mounted secret", nil, right, wrong, true},
			} {
				secretMount = filepath.Join(dir, "absent")
				if c.mount != "" {
					secretMount = c.mount
				}
				got, err := keyFor(t, c.vars, url, c.flag)
				if c.ok && (err != nil || !bytes.Equal(got, key)) {
					t.Errorf("%s: %v", c.how, err)
				}
				if !c.ok && (err == nil || !strings.Contains(err.Error(), "refusing to start")) {
					t.Errorf("%s: started (%v)", c.how, err)
				}
			}
			_, err = keyFor(t, map[string]string{"BUYRIGHT_COMPLAINT_KEY": k, "BUYRIGHT_COMPLAINT_KEY_FILE": right}, url, "")
			if err == nil || !strings.Contains(err.Error(), "given twice") {
				t.Errorf("a key given twice: %v", err)
			}
		})
	}
}
