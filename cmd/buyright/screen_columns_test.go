package main

import (
	"encoding/csv"
	"strings"
	"testing"
)

// Two releases: a digital one with everything a journalist sorts by, and
// a non-digital one. Flags of the digital one point twice at
// tender.documents.
const journalistReleases = `{"ocid":"ocds-x-1","id":"r1","date":"2024-05-02T10:00:00Z","language":"es","buyer":{"id":"B1","name":"Ministerio del Interior"},"tender":{"title":"Sistema de reconocimiento facial para cámaras","description":"software de reconocimiento facial","procurementMethod":"direct","procurementMethodDetails":"contratación directa por urgencia","tenderPeriod":{"startDate":"2024-01-10","endDate":"2024-02-01"},"value":{"amount":120000.5,"currency":"eur"},"numberOfTenderers":1},"awards":[{"id":"a1","date":"2024-03-01","suppliers":[{"name":"=Vigil SA"},{"name":"Ojo Ltd"},{"name":"Ojo Ltd"}]},{"id":"a2","suppliers":{"name":"Third Co"}}],"contracts":[{"id":"c1","awardID":"a1","dateSigned":"2024-03-05","period":{"endDate":"2026-03-05"},"value":{"amount":118000,"currency":"EUR"}}]}
{"ocid":"ocds-x-2","tender":{"title":"Suministro de sillas de oficina","procuringEntity":{"name":"Ayuntamiento"}}}
`

func TestScreenCSVCarriesWhatJournalistsSortBy(t *testing.T) {
	code, out, errs := runCLI(t, journalistReleases, "screen", "--format", "csv", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("csv %v: %q", err, out)
	}
	cell := func(row int, col string) string {
		for i, h := range rows[0] {
			if h == col {
				return rows[row][i]
			}
		}
		t.Fatalf("no column %q in %q", col, rows[0])
		return ""
	}
	want := map[string]string{
		"ocid":               "ocds-x-1",
		"digital":            "true",
		"buyer":              "Ministerio del Interior",
		"value":              "118000", // the contract's value wins over the tender's
		"currency":           "EUR",
		"procurement_method": "direct",
		"suppliers":          "'=Vigil SA;Ojo Ltd;Third Co",
		"release_date":       "2024-05-02T10:00:00Z",
		"tender_start":       "2024-01-10",
		"tender_end":         "2024-02-01",
		"award_date":         "2024-03-01",
		"contract_start":     "2024-03-05",
		"contract_end":       "2026-03-05",
		"language":           "es",
	}
	for col, v := range want {
		if got := cell(1, col); got != v {
			t.Errorf("%s = %q, want %q", col, got, v)
		}
	}
	paths := strings.Split(cell(1, "flag_paths"), ";")
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] {
			t.Errorf("flag_paths repeats %q: %v", p, paths)
		}
		seen[p] = true
	}
	if !seen["tender.documents"] || len(strings.Split(cell(1, "flags"), ";")) <= len(paths) {
		t.Errorf("flags %q should outnumber their distinct paths %q", cell(1, "flags"), cell(1, "flag_paths"))
	}
	if cell(2, "buyer") != "Ayuntamiento" || cell(2, "digital") != "false" || cell(2, "value") != "" {
		t.Errorf("second release: buyer %q digital %q value %q", cell(2, "buyer"), cell(2, "digital"), cell(2, "value"))
	}
}

func TestScreenOnlyDigital(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		code, out, errs := runCLI(t, journalistReleases, "screen", "--only-digital", "--format", format, "-")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errs)
		}
		if !strings.Contains(out, "ocds-x-1") || strings.Contains(out, "ocds-x-2") {
			t.Errorf("%s: want only the digital release: %q", format, out)
		}
		if !strings.Contains(errs, "Screened 2 releases") || !strings.Contains(errs, "Wrote 1 of them") {
			t.Errorf("%s: summary should count both and say one was written: %s", format, errs)
		}
	}
}
