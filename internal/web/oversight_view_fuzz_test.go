package web

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"buyright/internal/model"
)

// The view's filters come from a query string anyone can edit. Whatever
// it holds, the filter keeps only known values, a supplier name of at most
// 200 clean characters, and reads back the same from the query string it
// writes (so links to other pages and downloads show the same view).
func FuzzOversightFilter(f *testing.F) {
	for _, s := range []string{
		"level=3&level=4&sort=level", "level=-1&level=9&level=3&level=3", "stage=implementation&tech=biometrics&sector=health&body=7",
		"supplier=Civitas+Analytics+Ltd&overdue=1&open=1&unscreened=1&page=3", "supplier=%00%E2%80%AE%ff&sort=drop+table", "page=99999999999&body=-4", "supplier=" + strings.Repeat("a", 199) + "+b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt := oversightFilter(q)
		for _, l := range flt.Levels {
			if l < 0 || l > 4 {
				t.Fatalf("level %d from %q", l, raw)
			}
		}
		if flt.Stage != "" && !flt.Stage.Valid() || flt.OrgID < 0 || flt.Page < 0 {
			t.Fatalf("filter %+v from %q", flt, raw)
		}
		if !utf8.ValidString(flt.Supplier) || utf8.RuneCountInString(flt.Supplier) > 200 || model.CleanLine(flt.Supplier) != flt.Supplier {
			t.Fatalf("supplier %q from %q", flt.Supplier, raw)
		}
		back := oversightFilter(oversightQuery(flt))
		back.Page = flt.Page
		if !reflect.DeepEqual(back, flt) {
			t.Fatalf("round trip of %q:\n%+v\n%+v", raw, flt, back)
		}
	})
}
