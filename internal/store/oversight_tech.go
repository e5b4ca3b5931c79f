package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"buyright/internal/model"
)

// TechnologyCount is how many purchases of one body buy one kind of
// technology.
type TechnologyCount struct {
	Technology model.Technology
	OrgID      int64
	OrgName    string
	Count      int
	HighImpact int // of which screened at level III or IV
}

// TechnologyAcrossBodies counts, for each kind of technology and each
// body whose purchases u may see, the purchases that buy it.
func (db *DB) TechnologyAcrossBodies(ctx context.Context, u *model.User) ([]TechnologyCount, error) {
	// Levels are read per purchase in the inner query, then grouped.
	rows, err := db.read.QueryContext(ctx, `SELECT org_id, name, technologies, high, COUNT(*) FROM (
		SELECT p.org_id, o.name, p.technologies, CASE WHEN `+impactLevelSQL+` >= 3 THEN 1 ELSE 0 END AS high
		FROM purchases p JOIN organisations o ON o.id = p.org_id WHERE `+visible(u, 1)+`) t GROUP BY org_id, name, technologies, high`, u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("store: technology across bodies: %w", err)
	}
	defer rows.Close()
	type key struct {
		t   model.Technology
		org int64
	}
	counts := map[key]*TechnologyCount{}
	for rows.Next() {
		var org int64
		var name, techs string
		var high, n int
		if err := rows.Scan(&org, &name, &techs, &high, &n); err != nil {
			return nil, err
		}
		for _, t := range strings.Split(strings.Trim(techs, ","), ",") {
			if t == "" {
				continue
			}
			k := key{model.Technology(t), org}
			c := counts[k]
			if c == nil {
				c = &TechnologyCount{Technology: k.t, OrgID: org, OrgName: name}
				counts[k] = c
			}
			c.Count += n
			if high == 1 {
				c.HighImpact += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	order := map[model.Technology]int{}
	for i, t := range model.Technologies {
		order[t] = i
	}
	out := make([]TechnologyCount, 0, len(counts))
	for _, c := range counts {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Technology != out[j].Technology {
			return order[out[i].Technology] < order[out[j].Technology]
		}
		return out[i].OrgName < out[j].OrgName
	})
	return out, nil
}
