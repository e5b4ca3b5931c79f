package ocdsio

import (
	"fmt"
	"strings"
)

// PlaceholderWarning is written beside releases whose ocids use
// DefaultPrefix: such ocids are not registered to this publisher and may
// collide with another's, so a reader must not treat them as stable.
const PlaceholderWarning = "ocid prefix " + DefaultPrefix + " is a placeholder, not registered to this publisher: ocids made with it may collide with another publisher's. Register a prefix with the Open Contracting Partnership and set it with --ocds-prefix (serve) or --prefix (export ocds), or BUYRIGHT_OCDS_PREFIX."

// CheckPrefix accepts an ocid prefix as the Open Contracting Partnership
// issues them, "ocds-" and six lower-case letters or digits, or empty (the
// placeholder). The error says what is wrong with the value given.
func CheckPrefix(p string) error {
	if p == "" {
		return nil
	}
	rest, ok := strings.CutPrefix(p, "ocds-")
	if !ok {
		return fmt.Errorf("ocid prefix %q must start with \"ocds-\"", clipPrefix(p))
	}
	if len(rest) != 6 {
		return fmt.Errorf("ocid prefix %q must be \"ocds-\" and six letters or digits, not %d characters", clipPrefix(p), len(rest))
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return fmt.Errorf("ocid prefix %q may only have lower-case letters and digits after \"ocds-\"", clipPrefix(p))
		}
	}
	return nil
}

// IsPlaceholder reports whether ocids made with prefix p (empty meaning
// the default) use the unregistered placeholder.
func IsPlaceholder(p string) bool { return p == "" || p == DefaultPrefix }

func clipPrefix(p string) string {
	if len(p) > 40 {
		return p[:40] + "…"
	}
	return p
}
