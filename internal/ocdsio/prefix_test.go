package ocdsio

import (
	"strings"
	"testing"
)

func TestCheckPrefix(t *testing.T) {
	for _, ok := range []string{"", "ocds-abc123", "ocds-000000", "ocds-zzzzzz"} {
		if err := CheckPrefix(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for bad, says := range map[string]string{
		"abc123": "must start", "ocds-abc12": "six", "ocds-ABC123": "lower-case", "ocds-abc12é": "six",
		"ocds-abc-12": "lower-case", "ocds-abc1234": "six", "OCDS-abc123": "must start",
	} {
		err := CheckPrefix(bad)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: %v, want an error saying %q", bad, err, says)
		}
	}
	if !IsPlaceholder("") || !IsPlaceholder(DefaultPrefix) || IsPlaceholder("ocds-abc123") {
		t.Error("IsPlaceholder")
	}
}

// A prefix CheckPrefix accepts always makes an ocid of the form OCDS
// expects, and the error for any other value is short.
func FuzzCheckPrefix(f *testing.F) {
	for _, s := range []string{"", "ocds-abc123", "ocds-", "x", strings.Repeat("ocds-", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		err := CheckPrefix(p)
		if err == nil && p != "" && (len(p) != 11 || !strings.HasPrefix(p, "ocds-")) {
			t.Fatalf("accepted %q", p)
		}
		if err != nil && len(err.Error()) > 200 {
			t.Fatalf("error too long: %d", len(err.Error()))
		}
	})
}
