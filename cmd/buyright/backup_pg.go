package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// dumpPostgres backs up a PostgreSQL database with pg_dump in its custom
// format (one consistent snapshot, compressed, restored with pg_restore).
// pg_dump is PostgreSQL's own tool and the one its operators trust; what
// buyright adds is the complaint key beside the dump and one command for
// both databases.
//
// The URL is the one buyright uses, which libpq does not wholly accept: a
// search_path parameter (buyright's schema) becomes --schema, and a
// password moves to PGPASSWORD so it does not show in the process list.
// A dump of one schema leaves out the extensions its indexes use, so
// those named in exts (installed ones only: pg_dump refuses a name that
// matches none) go in with --extension, and a fresh database restores.
func dumpPostgres(ctx context.Context, pgDump, dbURL, out string, exts []string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", out)
	}
	bin, err := exec.LookPath(pgDump)
	if err != nil {
		return fmt.Errorf("backup: cannot run %s (%v): install PostgreSQL's client tools of the server's major version or newer (Debian: apt-get install postgresql-client) or name it with --pg-dump", pgDump, errors.Unwrap(err))
	}
	conn, schema, password, err := libpqURL(dbURL)
	if err != nil {
		return err
	}
	args := []string{"--format=custom", "--file=" + out}
	if schema != "" {
		args = append(args, "--schema="+schema)
		for _, e := range exts {
			args = append(args, "--extension="+e)
		}
	}
	args = append(args, "--dbname="+conn)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = os.Environ()
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(out)
		return fmt.Errorf("backup: pg_dump failed (%v): %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// libpqURL turns buyright's PostgreSQL URL into one pg_dump accepts, and
// returns the schema and password it took out.
func libpqURL(dbURL string) (conn, schema, password string, err error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", "", "", fmt.Errorf("backup: the database URL cannot be read: %v", err)
	}
	q := u.Query()
	schema = q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	if strings.Contains(schema, ",") {
		return "", "", "", fmt.Errorf("backup: search_path %q names several schemas; buyright keeps its tables in one", schema)
	}
	return u.String(), schema, password, nil
}
