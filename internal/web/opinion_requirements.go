package web

import (
	"context"

	"buyright/internal/model"
)

// conditionStatuses lists the conditions of the oversight opinions in
// force on p as requirements, for the requirements page: each under its
// own id (OPN-<opinion>-<n>), at the stage whose exit checks it, met only
// by a file, a link or a statement someone vouched for.
func (s *Server) conditionStatuses(ctx context.Context, p *model.Purchase, lang string) ([]reqStatus, error) {
	f, err := s.db.OpinionFacts(ctx, p)
	if err != nil {
		return nil, err
	}
	cat := s.i18n.Catalog(lang)
	var out []reqStatus
	for _, c := range f.ConditionStatuses() {
		gate := c.Condition.Gate()
		out = append(out, reqStatus{
			ID: c.ID, Stage: gate, Status: c.Status, Condition: true,
			Title: cat.T("opinion.req_title", c.Condition.N, c.Opinion.OrgName, model.DateOf(c.Opinion.At).String()),
			Text:  c.Condition.Text,
			Due:   p.Stage.Index() >= gate.Index() || !p.Stage.Open(),
		})
	}
	return out, nil
}
