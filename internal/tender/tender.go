// Package tender proposes a tender pack for a purchase - selection
// criteria, award criteria with weights, technical specifications and
// contract clauses from the clause catalogue - and measures which of the
// purchase's mandatory requirements the officer's choices cover. It is pure:
// the store keeps the choices and the web shows them.
package tender

import (
	"slices"
	"strings"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/screening"
)

// Decisions an officer can take on a proposed item.
const (
	Proposed = "proposed" // not decided yet
	Accepted = "accepted" // kept as written in the catalogue
	Edited   = "edited"   // kept with the officer's own text
	Rejected = "rejected" // left out, with a reason
)

// Decisions lists the decisions in the order a form offers them.
var Decisions = []string{Proposed, Accepted, Edited, Rejected}

// Stages whose mandatory requirements a tender pack must cover: what the
// tender asks for and what the contract binds the supplier to.
var Stages = []string{"tender_design", "contract"}

// Choice is what the officer decided about one item, as stored.
type Choice struct {
	ItemID      string
	CatalogHash string // the catalogue set the item was read from
	Decision    string
	EditedText  string // the officer's text, for edited items
	Weight      int    // award criteria: the weight given; 0 = the catalogue's
	Reason      string // required when rejected or edited
	DecidedBy   string
	DecidedAt   time.Time
	Rev         int64
}

// Chosen reports whether the item is in the tender pack.
func (c Choice) Chosen() bool { return c.Decision == Accepted || c.Decision == Edited }

// Validate checks a decision before it is stored; it returns the field
// errors as translation keys.
func (c Choice) Validate(it *catalog.Item) map[string]string {
	errs := map[string]string{}
	if !slices.Contains(Decisions, c.Decision) {
		errs["decision"] = "tender.err.decision"
	}
	if (c.Decision == Rejected || c.Decision == Edited) && strings.TrimSpace(c.Reason) == "" {
		errs["reason"] = "tender.err.reason"
	}
	if c.Decision == Edited && strings.TrimSpace(c.EditedText) == "" {
		errs["text"] = "tender.err.text"
	}
	if it != nil && it.PartOf() == "award" && (c.Weight < 0 || c.Weight > 100) {
		errs["weight"] = "tender.err.weight"
	}
	if it != nil && it.PartOf() != "award" && c.Weight != 0 {
		errs["weight"] = "tender.err.weight"
	}
	if len(c.Reason) > 4000 || len(c.EditedText) > 20000 {
		errs["text"] = "tender.err.too_long"
	}
	return errs
}

// Input is what the proposal is made from.
type Input struct {
	Set         *catalog.Set
	Answers     screening.Answers // the screening answers, normalised
	Result      screening.Result
	Technology  []string                // the purchase's technology kinds
	Mitigations []assessment.Mitigation // the assessment's mitigations; a basis naming a clause proposes it
}

// Proposal is one catalogue item proposed for the tender pack.
type Proposal struct {
	Item *catalog.Item
	Part string
	// Meets lists the mandatory requirements of this purchase (any stage)
	// the item answers, in the item's order.
	Meets []string
	// Mitigations lists the assessment mitigations (by id) that name this
	// item, or a requirement it meets, as their basis.
	Mitigations []int
	// ByMitigation is set when the item was proposed only because a
	// mitigation names it, its own conditions not holding.
	ByMitigation bool
}

// Weight is the item's proposed weight (award criteria).
func (p Proposal) Weight() int { return p.Item.Weight }

// Mandatory returns the requirements the result makes mandatory for the
// stages a tender pack covers, in stage then catalogue order.
func Mandatory(r screening.Result) []string {
	var out []string
	for _, st := range Stages {
		out = append(out, r.RequirementsByStage[st]...)
	}
	return out
}

