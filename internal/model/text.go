package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanLine makes a one-line text field safe to store: invalid UTF-8 is
// replaced, control characters (NUL, escape, CR, LF...) and bidirectional
// overrides (which make "invoice\u202egpj.exe" read as "invoiceexe.jpg")
// are dropped and surrounding space trimmed. Markup is kept as typed:
// escaping happens when text is shown, never when it is stored.
func CleanLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || bidiControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD")))
}

// bidiControl reports the embedding, override and isolate characters.
func bidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// CleanText is CleanLine for multi-line text: newlines and tabs are kept,
// Windows line ends become plain newlines.
func CleanText(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r\n", "\n")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || bidiControl(r) {
			return -1
		}
		return r
	}, s))
}

// TooLong reports whether s has more than n characters.
func TooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }
