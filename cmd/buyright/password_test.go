package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// user add refuses the passwords the account page refuses.
func TestUserAddPasswordPolicy(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "x.db")
	for pw, want := range map[string]string{
		"aaaaaaaaaaaa":          "repeats",
		"Password2026!":         "most often",
		"admin@city.example":    "e-mail",
		"Portavera City 2026!!": "organisation",
	} {
		code, _, errs := runCLI(t, pw+"\n", "user", "add", "--db", url, "--org", "city", "--org-name", "Portavera City", "--role", "admin", "--email", "admin@city.example")
		if code == 0 || !strings.Contains(errs, want) {
			t.Errorf("password %q: exit %d, %q; want it refused saying %q", pw, code, errs, want)
		}
	}
	if code, _, errs := runCLI(t, "plum kettle orbit lantern\n", "user", "add", "--db", url, "--org", "city", "--role", "admin", "--email", "admin@city.example"); code != 0 {
		t.Fatalf("a good passphrase: %d %q", code, errs)
	}
}
