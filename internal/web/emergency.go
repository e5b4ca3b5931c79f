package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/store"
)

// An emergency measure past its sunset cannot move on; this page says so
// and is where it is continued, on a new legal basis and a new screening,
// by an approver. Every continuation is listed here and on the public
// register entry. Whoever may see the purchase's record reads it.

type emergencyPage struct {
	P             *model.Purchase
	Today         model.Date
	PastSunset    bool
	Near          bool // within the window in which it may be continued
	CanContinue   bool
	Screening     *store.Screening
	Continuations []store.Continuation
	Form          map[string]string
	Errors        model.FieldErrors
	Window        int
}

func (s *Server) emergencyState(r *http.Request, p *model.Purchase, rel access.Relation) (*emergencyPage, error) {
	today := model.DateOf(s.now())
	d := &emergencyPage{P: p, Today: today, PastSunset: lifecycle.PastSunset(p, today), Window: store.ContinueWindow,
		Form: map[string]string{"legal_basis": "", "new_sunset": "", "reason": ""}}
	if !p.Emergency {
		return nil, model.NotFound("emergency measure")
	}
	d.Near = !p.SunsetDate.IsZero() && !today.AddDays(store.ContinueWindow).Before(p.SunsetDate)
	d.CanContinue = d.Near && p.Stage.Open() && access.Can(currentUser(r), rel, access.Override)
	var err error
	if d.Screening, err = s.db.Screening(r.Context(), p.ID); err != nil {
		return nil, err
	}
	if d.Continuations, err = s.db.Continuations(r.Context(), p.ID); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) emergencyContinue(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Override)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	c := &store.Continuation{LegalBasis: r.PostFormValue("legal_basis"), NewSunset: formDate(r, "new_sunset", fe), Reason: r.PostFormValue("reason")}
	if len(fe) == 0 {
		err = s.db.ContinueEmergency(r.Context(), store.ActorOf(currentUser(r)), p, c)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.emergencyState(r, p, rel)
		if err != nil {
			return err
		}
		for k := range d.Form {
			d.Form[k] = r.PostFormValue(k)
		}
		d.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "emergency", "sunset.title", d)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/emergency?done=saved", http.StatusSeeOther)
	return nil
}
