package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/relationship"
	"buyright/internal/screening"
	"buyright/internal/store"
)

// questionView is one screening question as the form shows it.
type questionView struct {
	ID, Type, Title, Help string
	Options               []optionView
	Value                 string          // yes_no, single, number, text
	Checked               map[string]bool // multiple
	Optional              bool
	Missing               bool
	Error                 string
	Conflict              string // the rule two answers break, when Error is screening.conflict
	ConflictWith          string // the title of the other question
	Suggested             bool   // the value is a prefill from the purchase record
	FromRecord            bool   // the answer is the purchase record's and is changed there
}

type optionView struct{ ID, Label, Help string }

type citedView struct{ Question, Answer string }

type reasonView struct {
	Rule, Text string
	Level      string
	Stop       bool
	Decisive   bool
	Answers    []citedView
	Refs       []string
}

// changeView is one answer that would lower the level or lift the stop,
// in the reader's words.
type changeView struct {
	Question, From, To string
	Level              string
	Stop, Lifts, Lower bool
}

type reqView struct {
	ID, Title, Text, Status string
	Satisfied               bool
}

type stageReqs struct {
	Stage model.Stage
	Reqs  []reqView
}

type screeningData struct {
	P           *model.Purchase
	CanEdit     bool
	CanAssess   bool
	CanSignOff  bool // an approver may sign off a complete screening
	Questions   []questionView
	Errors      map[string]string
	Saved       *store.Screening
	Result      *screening.Result
	Reasons     []reasonView // every reason, strongest first
	Stops       []reasonView
	Decisive    []reasonView // the reasons that set the level or the stop
	Others      []reasonView // the other reasons that fired
	Changes     []changeView
	Assessments []string // titles
	Stages      []stageReqs
	Missing     []string // titles of unanswered questions
	Prefilled   bool
	OldCatalog  bool // the saved result was scored against another catalogue
}

func (s *Server) screeningView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	saved, err := s.db.Screening(r.Context(), p.ID)
	if err != nil {
		return err
	}
	_, q := s.dd.current()
	answers := screening.Answers{}
	prefilled := false
	if saved != nil {
		answers = lenientAnswers(q, saved.Answers)
	} else {
		techs := make([]string, len(p.Technologies))
		for i, t := range p.Technologies {
			techs[i] = string(t)
		}
		answers = q.Prefill(techs, string(p.Sector), string(p.Kind.Or()))
		prefilled = len(answers) > 0
	}
	// The kind of relationship is the record's, whatever was saved.
	answers[relationship.Question] = string(p.Kind.Or())
	d, err := s.screeningPage(r, p, rel, q, answers, nil, saved)
	if err != nil {
		return err
	}
	d.Prefilled = prefilled
	if prefilled {
		for i := range d.Questions {
			if _, ok := answers[d.Questions[i].ID]; ok && !d.Questions[i].FromRecord {
				d.Questions[i].Suggested = true
			}
		}
	}
	return s.render(w, r, http.StatusOK, "screening", "screening.title", d)
}

// screeningSave stores the answers, scores them and shows the form again,
// now with the questions the new answers make relevant.
func (s *Server) screeningSave(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the form could not be read")
	}
	saved, err := s.db.Screening(r.Context(), p.ID)
	if err != nil {
		return err
	}
	_, q := s.dd.current()
	prev := map[string]any{}
	if saved != nil {
		prev = saved.Answers
	}
	raw, fe := readAnswers(q, r.PostForm)
	merged := map[string]any{}
	for k, v := range lenientAnswers(q, prev) {
		merged[k] = v
	}
	for _, id := range r.PostForm["shown"] {
		if _, ok := q.Question(id); !ok {
			continue
		}
		if v, ok := raw[id]; ok {
			merged[id] = v
		} else if _, bad := fe["q_"+id]; !bad {
			delete(merged, id)
		}
	}
	// The kind of relationship is not answered on this form: it is the
	// purchase record's, so the requirements of a licence or a partnership
	// apply exactly when the record says it is one.
	merged[relationship.Question] = string(p.Kind.Or())
	if len(fe) > 0 {
		d, err := s.screeningPage(r, p, rel, q, lenientAnswers(q, merged), fe, saved)
		if err != nil {
			return err
		}
		// Keep what was typed in the fields that were refused.
		for i := range d.Questions {
			qv := &d.Questions[i]
			if qv.Error != "" {
				qv.Value = r.PostFormValue("q_" + qv.ID)
			}
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "screening", "screening.title", d)
	}
	answers, err := q.Normalize(merged)
	if err != nil {
		return model.Errorf(model.EInvalid, "screening.answer_invalid", "an answer does not fit its question")
	}
	// Answers to questions the new answers no longer ask are dropped, not
	// stored: they would not count and would mislead a reader.
	answers = q.Prune(answers)
	if conflicts := q.Conflicts(answers); len(conflicts) > 0 {
		d, err := s.screeningPage(r, p, rel, q, answers, nil, saved)
		if err != nil {
			return err
		}
		markConflicts(d, q, conflicts, langOf(r, s))
		return s.render(w, r, http.StatusUnprocessableEntity, "screening", "screening.title", d)
	}
	res := q.Score(answers)
	if err := s.db.SaveScreening(r.Context(), store.ActorOf(currentUser(r)), p, answers, res); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/screening?done=saved#result", p.ID), http.StatusSeeOther)
	return nil
}

