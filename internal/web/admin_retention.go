package web

import (
	"errors"
	"net/http"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/retention"
	"buyright/internal/store"
)

// The retention schedule page: for each kind of record, the period in
// force, the bounds the catalogue allows and why, and a form to change it.

type retentionRow struct {
	Kind    retention.Kind
	Setting store.RetentionSetting
	Value   string // what was typed, when it came back refused
	Error   string // the refusal, in the reader's language
}

type retentionPage struct {
	Rows  []retentionRow
	Fixed []retention.Fixed
	// Refused is the kind whose setting came back, for the summary.
	Refused string
}

func (s *Server) retentionAdminPage(w http.ResponseWriter, r *http.Request, status int, refusedKind, typed, refusal string) error {
	sched, err := s.db.RetentionSchedule(r.Context())
	if err != nil {
		return err
	}
	d := &retentionPage{Fixed: retention.Default.Fixed}
	for _, st := range sched {
		k, _ := retention.Default.Kind(st.Kind)
		row := retentionRow{Kind: k, Setting: st}
		if st.Kind == refusedKind {
			row.Value, row.Error = typed, refusal
		}
		d.Rows = append(d.Rows, row)
	}
	if refusal != "" {
		d.Refused = refusedKind
	}
	return s.render(w, r, status, "admin_retention", "retention.title", d)
}

func (s *Server) retentionAdmin(w http.ResponseWriter, r *http.Request) error {
	if !access.CanAdminSite(currentUser(r)) {
		return model.Forbidden()
	}
	return s.retentionAdminPage(w, r, http.StatusOK, "", "", "")
}

// retentionSet changes one kind's period. A number outside the
// catalogue's bounds comes back on the page with the bound it crossed and
// what was typed.
func (s *Server) retentionSet(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanAdminSite(u) {
		return model.Forbidden()
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "retention.not_days", "the form could not be read")
	}
	kind := r.PostFormValue("kind")
	typed := model.CleanLine(r.PostFormValue("days"))
	if _, ok := retention.Default.Kind(kind); !ok {
		return model.Errorf(model.EInvalid, "retention.unknown_kind", "unknown kind of record")
	}
	cat := s.catalog(r)
	days, err := retention.Default.ParseDays(kind, typed)
	if err == nil {
		err = s.db.SetRetention(r.Context(), store.ActorOf(u), kind, days)
		if err != nil && !errors.As(err, new(*retention.OutOfBounds)) {
			return err
		}
	}
	if err != nil {
		refusal := cat.T("retention.not_days")
		var oob *retention.OutOfBounds
		if errors.As(err, &oob) && oob.Below {
			refusal = cat.T("retention.below_min", oob.Bound)
		} else if errors.As(err, &oob) {
			refusal = cat.T("retention.above_max", oob.Bound)
		}
		return s.retentionAdminPage(w, r, http.StatusUnprocessableEntity, kind, typed, refusal)
	}
	http.Redirect(w, r, "/admin/retention?done=saved", http.StatusSeeOther)
	return nil
}
