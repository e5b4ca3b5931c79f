// Package assessment is the human-rights impact assessment of a purchase as
// plain data: the workspace a team fills in (scoping, engagement, legality
// and proportionality, data, misuse, impacts, mitigations, the requirement
// checklist), how impacts are prioritised by severity, what changed between
// two versions, and the gate rules that hold a purchase back while the
// screening or the checklist says it is not ready. It imports no storage or
// web package.
package assessment

import (
	"slices"
	"strings"

	"buyright/internal/catalog"
	"buyright/internal/model"
)

// Doc is the whole workspace of one assessment version. It is stored as
// JSON, so a version is copied, frozen and compared as one value.
type Doc struct {
	Scope              Scope        `json:"scope"`
	Engagements        []Engagement `json:"engagements"`
	NoEngagementReason string       `json:"no_engagement_reason"`
	Legality           Legality     `json:"legality"`
	Data               DataPractice `json:"data"`
	Misuses            []Misuse     `json:"misuses"`
	Impacts            []Impact     `json:"impacts"`
	Mitigations        []Mitigation `json:"mitigations"`
	// Elements holds the text of each element of an assessment the
	// catalogue defines in parts (the DPIA's Article 35(7) elements, the
	// FRIA's Article 27(1) ones), by element id.
	Elements map[string]string `json:"elements,omitempty"`
	// Checklist is what versions signed before requirements were met by
	// evidence said of them; it is kept to show those versions as signed,
	// and no longer edited or read by any gate.
	Checklist     map[string]Check `json:"checklist"`
	PublicSummary string           `json:"public_summary"`
	// SignOffExceptions are the approver's reasons, recorded at sign-off,
	// for requirements due by then that were not yet met, by requirement.
	SignOffExceptions map[string]string `json:"signoff_exceptions,omitempty"`
	NextID            int               `json:"next_id"` // ids of list entries, never reused
}

// Scope says what is assessed and for whom.
type Scope struct {
	Context          string   `json:"context"`
	Rights           []string `json:"rights"` // ids of catalogue items of kind right
	AffectedGroups   string   `json:"affected_groups"`
	VulnerableGroups string   `json:"vulnerable_groups"`
	Technology       string   `json:"technology"`
	DataInvolved     string   `json:"data_involved"`
}

// Engagement is one meeting or exchange with affected people or their
// organisations: planned, held or cancelled. Only a held one, dated and
// with a record of what was raised, counts as consultation.
type Engagement struct {
	ID          int    `json:"id"`
	Status      string `json:"status"` // planned, held or cancelled; see State
	Who         string `json:"who"`
	How         string `json:"how"`
	When        string `json:"when"` // YYYY-MM-DD
	Raised      string `json:"raised"`
	Answer      string `json:"answer"`
	Attachments string `json:"attachments"` // names or links of minutes, letters
	// Participants are the civil-society organisations named as taking
	// part, by organisation id: their people see the meeting's record.
	Participants []int64 `json:"participants,omitempty"`
	// Source names the record the engagement came from, e.g. the
	// consultation whose published report it is ("consultation/12").
	Source string `json:"source,omitempty"`
}

// Engagement states.
const (
	Planned   = "planned"
	Held      = "held"
	Cancelled = "cancelled"
)

// EngagementStates lists the states in the order a form offers them.
var EngagementStates = []string{Planned, Held, Cancelled}

// State is the engagement's state. Entries recorded before states existed
// carry none: they count as held only when dated with what was raised.
func (e Engagement) State() string {
	if e.Status != "" {
		return e.Status
	}
	if e.When != "" && (e.Raised != "" || e.Attachments != "") {
		return Held
	}
	return Planned
}

// HeldEngagements returns the engagements that took place, and the date of
// the latest one.
func (d *Doc) HeldEngagements() (n int, last string) {
	for _, e := range d.Engagements {
		if e.State() == Held {
			n++
			if e.When > last {
				last = e.When
			}
		}
	}
	return n, last
}

// ElementIDs lists the elements the catalogue defines for an assessment
// (the DPIA's, the FRIA's), in catalogue order.
func ElementIDs(set *catalog.Set, a string) []string {
	var out []string
	for _, it := range set.OfKind("element") {
		if it.Assessment == a {
			out = append(out, it.ID)
		}
	}
	return out
}

// WrittenIn names what a version carries out in full: the human-rights
// impact assessment always, the DPIA and the FRIA when every one of their
// elements is written.
func WrittenIn(set *catalog.Set, d *Doc) []string {
	out := []string{"hria"}
	for _, a := range []string{"dpia", "fria"} {
		if d.Written(ElementIDs(set, a)) {
			out = append(out, a)
		}
	}
	return out
}

