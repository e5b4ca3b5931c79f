package retention

import (
	"errors"
	"strings"
	"testing"
)

func TestBuiltInSchedule(t *testing.T) {
	for id := range known {
		k, ok := Default.Kind(id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		if k.Min < 1 || k.Default < k.Min || k.Max < k.Default {
			t.Errorf("%s: bounds %d ≤ %d ≤ %d", id, k.Min, k.Default, k.Max)
		}
	}
}

// A setting below the minimum is refused and the refusal names the
// minimum; above the maximum likewise; words and fractions are refused.
func TestParseDays(t *testing.T) {
	k, _ := Default.Kind(ComplaintIdentity)
	if n, err := Default.ParseDays(ComplaintIdentity, " 400 "); err != nil || n != 400 {
		t.Errorf("400: %d %v", n, err)
	}
	_, err := Default.ParseDays(ComplaintIdentity, "1")
	var oob *OutOfBounds
	if !errors.As(err, &oob) || !oob.Below || oob.Bound != k.Min {
		t.Fatalf("1 day: %v, want below minimum %d", err, k.Min)
	}
	_, err = Default.ParseDays(ComplaintIdentity, "99999")
	if !errors.As(err, &oob) || oob.Below || oob.Bound != k.Max {
		t.Errorf("99999 days: %v, want above maximum %d", err, k.Max)
	}
	for _, bad := range []string{"", "ten", "12.5", "-5", "9999999999999999999999"} {
		if _, err := Default.ParseDays(ComplaintIdentity, bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := Default.ParseDays("audit_log", "30"); err == nil {
		t.Error("an unknown kind was accepted")
	}
}

func TestParseRefusesBadSchedules(t *testing.T) {
	good := string(scheduleYAML)
	for name, bad := range map[string]string{
		"min above default": strings.Replace(good, "min_days: 7", "min_days: 700", 1),
		"unknown field":     strings.Replace(good, "min_days: 7", "minimum: 7", 1),
		"unknown kind":      strings.Replace(good, "id: outbox", "id: audit_log", 1),
		"wrong event":       strings.Replace(good, "from: sent_or_given_up", "from: created", 1),
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzParseDays: whatever is typed, a number accepted is within bounds.
func FuzzParseDays(f *testing.F) {
	for _, s := range []string{"90", "0", "-1", "1e3", " 365", "１２３", "99999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range Default.Kinds {
			n, err := Default.ParseDays(k.ID, s)
			if err == nil && (n < k.Min || n > k.Max) {
				t.Fatalf("%s: %q gave %d outside %d..%d", k.ID, s, n, k.Min, k.Max)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add(scheduleYAML)
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if err != nil {
			return
		}
		for _, k := range s.Kinds {
			if k.Min < 1 || k.Min > k.Default || k.Default > k.Max {
				t.Fatalf("accepted bad bounds for %s", k.ID)
			}
		}
	})
}
