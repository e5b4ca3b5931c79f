package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// The site operator records an organisation's provider from the command
// line: the secret comes from standard input, never shows in the listing,
// and a wrong issuer is refused naming the flag.
func TestSSOCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "b.db")
	if code, _, errs := runCLI(t, "a long enough admin passphrase\n", "user", "add", "--db", db, "--org", "city", "--role", "admin", "--email", "admin@city.example"); code != 0 {
		t.Fatal(errs)
	}
	set := []string{"sso", "set", "--db", db, "--org", "city", "--label", "City ID", "--issuer", "https://login.city.example/realms/staff",
		"--client-id", "buyright", "--domains", "city.example", "--role", "officer", "--claim", "groups=procurement"}
	if code, out, errs := runCLI(t, "the-client-secret-1234\n", set...); code != 0 || !strings.Contains(out, "/signin/sso/callback") {
		t.Fatalf("set: %d %q %q", code, out, errs)
	}
	// The secret is sealed with the installation key, created beside the
	// database as serve would.
	raw, err := sql.Open("sqlite", strings.TrimPrefix(db, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var stored string
	if err := raw.QueryRow("SELECT client_secret FROM sso_providers").Scan(&stored); err != nil || strings.Contains(stored, "the-client-secret") || !strings.HasPrefix(stored, "sealed:") {
		t.Fatalf("stored secret: %q %v", stored, err)
	}
	code, out, _ := runCLI(t, "", "sso", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "city\tCity ID\thttps://login.city.example/realms/staff") || !strings.Contains(out, "claim=groups=procurement") || strings.Contains(out, "the-client-secret") {
		t.Fatalf("list: %d %q", code, out)
	}
	bad := append([]string{}, set...)
	bad[9] = "ftp://login.city.example"
	if code, _, errs := runCLI(t, "", bad...); code != 1 || !strings.Contains(errs, "--issuer") {
		t.Fatalf("bad issuer: %d %q", code, errs)
	}
	if code, out, _ := runCLI(t, "", "sso", "remove", "--db", db, "--org", "city"); code != 0 || !strings.Contains(out, "passwords again") {
		t.Fatalf("remove: %d %q", code, out)
	}
	if code, _, errs := runCLI(t, "", "sso", "set", "--db", db, "--org", "city", "--label", "x", "--issuer", "https://a.example", "--client-id", "c", "--domains", "city.example", "--role", "officer"); code != 1 || !strings.Contains(errs, "client-secret") {
		t.Fatalf("no secret for a new provider: %d %q", code, errs)
	}
}