// markConflicts puts each contradiction on both questions it names, so a
// person sees it next to each answer and in the summary.
func markConflicts(d *screeningData, q *screening.Questionnaire, conflicts screening.AnswerErrors, lang string) {
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	title := func(id string) string {
		if it, ok := q.Question(id); ok {
			return it.Title.In(lang)
		}
		return id
	}
	for _, c := range conflicts {
		for _, pair := range [][2]string{{c.Question, c.With}, {c.With, c.Question}} {
			for i := range d.Questions {
				qv := &d.Questions[i]
				if pair[0] == "" || qv.ID != pair[0] || qv.Error != "" {
					continue
				}
				qv.Error, qv.Conflict, qv.ConflictWith = "screening.conflict", c.Msg, title(pair[1])
				d.Errors["q_"+qv.ID] = qv.Error
			}
		}
	}
}

// readAnswers reads the posted answers (fields q_<question id>) into the
// raw form Normalize takes, checking each on its own so every refused
// answer is named by its field. Only the questions the form showed are
// read; the caller decides what an absent answer means.
func readAnswers(q *screening.Questionnaire, form url.Values) (map[string]any, map[string]string) {
	raw := map[string]any{}
	fe := map[string]string{}
	seen := map[string]bool{}
	for _, id := range form["shown"] {
		it, ok := q.Question(id)
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		field := "q_" + id
		vals := form[field]
		var v any
		switch it.Type {
		case "multiple":
			if len(vals) == 0 {
				continue
			}
			list := make([]any, len(vals))
			for i, x := range vals {
				list[i] = x
			}
			v = list
		case "number":
			s := strings.TrimSpace(form.Get(field))
			if s == "" {
				continue
			}
			f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
			if err != nil {
				fe[field] = "screening.not_a_number"
				continue
			}
			v = f
		default:
			s := strings.TrimSpace(form.Get(field))
			if s == "" {
				continue
			}
			v = s
		}
		if _, err := q.Normalize(map[string]any{id: v}); err != nil {
			fe[field] = "screening.answer_invalid"
			continue
		}
		raw[id] = v
	}
	return raw, fe
}

// lenientAnswers keeps the stored answers that still fit the current
// questionnaire, so a catalogue change never makes a screening unreadable.
func lenientAnswers(q *screening.Questionnaire, stored map[string]any) screening.Answers {
	out := screening.Answers{}
	for id, v := range stored {
		if a, err := q.Normalize(map[string]any{id: fromStored(v)}); err == nil {
			for k, x := range a {
				out[k] = x
			}
		}
	}
	return out
}

// fromStored turns JSON-decoded lists of strings back into []any.
func fromStored(v any) any {
	if l, ok := v.([]string); ok {
		out := make([]any, len(l))
		for i, x := range l {
			out[i] = x
		}
		return out
	}
	return v
}

