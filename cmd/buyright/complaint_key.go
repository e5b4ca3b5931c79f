package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"buyright/internal/grievance"
	"buyright/internal/store"
)

// The key that encrypts complainants' names lives outside the database on
// purpose (a stolen database alone does not name anyone), so the two can
// be separated: a copy of the database restored without its key file, or
// a server started with another key. Either would make every name
// unreadable, silently, if the server made itself a new key. So the
// database keeps the key's fingerprint, and a server refuses to start on a
// database with complaints when its key is missing or is not that one.

// keySource is where the complaint key was looked for.
type keySource struct {
	key      []byte // nil: not found
	where    string // the file, or the environment variable, in words
	file     string // the file to create a key in when there is none ("" for none)
	fromFile bool
}

// secretMount is where container orchestrators (Docker and Kubernetes
// secrets, systemd credentials copied there) put the key when none of the
// others is given; a variable so tests can point it elsewhere.
var secretMount = "/run/secrets/buyright_complaint_key"

// findComplaintKey looks for the key, in this order: the environment
// variable holding it, the file named by --complaint-key-file or by the
// environment variable BUYRIGHT_COMPLAINT_KEY_FILE, the secret mounted at
// secretMount, and (SQLite only, so one folder runs everything) the file
// beside the database. Every app server of one database must find the same
// key: complaintKey refuses to start with another. A key file that is
// named but missing, or unreadable, is an error; the default file's
// absence is not, yet.
func findComplaintKey(e *env, file, dbURL string) (*keySource, error) {
	if v := e.getenv("BUYRIGHT_COMPLAINT_KEY"); v != "" {
		if file != "" || e.getenv("BUYRIGHT_COMPLAINT_KEY_FILE") != "" {
			return nil, errors.New("the complaint key is given twice: in BUYRIGHT_COMPLAINT_KEY and as a file (--complaint-key-file or BUYRIGHT_COMPLAINT_KEY_FILE); give it one way")
		}
		k, err := grievance.ParseKey(v)
		if err != nil {
			return nil, fmt.Errorf("BUYRIGHT_COMPLAINT_KEY: %v", err)
		}
		return &keySource{key: k, where: "the environment variable BUYRIGHT_COMPLAINT_KEY"}, nil
	}
	ks := &keySource{fromFile: true}
	if file == "" {
		file = e.getenv("BUYRIGHT_COMPLAINT_KEY_FILE")
	}
	if file == "" {
		if _, err := os.Stat(secretMount); err == nil {
			file = secretMount
		}
	}
	if file == "" {
		path, ok := strings.CutPrefix(dbURL, "sqlite:")
		if !ok || path == ":memory:" {
			return &keySource{where: "BUYRIGHT_COMPLAINT_KEY, --complaint-key-file, BUYRIGHT_COMPLAINT_KEY_FILE or " + secretMount + " (none is set)"}, nil
		}
		ks.file = path + ".complaint-key"
		file = ks.file
	}
	ks.where = file
	b, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) && ks.file != "" {
		return ks, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the complaint key: %v", err)
	}
	if ks.key, err = grievance.ParseKey(string(b)); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return ks, nil
}

// complaintKey returns the key the server may run with, after checking it
// against the database; it creates a key (SQLite, default file) only for a
// database without complaints.
func complaintKey(ctx context.Context, e *env, db *store.DB, file, dbURL string, log *slog.Logger) ([]byte, error) {
	ks, err := findComplaintKey(e, file, dbURL)
	if err != nil {
		return nil, err
	}
	st, err := db.ComplaintKeyState(ctx)
	if err != nil {
		return nil, err
	}
	restore := "Restore the key file from the backup taken with the database (buyright backup writes it beside the copy, as COPY.complaint-key) and start again, or name it with --complaint-key-file or BUYRIGHT_COMPLAINT_KEY."
	if ks.key == nil {
		if st.Complaints > 0 {
			return nil, fmt.Errorf("refusing to start: this database holds %d complaint(s), and the key that encrypts complainants' names was expected at %s but is not there. %s A new key would make every complainant's name unreadable, so none is created", st.Complaints, ks.where, restore)
		}
		if ks.file == "" {
			return nil, errors.New("give every app server the same complaint key (32 random bytes in base64; try: head -c 32 /dev/urandom | base64) in BUYRIGHT_COMPLAINT_KEY, in a file named by --complaint-key-file or BUYRIGHT_COMPLAINT_KEY_FILE, or as a secret mounted at " + secretMount)
		}
		k := grievance.NewKey()
		if err := os.WriteFile(ks.file, []byte(k+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("cannot create the complaint key file %s: %v", ks.file, err)
		}
		ks.key, _ = grievance.ParseKey(k)
		log.Warn("created a new complaint key; back it up with the database (buyright backup copies it), or names in complaints cannot be read", "file", ks.file)
	}
	fp := grievance.Fingerprint(ks.key)
	switch {
	case st.Fingerprint == fp:
		return ks.key, nil
	case st.Fingerprint != "" && st.Complaints > 0:
		return nil, fmt.Errorf("refusing to start: the complaint key from %s (fingerprint %s) is not the key this database's %d complaint(s) were written with (fingerprint %s), so their names could not be read. %s", ks.where, fp[:12], st.Complaints, st.Fingerprint[:min(12, len(st.Fingerprint))], restore)
	case st.Fingerprint == "" && st.Named > 0:
		// A database from before fingerprints: the key must open a name
		// already stored.
		box, err := grievance.NewBox(ks.key)
		if err != nil {
			return nil, err
		}
		if _, err := box.Open(st.Sample, grievance.Ref(st.SampleID)); err != nil {
			return nil, fmt.Errorf("refusing to start: the complaint key from %s does not open the names already stored in this database's complaints. %s", ks.where, restore)
		}
	case st.Fingerprint != "":
		log.Warn("the complaint key differs from the one this database was used with; it holds no complaints, so the new key is kept", "key", ks.where)
	}
	if err := db.SetComplaintKeyFingerprint(ctx, fp); err != nil {
		return nil, err
	}
	return ks.key, nil
}
