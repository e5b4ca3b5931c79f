package web

import (
	"net/url"
	"strconv"
	"strings"

	"buyright/internal/assessment"
	"buyright/internal/model"
)

// The workspace's forms: each section posts its own fields, so several
// people can work on different sections at once. List sections (engagement,
// misuse, impact, mitigation) post one entry, by item id (0: a new one).
var sectionFields = map[string][]string{
	"scope":        {"a_context", "a_affected_groups", "a_vulnerable_groups", "a_technology", "a_data_involved"},
	"noengagement": {"a_no_engagement_reason"},
	"legality":     {"a_legality", "a_legitimate_aim", "a_necessity", "a_proportionality", "a_alternatives", "a_sunset"},
	"data":         {"a_categories", "a_minimisation", "a_retention", "a_sharing", "a_firewalling", "a_withdrawal", "a_portability"},
	"summary":      {"a_public_summary"},
	"engagement":   {"e_status", "e_who", "e_how", "e_when", "e_raised", "e_answer", "e_attachments"},
	"misuse":       {"m_how", "m_who"},
	"impact":       {"i_right", "i_group", "i_description", "i_scale", "i_scope", "i_irremediability", "i_likelihood", "i_residual_severity", "i_residual_likelihood"},
	"mitigation":   {"g_impact_id", "g_action", "g_owner", "g_due", "g_status", "g_basis"},
	"elements":     nil, // x_<element id>, one per element of the DPIA or FRIA posted
}

func listSection(section string) bool {
	switch section {
	case "engagement", "misuse", "impact", "mitigation":
		return true
	}
	return false
}

// formState is what one form shows: values (stored, or as typed when the
// save was refused) and the problems per field.
type formState struct {
	Key    string
	Item   int
	Values map[string]string
	Multi  map[string]bool // a_rights
	Errors map[string]string
	seen   string // the stored section's fingerprint, for a form showing typed values
	// Suffix ends the names of the fields of one entry of a step's form
	// ("-3", "-new"): a step's form carries all its entries at once.
	Suffix string
	// Conflict marks an entry someone else changed since the page was shown.
	Conflict bool
}

func formKey(section string, item int) string {
	if listSection(section) {
		if item == 0 {
			return section + "-new"
		}
		return section + "-" + strconv.Itoa(item)
	}
	return section
}

