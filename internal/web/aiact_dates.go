package web

import (
	"slices"
	"sort"

	"buyright/internal/catalog"
)

// The EU AI Act's dates of application are catalogue data (kind date in the
// ai-act catalogue), each with the text it was read in and the day it was
// checked. Some were read only in an unofficial consolidated text of an
// amending regulation; those are marked unconfirmed in the catalogue and
// every page that shows them says "to check" next to the date.

// dateView is one dated legal event as a page shows it.
type dateView struct {
	ID, Title, Text string
	Lang            string // the language Title and Text are in: the reader's, or English where the catalogue has no translation
	Date, AsOf      string // YYYY-MM-DD
	Source          string
	ToCheck         bool
}

// aiActDates lists the AI Act's dates from the active catalogue set, in
// date order; a date to check comes after a checked one of the same day.
func aiActDates(set *catalog.Set, lang string) []dateView {
	if set == nil {
		return nil
	}
	c, ok := set.Catalog("ai-act")
	if !ok {
		return nil
	}
	var out []dateView
	for _, it := range c.Items {
		if it.Kind != "date" {
			continue
		}
		out = append(out, dateView{
			ID: it.ID, Title: it.Title.In(lang), Text: it.Text.In(lang),
			Date: it.Date, AsOf: it.AsOf, Source: it.Source,
			ToCheck: it.Status == "unconfirmed", Lang: textLang(it.Title, lang),
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return !out[i].ToCheck && out[j].ToCheck
	})
	return out
}

// appliesEULaw says whether buyers of a jurisdiction are bound by EU law,
// so the AI Act's dates concern them.
func appliesEULaw(jurisdiction string) bool {
	return jurisdiction == "EU" || slices.Contains(euMembers, jurisdiction)
}

// textLang is the language t.In(lang) answers in.
func textLang(t catalog.Text, lang string) string {
	if t[lang] != "" {
		return lang
	}
	return "en"
}