// Applies reports whether a clause item's own conditions hold for the
// purchase: its level, when, if_assessment and technology.
func Applies(q *screening.Questionnaire, it *catalog.Item, in Input) bool {
	if it.Level > 0 && in.Result.Level < it.Level {
		return false
	}
	if it.When != nil && !q.Holds(in.Answers, it.When) {
		return false
	}
	if len(it.IfAssessment) > 0 && !overlaps(it.IfAssessment, in.Result.Assessments) {
		return false
	}
	if len(it.Technology) > 0 && !overlaps(it.Technology, in.Technology) {
		return false
	}
	return true
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// Propose lists the clause items that apply to the purchase, grouped by
// part (selection, award, specification, clause) in catalogue order.
func Propose(in Input) []Proposal {
	if in.Set == nil {
		return nil
	}
	q := screening.New(in.Set)
	mandatory := map[string]bool{}
	for _, ids := range in.Result.RequirementsByStage {
		for _, id := range ids {
			mandatory[id] = true
		}
	}
	var out []Proposal
	for _, part := range catalog.Parts {
		for _, it := range in.Set.OfKind("clause") {
			if it.PartOf() != part {
				continue
			}
			p := Proposal{Item: it, Part: part}
			for _, id := range it.Answers {
				if mandatory[id] {
					p.Meets = append(p.Meets, id)
				}
			}
			for _, m := range in.Mitigations {
				if m.Basis != "" && (m.Basis == it.ID || slices.Contains(p.Meets, m.Basis)) && m.Status != "dropped" {
					p.Mitigations = append(p.Mitigations, m.ID)
				}
			}
			named := false
			for _, m := range in.Mitigations {
				if m.Basis == it.ID && m.Status != "dropped" {
					named = true
				}
			}
			switch {
			case Applies(q, it, in):
			case named:
				p.ByMitigation = true
			default:
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// Coverage says, for each mandatory requirement of the tender and contract
// stages, which chosen items meet it and which proposed ones could.
type Coverage struct {
	Required  []string            // mandatory requirement ids, stage then catalogue order
	By        map[string][]string // requirement -> accepted or edited items that meet it
	Proposed  map[string][]string // requirement -> proposed items (any decision but rejected) that would meet it
	Uncovered []string            // required, with no chosen item
	// Award criteria among the chosen items and their weights.
	WeightSum  int
	AwardCount int
}

// Complete reports whether every mandatory requirement is covered.
func (c Coverage) Complete() bool { return len(c.Uncovered) == 0 }

// WeightsOK reports whether the chosen award criteria's weights add up to
// 100 (or there are none).
func (c Coverage) WeightsOK() bool { return c.AwardCount == 0 || c.WeightSum == 100 }

// EffectiveWeight is the weight an award criterion counts with.
func EffectiveWeight(it *catalog.Item, c Choice) int {
	if it == nil || it.PartOf() != "award" {
		return 0
	}
	if c.Weight > 0 {
		return c.Weight
	}
	return it.Weight
}

// Cover measures the choices against the result. Chosen items count even
// if they are no longer proposed (the screening changed since): the officer
// put them in the pack on purpose.
func Cover(set *catalog.Set, r screening.Result, props []Proposal, choices map[string]Choice) Coverage {
	c := Coverage{Required: Mandatory(r), By: map[string][]string{}, Proposed: map[string][]string{}}
	need := map[string]bool{}
	for _, id := range c.Required {
		need[id] = true
	}
	ids := make([]string, 0, len(choices))
	for id := range choices {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		ch := choices[id]
		if !ch.Chosen() || set == nil {
			continue
		}
		it, ok := set.Item(id)
		if !ok || it.Kind != "clause" {
			continue
		}
		if it.PartOf() == "award" {
			c.AwardCount++
			c.WeightSum += EffectiveWeight(it, ch)
		}
		for _, req := range it.Answers {
			if need[req] && !slices.Contains(c.By[req], id) {
				c.By[req] = append(c.By[req], id)
			}
		}
	}
	for _, p := range props {
		if choices[p.Item.ID].Decision == Rejected {
			continue
		}
		for _, req := range p.Meets {
			if need[req] {
				c.Proposed[req] = append(c.Proposed[req], p.Item.ID)
			}
		}
	}
	for _, id := range c.Required {
		if len(c.By[id]) == 0 {
			c.Uncovered = append(c.Uncovered, id)
		}
	}
	return c
}