// Written reports whether every element in ids has text: a DPIA or FRIA
// section is written only when all of its elements are.
func (d *Doc) Written(ids []string) bool {
	if len(ids) == 0 {
		return false
	}
	for _, id := range ids {
		if strings.TrimSpace(d.Elements[id]) == "" {
			return false
		}
	}
	return true
}

// Legality holds the legality, legitimate aim, necessity and
// proportionality test.
type Legality struct {
	Legality        string `json:"legality"`
	LegitimateAim   string `json:"legitimate_aim"`
	Necessity       string `json:"necessity"`
	Proportionality string `json:"proportionality"`
	Alternatives    string `json:"alternatives"`
	Emergency       bool   `json:"emergency"`
	Sunset          string `json:"sunset"` // YYYY-MM-DD, required for emergency measures
}

// DataPractice is what happens to people's data.
type DataPractice struct {
	Categories   string `json:"categories"`
	Minimisation string `json:"minimisation"`
	Retention    string `json:"retention"`
	Sharing      string `json:"sharing"`
	Firewalling  string `json:"firewalling"`
	Withdrawal   string `json:"withdrawal"`
	Portability  string `json:"portability"`
}

// Misuse is one way the system could be abused, and by whom.
type Misuse struct {
	ID  int    `json:"id"`
	How string `json:"how"`
	Who string `json:"who"`
}

// Impact is one potential impact on a right for an affected group, rated
// by the UN Guiding Principles' severity factors and by likelihood, each
// 1-4; the residual rating is after mitigation (0: not yet rated).
type Impact struct {
	ID                 int    `json:"id"`
	Right              string `json:"right"` // catalogue id of kind right
	Group              string `json:"group"`
	Description        string `json:"description"`
	Scale              int    `json:"scale"`
	Scope              int    `json:"scope"`
	Irremediability    int    `json:"irremediability"`
	Likelihood         int    `json:"likelihood"`
	ResidualSeverity   int    `json:"residual_severity"`
	ResidualLikelihood int    `json:"residual_likelihood"`
	// Source names where the impact was raised, e.g. a consultation
	// response ("consultation/12/response/34"), so the link is kept.
	Source string `json:"source,omitempty"`
}

// Mitigation is one action that prevents or reduces an impact.
type Mitigation struct {
	ID       int    `json:"id"`
	ImpactID int    `json:"impact_id"` // 0: general
	Action   string `json:"action"`
	Owner    string `json:"owner"`
	Due      string `json:"due"` // YYYY-MM-DD
	Status   string `json:"status"`
	Basis    string `json:"basis"` // requirement id or contract clause it relies on
}

// Check is the status of one requirement the screening made applicable.
type Check struct {
	Status        string `json:"status"`
	Evidence      string `json:"evidence"`
	Justification string `json:"justification"`
}

// Checklist statuses.
const (
	Met           = "met"
	PartlyMet     = "partly_met"
	NotMet        = "not_met"
	NotApplicable = "not_applicable"
)

// CheckStatuses lists the statuses in the order a form offers them.
var CheckStatuses = []string{Met, PartlyMet, NotMet, NotApplicable}

// MitigationStatuses lists the states of a mitigation.
var MitigationStatuses = []string{"planned", "in_progress", "done", "dropped"}

// Satisfied reports whether a requirement's check lets a gate pass: met, or
// not applicable with a written justification.
func (c Check) Satisfied() bool {
	switch c.Status {
	case Met:
		return true
	case NotApplicable:
		return strings.TrimSpace(c.Justification) != ""
	}
	return false
}

// Severity combines the three factors. Any one of them can make an impact
// severe (a small group harmed irreversibly is severe), so the highest
// counts.
func (im Impact) Severity() int { return max(im.Scale, im.Scope, im.Irremediability) }

// Priority orders impacts as the Guiding Principles ask: severity first,
// likelihood second. It is severity × likelihood (1-16) for display.
func (im Impact) Priority() int { return im.Severity() * im.Likelihood }

// Band names the priority: critical, high, medium or low.
func Band(severity, likelihood int) string {
	switch p := severity * likelihood; {
	case severity == 4 && likelihood >= 3, p >= 12:
		return "critical"
	case p >= 8, severity == 4:
		return "high"
	case p >= 4:
		return "medium"
	}
	return "low"
}

// Residual reports whether the residual rating is filled in.
func (im Impact) Residual() bool { return im.ResidualSeverity > 0 && im.ResidualLikelihood > 0 }

// Find helpers return the index of an entry by id, or -1.
func (d *Doc) impactIndex(id int) int {
	for i, x := range d.Impacts {
		if x.ID == id {
			return i
		}
	}
	return -1
}

