package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"golang.org/x/term"

	"buyright/internal/audit"
	"buyright/internal/auth"
	"buyright/internal/grievance"
	"buyright/internal/i18n"
	"buyright/internal/model"
	"buyright/internal/store"
)

func init() {
	register(command{name: "migrate", summary: "bring the database schema up to date", run: runMigrate})
	register(command{name: "user", summary: "manage people: user add --org ORG --role ROLE --email EMAIL", run: runUser})
	register(command{name: "backup", summary: "write a consistent copy of the database while it runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump), with its complaint key beside it", run: runBackup})
	register(command{name: "audit", summary: "audit verify: check the hash chain of the audit log", run: runAudit})
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags("migrate", "[--db URL]", e.stderr)
	dbURL := dbFlag(fs, e)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	v, _ := db.SchemaVersion(ctx)
	fmt.Fprintf(e.stdout, "applied %d migrations; schema is at version %d\n", n, v)
	return nil
}

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stderr, "Usage: buyright user add --org ORG --role ROLE --email EMAIL [--name NAME] [--org-kind KIND] [--site-admin]")
			return flagHelp
		}
		return fmt.Errorf("%w: buyright user add --org ORG --role ROLE --email EMAIL", errUsage)
	}
	fs := newFlags("user add", "--org ORG --role ROLE --email EMAIL [flags]", e.stderr)
	dbURL := dbFlag(fs, e)
	orgSlug := fs.String("org", "", "short name of the organisation (created if it does not exist)")
	orgName := fs.String("org-name", "", "full name when the organisation is created (default: the short name)")
	orgKind := fs.String("org-kind", "public_body", "kind when the organisation is created: public_body, oversight_body, supplier, civil_society")
	role := fs.String("role", "", "role: admin, officer, assessor, approver, complaints_handler, oversight, supplier, viewer")
	email := fs.String("email", "", "e-mail address used to sign in")
	name := fs.String("name", "", "the person's name")
	siteAdmin := fs.Bool("site-admin", false, "may manage organisations and oversight remits")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *orgSlug == "" || *role == "" || *email == "" {
		return fmt.Errorf("%w: --org, --role and --email are required", errUsage)
	}
	db, err := openDB(ctx, *dbURL, true)
	if err != nil {
		return err
	}
	defer db.Close()
	// Check everything before writing anything, so a wrong role or a short
	// password leaves no organisation behind.
	org, err := db.OrgBySlug(ctx, *orgSlug)
	create := model.ErrorCode(err) == model.ENotFound
	if create {
		org = &model.Organisation{Slug: *orgSlug, Name: *orgName, Kind: model.OrgKind(*orgKind)}
		if org.Name == "" {
			org.Name = *orgSlug
		}
		if err := org.Validate(); err != nil {
			return describe(err)
		}
	} else if err != nil {
		return err
	}
	if !model.RoleAllowed(org.Kind, model.Role(*role)) {
		var roles []string
		for _, r := range model.RolesFor(org.Kind) {
			roles = append(roles, string(r))
		}
		return fmt.Errorf("%w: --role %s is not a role in a %s; use one of: %s", errUsage, *role, org.Kind, strings.Join(roles, ", "))
	}
	if err := (&model.User{Email: *email, Name: *name, Role: model.Role(*role)}).Validate(org.Kind); err != nil {
		return describe(err)
	}
	pw, err := readPassword(e)
	if err != nil {
		return err
	}
	if problem := auth.PasswordProblem(pw, auth.Personal{Email: *email, OrgName: org.Name, OrgSlug: org.Slug}); problem != "" {
		return describe(model.FieldErrors{"password": problem}.Err())
	}
	hash, err := auth.Hasher{P: auth.DefaultParams}.Hash(pw)
	if err != nil {
		return err
	}
	if create {
		if err := db.CreateOrg(ctx, store.Actor{Label: "cli"}, org); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stderr, "created organisation %s (%s)\n", org.Slug, org.Kind)
	}
	u := &model.User{OrgID: org.ID, Email: *email, Name: *name, Role: model.Role(*role), SiteAdmin: *siteAdmin}
	if err := db.CreateUser(ctx, store.Actor{Label: "cli"}, u, hash); err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stdout, "added %s as %s of %s\n", u.Email, u.Role, org.Name)
	return nil
}

// describe turns field errors into one line that names each field with
// the message a person would read in the web form.
func describe(err error) error {
	var e *model.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	en := func(k string) string { return k }
	if b, lerr := i18n.Load(); lerr == nil {
		en = func(k string) string { return b.Catalog("en").T(k) }
	}
	var parts []string
	for f, k := range e.Fields {
		parts = append(parts, "--"+f+": "+en(k))
	}
	sort.Strings(parts)
	return fmt.Errorf("%s (%s)", e.Message, strings.Join(parts, "; "))
}

