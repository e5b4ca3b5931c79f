// Package ocdsio moves purchases between buyright and the Open Contracting
// Data Standard: it maps screened OCDS releases onto purchases for
// `buyright import`, and builds an OCDS 1.1 release, with buyright's
// human-rights due-diligence extension, for each published purchase.
package ocdsio

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"buyright/internal/model"
	"buyright/internal/ocds"
	"buyright/internal/store"
)

// techOf maps the screener's categories onto the kinds of technology a
// purchase records. Categories not listed (none today) add nothing.
var techOf = map[string]model.Technology{
	"ai-analytics":         "automated_decisions",
	"biometrics":           "biometrics",
	"surveillance":         "surveillance",
	"drones":               "surveillance",
	"identity":             "digital_identity",
	"data-services":        "data_platform",
	"cloud-hosting":        "data_platform",
	"software":             "apps",
	"computer-hardware":    "hardware",
	"it-hardware-software": "hardware",
	"telecom-equipment":    "hardware",
	"it-services":          "services",
	"it-maintenance":       "services",
	"it-installation":      "services",
	"telecom":              "services",
	"telecom-services":     "services",
	"security-it":          "services",
	"security-services":    "services",
	"security-hardware":    "goods",
}

// Technologies maps screener categories onto model technologies, in the
// model's order and without repeats.
func Technologies(categories []string) []model.Technology {
	seen := map[model.Technology]bool{}
	for _, c := range categories {
		if t, ok := techOf[c]; ok {
			seen[t] = true
		}
	}
	var out []model.Technology
	for _, t := range model.Technologies {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out
}

// Row maps one screened release onto a purchase to import.
func Row(r *ocds.Release, res *ocds.Result) store.ImportRow {
	p := &model.Purchase{
		OCID:         r.OCID,
		Title:        clip(res.Title, 300),
		Sector:       Sector(r),
		Technologies: Technologies(res.Categories),
		Stage:        Stage(r),
	}
	if p.Title == "" {
		p.Title = clip("OCDS "+r.OCID, 300)
	}
	if r.Tender != nil {
		p.Need = clipText(model.CleanText(r.Tender.Description), 20000)
		p.TenderDate = date(r.Tender.TenderPeriod.StartDate)
		if p.TenderDate.IsZero() {
			p.TenderDate = date(r.Tender.TenderPeriod.EndDate)
		}
	}
	for _, a := range r.Awards {
		if d := date(a.Date); !d.IsZero() {
			p.AwardDate = d
			break
		}
	}
	for _, c := range r.Contracts {
		start := date(c.Period.StartDate)
		if start.IsZero() {
			start = date(c.DateSigned)
		}
		if !start.IsZero() || !date(c.Period.EndDate).IsZero() {
			p.ContractStart, p.ContractEnd = start, date(c.Period.EndDate)
			break
		}
	}
	if !p.ContractStart.IsZero() && !p.ContractEnd.IsZero() && p.ContractEnd.Before(p.ContractStart) {
		p.ContractEnd = model.Date{}
	}
	p.ValueMinor, p.Currency = value(r)
	row := store.ImportRow{Purchase: p, ReleaseID: r.ID, ReleaseDate: releaseDate(r.Date)}
	for _, f := range res.Flags {
		row.Flags = append(row.Flags, store.PurchaseFlag{ID: f.ID, Reason: f.Reason, Path: f.Path})
	}
	return row
}

// Stage is the lifecycle stage a release shows: from its tags when they say
// (the furthest one wins), else from what it contains. A cancelled tender
// is a cancelled purchase.
func Stage(r *ocds.Release) model.Stage {
	if r.Tender != nil && strings.EqualFold(r.Tender.Status, "cancelled") && len(r.Contracts) == 0 {
		return model.StageCancelled
	}
	best := model.Stage("")
	raise := func(s model.Stage) {
		if best == "" || s.Index() > best.Index() {
			best = s
		}
	}
	for _, t := range r.Tag {
		switch t {
		case "planning", "planningUpdate":
			raise(model.StagePlanning)
		case "tender", "tenderAmendment", "tenderUpdate":
			raise(tenderStage(r))
		case "tenderCancellation":
			return model.StageCancelled
		case "award", "awardUpdate", "awardCancellation", "awardNotice":
			raise(model.StageAward)
		case "contract", "contractUpdate", "contractAmendment":
			raise(model.StageContract)
		case "implementation", "implementationUpdate":
			raise(model.StageImplementation)
		case "contractTermination":
			raise(model.StageClosed)
		}
	}
	if best != "" {
		return best
	}
	switch {
	case len(r.Contracts) > 0:
		return model.StageContract
	case len(r.Awards) > 0:
		return model.StageAward
	case r.Tender != nil:
		return tenderStage(r)
	}
	return model.StagePlanning
}

// tenderStage is tender design while the tender is open, and award once
// bids are in (complete, unsuccessful) or awards exist.
func tenderStage(r *ocds.Release) model.Stage {
	if len(r.Awards) > 0 {
		return model.StageAward
	}
	if r.Tender != nil {
		switch r.Tender.Status {
		case "complete", "unsuccessful":
			return model.StageAward
		}
	}
	return model.StageTenderDesign
}

// value is MainValue in minor units.
func value(r *ocds.Release) (int64, string) {
	v, ok := MainValue(r)
	if !ok {
		return 0, ""
	}
	return int64(math.Round(v.Amount * 100)), v.Currency
}

// MainValue is the most definite money figure of a release: the first
// contract's value, else the first award's, else the tender's. A value
// with no valid currency, negative or too large is passed over. The
// currency comes back upper-cased.
func MainValue(r *ocds.Release) (ocds.Value, bool) {
	var vs []ocds.Value
	for _, c := range r.Contracts {
		vs = append(vs, c.Value)
	}
	for _, a := range r.Awards {
		vs = append(vs, a.Value)
	}
	if r.Tender != nil {
		vs = append(vs, r.Tender.Value)
	}
	for _, v := range vs {
		cur := strings.ToUpper(strings.TrimSpace(v.Currency))
		if !v.Set || v.Amount <= 0 || v.Amount > 1e15 || math.IsNaN(v.Amount) || !isCurrency(cur) {
			continue
		}
		v.Currency = cur
		return v, true
	}
	return ocds.Value{}, false
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// date reads the day of an OCDS date-time ("2019-03-01T00:00:00Z" or a
// bare "2019-03-01"); anything else gives the zero date.
func date(s string) model.Date {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return model.Date{}
	}
	d, err := model.ParseDate(s[:10])
	if err != nil {
		return model.Date{}
	}
	return d
}

// releaseDate normalises a release date to UTC so that comparing the
// strings compares the times; a date that does not parse is kept as is.
func releaseDate(s string) string {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
		}
	}
	return s
}

// clip cuts s to at most n characters after cleaning it, ending with an
// ellipsis when it was cut.
func clip(s string, n int) string { return clipText(model.CleanLine(s), n) }

func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
