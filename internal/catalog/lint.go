package catalog

import (
	"fmt"
	"strings"
	"time"
)

// lint checks the merged set: every item complete, referenced, translated as
// its file promises, and every id it names present with the right kind.
func (s *Set) lint(c *collector) {
	for _, cat := range s.catalogs {
		for _, it := range cat.Items {
			s.lintItem(it, c)
		}
	}
	s.lintCycles(c)
}

// onlyFor lists fields that belong to some kinds only; a field on the wrong
// kind is almost always a mistake that would otherwise be silently ignored.
var onlyFor = map[string][]string{
	"citation":      {"instrument"},
	"url":           {"instrument", "clause", "indicator"},
	"type":          {"question"},
	"options":       {"question"},
	"show_if":       {"question"},
	"optional":      {"question"},
	"min":           {"question", "indicator"},
	"max":           {"question", "indicator"},
	"prefill":       {"question"},
	"help":          {"question", "requirement", "element", "clause", "indicator", "dd_question"},
	"raise":         {"rule"},
	"assess":        {"rule"},
	"stop":          {"rule"},
	"when":          {"rule", "requirement", "clause", "question", "conflict"},
	"stage":         {"requirement", "element", "clause", "indicator", "step"},
	"level":         {"requirement", "assessment", "clause"},
	"if_assessment": {"requirement", "clause"},
	"assessment":    {"element", "requirement"},
	"check":         {"requirement"},
	"part":          {"clause", "dd_question"},
	"weight":        {"clause"},
	"technology":    {"clause"},
	"unit":          {"indicator"},
	"direction":     {"indicator"},
	"threshold":     {"indicator"},
	"by_group":      {"indicator"},
	"date":          {"date"},
	"as_of":         {"date"},
	"source":        {"date"},
}

// Checks are the facts buyright records itself and a requirement may name
// with check: so that it is computed from the record, never ticked: an
// approver's sign-off of the screening, a signed-off version of the
// human-rights assessment, a signed-off version whose DPIA or FRIA section
// is written, a meeting with the people affected recorded as held,
// monitoring values, a register entry, a recorded exit plan, the terms a
// relationship's kind needs written, a firewall rule recorded.
var Checks = []string{"screening_signed", "hria_signed", "dpia_signed", "fria_signed", "engagement_held", "monitoring_values", "published", "exit_plan",
	"relationship_terms", "firewall_recorded"}

// IndicatorUnits are the units an indicator may be measured in.
var IndicatorUnits = []string{"percent", "count", "days", "hours", "ratio", "score"}