// readPassword asks twice on a terminal, or reads the first line of
// standard input when it is a pipe (for scripts).
func readPassword(e *env) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Password (at least 12 characters): ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags("backup", "--out FILE [--db URL] [--complaint-key-file FILE] [--pg-dump PATH]", e.stderr)
	dbURL := dbFlag(fs, e)
	out := fs.String("out", "", "file to write the copy to (must not exist); the complaint key is copied beside it as FILE.complaint-key")
	keyFile := fs.String("complaint-key-file", "", "the complaint key to copy (env BUYRIGHT_COMPLAINT_KEY; default for SQLite: the key file beside the database)")
	pgDump := fs.String("pg-dump", "pg_dump", "PostgreSQL: the pg_dump program to run (of the server's major version or newer)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: --out FILE is required", errUsage)
	}
	if err := mustExist(*dbURL); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	ks, err := findComplaintKey(e, *keyFile, *dbURL)
	if err != nil {
		return err
	}
	if db.Dialect() == store.SQLite {
		err = db.Backup(ctx, *out)
	} else {
		var trgm bool
		if trgm, err = db.HasExtension(ctx, "pg_trgm"); err == nil {
			var exts []string
			if trgm {
				exts = []string{"pg_trgm"}
			}
			err = dumpPostgres(ctx, *pgDump, *dbURL, *out, exts)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote a consistent copy to %s\n", *out)
	st, stErr := db.ComplaintKeyState(ctx)
	if ks.key == nil {
		if stErr == nil && st.Complaints == 0 {
			fmt.Fprintf(e.stdout, "no complaint key at %s and no complaints yet: nothing else to copy\n", ks.where)
			return nil
		}
		return fmt.Errorf("the copy was written, but the complaint key was not found at %s: without it the names in the copy's complaints cannot be read; find the key and keep it beside the copy as %s.complaint-key", ks.where, *out)
	}
	keyOut, err := writeKeyCopy(ks, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "copied the complaint key to %s; keep the two together: without the key the names in complaints cannot be read\n", keyOut)
	if stErr == nil && st.Fingerprint != "" && st.Fingerprint != grievance.Fingerprint(ks.key) {
		return fmt.Errorf("the complaint key from %s is not the one this database was used with (fingerprint %s, the database expects %s): the copy's names cannot be read with it", ks.where, grievance.Fingerprint(ks.key)[:12], st.Fingerprint[:min(12, len(st.Fingerprint))])
	}
	return nil
}

// writeKeyCopy writes the key beside a backup, readable by its owner only.
func writeKeyCopy(ks *keySource, out string) (string, error) {
	path := out + ".complaint-key"
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("cannot write the complaint key beside the copy: %v", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(ks.key) + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("cannot write the complaint key beside the copy: %v", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("cannot write the complaint key beside the copy: %v", err)
	}
	return path, nil
}

// witnessFlag collects --expect ROW:HASH, as often as given.
type witnessFlag []audit.Witness

func (w *witnessFlag) String() string { return "" }
func (w *witnessFlag) Set(s string) error {
	x, err := audit.ParseWitness(s)
	if err != nil {
		return err
	}
	*w = append(*w, x)
	return nil
}

const auditUsage = "buyright audit verify [--db URL] [--expect ROW:HASH ...]"

func runAudit(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stderr, "Usage: "+auditUsage)
			return flagHelp
		}
		return fmt.Errorf("%w: %s", errUsage, auditUsage)
	}
	fs := newFlags("audit verify", "[--db URL] [--expect ROW:HASH ...]", e.stderr)
	dbURL := dbFlag(fs, e)
	var expect witnessFlag
	fs.Var(&expect, "expect", "a row's hash kept outside the database (printed by an earlier verify, or published at /audit/head), as ROW:HASH; repeat for several")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL, false)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.VerifyAuditReport(ctx, expect...)
	var b *audit.Break
	if errors.As(err, &b) && rep != nil {
		return fmt.Errorf("audit log NOT intact: %v (%d rows checked before it)", b, rep.Rows)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "audit log intact: %d rows; head %d:%s\n", rep.Rows, rep.HeadID, rep.HeadHash)
	if rep.Witnessed > 0 {
		fmt.Fprintf(e.stdout, "%d witnessed hashes (given with --expect, or published by the server) match\n", rep.Witnessed)
	}
	fmt.Fprintln(e.stdout, "Keep the head somewhere else; a later 'audit verify --expect ROW:HASH' proves the log up to it was not rewritten.")
	return nil
}