func (s *Server) screeningPage(r *http.Request, p *model.Purchase, rel access.Relation, q *screening.Questionnaire, answers screening.Answers, fe map[string]string, saved *store.Screening) (*screeningData, error) {
	u := currentUser(r)
	lang := langOf(r, s)
	set := q.Set()
	d := &screeningData{P: p, Errors: fe, Saved: saved,
		CanEdit:    access.Can(u, rel, access.Edit) && p.Stage.Open(),
		CanAssess:  access.Can(u, rel, access.ViewRecord),
		CanSignOff: access.Can(u, rel, access.SignOff) && p.Stage.Open()}
	missing := map[string]bool{}
	if saved != nil {
		for _, id := range saved.Result.Missing {
			missing[id] = true
		}
	}
	for _, it := range q.Visible(answers) {
		qv := questionView{ID: it.ID, Type: it.Type, Title: it.Title.In(lang), Help: it.Help.In(lang), Optional: it.Optional,
			Missing: missing[it.ID], Error: fe["q_"+it.ID], Checked: map[string]bool{}, FromRecord: it.ID == relationship.Question}
		for _, o := range it.Options {
			qv.Options = append(qv.Options, optionView{ID: o.ID, Label: o.Label.In(lang), Help: o.Help.In(lang)})
		}
		switch v := answers[it.ID].(type) {
		case string:
			qv.Value = v
		case float64:
			qv.Value = strconv.FormatFloat(v, 'f', -1, 64)
		case []string:
			for _, x := range v {
				qv.Checked[x] = true
			}
		}
		d.Questions = append(d.Questions, qv)
	}
	if saved == nil {
		return d, nil
	}
	res := saved.Result
	d.Result = &res
	rset := s.setFor(r.Context(), saved.CatalogHash)
	if rset == nil {
		rset, d.OldCatalog = set, true
	} else if rset != set {
		d.OldCatalog = true
	}
	for _, id := range res.Missing {
		d.Missing = append(d.Missing, itemTitle(rset, id, lang))
	}
	for _, rs := range res.Reasons {
		rv := explain(rset, rs, lang)
		if rs.Stop {
			d.Stops = append(d.Stops, rv)
		}
		d.Reasons = append(d.Reasons, rv)
		if rs.Decisive {
			d.Decisive = append(d.Decisive, rv)
		} else {
			d.Others = append(d.Others, rv)
		}
	}
	cat := s.catalog(r)
	yesNo := func(qid string, v any) string {
		if it, ok := rset.Item(qid); ok && it.Type == "yes_no" {
			if x, ok := v.(string); ok && (x == "yes" || x == "no") {
				return cat.T("screening." + x)
			}
		}
		return answerText(rset, qid, v, lang)
	}
	for _, c := range res.Changes {
		d.Changes = append(d.Changes, changeView{Question: itemTitle(rset, c.Question, lang),
			From: yesNo(c.Question, c.From), To: yesNo(c.Question, c.To),
			Level: c.LevelName, Stop: c.Stop, Lifts: res.Stop && !c.Stop, Lower: c.Level < res.Level})
	}
	for _, a := range res.Assessments {
		d.Assessments = append(d.Assessments, itemTitle(rset, a, lang))
	}
	statuses, _, err := s.requirementStatuses(r.Context(), p, lang)
	if err != nil {
		return nil, err
	}
	met := map[string]string{}
	for _, st := range statuses {
		if st.Met {
			met[st.ID] = "met"
		}
	}
	d.Stages = requirementsByStage(rset, res, met, lang)
	return d, nil
}

// explain turns a fired rule into words: its title in the reader's
// language and each answer that made it fire, with the question's words.
func explain(set *catalog.Set, rs screening.Reason, lang string) reasonView {
	rv := reasonView{Rule: rs.Rule, Text: rs.Text, Level: screening.LevelName(rs.Level), Stop: rs.Stop, Decisive: rs.Decisive, Refs: rs.Refs}
	if it, ok := set.Item(rs.Rule); ok && it.Kind == "rule" {
		rv.Text = it.Title.In(lang)
	}
	for _, c := range rs.Answers {
		rv.Answers = append(rv.Answers, citedView{Question: itemTitle(set, c.Question, lang), Answer: answerText(set, c.Question, c.Answer, lang)})
	}
	return rv
}

// answerText writes an answer with option labels in the reader's language.
func answerText(set *catalog.Set, qid string, v any, lang string) string {
	it, _ := set.Item(qid)
	label := func(id string) string {
		if it != nil {
			if o, ok := it.Option(id); ok {
				return o.Label.In(lang)
			}
		}
		return id
	}
	switch x := v.(type) {
	case string:
		return label(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = label(fmt.Sprint(e))
		}
		return strings.Join(parts, ", ")
	case []string:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = label(e)
		}
		return strings.Join(parts, ", ")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// requirementsByStage lists the result's requirements by stage; status
// says which are met ("met") so far.
func requirementsByStage(set *catalog.Set, res screening.Result, status map[string]string, lang string) []stageReqs {
	var out []stageReqs
	for _, st := range model.Stages {
		ids := res.RequirementsByStage[string(st)]
		if len(ids) == 0 {
			continue
		}
		sr := stageReqs{Stage: st}
		for _, id := range ids {
			rv := reqView{ID: id, Title: id, Status: status[id], Satisfied: status[id] == "met"}
			if it, ok := set.Item(id); ok {
				rv.Title, rv.Text = it.Title.In(lang), it.Text.In(lang)
			}
			sr.Reqs = append(sr.Reqs, rv)
		}
		out = append(out, sr)
	}
	return out
}
