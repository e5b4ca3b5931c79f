package web

import (
	"net/http"
	"sort"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/opinion"
	"buyright/internal/store"
)

// An oversight body's opinion settings (/oversight/opinions): the rules by
// which it asks for its opinion on the purchases in its remit, and the
// opinions it owes now with their time limits. And a public body's
// accountable heads (/admin/accountable-heads), designated by its
// administrators.

type opinionSettingsData struct {
	Rules     []opinion.Rule
	Owed      []store.OwedOpinion
	Decisions []store.ProceededDecision // decisions to go on after the body's unfavourable opinions
	CanSet    bool
	Form      *formState
	ErrList   []errItem
	Levels    []int
	Techs     []model.Technology
	Sectors   []model.Sector
	Befores   []model.Stage
	MaxDays   int
	Today     model.Date
	OrgName   string
	RetiredNo int
}

func (s *Server) opinionSettingsPage(w http.ResponseWriter, r *http.Request, status int, form *formState) error {
	u, err := acrossBodies(r)
	if err != nil {
		return err
	}
	d := &opinionSettingsData{CanSet: access.CanSetOpinionRules(u), Levels: []int{1, 2, 3, 4}, Techs: model.Technologies,
		Sectors: model.Sectors, MaxDays: opinion.MaxDays, Today: model.DateOf(s.now()), OrgName: u.Org.Name, Form: form}
	for _, st := range model.Stages[1:] {
		if st != model.StageClosed {
			d.Befores = append(d.Befores, st)
		}
	}
	if d.Form == nil {
		d.Form = &formState{Key: "rule", Values: map[string]string{"before": string(model.StageTenderDesign), "days": "30"}, Errors: map[string]string{}}
	}
	for k, v := range d.Form.Errors {
		d.ErrList = append(d.ErrList, errItem{Href: "#f-rule-" + k, Label: "opinion.field." + k, Msg: v})
	}
	sortErrs(d.ErrList)
	if d.Rules, err = s.db.OpinionRules(r.Context(), u.OrgID); err != nil {
		return err
	}
	for _, x := range d.Rules {
		if x.Retired() {
			d.RetiredNo++
		}
	}
	if d.Owed, err = s.db.OwedOpinions(r.Context(), u); err != nil {
		return err
	}
	if d.Decisions, err = s.db.DecisionsAgainst(r.Context(), u.OrgID); err != nil {
		return err
	}
	return s.render(w, r, status, "oversight_opinions", "opinion.settings_title", d)
}

func (s *Server) opinionSettings(w http.ResponseWriter, r *http.Request) error {
	return s.opinionSettingsPage(w, r, http.StatusOK, nil)
}

func (s *Server) opinionRuleAdd(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanSetOpinionRules(u) {
		return model.Forbidden()
	}
	typed := map[string]string{}
	for _, k := range []string{"min_level", "technology", "sector", "before", "days"} {
		typed[k] = r.PostFormValue(k)
	}
	fe := model.FieldErrors{}
	rule := &opinion.Rule{Technology: model.Technology(typed["technology"]), Sector: model.Sector(typed["sector"]), Before: model.Stage(typed["before"])}
	var err error
	if typed["min_level"] != "" {
		if rule.MinLevel, err = strconv.Atoi(typed["min_level"]); err != nil {
			fe.Add("min_level", "invalid.choice")
		}
	}
	if rule.Days, err = strconv.Atoi(typed["days"]); err != nil {
		fe.Add("days", "opinion.days_range")
	}
	if len(fe) == 0 {
		if err := s.db.AddOpinionRule(r.Context(), store.ActorOf(u), u, rule); err != nil && !mergeErrors(fe, err) {
			return err
		}
	}
	if len(fe) > 0 {
		return s.opinionSettingsPage(w, r, http.StatusUnprocessableEntity, &formState{Key: "rule", Values: typed, Errors: fe})
	}
	http.Redirect(w, r, "/oversight/opinions?done=saved#rules", http.StatusSeeOther)
	return nil
}

func (s *Server) opinionRuleRetire(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanSetOpinionRules(u) {
		return model.Forbidden()
	}
	id, err := strconv.ParseInt(r.PathValue("rule"), 10, 64)
	if err != nil {
		return model.NotFound("opinion rule")
	}
	if err := s.db.RetireOpinionRule(r.Context(), store.ActorOf(u), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/oversight/opinions?done=saved#rules", http.StatusSeeOther)
	return nil
}

type headRow struct {
	User     *model.User
	Eligible bool
	Head     bool
	Since    string
}

type headsData struct {
	OrgName string
	People  []headRow
}

func (s *Server) headsView(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanDesignateHeads(u) {
		return model.Forbidden()
	}
	heads, err := s.db.AccountableHeads(r.Context(), u.OrgID)
	if err != nil {
		return err
	}
	people, err := s.db.Users(r.Context(), u.OrgID)
	if err != nil {
		return err
	}
	d := &headsData{OrgName: u.Org.Name}
	for _, x := range people {
		x.Org = u.Org
		h, isHead := heads[x.ID]
		row := headRow{User: x, Eligible: access.CanBeHead(x), Head: isHead}
		if isHead {
			row.Since = model.DateOf(h.DesignatedAt).String()
		}
		d.People = append(d.People, row)
	}
	return s.render(w, r, http.StatusOK, "accountable_heads", "opinion.heads_title", d)
}

// headsSave designates one person accountable head, or ends it.
func (s *Server) headsSave(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanDesignateHeads(u) {
		return model.Forbidden()
	}
	id, err := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	if err != nil {
		return model.FieldErrors{"user_id": "invalid.choice"}.Err()
	}
	if err := s.db.DesignateHead(r.Context(), store.ActorOf(u), u, id, r.PostFormValue("designate") == "yes"); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/accountable-heads?done=saved", http.StatusSeeOther)
	return nil
}

// sortErrs puts a form's problems in a stable order.
func sortErrs(es []errItem) {
	sort.Slice(es, func(i, j int) bool { return es[i].Href < es[j].Href })
}
