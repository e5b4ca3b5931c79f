package store

import (
	"context"
	"sort"

	"buyright/internal/model"
)

// OwedOpinion is an opinion a rule of the viewer's body asks for on a
// purchase standing at the rule's gate, with nothing recorded yet.
type OwedOpinion struct {
	Purchase *model.Purchase
	Before   model.Stage
	Due      model.Date
	Overdue  bool
}

// OwedOpinions lists the opinions u's oversight body owes now, earliest
// time limit first.
func (db *DB) OwedOpinions(ctx context.Context, u *model.User) ([]OwedOpinion, error) {
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgOversight {
		return nil, nil
	}
	list, err := db.OversightPurchases(ctx, u, OversightFilter{OpenOpinion: true, Sort: "title", PerPage: 500})
	if err != nil {
		return nil, err
	}
	today := model.DateOf(db.now())
	var out []OwedOpinion
	for _, r := range list.Rows {
		f, err := db.OpinionFacts(ctx, r.Purchase)
		if err != nil {
			return nil, err
		}
		before := r.Purchase.Stage.Next()
		for _, s := range f.Standings(r.Purchase, before) {
			if s.OrgID == u.OrgID && s.Asked && s.Opinion == nil {
				out = append(out, OwedOpinion{Purchase: r.Purchase, Before: before, Due: s.Due, Overdue: !s.Due.IsZero() && s.Due.Before(today)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out, nil
}
