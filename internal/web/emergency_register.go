package web

import (
	"net/http"
	"strconv"
	"time"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The public register of emergency measures: what bodies adopted under
// emergency powers and published, the legal act each rests on, its sunset
// date and status, and every continuation with its new legal basis; and
// how many emergency measures each body registered without publishing.

type emergencyRow struct {
	store.EmergencyMeasure
	Status     string // in_force, past_sunset, ending, ended
	PastSunset bool
}

type emergencyRegisterPage struct {
	Rows   []emergencyRow
	Hidden []store.EmergencyUnpublished
	Today  model.Date
}

// emergencyStatus says where a measure stands: in force until its sunset,
// past it while still open (which should not last), being wound down
// (renewal or exit), or ended (closed or cancelled).
func emergencyStatus(p *model.Purchase, today model.Date) string {
	switch {
	case p.Stage == model.StageClosed || p.Stage == model.StageCancelled:
		return "ended"
	case p.Stage == model.StageRenewalExit:
		if lifecycle.PastSunset(p, today) {
			return "past_sunset_ending"
		}
		return "ending"
	case lifecycle.PastSunset(p, today):
		return "past_sunset"
	}
	return "in_force"
}

func (s *Server) emergencyRegisterData(r *http.Request) (*emergencyRegisterPage, error) {
	list, hidden, err := s.db.EmergencyRegister(r.Context())
	if err != nil {
		return nil, err
	}
	d := &emergencyRegisterPage{Hidden: hidden, Today: model.DateOf(s.now())}
	for _, m := range list {
		d.Rows = append(d.Rows, emergencyRow{EmergencyMeasure: m, Status: emergencyStatus(m.Purchase, d.Today), PastSunset: lifecycle.PastSunset(m.Purchase, d.Today)})
	}
	return d, nil
}

func (s *Server) emergencyRegister(w http.ResponseWriter, r *http.Request) error {
	d, err := s.emergencyRegisterData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "emergency_register", "emreg.title", d)
}

type emergencyJSON struct {
	ID            int64                `json:"id"`
	URL           string               `json:"url"`
	Title         string               `json:"title"`
	Organisation  string               `json:"organisation"`
	Adopted       string               `json:"what_was_adopted"`
	LegalAct      string               `json:"legal_act"`
	SunsetDate    string               `json:"sunset_date"`
	Status        string               `json:"status"`
	PastSunset    bool                 `json:"past_sunset"`
	Stage         string               `json:"stage"`
	Continuations []recordContinuation `json:"extensions"`
}

func (s *Server) emergencyRegisterJSON(w http.ResponseWriter, r *http.Request) error {
	d, err := s.emergencyRegisterData(r)
	if err != nil {
		return err
	}
	out := struct {
		Measures    []emergencyJSON              `json:"measures"`
		Unpublished []store.EmergencyUnpublished `json:"unpublished_by_body"`
	}{Measures: []emergencyJSON{}, Unpublished: d.Hidden}
	for _, row := range d.Rows {
		p := row.Purchase
		m := emergencyJSON{ID: p.ID, URL: "/register/" + strconv.FormatInt(p.ID, 10), Title: p.Title, Organisation: p.OrgName, Adopted: p.Purpose,
			LegalAct: p.LegalBasis, SunsetDate: p.SunsetDate.String(), Status: row.Status, PastSunset: row.PastSunset, Stage: string(p.Stage),
			Continuations: []recordContinuation{}}
		for _, c := range row.Continuations {
			m.Continuations = append(m.Continuations, recordContinuation{DecidedAt: c.DecidedAt.UTC().Format(time.RFC3339), OldSunset: c.OldSunset.String(),
				NewSunset: c.NewSunset.String(), OldLegalBasis: c.OldLegalBasis, LegalBasis: c.LegalBasis, Reason: c.Reason,
				ScreenedAt: c.ScreenedAt.UTC().Format(time.RFC3339), ScreeningLevel: c.ScreeningLevel})
		}
		out.Measures = append(out.Measures, m)
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return writeJSON(w, http.StatusOK, out)
}