func itoa0(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// valuesOf reads a section (or one list entry) of a document into form
// values.
func valuesOf(d *assessment.Doc, section string, item int) *formState {
	f := &formState{Key: formKey(section, item), Item: item, Values: map[string]string{}, Multi: map[string]bool{}}
	v := f.Values
	switch section {
	case "scope":
		s := d.Scope
		v["a_context"], v["a_affected_groups"], v["a_vulnerable_groups"], v["a_technology"], v["a_data_involved"] = s.Context, s.AffectedGroups, s.VulnerableGroups, s.Technology, s.DataInvolved
		for _, r := range s.Rights {
			f.Multi[r] = true
		}
	case "noengagement":
		v["a_no_engagement_reason"] = d.NoEngagementReason
	case "legality":
		l := d.Legality
		v["a_legality"], v["a_legitimate_aim"], v["a_necessity"], v["a_proportionality"], v["a_alternatives"], v["a_sunset"] = l.Legality, l.LegitimateAim, l.Necessity, l.Proportionality, l.Alternatives, l.Sunset
		if l.Emergency {
			v["a_emergency"] = "on"
		}
	case "data":
		x := d.Data
		v["a_categories"], v["a_minimisation"], v["a_retention"], v["a_sharing"], v["a_firewalling"], v["a_withdrawal"], v["a_portability"] = x.Categories, x.Minimisation, x.Retention, x.Sharing, x.Firewalling, x.Withdrawal, x.Portability
	case "summary":
		v["a_public_summary"] = d.PublicSummary
	case "engagement":
		v["e_status"] = assessment.Planned
		for _, e := range d.Engagements {
			if e.ID == item {
				v["e_who"], v["e_how"], v["e_when"], v["e_raised"], v["e_answer"], v["e_attachments"] = e.Who, e.How, e.When, e.Raised, e.Answer, e.Attachments
				v["e_status"], v["e_source"] = e.State(), e.Source
				for _, org := range e.Participants {
					f.Multi["org:"+strconv.FormatInt(org, 10)] = true
				}
			}
		}
	case "elements":
		for id, text := range d.Elements {
			v["x_"+id] = text
		}
	case "misuse":
		for _, m := range d.Misuses {
			if m.ID == item {
				v["m_how"], v["m_who"] = m.How, m.Who
			}
		}
	case "impact":
		for _, im := range d.Impacts {
			if im.ID == item {
				v["i_right"], v["i_group"], v["i_description"] = im.Right, im.Group, im.Description
				v["i_scale"], v["i_scope"], v["i_irremediability"], v["i_likelihood"] = itoa0(im.Scale), itoa0(im.Scope), itoa0(im.Irremediability), itoa0(im.Likelihood)
				v["i_residual_severity"], v["i_residual_likelihood"] = itoa0(im.ResidualSeverity), itoa0(im.ResidualLikelihood)
				v["i_source"] = im.Source
			}
		}
	case "mitigation":
		v["g_status"] = "planned"
		for _, m := range d.Mitigations {
			if m.ID == item {
				v["g_impact_id"], v["g_action"], v["g_owner"], v["g_due"], v["g_status"], v["g_basis"] = itoa0(m.ImpactID), m.Action, m.Owner, m.Due, m.Status, m.Basis
			}
		}
	}
	return f
}

// entryForm is valuesOf for an entry of a step's form: its fields carry
// the entry's slot (its number, or "new").
func entryForm(d *assessment.Doc, section string, item int) *formState {
	f := valuesOf(d, section, item)
	f.Suffix = strings.TrimPrefix(f.Key, section)
	return f
}

// typedForm keeps what a person posted for a section, to show it again.
func typedForm(section string, item int, form url.Values) *formState {
	f := &formState{Key: formKey(section, item), Item: item, Values: map[string]string{}, Multi: map[string]bool{}}
	for _, k := range sectionFields[section] {
		f.Values[k] = form.Get(k)
	}
	f.Values["a_emergency"] = form.Get("a_emergency")
	if section == "elements" {
		for k := range form {
			if strings.HasPrefix(k, "x_") {
				f.Values[k] = form.Get(k)
			}
		}
	}
	for _, r := range form["a_rights"] {
		f.Multi[r] = true
	}
	if section == "engagement" {
		for _, org := range form["e_participants"] {
			f.Multi["org:"+org] = true
		}
	}
	return f
}

// applySection writes a posted section into the document. It returns field
// problems that parsing finds (numbers); the document's own Validate finds
// the rest.
func applySection(d *assessment.Doc, section string, item int, del bool, form url.Values) (model.FieldErrors, bool) {
	fe := model.FieldErrors{}
	g := form.Get
	rating := func(field string) int {
		s := strings.TrimSpace(g(field))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 4 {
			fe.Add(field, "assessment.rating_range")
		}
		return n
	}
	found := item == 0
	switch section {
	case "scope":
		d.Scope = assessment.Scope{Context: g("a_context"), AffectedGroups: g("a_affected_groups"), VulnerableGroups: g("a_vulnerable_groups"),
			Technology: g("a_technology"), DataInvolved: g("a_data_involved"), Rights: dedupe(form["a_rights"])}
	case "noengagement":
		d.NoEngagementReason = g("a_no_engagement_reason")
	case "legality":
		d.Legality = assessment.Legality{Legality: g("a_legality"), LegitimateAim: g("a_legitimate_aim"), Necessity: g("a_necessity"),
			Proportionality: g("a_proportionality"), Alternatives: g("a_alternatives"), Emergency: g("a_emergency") != "", Sunset: g("a_sunset")}
	case "data":
		d.Data = assessment.DataPractice{Categories: g("a_categories"), Minimisation: g("a_minimisation"), Retention: g("a_retention"),
			Sharing: g("a_sharing"), Firewalling: g("a_firewalling"), Withdrawal: g("a_withdrawal"), Portability: g("a_portability")}
	case "summary":
		d.PublicSummary = g("a_public_summary")
	case "engagement":
		e := assessment.Engagement{ID: item, Status: g("e_status"), Who: g("e_who"), How: g("e_how"), When: g("e_when"), Raised: g("e_raised"), Answer: g("e_answer"), Attachments: g("e_attachments")}
		if e.Status == "" {
			e.Status = assessment.Planned
		}
		for _, x := range form["e_participants"] {
			id, err := strconv.ParseInt(x, 10, 64)
			if err != nil || id <= 0 {
				fe.Add("e_participants", "invalid.choice")
				continue
			}
			e.Participants = append(e.Participants, id)
		}
		// The form does not carry where an entry came from (a
		// consultation's report): an edit keeps it.
		for _, old := range d.Engagements {
			if old.ID == item {
				e.Source = old.Source
			}
		}
		d.Engagements, found = upsert(d, d.Engagements, e, item, del, func(x *assessment.Engagement) *int { return &x.ID })
	case "misuse":
		m := assessment.Misuse{ID: item, How: g("m_how"), Who: g("m_who")}
		d.Misuses, found = upsert(d, d.Misuses, m, item, del, func(x *assessment.Misuse) *int { return &x.ID })
	case "impact":
		im := assessment.Impact{ID: item, Right: g("i_right"), Group: g("i_group"), Description: g("i_description"),
			Scale: rating("i_scale"), Scope: rating("i_scope"), Irremediability: rating("i_irremediability"), Likelihood: rating("i_likelihood"),
			ResidualSeverity: rating("i_residual_severity"), ResidualLikelihood: rating("i_residual_likelihood")}
		if old, ok := d.Impact(item); ok {
			im.Source = old.Source // where it was raised, e.g. a consultation response
		}
		d.Impacts, found = upsert(d, d.Impacts, im, item, del, func(x *assessment.Impact) *int { return &x.ID })
		if del && found {
			// Mitigations of a removed impact become general ones.
			for i := range d.Mitigations {
				if d.Mitigations[i].ImpactID == item {
					d.Mitigations[i].ImpactID = 0
				}
			}
		}
	case "mitigation":
		impact := 0
		if s := g("g_impact_id"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				fe.Add("g_impact_id", "invalid.choice")
			}
			impact = n
		}
		m := assessment.Mitigation{ID: item, ImpactID: impact, Action: g("g_action"), Owner: g("g_owner"), Due: g("g_due"), Status: g("g_status"), Basis: g("g_basis")}
		d.Mitigations, found = upsert(d, d.Mitigations, m, item, del, func(x *assessment.Mitigation) *int { return &x.ID })
	case "elements":
		if d.Elements == nil {
			d.Elements = map[string]string{}
		}
		for k := range form {
			if id, ok := strings.CutPrefix(k, "x_"); ok {
				d.Elements[id] = g(k)
			}
		}
	}
	return fe, found
}

// upsert adds (item 0), replaces or deletes one list entry by id and
// reports whether the entry existed.
func upsert[T any](d *assessment.Doc, list []T, e T, item int, del bool, id func(*T) *int) ([]T, bool) {
	if item == 0 {
		if del {
			return list, false
		}
		*id(&e) = d.NewID()
		return append(list, e), true
	}
	for i := range list {
		if *id(&list[i]) == item {
			if del {
				return append(list[:i:i], list[i+1:]...), true
			}
			list[i] = e
			return list, true
		}
	}
	return list, false
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x != "" && !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// diffField maps a section and a JSON field name of the document to the
// form field whose label names it in the diff.
func diffField(section, field string) string {
	prefix := map[string]string{"engagement": "e_", "misuse": "m_", "impact": "i_", "mitigation": "g_"}[section]
	switch {
	case section == "checklist":
		return "c_" + field
	case section == "elements":
		return "x_text"
	case prefix != "":
		if section == "engagement" && field == "no_engagement_reason" {
			return "a_no_engagement_reason"
		}
		return prefix + field
	case section == "scope" && field == "context":
		return "a_context"
	}
	return "a_" + field
}
