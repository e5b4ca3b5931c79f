package ocds

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readAll reads everything and splits releases from rejects.
func readAll(t testing.TB, r io.Reader, name string, o Options) (good []Item, bad []Error, warns []Error) {
	t.Helper()
	o.OnWarning = func(e *Error) { warns = append(warns, *e) }
	rd := NewReader(r, name, o)
	for {
		it, err := rd.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s: fatal error: %v", name, err)
		}
		if it.Err != nil {
			bad = append(bad, *it.Err)
			continue
		}
		c := *it
		c.Raw = append([]byte(nil), it.Raw...)
		good = append(good, c)
	}
}

func readFile(t testing.TB, path string, o Options) ([]Item, []Error, []Error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readAll(t, f, filepath.Base(path), o)
}

func ocids(items []Item) string {
	var s []string
	for _, it := range items {
		s = append(s, it.Release.OCID)
	}
	return strings.Join(s, " ")
}

// Every malformed sample in the shared corpus gives a clear error naming the
// file and line, and the good releases around it survive.
func TestSharedBadSamples(t *testing.T) {
	cases := []struct {
		file       string
		good       int
		rejectLine int // 0: no reject expected
		reason     string
		warning    string
	}{
		{"crlf-line-endings.jsonl", 2, 0, "", ""},
		{"deep-nesting.jsonl", 0, 1, "nesting deeper than 64 levels", ""},
		{"empty.jsonl", 0, 0, "", "empty"},
		{"huge-string-5MB.jsonl", 0, 1, "string of 5000000 bytes is longer than", ""},
		{"invalid-utf8.jsonl", 1, 1, "invalid UTF-8", ""},
		{"missing-ocid.jsonl", 0, 1, "release has no ocid", ""},
		{"non-json-line.jsonl", 2, 2, `found "this is not JSON`, ""},
		{"release-package-not-jsonl.json", 2, 0, "", ""},
		{"truncated-last-line.jsonl", 1, 2, "truncated line?", ""},
		{"utf8-bom.jsonl", 2, 0, "", "byte-order mark"},
		{"wrong-types.jsonl", 0, 1, "tender.title: want a string, got an array", ""},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			good, bad, warns := readFile(t, filepath.Join(sharedDir, "bad", c.file), Options{})
			if len(good) != c.good {
				t.Errorf("got %d releases, want %d", len(good), c.good)
			}
			if c.rejectLine == 0 && len(bad) > 0 {
				t.Errorf("unexpected reject: %v", &bad[0])
			}
			if c.rejectLine > 0 {
				if len(bad) != 1 {
					t.Fatalf("got %d rejects, want 1: %v", len(bad), bad)
				}
				msg := bad[0].Error()
				if bad[0].Line != c.rejectLine || !strings.Contains(msg, c.reason) || !strings.HasPrefix(msg, c.file+":") {
					t.Errorf("reject %q, want %s:%d ... %q", msg, c.file, c.rejectLine, c.reason)
				}
			}
			if c.warning != "" && (len(warns) != 1 || !strings.Contains(warns[0].Reason, c.warning)) {
				t.Errorf("warnings %v, want one about %q", warns, c.warning)
			}
		})
	}
}

// The whole shared corpus is real data: none of it may be rejected.
func TestSharedCorpusAllAccepted(t *testing.T) {
	good, bad, _ := readFile(t, filepath.Join(sharedDir, "releases.jsonl"), Options{})
	n := corpusSize(t)
	if len(good) != n || len(bad) != 0 {
		t.Fatalf("got %d releases and %d rejects (first: %v), want %d and 0", len(good), len(bad), bad, n)
	}
	if good[n-1].Line != n {
		t.Errorf("last release on line %d", good[n-1].Line)
	}
}

// One bad line costs only itself, whatever is wrong with it.
func TestBadLinesAreIsolated(t *testing.T) {
	good, bad, _ := readFile(t, "testdata/bad.jsonl", Options{})
	if got := ocids(good); got != "ocds-bad-1 ocds-bad-5" {
		t.Errorf("good releases %q", got)
	}
	want := []struct {
		line   int
		reason string
	}{
		{2, "truncated line?"},
		{3, `found "this is not JSON"`},
		{4, "release has no ocid"},
		{6, "tender.title: want a string, got an array; tender.items: want an array, got an object"},
		{7, `unexpected 't' after the end of the JSON value`},
	}
	if len(bad) != len(want) {
		t.Fatalf("got %d rejects, want %d: %v", len(bad), len(want), bad)
	}
	for i, w := range want {
		if bad[i].Line != w.line || !strings.Contains(bad[i].Reason, w.reason) {
			t.Errorf("reject %d: %v, want line %d and %q", i, &bad[i], w.line, w.reason)
		}
	}
}

