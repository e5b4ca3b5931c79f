package screening

// Result is what a screening yields. It is plain data so it can be stored
// with a signed-off assessment and printed as JSON.
type Result struct {
	// Status is "complete" when every visible question that is not optional
	// has an answer, otherwise "incomplete": the result is then a draft that
	// must not pass a gate, however low its level.
	Status  string   `json:"status"`
	Missing []string `json:"missing,omitempty"` // visible questions still unanswered
	Ignored []string `json:"ignored,omitempty"` // answers to questions hidden by other answers

	Level     int      `json:"level"`      // impact level 1-4; for a draft, the level reached so far
	LevelName string   `json:"level_name"` // I, II, III or IV
	Reasons   []Reason `json:"reasons"`    // every rule that fired, strongest first; Decisive marks those that set the level

	// Changes lists the single answers that, given instead, would lower the
	// level or lift the stop (empty for a draft, or when no one answer
	// would). They show a person which answers the result rests on.
	Changes []Change `json:"changes,omitempty"`

	Assessments []string `json:"assessments"` // ids of required assessments, e.g. hria, fria, dpia

	Stop        bool     `json:"stop"` // an AI Act prohibited practice is likely: do not proceed
	StopReasons []Reason `json:"stop_reasons,omitempty"`

	// RequirementsByStage lists, per lifecycle stage, the ids of the
	// requirements this result makes mandatory before the purchase may leave
	// that stage.
	RequirementsByStage map[string][]string `json:"requirements_by_stage"`

	CatalogHash     string            `json:"catalog_hash"`
	CatalogVersions map[string]string `json:"catalog_versions"`
}

// Reason is one fired rule: what it says, the answers that fired it and
// what it raised.
type Reason struct {
	Rule    string   `json:"rule"`
	Text    string   `json:"text"`
	Answers []Cited  `json:"answers"`
	Level   int      `json:"level,omitempty"`  // the level the rule raises to
	Assess  []string `json:"assess,omitempty"` // assessments it makes required
	Stop    bool     `json:"stop,omitempty"`
	Refs    []string `json:"refs"`
	// Decisive is true for the reasons that set the result: a rule that
	// raised the level to the level reached (above I), or a stop. Results
	// stored before this field existed read it as false everywhere.
	Decisive bool `json:"decisive,omitempty"`
}

// Change is one answer that, given instead of the current one, would lower
// the level or lift the stop, everything else staying as answered.
type Change struct {
	Question  string `json:"question"`
	From      any    `json:"from"`
	To        any    `json:"to"`
	Level     int    `json:"level"`
	LevelName string `json:"level_name"`
	Stop      bool   `json:"stop"`
	Text      string `json:"text"` // in English, with question and option ids
}

// Complete reports whether the result may be relied on.
func (r Result) Complete() bool { return r.Status == StatusComplete }

// Result statuses.
const (
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
)

// LevelName writes an impact level as the Roman numeral people read.
func LevelName(level int) string {
	switch level {
	case 1:
		return "I"
	case 2:
		return "II"
	case 3:
		return "III"
	case 4:
		return "IV"
	}
	return ""
}
