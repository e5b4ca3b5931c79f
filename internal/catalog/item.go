package catalog

// Item is one entry of a catalogue. All kinds share the same shape; the
// fields after the common ones are used only by some kinds (the linter says
// which are required where). A later catalogue kind adds its fields here
// rather than inventing a new file format.
type Item struct {
	// Common to every kind.
	ID     string `yaml:"id" json:"id"`
	Kind   string `yaml:"kind" json:"kind"`
	Title  Text   `yaml:"title" json:"title"`
	Text   Text   `yaml:"text" json:"text,omitempty"`
	Refs   []Ref  `yaml:"refs" json:"refs,omitempty"`
	Status string `yaml:"status" json:"status,omitempty"` // "" or "unconfirmed": the fact behind it still needs checking against the source
	Note   string `yaml:"note" json:"note,omitempty"`     // for reviewers, English only
	Retire bool   `yaml:"retire" json:"-"`                // in an override: remove the built-in item with this id

	// Cross-references by id, all checked by the linter.
	Parent  string   `yaml:"parent" json:"parent,omitempty"`   // principle or group this item details
	Rights  []string `yaml:"rights" json:"rights,omitempty"`   // rights at stake (kind right)
	Answers []string `yaml:"answers" json:"answers,omitempty"` // risks or requirements this item answers (clauses, practices)
	See     []string `yaml:"see" json:"see,omitempty"`         // related items

	// instrument
	Citation string `yaml:"citation" json:"citation,omitempty"` // official title and number of the instrument
	URL      string `yaml:"url" json:"url,omitempty"`

	// requirement, assessment, element
	Stage        string   `yaml:"stage" json:"stage,omitempty"`                 // lifecycle stage it must be met in before leaving
	Level        int      `yaml:"level" json:"level,omitempty"`                 // mandatory from this impact level (1-4); 0 = advisory
	IfAssessment []string `yaml:"if_assessment" json:"if_assessment,omitempty"` // mandatory only when one of these assessments is required
	Assessment   string   `yaml:"assessment" json:"assessment,omitempty"`       // element: the assessment it is part of
	Check        string   `yaml:"check" json:"check,omitempty"`                 // requirement: a fact buyright checks itself (see Checks); never ticked by hand

	// question
	Type     string   `yaml:"type" json:"type,omitempty"` // yes_no, single, multiple, number, text
	Help     Text     `yaml:"help" json:"help,omitempty"`
	Options  []Option `yaml:"options" json:"options,omitempty"`
	ShowIf   *Cond    `yaml:"show_if" json:"show_if,omitempty"`
	Optional bool     `yaml:"optional" json:"optional,omitempty"`
	Min      *float64 `yaml:"min" json:"min,omitempty"`
	Max      *float64 `yaml:"max" json:"max,omitempty"`
	Prefill  *Prefill `yaml:"prefill" json:"prefill,omitempty"`

	// rule (scoring), also requirement
	When   *Cond    `yaml:"when" json:"when,omitempty"`
	Raise  int      `yaml:"raise" json:"raise,omitempty"`   // impact level the rule raises the purchase to
	Assess []string `yaml:"assess" json:"assess,omitempty"` // assessments the rule makes required
	Stop   bool     `yaml:"stop" json:"stop,omitempty"`     // the rule signals a likely prohibited practice

	// clause: contract clauses and tender criteria (with level, when, if_assessment);
	// dd_question: supplier (the company's own due diligence, answered once
	// and reused by every purchase) or state (about this client and use)
	Part       string   `yaml:"part" json:"part,omitempty"`             // selection, award, specification or clause (the default)
	Weight     int      `yaml:"weight" json:"weight,omitempty"`         // award criterion: proposed weight, points out of 100
	Technology []string `yaml:"technology" json:"technology,omitempty"` // proposed only for purchases of one of these technology kinds

	// indicator: a monitoring indicator (with min, max, help, stage)
	Unit      string   `yaml:"unit" json:"unit,omitempty"`           // percent, count, days, hours, ratio or score
	Direction string   `yaml:"direction" json:"direction,omitempty"` // higher or lower: which way is better
	Threshold *float64 `yaml:"threshold" json:"threshold,omitempty"` // suggested threshold: beyond it, act
	ByGroup   bool     `yaml:"by_group" json:"by_group,omitempty"`   // measured per group of people, to see disparities

	// date: a dated legal event, such as the day a law's duties start to
	// apply. Kept as data with where it was read and when, because such
	// dates are amended; status unconfirmed means the product shows it as
	// "to check".
	Date   string `yaml:"date" json:"date,omitempty"`     // YYYY-MM-DD the event happens
	AsOf   string `yaml:"as_of" json:"as_of,omitempty"`   // YYYY-MM-DD the date was last checked
	Source string `yaml:"source" json:"source,omitempty"` // the text the date was read in (English)

	// Where the item is defined; set by the loader.
	Catalog string         `yaml:"-" json:"catalog"`
	File    string         `yaml:"-" json:"file"`
	Line    int            `yaml:"-" json:"line"`
	lines   map[string]int // line of each field, for precise problems
}

