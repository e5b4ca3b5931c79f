package web

import (
	"context"
	"net/http"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/opinion"
	"buyright/internal/store"
)

// What the purchase page says of oversight opinions (where the next gate
// stands, the opinions in force), and what the public register entry
// shows: every opinion given or recorded as not given, and every decision
// to go on after an unfavourable one, with its reasons.

type opinionPanel struct {
	P         *model.Purchase
	Next      model.Stage
	Standings []standingView // at the next gate
	InForce   []*opinion.Opinion
	Decisions map[int64]*opinion.Decision
	Given     int // opinions on record, superseded ones included
}

func (s *Server) opinionPanel(r *http.Request, p *model.Purchase, rel access.Relation, b *store.Batch) panelBuild {
	if !access.CanOpinion(currentUser(r), rel, access.ReadOpinions, false) {
		return noPanel
	}
	var f *opinion.Facts
	b.OpinionFacts(p, &f)
	return func() (any, error) { return s.opinionPanelOf(p, f), nil }
}

// opinionPanelOf says where the next gate stands and which opinions are
// in force, from the facts the page's batch read.
func (s *Server) opinionPanelOf(p *model.Purchase, f *opinion.Facts) *opinionPanel {
	d := &opinionPanel{P: p, Next: p.Stage.Next(), InForce: f.InForce(), Decisions: f.Decisions, Given: len(f.Opinions)}
	if p.Stage.Open() && d.Next != "" {
		today := model.DateOf(s.now())
		for _, st := range f.Standings(p, d.Next) {
			d.Standings = append(d.Standings, standingView{Standing: st, State: st.State(today)})
		}
	}
	// The next gate's standings already name the opinions given for it.
	var rest []*opinion.Opinion
	for _, o := range d.InForce {
		if len(d.Standings) == 0 || o.Before != d.Next {
			rest = append(rest, o)
		}
	}
	d.InForce = rest
	return d
}

// publicOpinion is one opinion on the register entry.
type publicOpinion struct {
	*opinion.Opinion
	Superseded bool
	Decision   *opinion.Decision
}

func (s *Server) publicOpinions(ctx context.Context, purchaseID int64) ([]publicOpinion, error) {
	ops, decisions, err := s.db.PublicOpinions(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	f := &opinion.Facts{Opinions: ops}
	var out []publicOpinion
	for i := len(ops) - 1; i >= 0; i-- {
		o := &ops[i]
		out = append(out, publicOpinion{Opinion: o, Superseded: f.Superseded(o), Decision: decisions[o.ID]})
	}
	return out, nil
}