// Impact returns an impact by id.
func (d *Doc) Impact(id int) (Impact, bool) {
	if i := d.impactIndex(id); i >= 0 {
		return d.Impacts[i], true
	}
	return Impact{}, false
}

// NewID hands out the next list-entry id.
func (d *Doc) NewID() int {
	d.NextID++
	return d.NextID
}

// Clean normalises text the way the rest of the product does (trimmed,
// no control characters, \n line ends).
func (d *Doc) Clean() {
	c := model.CleanText
	s := &d.Scope
	s.Context, s.AffectedGroups, s.VulnerableGroups, s.Technology, s.DataInvolved = c(s.Context), c(s.AffectedGroups), c(s.VulnerableGroups), c(s.Technology), c(s.DataInvolved)
	d.NoEngagementReason = c(d.NoEngagementReason)
	for i := range d.Engagements {
		e := &d.Engagements[i]
		e.Who, e.How, e.When, e.Raised, e.Answer, e.Attachments = c(e.Who), c(e.How), strings.TrimSpace(e.When), c(e.Raised), c(e.Answer), c(e.Attachments)
		e.Status, e.Source = strings.TrimSpace(e.Status), strings.TrimSpace(e.Source)
		e.Participants = uniqueIDs(e.Participants)
	}
	for id, v := range d.Elements {
		if v = c(v); v == "" {
			delete(d.Elements, id)
		} else {
			d.Elements[id] = v
		}
	}
	l := &d.Legality
	l.Legality, l.LegitimateAim, l.Necessity, l.Proportionality, l.Alternatives, l.Sunset = c(l.Legality), c(l.LegitimateAim), c(l.Necessity), c(l.Proportionality), c(l.Alternatives), strings.TrimSpace(l.Sunset)
	dp := &d.Data
	dp.Categories, dp.Minimisation, dp.Retention, dp.Sharing, dp.Firewalling, dp.Withdrawal, dp.Portability = c(dp.Categories), c(dp.Minimisation), c(dp.Retention), c(dp.Sharing), c(dp.Firewalling), c(dp.Withdrawal), c(dp.Portability)
	for i := range d.Misuses {
		m := &d.Misuses[i]
		m.How, m.Who = c(m.How), c(m.Who)
	}
	for i := range d.Impacts {
		im := &d.Impacts[i]
		im.Group, im.Description, im.Right, im.Source = c(im.Group), c(im.Description), strings.TrimSpace(im.Right), strings.TrimSpace(im.Source)
	}
	for i := range d.Mitigations {
		m := &d.Mitigations[i]
		m.Action, m.Owner, m.Due, m.Basis = c(m.Action), c(m.Owner), strings.TrimSpace(m.Due), c(m.Basis)
	}
	for id, ch := range d.Checklist {
		ch.Evidence, ch.Justification = c(ch.Evidence), c(ch.Justification)
		d.Checklist[id] = ch
	}
	d.PublicSummary = c(d.PublicSummary)
}