func (s *Set) lintItem(it *Item, c *collector) {
	bad := func(field, format string, args ...any) {
		c.add(it.File, it.fieldLine(field), "%s: %s", it.ID, fmt.Sprintf(format, args...))
	}
	if !validID(it.ID) {
		bad("id", "id must start with a letter and use only letters, digits, - _ . (at most 64)")
	}
	if !contains(Kinds, it.Kind) {
		bad("kind", "unknown kind %q (known: %s)", it.Kind, strings.Join(Kinds, ", "))
		return
	}
	if it.Retire {
		bad("retire", "retire belongs only in an override of an existing item")
	}
	for field := range it.lines {
		if kinds, ok := onlyFor[field]; ok && !contains(kinds, it.Kind) {
			bad(field, "field %s is not used by kind %s (only by %s)", field, it.Kind, strings.Join(kinds, ", "))
		}
	}
	if it.Title["en"] == "" {
		bad("title", "title has no English text")
	}
	if it.Kind != "question" && it.Kind != "dd_question" && it.Kind != "rule" && it.Kind != "conflict" && it.Text["en"] == "" {
		bad("text", "text has no English text")
	}
	if it.Status != "" && it.Status != "unconfirmed" {
		bad("status", "status must be empty or \"unconfirmed\", not %q", it.Status)
	}
	s.lintRefs(it, bad)
	s.lintTranslations(it, bad)
	s.lintLinks(it, bad)
	switch it.Kind {
	case "question":
		s.lintQuestion(it, c, bad)
	case "rule":
		if it.When == nil {
			bad("when", "a rule needs when: the condition that fires it")
		}
		if it.Raise == 0 && len(it.Assess) == 0 && !it.Stop {
			bad("raise", "a rule must raise a level, require an assessment or stop")
		}
		if it.Raise < 0 || it.Raise > 4 {
			bad("raise", "raise must be an impact level from 1 to 4")
		}
	case "conflict":
		if it.When == nil {
			bad("when", "a conflict needs when: the answers that cannot both hold")
		} else if len(it.When.Questions()) == 0 {
			bad("when", "a conflict must name the questions whose answers clash")
		}
	case "requirement":
		if it.Stage == "" {
			bad("stage", "a requirement needs the stage it must be met in")
		}
	case "element":
		if it.Assessment == "" {
			bad("assessment", "an element needs the assessment it belongs to")
		}
	case "clause":
		lintClause(it, bad)
	case "date":
		lintDate(it, bad)
	case "dd_question":
		if it.Help["en"] == "" {
			bad("help", "a supplier question needs help text in English")
		}
		if !contains(DDParts, it.Part) {
			bad("part", "a supplier question needs part: %s", strings.Join(DDParts, " or "))
		}
		// The answer is stored under the id without the prefix, so the
		// prefix keeps these ids apart from the screening's questions.
		if !strings.HasPrefix(it.ID, DDPrefix) {
			bad("id", "a supplier question's id starts with %s", DDPrefix)
		}
	case "indicator":
		if !contains(IndicatorUnits, it.Unit) {
			bad("unit", "an indicator needs a unit (one of %s)", strings.Join(IndicatorUnits, ", "))
		}
		if it.Direction != "higher" && it.Direction != "lower" {
			bad("direction", "an indicator needs direction: higher or lower (which way is better)")
		}
		if it.Threshold != nil && ((it.Min != nil && *it.Threshold < *it.Min) || (it.Max != nil && *it.Threshold > *it.Max)) {
			bad("threshold", "the threshold lies outside min and max")
		}
	}
	if it.Check != "" && !contains(Checks, it.Check) {
		bad("check", "unknown check %q (known: %s)", it.Check, strings.Join(Checks, ", "))
	}
	if it.Stage != "" && !contains(Stages, it.Stage) {
		bad("stage", "unknown stage %q (known: %s)", it.Stage, strings.Join(Stages, ", "))
	}
	if it.Level < 0 || it.Level > 4 {
		bad("level", "level must be an impact level from 1 to 4")
	}
	for field, cond := range map[string]*Cond{"show_if": it.ShowIf, "when": it.When} {
		if cond != nil {
			s.lintCond(cond, func(line int, format string, args ...any) {
				c.add(it.File, line, "%s: %s: %s", it.ID, field, fmt.Sprintf(format, args...))
			})
		}
	}
}

func (s *Set) lintRefs(it *Item, bad func(string, string, ...any)) {
	if it.Kind == "instrument" {
		if it.Citation == "" {
			bad("citation", "an instrument needs its citation (official title and number)")
		}
		// One list of instruments: a reviewer checking what the catalogues
		// rest on reads one file, and an override adds to that file.
		if it.Catalog != InstrumentsCatalog {
			bad("kind", "an instrument belongs in the %s catalogue (a file with catalog: %s), not in %s", InstrumentsCatalog, InstrumentsCatalog, it.Catalog)
		}
		return
	}
	if len(it.Refs) == 0 {
		bad("refs", "no reference: every item names the instrument and article or principle it rests on")
	}
	for _, r := range it.Refs {
		inst, ok := s.items[r.Instrument]
		switch {
		case !ok:
			bad("refs", "unknown instrument %q in reference %q", r.Instrument, r.String())
		case inst.Kind != "instrument":
			bad("refs", "reference %q names %s, which is a %s, not an instrument", r.String(), r.Instrument, inst.Kind)
		}
	}
}

func (s *Set) lintTranslations(it *Item, bad func(string, string, ...any)) {
	// A key that is not a language usually means an unquoted comma split a
	// text in two; say so rather than lose half a sentence.
	texts := map[string]Text{"title": it.Title, "text": it.Text, "help": it.Help}
	for _, o := range it.Options {
		texts["options"+"\x00"+o.ID+" label"] = o.Label
		texts["options"+"\x00"+o.ID+" help"] = o.Help
	}
	for name, t := range texts {
		field, what, _ := strings.Cut(name, "\x00")
		if what == "" {
			what = field
		}
		for l := range t {
			if !knownLanguage(l) {
				bad(field, "%s has a key %q that is not a language (quote text that contains a comma)", what, l)
			}
		}
	}
	for lang, cov := range s.langs[it] {
		need := func(field string, t Text) {
			if len(t) > 0 && t[lang] == "" {
				bad(field, "%s has no %s translation", field, lang)
			}
		}
		// A title is needed in every declared language, even when empty in
		// English (that is reported on its own).
		if it.Title[lang] == "" && it.Title["en"] != "" {
			bad("title", "title has no %s translation", lang)
		}
		for _, o := range it.Options {
			if o.Label[lang] == "" {
				bad("options", "option %s label has no %s translation", o.ID, lang)
			}
		}
		if cov != CoverFull {
			continue
		}
		need("text", it.Text)
		need("help", it.Help)
		for _, o := range it.Options {
			if len(o.Help) > 0 && o.Help[lang] == "" {
				bad("options", "option %s help has no %s translation", o.ID, lang)
			}
		}
	}
}

