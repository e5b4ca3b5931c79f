package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"buyright/internal/model"
)

// The public view's search comes from a query string anyone can edit.
// Whatever it holds, the query keeps a known flag or none, a positive body
// id or none, and at most 200 clean characters of text.
func FuzzImportedQuery(f *testing.F) {
	for _, s := range []string{
		"q=cameras&flag=biometrics&body=3&page=2", "flag=%3Cscript%3E&body=-1&page=-9", "q=%00%E2%80%AE%ff&flag=single-tenderer&flag=emergency",
		"q=" + strings.Repeat("é", 250), "body=99999999999999999999&page=99999999999", "q=%25_%5C&flag=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest("GET", "/imported", nil)
		r.URL.RawQuery = raw
		q := importedQuery(r)
		if q.Flag != "" && knownFlag(q.Flag) != q.Flag {
			t.Fatalf("unknown flag %q from %q", q.Flag, raw)
		}
		if q.OrgID < 0 || q.All {
			t.Fatalf("query %+v from %q", q, raw)
		}
		if !utf8.ValidString(q.Text) || utf8.RuneCountInString(q.Text) > 200 || model.CleanLine(q.Text) != strings.TrimSpace(q.Text) && model.CleanLine(q.Text) != q.Text {
			t.Fatalf("text %q from %q", q.Text, raw)
		}
	})
}
