package ocdsio

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"

	"buyright/internal/model"
	"buyright/internal/ocds"
)

// data/sectors.csv maps item classification codes onto the public service
// a purchase serves. It is short on purpose: only codes whose meaning is
// a public service sector (health services, social work, justice) are
// listed, each with the line of the code list it rests on. Digital codes
// (CPV 48, 72) say nothing about the sector and are not there; a release
// with none of the listed codes keeps the sector unset ("other").
//
//go:embed data/sectors.csv
var sectorsCSV string

type sectorRule struct {
	scheme, prefix string
	sector         model.Sector
}

var sectorRules = mustSectorRules(sectorsCSV)

func mustSectorRules(text string) []sectorRule {
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		panic(fmt.Sprintf("ocdsio: data/sectors.csv: %v", err))
	}
	var out []sectorRule
	for i, row := range rows[1:] {
		if len(row) != 4 || row[3] == "" {
			panic(fmt.Sprintf("ocdsio: data/sectors.csv line %d: want scheme,prefix,sector,basis", i+2))
		}
		s := model.Sector(row[2])
		ok := false
		for _, known := range model.Sectors {
			ok = ok || known == s
		}
		if !ok || s == "other" {
			panic(fmt.Sprintf("ocdsio: data/sectors.csv line %d: %q is not a sector", i+2, row[2]))
		}
		out = append(out, sectorRule{scheme: row[0], prefix: row[1], sector: s})
	}
	return out
}

// Sector is the sector the release's item codes point to: each code
// votes for the sector of the longest listed prefix it starts with, and
// the sector with most votes wins. No vote, or a tie, leaves it "other":
// guessing would claim more than the data says.
func Sector(r *ocds.Release) model.Sector {
	votes := map[model.Sector]int{}
	count := func(items []ocds.LineItem) {
		for _, it := range items {
			if s, ok := codeSector(it.Classification); ok {
				votes[s]++
			}
			for _, c := range it.Additional {
				if s, ok := codeSector(c); ok {
					votes[s]++
				}
			}
		}
	}
	if r.Tender != nil {
		count(r.Tender.Items)
	}
	for _, a := range r.Awards {
		count(a.Items)
	}
	for _, c := range r.Contracts {
		count(c.Items)
	}
	best, n, tie := model.Sector("other"), 0, false
	for s, v := range votes {
		switch {
		case v > n:
			best, n, tie = s, v, false
		case v == n:
			tie = true
		}
	}
	if tie {
		return "other"
	}
	return best
}

// codeSector finds the sector of one classification, if listed.
func codeSector(c ocds.Classification) (model.Sector, bool) {
	scheme := schemeName(c.Scheme)
	if scheme == "" {
		return "", false
	}
	// "30200000-1" (CPV check digit) and "43222825-001" (Paraguay's
	// suffix): the code is the digits before the dash.
	id, _, _ := strings.Cut(strings.TrimSpace(c.ID), "-")
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return "", false
		}
	}
	var best sectorRule
	for _, r := range sectorRules {
		if r.scheme == scheme && strings.HasPrefix(id, r.prefix) && len(r.prefix) > len(best.prefix) {
			best = r
		}
	}
	return best.sector, best.prefix != ""
}

// schemeName recognises the two schemes the list uses, as publishers
// spell them ("CPV", "cpv2008", "UNSPSC", Paraguay's catalogue built on
// UNSPSC).
func schemeName(s string) string {
	low := strings.ToLower(s)
	switch {
	case strings.Contains(low, "cpv"):
		return "CPV"
	case strings.Contains(low, "unspsc"), strings.Contains(low, "dirección nacional de contrataciones públicas del paraguay"):
		return "UNSPSC"
	}
	return ""
}