func (s *Set) lintLinks(it *Item, bad func(string, string, ...any)) {
	want := func(field, id, kind string) {
		t, ok := s.items[id]
		switch {
		case !ok:
			bad(field, "%s names %q, which does not exist", field, id)
		case kind != "" && t.Kind != kind:
			bad(field, "%s names %q, which is a %s, not a %s", field, id, t.Kind, kind)
		}
	}
	if it.Parent != "" {
		want("parent", it.Parent, "")
	}
	for _, id := range it.Rights {
		want("rights", id, "right")
	}
	for _, id := range it.Answers {
		want("answers", id, "")
	}
	for _, id := range it.See {
		want("see", id, "")
	}
	for _, id := range it.Assess {
		want("assess", id, "assessment")
	}
	for _, id := range it.IfAssessment {
		want("if_assessment", id, "assessment")
	}
	if it.Assessment != "" {
		want("assessment", it.Assessment, "assessment")
	}
}

func (s *Set) lintQuestion(it *Item, c *collector, bad func(string, string, ...any)) {
	if !contains(QuestionTypes, it.Type) {
		bad("type", "type must be one of %s, not %q", strings.Join(QuestionTypes, ", "), it.Type)
		return
	}
	if it.Help["en"] == "" {
		bad("help", "a question needs help text in English")
	}
	choice := it.Type == "single" || it.Type == "multiple"
	if choice && len(it.Options) < 2 {
		bad("options", "a %s choice question needs at least two options", it.Type)
	}
	if !choice && len(it.Options) > 0 {
		bad("options", "a %s question has no options", it.Type)
	}
	ids := map[string]bool{}
	for _, o := range it.Options {
		at := func(format string, args ...any) {
			c.add(it.File, o.line, "%s: %s", it.ID, fmt.Sprintf(format, args...))
		}
		if !validID(o.ID) {
			at("option id %q must start with a letter and use only letters, digits, - _ .", o.ID)
		}
		if ids[o.ID] {
			at("duplicate option id %q", o.ID)
		}
		ids[o.ID] = true
		if o.Label["en"] == "" {
			at("option %s has no English label", o.ID)
		}
	}
	if (it.Min != nil || it.Max != nil) && it.Type != "number" {
		bad("min", "min and max are for number questions")
	}
	if it.Min != nil && it.Max != nil && *it.Min > *it.Max {
		bad("min", "min is above max")
	}
	if p := it.Prefill; p != nil {
		var known []string
		switch p.From {
		case "technology":
			known = TechnologyKinds
		case "sector":
			known = Sectors
		case "kind":
			known = RelationshipKinds
		default:
			bad("prefill", "prefill from must be technology, sector or kind, not %q", p.From)
		}
		for k, v := range p.Map {
			if known != nil && !contains(known, k) {
				bad("prefill", "prefill names unknown %s %q", p.From, k)
			}
			if err := answerValueOK(it, v); err != "" {
				bad("prefill", "prefill for %s: %s", k, err)
			}
		}
	}
}

// answerValueOK says what is wrong with v as a single answer value of q.
func answerValueOK(q *Item, v string) string {
	switch q.Type {
	case "yes_no":
		if v != "yes" && v != "no" {
			return fmt.Sprintf("%q is not yes or no", v)
		}
	case "single", "multiple":
		if _, ok := q.Option(v); !ok {
			return fmt.Sprintf("%q is not an option of %s", v, q.ID)
		}
	default:
		return fmt.Sprintf("a %s question cannot be compared with a value", q.Type)
	}
	return ""
}

// lintCond checks that a condition names existing questions and compares
// each with values its type can have.
func (s *Set) lintCond(cond *Cond, bad func(int, string, ...any)) {
	for _, sub := range cond.Subs {
		s.lintCond(sub, bad)
	}
	if cond.Q == "" {
		return
	}
	q, ok := s.items[cond.Q]
	if !ok || q.Kind != "question" {
		bad(cond.Line, "question %q does not exist", cond.Q)
		return
	}
	allowed := map[string][]string{
		"yes_no":   {"is", "in", "answered"},
		"single":   {"is", "in", "answered"},
		"multiple": {"has", "in", "answered"},
		"number":   {"gte", "lte", "answered"},
		"text":     {"answered"},
	}[q.Type]
	if !contains(allowed, cond.Op) {
		bad(cond.Line, "%s cannot be used on %s, a %s question (use %s)", cond.Op, cond.Q, q.Type, strings.Join(allowed, ", "))
		return
	}
	vals := cond.List
	if cond.Op == "is" || cond.Op == "has" {
		vals = []string{cond.Str}
	}
	for _, v := range vals {
		if msg := answerValueOK(q, v); msg != "" {
			bad(cond.Line, "%s", msg)
		}
	}
}

