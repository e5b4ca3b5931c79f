package screening

import (
	"fmt"
	"sort"

	"buyright/internal/catalog"
)

// Score evaluates an answer set (as returned by Normalize or ParseAnswers).
// The level is the highest any fired rule raises, from I when none fires;
// an incomplete set is scored as far as it goes and marked incomplete. A
// complete result also says which single answers would lower it.
func (q *Questionnaire) Score(a Answers) Result {
	r := q.score(a)
	if r.Complete() {
		r.Changes = q.changes(a, r)
	}
	return r
}

func (q *Questionnaire) score(a Answers) Result {
	v := q.view(a)
	r := Result{
		Level:               1,
		Reasons:             []Reason{},
		Assessments:         []string{},
		RequirementsByStage: map[string][]string{},
		CatalogHash:         q.set.Hash(),
		CatalogVersions:     q.set.Versions(),
	}
	for _, it := range q.questions {
		_, answered := a[it.ID]
		switch vis := v.visible(it.ID); {
		case vis && !answered && !it.Optional:
			r.Missing = append(r.Missing, it.ID)
		case !vis && answered:
			r.Ignored = append(r.Ignored, it.ID)
		}
	}
	r.Status = StatusComplete
	if len(r.Missing) > 0 {
		r.Status = StatusIncomplete
	}

	assess := map[string]bool{}
	for _, rule := range q.rules {
		ok, cited := v.eval(rule.When)
		if !ok {
			continue
		}
		reason := Reason{Rule: rule.ID, Text: rule.Title.In("en"), Answers: cited,
			Level: rule.Raise, Assess: rule.Assess, Stop: rule.Stop, Refs: refStrings(rule.Refs)}
		if reason.Answers == nil {
			reason.Answers = []Cited{}
		}
		r.Reasons = append(r.Reasons, reason)
		if rule.Raise > r.Level {
			r.Level = rule.Raise
		}
		for _, id := range rule.Assess {
			assess[id] = true
		}
		if rule.Stop {
			r.Stop = true
			r.StopReasons = append(r.StopReasons, reason)
		}
	}
	// Assessments required from a level on, whatever the rules said.
	for _, as := range q.assessments {
		if as.Level > 0 && r.Level >= as.Level && !assess[as.ID] {
			assess[as.ID] = true
			r.Reasons = append(r.Reasons, Reason{Rule: as.ID,
				Text:    fmt.Sprintf("%s is required from impact level %s", as.Title.In("en"), LevelName(as.Level)),
				Answers: []Cited{}, Assess: []string{as.ID}, Refs: refStrings(as.Refs)})
		}
	}
	for _, as := range q.assessments { // catalogue order, stable output
		if assess[as.ID] {
			r.Assessments = append(r.Assessments, as.ID)
		}
	}
	for i := range r.Reasons {
		rs := &r.Reasons[i]
		rs.Decisive = rs.Stop || (rs.Level == r.Level && r.Level > 1)
	}
	sort.SliceStable(r.Reasons, func(i, j int) bool {
		if r.Reasons[i].Stop != r.Reasons[j].Stop {
			return r.Reasons[i].Stop
		}
		return r.Reasons[i].Level > r.Reasons[j].Level
	})
	r.LevelName = LevelName(r.Level)
	r.RequirementsByStage = q.requirementsFor(v, r.Level, assess)
	return r
}

// requirementsFor picks the requirements this level, these answers and
// these assessments make mandatory, grouped by the stage they gate.
func (q *Questionnaire) requirementsFor(v *view, level int, assess map[string]bool) map[string][]string {
	out := map[string][]string{}
	for _, req := range q.requirements {
		if req.Level == 0 || level < req.Level {
			continue
		}
		if req.When != nil {
			if ok, _ := v.eval(req.When); !ok {
				continue
			}
		}
		if len(req.IfAssessment) > 0 && !anyOf(req.IfAssessment, assess) {
			continue
		}
		out[req.Stage] = append(out[req.Stage], req.ID)
	}
	return out
}

func anyOf(ids []string, set map[string]bool) bool {
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}

func refStrings(refs []catalog.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.String()
	}
	return out
}