func TestShapes(t *testing.T) {
	sample, err := os.ReadFile("testdata/sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(sample)
	zw.Close()
	lines := strings.Split(strings.TrimSpace(string(sample)), "\n")
	array := "[\n" + strings.Join(lines[:3], ",\n") + "\n]\n"
	pkgLine := `{"uri":"x","releases":[` + lines[0] + "," + lines[1] + "]}\n" + `{"uri":"y","releases":[` + lines[2] + "]}\n"
	recLine := `{"ocid":"ocds-test-001","compiledRelease":` + lines[0] + "}\n"
	pretty := "{\n  \"ocid\": \"ocds-pretty\",\n  \"tender\": {\"title\": \"x\"}\n}\n"
	crlf := strings.ReplaceAll(string(sample), "\n", "\r\n")

	cases := []struct {
		name  string
		in    []byte
		want  string
		lines []int
	}{
		{"jsonl", sample, "ocds-test-001 ocds-test-002 ocds-test-003 ocds-test-004 ocds-test-005 ocds-test-006 ocds-test-007 ocds-test-008", nil},
		{"gzip", gz.Bytes(), "ocds-test-001 ocds-test-002 ocds-test-003 ocds-test-004 ocds-test-005 ocds-test-006 ocds-test-007 ocds-test-008", nil},
		{"crlf", []byte(crlf), "ocds-test-001 ocds-test-002 ocds-test-003 ocds-test-004 ocds-test-005 ocds-test-006 ocds-test-007 ocds-test-008", nil},
		{"array", []byte(array), "ocds-test-001 ocds-test-002 ocds-test-003", []int{2, 3, 4}},
		{"package lines", []byte(pkgLine), "ocds-test-001 ocds-test-002 ocds-test-003", []int{1, 1, 2}},
		{"record line", []byte(recLine), "ocds-test-001", nil},
		{"pretty release", []byte(pretty), "ocds-pretty", []int{1}},
		{"no final newline", sample[:len(sample)-1], "ocds-test-001 ocds-test-002 ocds-test-003 ocds-test-004 ocds-test-005 ocds-test-006 ocds-test-007 ocds-test-008", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			good, bad, _ := readAll(t, bytes.NewReader(c.in), c.name, Options{})
			if len(bad) > 0 {
				t.Errorf("rejects: %v", bad)
			}
			if got := ocids(good); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			for i, l := range c.lines {
				if i < len(good) && good[i].Line != l {
					t.Errorf("release %d on line %d, want %d", i, good[i].Line, l)
				}
			}
		})
	}
}

func TestPrettyPackage(t *testing.T) {
	good, bad, _ := readFile(t, "testdata/package.json", Options{})
	if len(bad) > 0 || ocids(good) != "ocds-test-pkg-1 ocds-test-pkg-2" {
		t.Fatalf("got %q, rejects %v", ocids(good), bad)
	}
	if good[0].Line != 6 || good[1].Line != 13 {
		t.Errorf("lines %d and %d, want 6 and 13", good[0].Line, good[1].Line)
	}
	if good[0].Release.Tender.Title != "Servidores y licencias de software" {
		t.Errorf("title %q", good[0].Release.Tender.Title)
	}
}

// Records give their compiledRelease, or else the merge of their releases
// in date order.
func TestRecords(t *testing.T) {
	good, bad, _ := readFile(t, "testdata/records.json", Options{})
	if len(bad) > 0 || len(good) != 2 {
		t.Fatalf("got %q, rejects %v", ocids(good), bad)
	}
	if good[0].Path != "records[0].compiledRelease" || good[0].Release.Tender.Title != "Biometric identity cards" {
		t.Errorf("compiled: %+v", good[0])
	}
	m := good[1].Release
	if good[1].Path != "records[1]" || m.Tender == nil || m.Tender.Title != "Cloud hosting for the tax portal" {
		t.Fatalf("merged: %+v", good[1])
	}
	if len(m.Awards) != 1 || m.Awards[0].Title != "Hosting award" || m.Awards[0].Value.Amount != 200 {
		t.Errorf("awards not merged by id with the later value winning: %+v", m.Awards)
	}
	if len(m.Tender.Items) != 1 || m.Tender.Items[0].Classification.ID != "72317000-0" {
		t.Errorf("items lost in merge: %+v", m.Tender.Items)
	}
}

