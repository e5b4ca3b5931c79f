package evidence

import (
	"fmt"
	"strings"
	"time"

	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/screening"
)

// Signed is a sign-off: of the screening, or of an assessment version.
type Signed struct {
	Version int // assessment version; 0 for a screening
	By      string
	At      time.Time
}

// Facts is what buyright itself records about a purchase that can meet a
// requirement, read in one go by the store.
type Facts struct {
	Screened        bool
	Result          screening.Result
	ScreeningSigned *Signed             // an approver's sign-off of the current screening
	HRIA            *Signed             // the newest signed-off assessment version
	DPIA, FRIA      *Signed             // the newest signed-off version whose DPIA or FRIA section is written in full
	Held            int                 // meetings with the people affected recorded as held
	LastHeld        string              // the date of the latest one (YYYY-MM-DD)
	TenderItems     []string            // tender-pack items accepted or edited
	SignedItems     []string            // tender-pack items the signed contract has as safeguards
	Tender          map[string][]string // requirement -> TenderItems that answer it (see Cover)
	Contract        map[string][]string // requirement -> SignedItems that answer it
	Values          int                 // monitoring values recorded
	PublishedAt     time.Time           // zero: not in the public register
	ExitPlan        bool                // an exit plan is recorded
	TermsMissing    []string            // the terms the relationship's kind needs and lacks (see relationship.Missing)
	FirewallRules   int                 // firewall rules recorded for the relationship
	Evidence        map[string]*Evidence
}

// Cover fills Tender and Contract from the items' answers in the
// catalogue: which requirements each chosen or signed item meets.
func (f *Facts) Cover(set *catalog.Set) {
	f.Tender, f.Contract = map[string][]string{}, map[string][]string{}
	add := func(m map[string][]string, ids []string) {
		for _, id := range ids {
			it, ok := set.Item(id)
			if !ok {
				continue
			}
			for _, req := range it.Answers {
				m[req] = append(m[req], id)
			}
		}
	}
	if set != nil {
		add(f.Tender, f.TenderItems)
		add(f.Contract, f.SignedItems)
	}
}

// SignedNow returns the facts as they would stand once assessment version
// is signed off covering the assessments named (hria, dpia, fria): what a
// sign-off itself meets, so the requirements still unmet can be asked
// about before it.
func (f *Facts) SignedNow(version int, covers []string) *Facts {
	g := *f
	me := &Signed{Version: version}
	for _, a := range covers {
		switch a {
		case "hria":
			g.HRIA = me
		case "dpia":
			g.DPIA = me
		case "fria":
			g.FRIA = me
		}
	}
	return &g
}

// How a requirement is met.
const (
	HowComputed      = "computed"       // a fact buyright records
	HowTender        = "tender"         // a tender item that answers it
	HowContract      = "contract"       // a signed contract safeguard that answers it
	HowEvidence      = "evidence"       // a file, link or statement someone vouched for
	HowNotApplicable = "not_applicable" // an approver's reason
)

// Status is how one requirement stands: met or not, how, and a message
// (a translation key with its arguments) that says by what or what is
// missing.
type Status struct {
	Met  bool
	How  string
	Key  string
	Args []any
}

// Computed reports whether the requirement is one buyright checks itself,
// for which no file, link or statement is accepted.
func Computed(req *catalog.Item) bool { return req != nil && req.Check != "" }

// Of says how requirement req stands on the facts. req may be nil when the
// catalogue no longer has it; it is then met only by evidence.
func Of(req *catalog.Item, f *Facts) Status {
	ev := f.Evidence[idOf(req)]
	if ev != nil && ev.Kind == NotApplicable {
		return Status{Met: true, How: HowNotApplicable, Key: "req.met.not_applicable", Args: []any{ev.Text, ev.ByName, day(ev.At)}}
	}
	if Computed(req) {
		return computed(req.Check, f)
	}
	if req != nil {
		if items := f.Contract[req.ID]; len(items) > 0 && contractStage(req.Stage) {
			return Status{Met: true, How: HowContract, Key: "req.met.contract", Args: []any{strings.Join(items, ", ")}}
		}
		if items := f.Tender[req.ID]; len(items) > 0 && tenderStage(req.Stage) {
			return Status{Met: true, How: HowTender, Key: "req.met.tender", Args: []any{strings.Join(items, ", ")}}
		}
	}
	switch {
	case ev == nil || !ev.Stands():
		return Status{Key: "req.missing.evidence"}
	case ev.Kind == File:
		return Status{Met: true, How: HowEvidence, Key: "req.met.file", Args: []any{ev.FileName, ev.ByName, day(ev.At)}}
	case ev.Kind == Link:
		return Status{Met: true, How: HowEvidence, Key: "req.met.link", Args: []any{ev.Link, ev.ByName, day(ev.At)}}
	default:
		return Status{Met: true, How: HowEvidence, Key: "req.met.statement", Args: []any{ev.ByName, day(ev.At)}}
	}
}

func idOf(req *catalog.Item) string {
	if req == nil {
		return ""
	}
	return req.ID
}