// Option is one answer of a single or multiple choice question.
type Option struct {
	ID    string `yaml:"id" json:"id"`
	Label Text   `yaml:"label" json:"label"`
	Help  Text   `yaml:"help" json:"help,omitempty"`
	line  int
}

// Prefill maps a fact already recorded on a purchase (its technology kinds,
// its sector or its kind of relationship) to a suggested answer, so the screening starts filled in
// where the purchase record already says something. The person confirms it.
type Prefill struct {
	From string            `yaml:"from" json:"from"` // technology, sector or kind
	Map  map[string]string `yaml:"map" json:"map"`   // recorded value -> answer (yes/no or option id)
}

// fieldLine is the line of a field of the item, or of the item itself.
func (it *Item) fieldLine(field string) int {
	if l, ok := it.lines[field]; ok {
		return l
	}
	return it.Line
}

// Kinds the format knows. Adding a catalogue kind means adding it here and
// its required fields in lint.go.
var Kinds = []string{
	"instrument",  // a treaty, law or guidance document that items cite
	"right",       // a human right with its articles
	"principle",   // a principle or pillar grouping requirements
	"step",        // a due-diligence or assessment step
	"factor",      // a risk or severity factor
	"criterion",   // a quality or effectiveness criterion (AAAQ, UNGP 31)
	"prohibition", // a prohibited practice (AI Act Art. 5)
	"category",    // a classification such as an Annex III area
	"trigger",     // a circumstance that makes an assessment required
	"element",     // a required part of an assessment
	"requirement", // something a purchase must meet before leaving a stage
	"assessment",  // an assessment a screening can require (hria, fria, dpia...)
	"question",    // a screening question
	"rule",        // a scoring rule
	"conflict",    // screening answers that cannot both be true (refused, naming both questions)
	"clause",      // a contract clause or tender criterion
	"indicator",   // a monitoring indicator
	"date",        // a dated legal event: entry into force, date of application
	"dd_question", // a question of the supplier due-diligence questionnaire, answered in the supplier's own words
}

// Parts of a tender pack a clause item belongs to: selection criteria, award
// criteria (with a weight), technical specifications, contract clauses.
var Parts = []string{"selection", "award", "specification", "clause"}

// PartOf is the part of a tender pack a clause item belongs to.
func (it *Item) PartOf() string {
	if it.Part == "" {
		return "clause"
	}
	return it.Part
}

// DDParts are the parts of the supplier questionnaire: the company's own
// due diligence, answered once and reused across purchases, and its due
// diligence on the State as the client of one purchase.
var DDParts = []string{"supplier", "state"}

// DDPrefix starts every supplier question's id; its answer is kept under
// the rest of the id.
const DDPrefix = "sdd-"

// Question types.
var QuestionTypes = []string{"yes_no", "single", "multiple", "number", "text"}

// Stages a requirement can be tied to, as used by the purchase lifecycle.
var Stages = []string{"planning", "market_engagement", "tender_design", "award", "contract", "implementation", "renewal_exit", "closed"}

// Purchase facts a question may prefill from.
var (
	TechnologyKinds   = []string{"automated_decisions", "biometrics", "surveillance", "data_platform", "digital_identity", "apps", "hardware", "goods", "services"}
	Sectors           = []string{"social_protection", "health", "education", "justice", "policing", "migration", "city_services", "identity", "tax", "employment", "housing", "other"}
	RelationshipKinds = []string{"purchase", "licence", "partnership", "data_sharing", "donation"}
)

// Option returns the option with id, if the item is a choice question.
func (it *Item) Option(id string) (Option, bool) {
	for _, o := range it.Options {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}
