package ocds

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FlagInfo describes one kind of red flag, for documentation and help.
type FlagInfo struct {
	ID, Meaning string
}

// FlagKinds lists every flag screening can raise, in output order.
var FlagKinds = []FlagInfo{
	{"surveillance", "buys surveillance technology (cameras, CCTV, interception, drones, ANPR)"},
	{"biometrics", "buys biometric technology (facial recognition, fingerprints)"},
	{"automated-decisions", "buys algorithms, AI or analytics that may decide about people"},
	{"personal-data", "a data, software or hosting purchase that names personal data or people (patients, citizens, beneficiaries)"},
	{"limited-method", "limited or direct procurement method: no open competition"},
	{"emergency", "an emergency or urgency is given as justification of the procurement method"},
	{"single-tenderer", "only one tenderer took part"},
	{"no-impact-assessment", "digital purchase with no impact-assessment document (DPIA, HRIA, FRIA) published"},
	{"no-tender-documents", "no tender documents published"},
	{"value-increase", "contract value more than 20% above the award value"},
	{"duration-extended", "contract end date later than the one awarded, or an extension allowed beyond it"},
	{"no-end-date", "a contract with no end date"},
}

// Categories whose presence raises a rights-sensitive flag by itself.
var sensitiveFlag = map[string]string{
	"surveillance": "surveillance",
	"drones":       "surveillance",
	"biometrics":   "biometrics",
	"ai-analytics": "automated-decisions",
}

// Categories that, with a personal-data term, make a personal-data platform.
var dataCategories = map[string]bool{
	"data-services": true, "software": true, "cloud-hosting": true, "ai-analytics": true, "it-services": true,
}

func (s *Screener) flag(sc *scratch, r *Release, res *Result) {
	add := func(id, path, format string, args ...any) {
		for _, f := range res.Flags {
			if f.ID == id {
				return
			}
		}
		res.Flags = append(res.Flags, Flag{ID: id, Reason: fmt.Sprintf(format, args...), Path: path})
	}
	if res.Digital {
		// Rights-sensitive technology, pointing at the first evidence.
		for _, ev := range res.Evidence {
			if id, ok := sensitiveFlag[ev.Category]; ok {
				add(id, ev.Path, "%s technology (%s %q)", ev.Category, ev.Kind, ev.Match)
			}
		}
		dataCat := false
		for _, c := range sc.cats {
			dataCat = dataCat || dataCategories[c]
		}
		if t, ok := sc.set("personal-data"); ok && dataCat {
			add("personal-data", t.path, "data or software purchase that mentions %q", t.term)
		}
	}

	t := r.Tender
	if t != nil {
		m := strings.ToLower(strings.TrimSpace(t.ProcurementMethod))
		switch {
		case m == "limited" || m == "direct":
			add("limited-method", "tender.procurementMethod", "procurement method is %q", t.ProcurementMethod)
		default:
			if tx, ok := s.methodTerm(sc, t); ok {
				add("limited-method", tx.path, "procurement method described as %q", tx.s)
			}
		}
		if t.NumberOfTenderers == 1 {
			add("single-tenderer", "tender.numberOfTenderers", "one tenderer")
		} else if t.Tenderers == 1 {
			add("single-tenderer", "tender.tenderers", "one tenderer listed")
		}
	}
	if path, term, ok := s.emergency(sc, r); ok {
		add("emergency", path, "emergency or urgency mentioned: %q", term)
	}
	if res.Digital && !s.hasImpactAssessment(sc, r) {
		add("no-impact-assessment", "tender.documents", "no document looks like an impact assessment (DPIA, HRIA, FRIA)")
	}
	if pastPlanning(r) && (t == nil || len(t.Documents) == 0) {
		add("no-tender-documents", "tender.documents", "no tender documents published")
	}
	s.contractFlags(r, add)
	slices.SortStableFunc(res.Flags, func(a, b Flag) int { return flagOrder[a.ID] - flagOrder[b.ID] })
}

var flagOrder = func() map[string]int {
	m := map[string]int{}
	for i, k := range FlagKinds {
		m[k.ID] = i
	}
	return m
}()

// field is a free-text field of the tender read by a flag.
type field struct{ path, s string }

// hasTerm reports whether folded text holds a flag term of the given set.
func (s *Screener) hasTerm(sc *scratch, str, set string) (string, bool) {
	sc.folded = fold(sc.folded, str)
	for _, h := range s.terms.find(sc.folded, sc.hits[:0]) {
		if t := &s.terms.terms[h.term]; t.kind == kindFlagTerm && t.category == set {
			return t.text, true
		}
	}
	return "", false
}