func TestLimits(t *testing.T) {
	deep := `{"ocid":"x","tender":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}\n"
	long := `{"ocid":"x","tender":{"title":"` + strings.Repeat("a", 5000) + `"}}` + "\n"
	ok := `{"ocid":"ok"}` + "\n"
	cases := []struct {
		name   string
		in     string
		o      Options
		reason string
	}{
		{"depth", ok + deep + ok, Options{}, "nesting deeper than 64 levels"},
		{"line", ok + long + ok, Options{MaxLineBytes: 1000}, "5034 bytes, longer than the 1000-byte limit"},
		{"string", ok + long + ok, Options{MaxStringBytes: 100}, "string of 5000 bytes is longer than the 100-byte limit"},
		{"utf8", ok + "{\"ocid\":\"x\xff\"}\n" + ok, Options{}, "invalid UTF-8 (byte 0xff)"},
		{"control", ok + "{\"ocid\":\"x\ty\"}\n" + ok, Options{}, "control character 0x09"},
		{"escape", ok + `{"ocid":"x\qy"}` + "\n" + ok, Options{}, `invalid escape \q`},
		{"number", ok + `{"ocid":"x","n":01}` + "\n" + ok, Options{}, "expected ',' or '}'"},
		{"literal", ok + `{"ocid":"x","n":nul}` + "\n" + ok, Options{}, "invalid literal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			good, bad, _ := readAll(t, strings.NewReader(c.in), c.name, c.o)
			if len(good) != 2 || len(bad) != 1 || bad[0].Line != 2 || !strings.Contains(bad[0].Reason, c.reason) {
				t.Errorf("got %d good, rejects %v; want 2 good and a line-2 reject with %q", len(good), bad, c.reason)
			}
		})
	}
}

// Tolerated type problems keep the release and say what was done.
func TestWarnings(t *testing.T) {
	in := `{"ocid":"w","date":20240101,"tag":"tender","awards":{"id":"a","title":"T"},"tender":{"value":{"amount":"12.5"},"items":[{"classification":{"scheme":"CUCoP","id":3830}}]}}` + "\n"
	good, bad, _ := readAll(t, strings.NewReader(in), "w", Options{})
	if len(good) != 1 || len(bad) != 0 {
		t.Fatalf("good %d bad %v", len(good), bad)
	}
	r := good[0].Release
	if r.Tag[0] != "tender" || len(r.Awards) != 1 || r.Tender.Value.Amount != 12.5 || r.Tender.Items[0].Classification.ID != "3830" {
		t.Errorf("coercions: %+v", r)
	}
	var reasons []string
	for _, w := range good[0].Warnings {
		reasons = append(reasons, w.Path+": "+w.Reason)
	}
	got := strings.Join(reasons, " | ")
	for _, want := range []string{"date: want a string, got a number", "awards: want an array, got an object; read as a list of one", "tender.value.amount: want a number, got a string; read as a number"} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings %q lack %q", got, want)
		}
	}
}

func TestBadGzip(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte(`{"ocid":"x"}`+"\n"), 1000))
	zw.Close()
	cut := gz.Bytes()[:gz.Len()/2]
	rd := NewReader(bytes.NewReader(cut), "cut.gz", Options{})
	var err error
	for err == nil {
		_, err = rd.Next()
	}
	if err == io.EOF || !strings.Contains(err.Error(), "cut.gz") || !strings.Contains(err.Error(), "damaged or cut short") {
		t.Fatalf("want a clear fatal error for a cut gzip file, got %v", err)
	}
}

// Process gives the same items in the same order as Reader.
func TestProcessKeepsOrder(t *testing.T) {
	var in bytes.Buffer
	for i := 0; i < 300; i++ {
		b, _ := os.ReadFile("testdata/bad.jsonl")
		in.Write(b)
	}
	want, wantBad, _ := readAll(t, bytes.NewReader(in.Bytes()), "x", Options{})
	var got []string
	rejects := 0
	err := Process(context.Background(), bytes.NewReader(in.Bytes()), "x", Options{}, 4,
		func(it *Item) int { return it.Line },
		func(it *Item, line int) error {
			if line != it.Line {
				t.Fatalf("work result for line %d delivered with line %d", line, it.Line)
			}
			if it.Err != nil {
				rejects++
				return nil
			}
			got = append(got, it.Release.OCID)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != ocids(want) || rejects != len(wantBad) {
		t.Errorf("Process and Reader disagree: %d vs %d releases, %d vs %d rejects", len(got), len(want), rejects, len(wantBad))
	}
}
