package web

import (
	"strings"
	"testing"
)

// FuzzRequestID: an id from outside is kept only when it cannot break a
// log line or a header.
func FuzzRequestID(f *testing.F) {
	for _, s := range []string{"proxy-4f2a9c01", "short", "a b c d e f g h", "x\r\nSet-Cookie: a=b", strings.Repeat("z", 80)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if saneRequestID(s) && (len(s) < 8 || len(s) > 64 || strings.ContainsAny(s, " \t\r\n\"=;,<>\\")) {
			t.Fatalf("accepted %q", s)
		}
	})
}