// lintCycles finds questions whose visibility depends on themselves, and
// parent chains that loop; either would make the questionnaire unusable.
func (s *Set) lintCycles(c *collector) {
	state := map[string]int{} // 0 unvisited, 1 on the path, 2 done
	var visit func(it *Item, path []string) bool
	visit = func(it *Item, path []string) bool {
		switch state[it.ID] {
		case 1:
			c.add(it.File, it.fieldLine("show_if"), "%s: cycle in show_if: %s", it.ID, strings.Join(append(path, it.ID), " -> "))
			return true
		case 2:
			return false
		}
		state[it.ID] = 1
		if it.ShowIf != nil {
			for _, q := range it.ShowIf.Questions() {
				if dep, ok := s.items[q]; ok && dep.Kind == "question" && visit(dep, append(path, it.ID)) {
					break
				}
			}
		}
		state[it.ID] = 2
		return false
	}
	for _, q := range s.OfKind("question") {
		visit(q, nil)
	}
	for _, cat := range s.catalogs {
		for _, it := range cat.Items {
			seen := map[string]bool{it.ID: true}
			for p := it.Parent; p != ""; {
				if seen[p] {
					c.add(it.File, it.fieldLine("parent"), "%s: cycle in parent: goes back to %s", it.ID, p)
					break
				}
				seen[p] = true
				next, ok := s.items[p]
				if !ok {
					break
				}
				p = next.Parent
			}
		}
	}
}

// lintClause checks the tender-pack fields of a clause or tender criterion.
func lintClause(it *Item, bad func(string, string, ...any)) {
	if it.Part != "" && !contains(Parts, it.Part) {
		bad("part", "part must be one of %s, not %q", strings.Join(Parts, ", "), it.Part)
	}
	switch {
	case it.Part == "award" && (it.Weight < 1 || it.Weight > 100):
		bad("weight", "an award criterion needs a weight from 1 to 100")
	case it.Part != "award" && it.Weight != 0:
		bad("weight", "only award criteria have a weight")
	}
	for _, k := range it.Technology {
		if !contains(TechnologyKinds, k) {
			bad("technology", "unknown technology kind %q (known: %s)", k, strings.Join(TechnologyKinds, ", "))
		}
	}
}

// InstrumentsCatalog is the catalogue every instrument is declared in.
const InstrumentsCatalog = "instruments"

// lintDate checks a dated legal event: both dates real, and the text it was
// read in named, so a reader can check it again when the law changes.
func lintDate(it *Item, bad func(string, string, ...any)) {
	for _, f := range []struct{ name, v string }{{"date", it.Date}, {"as_of", it.AsOf}} {
		if f.v == "" {
			bad(f.name, "a date needs %s (YYYY-MM-DD)", f.name)
			continue
		}
		if _, err := time.Parse(time.DateOnly, f.v); err != nil {
			bad(f.name, "%s %q is not a date written YYYY-MM-DD", f.name, f.v)
		}
	}
	if strings.TrimSpace(it.Source) == "" {
		bad("source", "a date needs source: the text it was read in")
	}
}

// Uncited reports each instrument of the set that no item cites, neither in
// the set nor among extra (items built in another set, such as the law
// map's questionnaire). An instrument nothing rests on is either dead
// weight or the sign that the items meant to cite it lost their reference.
// It is a separate check from Build because a set on its own cannot know
// every catalogue that cites it.
func (s *Set) Uncited(extra ...*Item) Problems {
	cited := map[string]bool{}
	note := func(it *Item) {
		for _, r := range it.Refs {
			cited[r.Instrument] = true
		}
	}
	for _, c := range s.catalogs {
		for _, it := range c.Items {
			note(it)
		}
	}
	for _, it := range extra {
		note(it)
	}
	c := &collector{}
	for _, it := range s.OfKind("instrument") {
		if !cited[it.ID] {
			c.add(it.File, it.Line, "%s: no item cites this instrument; cite it where it applies or retire it", it.ID)
		}
	}
	c.list.sort()
	return c.list
}