// A tender item answers a requirement of the stages up to the award: the
// pack is what the market is asked for. From the contract on, only what
// was signed counts; later stages need evidence of what happens in use.
func tenderStage(stage string) bool {
	return stage == "planning" || stage == "market_engagement" || stage == "tender_design" || stage == "award"
}

func contractStage(stage string) bool { return tenderStage(stage) || stage == "contract" }

func computed(check string, f *Facts) Status {
	signed := func(s *Signed, met, missing string) Status {
		if s == nil {
			return Status{How: HowComputed, Key: missing}
		}
		return Status{Met: true, How: HowComputed, Key: met, Args: []any{s.Version, s.By, day(s.At)}}
	}
	switch check {
	case "screening_signed":
		switch {
		case !f.Screened || !f.Result.Complete():
			return Status{How: HowComputed, Key: "req.missing.screening"}
		case f.ScreeningSigned == nil:
			return Status{How: HowComputed, Key: "req.missing.screening_signed"}
		}
		return Status{Met: true, How: HowComputed, Key: "req.met.screening_signed", Args: []any{f.ScreeningSigned.By, day(f.ScreeningSigned.At)}}
	case "hria_signed":
		return signed(f.HRIA, "req.met.hria_signed", "req.missing.hria_signed")
	case "dpia_signed":
		return signed(f.DPIA, "req.met.dpia_signed", "req.missing.dpia_signed")
	case "fria_signed":
		return signed(f.FRIA, "req.met.fria_signed", "req.missing.fria_signed")
	case "engagement_held":
		if f.Held == 0 {
			return Status{How: HowComputed, Key: "req.missing.engagement_held"}
		}
		return Status{Met: true, How: HowComputed, Key: "req.met.engagement_held", Args: []any{f.Held, f.LastHeld}}
	case "monitoring_values":
		if f.Values == 0 {
			return Status{How: HowComputed, Key: "req.missing.monitoring_values"}
		}
		return Status{Met: true, How: HowComputed, Key: "req.met.monitoring_values", Args: []any{f.Values}}
	case "published":
		if f.PublishedAt.IsZero() {
			return Status{How: HowComputed, Key: "req.missing.published"}
		}
		return Status{Met: true, How: HowComputed, Key: "req.met.published", Args: []any{day(f.PublishedAt)}}
	case "exit_plan":
		if !f.ExitPlan {
			return Status{How: HowComputed, Key: "req.missing.exit_plan"}
		}
		return Status{Met: true, How: HowComputed, Key: "req.met.exit_plan"}
	case "relationship_terms":
		if len(f.TermsMissing) > 0 {
			return Status{How: HowComputed, Key: "req.missing.relationship_terms"}
		}
		return Status{Met: true, How: HowComputed, Key: "req.met.relationship_terms"}
	case "firewall_recorded":
		if f.FirewallRules == 0 {
			return Status{How: HowComputed, Key: "req.missing.firewall_recorded"}
		}
		return Status{Met: true, How: HowComputed, Key: "req.met.firewall_recorded", Args: []any{f.FirewallRules}}
	}
	return Status{How: HowComputed, Key: "req.missing.unknown_check", Args: []any{check}}
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// Row is one requirement of a purchase's screening and how it stands.
type Row struct {
	ID    string
	Item  *catalog.Item // nil when the catalogue no longer has it
	Stage model.Stage
	Due   bool // the purchase is in this stage or past it
	Status
}

// Rows says how every requirement of the screening stands, in stage then
// catalogue order, for a purchase now in stage current. f must have been
// Covered with set.
func Rows(set *catalog.Set, f *Facts, current model.Stage) []Row {
	if !f.Screened {
		return nil
	}
	var out []Row
	for _, st := range model.Stages {
		for _, id := range f.Result.RequirementsByStage[string(st)] {
			it, _ := set.Item(id)
			out = append(out, Row{ID: id, Item: it, Stage: st, Status: Of(it, f),
				Due: current.Index() >= st.Index() || !current.Open()})
		}
	}
	return out
}

// UnmetDue keeps the rows due by now that are not met: what a sign-off must
// give a reason for.
func UnmetDue(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if r.Due && !r.Met {
			out = append(out, r)
		}
	}
	return out
}

// Frozen is how one requirement stood when an assessment version was
// signed off: met or not, how, the message (key and arguments, as text)
// saying by what, and the approver's reason for signing off without it.
type Frozen struct {
	ID        string   `json:"id"`
	Stage     string   `json:"stage"`
	Met       bool     `json:"met"`
	How       string   `json:"how,omitempty"`
	Key       string   `json:"key"`
	Args      []string `json:"args,omitempty"`
	Exception string   `json:"exception,omitempty"`
}

// Freeze records rows as they stand, with the exceptions given for them.
func Freeze(rows []Row, exceptions map[string]string) []Frozen {
	out := make([]Frozen, 0, len(rows))
	for _, r := range rows {
		args := make([]string, len(r.Args))
		for i, a := range r.Args {
			args[i] = fmt.Sprint(a)
		}
		out = append(out, Frozen{ID: r.ID, Stage: string(r.Stage), Met: r.Met, How: r.How, Key: r.Key, Args: args, Exception: exceptions[r.ID]})
	}
	return out
}
