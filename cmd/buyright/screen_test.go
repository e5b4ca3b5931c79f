package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ocdsTestdata = "../../internal/ocds/testdata"

type screenOut struct {
	OCID       string   `json:"ocid"`
	Digital    bool     `json:"digital"`
	Categories []string `json:"categories"`
	Flags      []struct {
		ID, Reason, Path string
	} `json:"flags"`
	Line int `json:"line"`
}

func parseScreen(t *testing.T, out string) map[string]screenOut {
	t.Helper()
	m := map[string]screenOut{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r screenOut
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("output line is not JSON: %q", sc.Text())
		}
		m[r.OCID] = r
	}
	return m
}

func flagIDs(r screenOut) string {
	var ids []string
	for _, f := range r.Flags {
		ids = append(ids, f.ID+"@"+f.Path)
	}
	return strings.Join(ids, " ")
}

// A newcomer's first run: one command, one line per release, a summary.
func TestScreenSample(t *testing.T) {
	code, out, errs := runCLI(t, "", "screen", filepath.Join(ocdsTestdata, "sample.jsonl"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got := parseScreen(t, out)
	if len(got) != 8 {
		t.Fatalf("%d output lines, want 8", len(got))
	}
	want := map[string]struct {
		digital bool
		flags   string
	}{
		"ocds-test-001": {true, "surveillance@tender.items[0].classification.id biometrics@tender.title limited-method@tender.procurementMethod emergency@tender.procurementMethodRationale single-tenderer@tender.numberOfTenderers no-impact-assessment@tender.documents no-tender-documents@tender.documents"},
		"ocds-test-002": {false, ""},
		"ocds-test-003": {false, ""},                                     // guards, not surveillance technology
		"ocds-test-004": {true, "no-impact-assessment@tender.documents"}, // planning only: no tender documents expected yet
		"ocds-test-005": {true, "no-impact-assessment@tender.documents"},
		"ocds-test-006": {true, "personal-data@tender.title limited-method@tender.procurementMethod value-increase@contracts[0].value.amount duration-extended@contracts[0].period.endDate"},
		"ocds-test-007": {false, "no-end-date@contracts[0].period.endDate"},
		"ocds-test-008": {false, ""}, // "application of paint"
	}
	for ocid, w := range want {
		r := got[ocid]
		if r.Digital != w.digital || flagIDs(r) != w.flags {
			t.Errorf("%s: digital=%v flags %q; want %v %q", ocid, r.Digital, flagIDs(r), w.digital, w.flags)
		}
	}
	for _, s := range []string{"Screened 8 releases", "buy digital technology", "No input was rejected"} {
		if !strings.Contains(errs, s) {
			t.Errorf("summary lacks %q:\n%s", s, errs)
		}
	}
}

// Bad lines are reported with file and line, the run still succeeds and
// the good releases are all there.
func TestScreenRejects(t *testing.T) {
	dir := t.TempDir()
	rejects := filepath.Join(dir, "rejects.jsonl")
	bad := filepath.Join(ocdsTestdata, "bad.jsonl")
	code, out, errs := runCLI(t, "", "screen", "--rejects", rejects, bad)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got := parseScreen(t, out); len(got) != 2 {
		t.Errorf("%d releases, want 2", len(got))
	}
	if !strings.Contains(errs, "5 lines or elements were rejected") || !strings.Contains(errs, rejects) {
		t.Errorf("summary: %s", errs)
	}
	b, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d reject lines, want 5", len(lines))
	}
	var first struct {
		Kind, File, Reason string
		Line               int
	}
	json.Unmarshal([]byte(lines[0]), &first)
	if first.Kind != "reject" || first.File != bad || first.Line != 2 || !strings.Contains(first.Reason, "truncated") {
		t.Errorf("first reject %+v", first)
	}
	// Without --rejects they are on stderr.
	_, _, errs = runCLI(t, "", "screen", bad)
	if !strings.Contains(errs, "bad.jsonl:3:1: expected a JSON object") {
		t.Errorf("stderr lacks the reject: %s", errs)
	}
}

func TestScreenStdinAndCSV(t *testing.T) {
	in := `{"ocid":"=HYPERLINK(\"x\")","tender":{"title":"-1+2 software licences","documents":[{"documentType":"x"}]}}` + "\n"
	code, out, errs := runCLI(t, in, "screen", "--format", "csv", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "file,line,ocid,") {
		t.Fatalf("csv: %q", out)
	}
	if !strings.Contains(lines[1], `'=HYPERLINK`) || !strings.Contains(lines[1], `'-1+2 software`) || !strings.Contains(lines[1], ",true,software,") {
		t.Errorf("cells not neutralised or wrong: %q", lines[1])
	}
}

func TestScreenUsageAndFaults(t *testing.T) {
	if code, _, errs := runCLI(t, "", "screen"); code != 2 || !strings.Contains(errs, "FILE|-") {
		t.Errorf("no args: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "screen", "--format", "xml", "x"); code != 2 || !strings.Contains(errs, "jsonl or csv") {
		t.Errorf("bad format: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "screen", "--codes", "/nonexistent.csv", "x"); code != 2 || !strings.Contains(errs, "cannot open") {
		t.Errorf("bad codes file: %d %q", code, errs)
	}
	// An unreadable file fails the run, but the readable ones are screened.
	code, out, errs := runCLI(t, "", "screen", "/nonexistent.jsonl", filepath.Join(ocdsTestdata, "sample.jsonl"))
	if code != 1 || !strings.Contains(errs, "/nonexistent.jsonl: cannot read") || len(parseScreen(t, out)) != 8 {
		t.Errorf("missing file: %d %q", code, errs)
	}
}

// --codes replaces the code list: with only CPV 39 listed, chairs are
// digital and cameras are not (by code; their title still says so).
func TestScreenCustomCodes(t *testing.T) {
	codes := filepath.Join(t.TempDir(), "codes.csv")
	os.WriteFile(codes, []byte("scheme,prefix,label,category\nCPV,391,Furniture,furniture-test\n"), 0o644)
	code, out, errs := runCLI(t, "", "screen", "--codes", codes, filepath.Join(ocdsTestdata, "sample.jsonl"))
	if code != 0 {
		t.Fatal(errs)
	}
	got := parseScreen(t, out)
	if r := got["ocds-test-002"]; !r.Digital || strings.Join(r.Categories, ",") != "furniture-test" {
		t.Errorf("custom code not used: %+v", r)
	}
}

// --explain says, for each release, which signals were found, where, in
// which language, what became of each and which rule decided; in CSV it is
// one more column.
func TestScreenExplain(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.jsonl")
	lines := `{"ocid":"x-1","language":"en","tender":{"title":"Provision of a Dynamic Purchasing System for residential care","items":[{"classification":{"scheme":"CPV","id":"85311000"}}]}}
{"ocid":"x-2","language":"en","tender":{"title":"Support of the telephone system (PABX)","items":[{"classification":{"scheme":"CPV","id":"302130001"}}]}}
`
	if err := os.WriteFile(in, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "screen", "--explain", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	type explained struct {
		OCID    string
		Digital bool
		Explain struct {
			Language     string
			LanguageFrom string `json:"language_from"`
			Rule         string
			Signals      []struct{ Kind, Match, Value, Path, Lang, Strength, Use, Why string }
		}
	}
	got := map[string]explained{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r explained
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("not JSON: %s", sc.Text())
		}
		got[r.OCID] = r
	}
	one := got["x-1"]
	if one.Digital || one.Explain.Language != "en" || len(one.Explain.Signals) != 1 ||
		one.Explain.Signals[0].Use != "discarded" || !strings.Contains(one.Explain.Signals[0].Why, "dynamic purchasing system") {
		t.Errorf("x-1: %+v", one)
	}
	two := got["x-2"]
	var pabx, code9 bool
	for _, s := range two.Explain.Signals {
		pabx = pabx || s.Match == "pabx" && s.Use == "decided" && s.Path == "tender.title"
		code9 = code9 || s.Value == "302130001" && s.Use == "discarded" && strings.Contains(s.Why, "9 digits")
	}
	if !two.Digital || two.Explain.Rule != "strong keyword" || !pabx || !code9 {
		t.Errorf("x-2: %+v", two)
	}
	if !strings.Contains(errs, "Decided by: strong keyword 1") {
		t.Errorf("summary lacks the deciding rules:\n%s", errs)
	}

	code, out, errs = runCLI(t, "", "screen", "--format", "csv", "--explain", in)
	if code != 0 {
		t.Fatalf("csv exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][len(rows[0])-1] != "explain" {
		t.Fatalf("csv: %v %q", err, out)
	}
	if e := rows[2][len(rows[2])-1]; !strings.HasPrefix(e, "rule: strong keyword; language: en") || !strings.Contains(e, `keyword "pabx"`) {
		t.Errorf("csv explain cell %q", e)
	}
}
