package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/tender"
)

type transitionData struct {
	P           *model.Purchase
	To          model.Stage
	Direction   lifecycle.Direction
	Results     []lifecycle.Result
	Failed      int
	Hard        int // failures no override can pass
	CanOverride bool
	Targets     []model.Stage // other moves on offer: back, cancel
	Reason      string
	Override    bool
	Errors      map[string]string
	Knowledge   *knowledgeData // peers' practices and the law for the stage being left
	// PastSunset: an emergency measure past its sunset, which no override
	// moves on; SunsetBlocks: this move is one it may not make.
	PastSunset   bool
	SunsetBlocks bool
}

// targetStage reads ?to= (or the posted to); the default is the next stage.
func targetStage(r *http.Request, p *model.Purchase) model.Stage {
	to := model.Stage(r.FormValue("to"))
	if to == "" {
		to = p.Stage.Next()
	}
	return to
}

func (s *Server) gateCheck(ctx context.Context, p *model.Purchase, to model.Stage) ([]lifecycle.Result, int, error) {
	res, err := s.gates.Evaluate(ctx, lifecycle.Subject{Purchase: p, From: p.Stage, To: to, Today: model.DateOf(s.now())})
	failed := 0
	for _, x := range res {
		if !x.Passed {
			failed++
		}
	}
	return res, failed, err
}

func (s *Server) transitionPage(w http.ResponseWriter, r *http.Request, status int, p *model.Purchase, to model.Stage, d *transitionData) error {
	u := currentUser(r)
	dir := lifecycle.Classify(p.Stage, to)
	if dir == lifecycle.Invalid {
		return model.Errorf(model.EInvalid, "transition.invalid", "this stage change is not possible")
	}
	res, failed, err := s.gateCheck(r.Context(), p, to)
	if err != nil {
		return err
	}
	// Rules name requirements in English, the language stored with
	// overrides; the page names them in the reader's language.
	set, _ := s.dd.current()
	lang := langOf(r, s)
	for i := range res {
		if it, ok := set.Item(strings.TrimPrefix(res[i].Rule, tender.RuleID+":")); ok {
			res[i].Title = it.Title.In(lang)
		}
	}
	d.P, d.To, d.Direction, d.Results, d.Failed, d.Hard = p, to, dir, res, failed, lifecycle.HardFailures(res)
	if dir == lifecycle.Forward {
		if d.Knowledge, err = s.stageKnowledge(r, lang, p, p.Stage); err != nil {
			return err
		}
	}
	d.CanOverride = access.Can(u, access.Owner, access.Override)
	today := model.DateOf(s.now())
	d.PastSunset, d.SunsetBlocks = lifecycle.PastSunset(p, today), !lifecycle.SunsetAllows(p, to, today)
	if d.SunsetBlocks {
		d.CanOverride = false
	}
	for _, st := range model.Stages {
		if st.Index() < p.Stage.Index() && lifecycle.SunsetAllows(p, st, today) {
			d.Targets = append(d.Targets, st)
		}
	}
	d.Targets = append(d.Targets, model.StageCancelled)
	return s.render(w, r, status, "transition", "transition.title", d)
}

func (s *Server) transitionForm(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Transition)
	if err != nil {
		return err
	}
	return s.transitionPage(w, r, http.StatusOK, p, targetStage(r, p), &transitionData{})
}

// transition moves a purchase. Gate rules are evaluated again on the
// server at the moment of the move, whatever the form showed; a failed gate
// passes only by an approver's override with a written reason.
func (s *Server) transition(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Transition)
	if err != nil {
		return err
	}
	u := currentUser(r)
	to := targetStage(r, p)
	d := &transitionData{Reason: model.CleanText(r.PostFormValue("reason")), Override: r.PostFormValue("override") == "yes", Errors: map[string]string{}}
	if v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64); err != nil || v != p.Version {
		d.Errors["_form"] = "error.stale"
		return s.transitionPage(w, r, http.StatusConflict, p, to, d)
	}
	m, fe, err := s.planMove(r.Context(), u, p, to, d.Reason, d.Override)
	if err != nil {
		return err
	}
	if len(fe) > 0 {
		d.Errors = fe
		return s.transitionPage(w, r, http.StatusUnprocessableEntity, p, to, d)
	}
	if err := s.db.Transition(r.Context(), store.ActorOf(u), p, m); err != nil {
		if model.ErrorCode(err) == model.EConflict {
			d.Errors["_form"] = "error.stale"
			return s.transitionPage(w, r, http.StatusConflict, p, to, d)
		}
		return err
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"?done=moved", http.StatusSeeOther)
	return nil
}

// planMove checks a requested move against the direction rules, the gates
// and the person's role; it returns the move to record or field problems.
// The web page and the API share it.
func (s *Server) planMove(ctx context.Context, u *model.User, p *model.Purchase, to model.Stage, reason string, override bool) (store.Move, model.FieldErrors, error) {
	fe := model.FieldErrors{}
	m := store.Move{To: to, Reason: reason}
	dir := lifecycle.Classify(p.Stage, to)
	if dir == lifecycle.Invalid {
		fe.Add("to", "transition.invalid")
		return m, fe, nil
	}
	if model.TooLong(reason, 5000) {
		fe.Add("reason", "invalid.too_long")
	}
	if lifecycle.NeedsReason(dir) && reason == "" {
		fe.Add("reason", "transition.reason_needed")
	}
	// Past its sunset an emergency measure only winds down: no override.
	if !lifecycle.SunsetAllows(p, to, model.DateOf(s.now())) {
		fe.Add("to", "sunset.err.past")
		return m, fe, nil
	}
	res, failed, err := s.gateCheck(ctx, p, to)
	if err != nil {
		return m, nil, err
	}
	if failed > 0 {
		switch {
		case lifecycle.HardFailures(res) > 0:
			fe.Add("override", "transition.hard_failed")
		case !override:
			fe.Add("override", "transition.gate_failed")
		case !access.Can(u, access.Owner, access.Override):
			fe.Add("override", "transition.override_role")
		case reason == "":
			fe.Add("reason", "transition.override_reason")
		}
		en := s.i18n.Catalog("en")
		m.Failed, m.Override = lifecycle.Failures(res, en.T), true
	}
	return m, fe, nil
}
