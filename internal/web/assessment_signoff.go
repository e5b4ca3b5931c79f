package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/evidence"
	"buyright/internal/model"
	"buyright/internal/store"
)

// elementGroups builds the DPIA and FRIA sections: shown when the
// screening requires them or when something was already written.
func elementGroups(set *catalog.Set, d *assessment.Doc, sc *store.Screening, lang string) []elementGroup {
	var out []elementGroup
	for _, a := range []string{"dpia", "fria"} {
		g := elementGroup{Assessment: a, Title: itemTitle(set, a, lang), Written: d.Written(assessment.ElementIDs(set, a))}
		if sc != nil {
			g.Required = assessment.Requires(sc.Result, a)
		}
		any := false
		for _, id := range assessment.ElementIDs(set, a) {
			it, _ := set.Item(id)
			ev := elementView{ID: id, Title: it.Title.In(lang), Text: it.Text.In(lang)}
			for _, r := range it.Refs {
				ev.Refs = append(ev.Refs, r.String())
			}
			if d.Elements[id] != "" {
				any = true
			}
			g.Elements = append(g.Elements, ev)
		}
		if g.Required || any {
			out = append(out, g)
		}
	}
	return out
}

// signOffStatuses says how every requirement stands now, and how it would
// stand once the draft v is signed off (the sign-off itself meets the
// requirements of a signed assessment, and of a DPIA or FRIA whose
// sections it writes in full).
func (s *Server) signOffStatuses(ctx context.Context, p *model.Purchase, v *store.AssessmentVersion, set *catalog.Set, lang string) (now []reqStatus, after []evidence.Row, err error) {
	f, err := s.db.RequirementFacts(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	f.Cover(set)
	now = statusesOf(set, f, p, lang)
	if v == nil || v.Signed() {
		return now, evidence.Rows(set, f, p.Stage), nil
	}
	return now, evidence.Rows(set, f.SignedNow(v.Version, assessment.WrittenIn(set, &v.Doc)), p.Stage), nil
}

// assessmentSignOff freezes the current draft. Only an approver may. A
// level III or IV assessment needs a held meeting with the people affected
// or a reason why there was none; every requirement due by the purchase's
// stage must be met, or carry the approver's reason for signing off
// without it (exc_<requirement id>), which the version keeps.
func (s *Server) assessmentSignOff(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.SignOff)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return model.NotFound("assessment version")
	}
	review := r.PostFormValue("review_date")
	f := &formState{Key: "signoff", Values: map[string]string{"review_date": review}}
	for k, v := range r.PostForm {
		if len(k) > 4 && k[:4] == "exc_" && len(v) > 0 {
			f.Values[k] = v[0]
		}
	}
	ctx := r.Context()
	sc, err := s.db.Screening(ctx, p.ID)
	if err != nil {
		return err
	}
	set, _ := s.dd.current()
	lang := langOf(r, s)
	u := currentUser(r)
	err = s.db.SignOffAssessment(ctx, store.ActorOf(u), p, n, review, func(v *store.AssessmentVersion) ([]byte, []string, error) {
		if sc == nil || !sc.Result.Complete() {
			return nil, nil, model.FieldErrors{"signoff": "assessment.signoff_needs_screening"}.Err()
		}
		if k := v.Doc.SignOffProblem(sc.Result.Level); k != "" {
			return nil, nil, model.FieldErrors{"signoff": k}.Err()
		}
		_, after, err := s.signOffStatuses(ctx, p, v, set, lang)
		if err != nil {
			return nil, nil, err
		}
		fe := model.FieldErrors{}
		exc := map[string]string{}
		for _, rq := range evidence.UnmetDue(after) {
			reason := model.CleanText(r.PostFormValue("exc_" + rq.ID))
			switch {
			case len([]rune(reason)) < 20:
				fe.Add("exc_"+rq.ID, "assessment.exception_needed")
			case model.TooLong(reason, 5000):
				fe.Add("exc_"+rq.ID, "invalid.too_long")
			default:
				exc[rq.ID] = reason
			}
		}
		if len(fe) > 0 {
			return nil, nil, fe.Err()
		}
		v.Doc.SignOffExceptions = exc
		covers := assessment.WrittenIn(set, &v.Doc)
		res := sc.Result
		snap := assessment.Freeze(set, v.Doc, sc.Answers, &res)
		snap.PurchaseID, snap.PurchaseTitle, snap.Version = p.ID, p.Title, v.Version
		snap.SignedBy, snap.SignedAt, snap.ReviewDate = v.SignedName, v.SignedAt, review
		snap.Covers = covers
		snap.Statuses = evidence.Freeze(after, exc)
		b, err := json.Marshal(snap)
		return b, covers, err
	})
	if err != nil {
		var e *model.Error
		if errors.As(err, &e) && len(e.Fields) > 0 {
			return s.refuse(w, r, p, rel, f, e.Fields, http.StatusUnprocessableEntity)
		}
		if errors.As(err, &e) && e.Code == model.EConflict {
			return s.refuse(w, r, p, rel, f, model.FieldErrors{"signoff": e.Key}, http.StatusConflict)
		}
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/assessment?step=summary&done=saved#versions", p.ID), http.StatusSeeOther)
	return nil
}