// methodTerm looks for direct-award wording in the free-text method fields
// (Mexico's "Adjudicación directa", Taiwan's 限制性招標).
func (s *Screener) methodTerm(sc *scratch, t *Tender) (field, bool) {
	for _, f := range []field{
		{"tender.procurementMethod", t.ProcurementMethod},
		{"tender.procurementMethodDetails", t.ProcurementMethodDetails},
	} {
		if f.s == "" {
			continue
		}
		if strings.Contains(f.s, "限制性招標") {
			return f, true
		}
		if _, ok := s.hasTerm(sc, f.s, "direct-method"); ok {
			return f, true
		}
	}
	return field{}, false
}

// emergency looks in the fields that justify the method. Titles are not
// read: "servicio de emergencia médica" or "disaster recovery" name what is
// bought, not why competition was skipped.
func (s *Screener) emergency(sc *scratch, r *Release) (path, term string, ok bool) {
	if t := r.Tender; t != nil {
		for _, f := range []field{
			{"tender.procurementMethodRationale", t.ProcurementMethodRationale},
			{"tender.procurementMethodDetails", t.ProcurementMethodDetails},
		} {
			if f.s == "" {
				continue
			}
			if term, ok := s.hasTerm(sc, f.s, "emergency"); ok {
				return f.path, term, true
			}
		}
	}
	return "", "", false
}

func (s *Screener) hasImpactAssessment(sc *scratch, r *Release) bool {
	lists := [][]Document{r.Planning.Documents}
	if r.Tender != nil {
		lists = append(lists, r.Tender.Documents)
	}
	for _, a := range r.Awards {
		lists = append(lists, a.Documents)
	}
	for _, c := range r.Contracts {
		lists = append(lists, c.Documents)
	}
	for _, d := range slices.Concat(lists...) {
		dt := strings.ToLower(d.DocumentType)
		// environmentalImpact is about the environment, not people.
		if strings.Contains(dt, "impact") && !strings.Contains(dt, "environment") {
			return true
		}
		for _, f := range []string{d.Title, d.Description} {
			if f == "" {
				continue
			}
			if _, ok := s.hasTerm(sc, f, "impact-assessment"); ok {
				return true
			}
		}
	}
	return false
}

// pastPlanning is true when the release reports a stage at which tender
// documents should exist: a planning release has none yet.
func pastPlanning(r *Release) bool {
	if len(r.Awards) > 0 || len(r.Contracts) > 0 {
		return true
	}
	if r.Tender == nil {
		return false
	}
	for _, t := range r.Tag {
		if !strings.HasPrefix(t, "planning") {
			return true
		}
	}
	return len(r.Tag) == 0
}

func (s *Screener) contractFlags(r *Release, add func(id, path, format string, args ...any)) {
	awards := map[string]*Award{}
	for i := range r.Awards {
		awards[r.Awards[i].ID] = &r.Awards[i]
	}
	for _, c := range r.Contracts {
		p := "contracts[" + strconv.Itoa(c.Index) + "]"
		var a *Award
		if c.AwardID != "" {
			a = awards[c.AwardID]
		} else if len(r.Awards) == 1 {
			a = &r.Awards[0]
		}
		if a != nil && a.Value.Set && c.Value.Set && a.Value.Amount > 0 &&
			strings.EqualFold(a.Value.Currency, c.Value.Currency) && c.Value.Amount > 1.2*a.Value.Amount {
			why := ""
			if c.Amendments > 0 {
				why = " after amendment"
			}
			add("value-increase", p+".value.amount", "contract value %s is %.0f%% above the award value %s%s",
				money(c.Value), 100*(c.Value.Amount/a.Value.Amount-1), money(a.Value), why)
		}
		if a != nil && later(c.Period.EndDate, a.ContractPeriod.EndDate) {
			add("duration-extended", p+".period.endDate", "contract ends %s, later than the awarded %s",
				dateOnly(c.Period.EndDate), dateOnly(a.ContractPeriod.EndDate))
		} else if later(c.Period.MaxExtentDate, c.Period.EndDate) && c.Amendments > 0 {
			add("duration-extended", p+".period.maxExtentDate", "amended contract may run to %s, beyond its end date %s",
				dateOnly(c.Period.MaxExtentDate), dateOnly(c.Period.EndDate))
		}
		if strings.TrimSpace(c.Period.EndDate) == "" {
			add("no-end-date", p+".period.endDate", "contract has no end date")
		}
	}
}

func money(v Value) string {
	return strconv.FormatFloat(v.Amount, 'f', -1, 64) + " " + v.Currency
}

// later reports a > b for two OCDS dates; unparseable dates never compare.
func later(a, b string) bool {
	ta, ok1 := parseDate(a)
	tb, ok2 := parseDate(b)
	return ok1 && ok2 && ta.After(tb)
}

func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func dateOnly(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}