// Validate checks the whole document, reporting problems by form field
// name. rights says whether a right id exists in the catalogue, elements
// whether an element id does; today dates the meetings said to be held.
func (d *Doc) Validate(rights, elements func(string) bool, today model.Date) error {
	d.Clean()
	fe := model.FieldErrors{}
	long := func(field, v string, n int) {
		if model.TooLong(v, n) {
			fe.Add(field, "invalid.too_long")
		}
	}
	date := func(field, v string) {
		if _, err := model.ParseDate(v); err != nil {
			fe.Add(field, "invalid.date")
		}
	}
	s := d.Scope
	for f, v := range map[string]string{"a_context": s.Context, "a_affected_groups": s.AffectedGroups, "a_vulnerable_groups": s.VulnerableGroups, "a_technology": s.Technology, "a_data_involved": s.DataInvolved,
		"a_no_engagement_reason": d.NoEngagementReason, "a_public_summary": d.PublicSummary,
		"a_legality": d.Legality.Legality, "a_legitimate_aim": d.Legality.LegitimateAim, "a_necessity": d.Legality.Necessity, "a_proportionality": d.Legality.Proportionality, "a_alternatives": d.Legality.Alternatives,
		"a_categories": d.Data.Categories, "a_minimisation": d.Data.Minimisation, "a_retention": d.Data.Retention, "a_sharing": d.Data.Sharing, "a_firewalling": d.Data.Firewalling, "a_withdrawal": d.Data.Withdrawal, "a_portability": d.Data.Portability} {
		long(f, v, 20000)
	}
	for _, r := range s.Rights {
		if !rights(r) {
			fe.Add("a_rights", "invalid.choice")
		}
	}
	date("a_sunset", d.Legality.Sunset)
	if d.Legality.Emergency && d.Legality.Sunset == "" {
		fe.Add("a_sunset", "assessment.sunset_needed")
	}
	for _, e := range d.Engagements {
		if e.Who == "" {
			fe.Add("e_who", "invalid.required")
		}
		date("e_when", e.When)
		for f, v := range map[string]string{"e_who": e.Who, "e_how": e.How, "e_raised": e.Raised, "e_answer": e.Answer, "e_attachments": e.Attachments} {
			long(f, v, 10000)
		}
		long("e_source", e.Source, 200)
		if len(e.Participants) > 50 {
			fe.Add("e_participants", "invalid.choice")
		}
		switch {
		case e.Status != "" && !oneOf(e.Status, EngagementStates):
			fe.Add("e_status", "invalid.choice")
		case e.Status == Held && e.When == "":
			fe.Add("e_when", "assessment.held_needs_date")
		case e.Status == Held && e.Raised == "" && e.Attachments == "":
			fe.Add("e_raised", "assessment.held_needs_record")
		case e.Status == Held:
			if w, err := model.ParseDate(e.When); err == nil && today.Before(w) {
				fe.Add("e_when", "assessment.held_in_future")
			}
		}
	}
	for id, v := range d.Elements {
		if !elements(id) {
			fe.Add("elements", "invalid.choice")
		}
		long("x_"+id, v, 20000)
	}
	for _, m := range d.Misuses {
		if m.How == "" {
			fe.Add("m_how", "invalid.required")
		}
		long("m_how", m.How, 10000)
		long("m_who", m.Who, 2000)
	}
	rating := func(field string, v int, zeroOK bool) {
		if (v == 0 && !zeroOK) || v < 0 || v > 4 {
			fe.Add(field, "assessment.rating_range")
		}
	}
	for _, im := range d.Impacts {
		if im.Right == "" || !rights(im.Right) {
			fe.Add("i_right", "invalid.choice")
		}
		if im.Group == "" {
			fe.Add("i_group", "invalid.required")
		}
		long("i_group", im.Group, 2000)
		long("i_description", im.Description, 10000)
		long("i_source", im.Source, 200)
		rating("i_scale", im.Scale, false)
		rating("i_scope", im.Scope, false)
		rating("i_irremediability", im.Irremediability, false)
		rating("i_likelihood", im.Likelihood, false)
		rating("i_residual_severity", im.ResidualSeverity, true)
		rating("i_residual_likelihood", im.ResidualLikelihood, true)
		if (im.ResidualSeverity == 0) != (im.ResidualLikelihood == 0) {
			fe.Add("i_residual_likelihood", "assessment.residual_pair")
		}
	}
	for _, m := range d.Mitigations {
		if m.Action == "" {
			fe.Add("g_action", "invalid.required")
		}
		long("g_action", m.Action, 10000)
		long("g_owner", m.Owner, 300)
		long("g_basis", m.Basis, 300)
		date("g_due", m.Due)
		if !oneOf(m.Status, MitigationStatuses) {
			fe.Add("g_status", "invalid.choice")
		}
		if m.ImpactID != 0 && d.impactIndex(m.ImpactID) < 0 {
			fe.Add("g_impact_id", "invalid.choice")
		}
	}
	for _, ch := range d.Checklist {
		if ch.Status != "" && !oneOf(ch.Status, CheckStatuses) {
			fe.Add("checklist", "invalid.choice")
		}
		long("checklist", ch.Evidence, 10000)
		long("checklist", ch.Justification, 10000)
	}
	return fe.Err()
}

// uniqueIDs drops zero, negative and repeated ids, keeping the order.
func uniqueIDs(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Participating reports whether organisation org is named as taking part
// in the engagement.
func (e Engagement) Participating(org int64) bool { return slices.Contains(e.Participants, org) }

func oneOf(v string, set []string) bool {
	for _, x := range set {
		if x == v {
			return true
		}
	}
	return false
}

// SignOffProblem says why a version cannot be signed off, as a translation
// key, or "" when it can. An assessment of level III or IV needs a meeting
// with the people affected that was held (a planned one is a promise), or a
// written reason why there was none.
func (d *Doc) SignOffProblem(level int) string {
	if held, _ := d.HeldEngagements(); level >= 3 && held == 0 && strings.TrimSpace(d.NoEngagementReason) == "" {
		return "assessment.signoff_needs_engagement"
	}
	if len(d.Impacts) == 0 && level >= 3 {
		return "assessment.signoff_needs_impacts"
	}
	return ""
}
