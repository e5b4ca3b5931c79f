package ocds

import (
	"strconv"
	"strings"
)

// codeKey checks a classification id against its scheme's format and
// returns the 8-digit code it names, or a reason it is not one.
//
//   - CPV: 8 digits, optionally followed by "-" and the check digit
//     ("30200000-1"). A 9-digit number is not a CPV code, whatever it
//     starts with.
//   - UNSPSC: 8 digits; Paraguay's DNCP catalogue adds "-" and a
//     suffix of its own ("43222825-001").
func codeKey(scheme, id string) (key, bad string) {
	id = strings.TrimSpace(id)
	digits := 0
	for digits < len(id) && id[digits] >= '0' && id[digits] <= '9' {
		digits++
	}
	rest := id[digits:]
	if digits != 8 {
		return "", "not a " + scheme + " code: " + describeDigits(digits) + ", a " + scheme + " code has 8"
	}
	switch scheme {
	case "CPV":
		if rest == "" || len(rest) == 2 && rest[0] == '-' && rest[1] >= '0' && rest[1] <= '9' {
			return id[:8], ""
		}
		return "", "not a CPV code: after the 8 digits only a check digit (\"-d\") may follow"
	case "UNSPSC":
		if rest == "" || len(rest) > 1 && rest[0] == '-' && allDigits(rest[1:]) {
			return id[:8], ""
		}
		return "", "not a UNSPSC code: 8 digits, optionally \"-\" and a catalogue suffix"
	}
	return id[:8], ""
}

func describeDigits(n int) string {
	switch n {
	case 0:
		return "no leading digits"
	case 1:
		return "1 digit"
	}
	return strconv.Itoa(n) + " digits"
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDivisionHead reports whether a code names a whole top-level division
// (CPV 72000000, 32000000, 48000000, 30000000; UNSPSC segment 43000000).
// Building works carry them as a second thought ("and IT services"), so
// alone they decide nothing: they need a keyword in the text or a second
// code next to them.
func isDivisionHead(scheme, key string) bool {
	switch scheme {
	case "CPV":
		return key == "72000000" || key == "32000000" || key == "48000000" || key == "30000000"
	case "UNSPSC":
		return key == "43000000"
	}
	return false
}
