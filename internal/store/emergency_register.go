package store

import (
	"context"
	"fmt"

	"buyright/internal/model"
)

// The public register of emergency measures: every published purchase its
// body marked as adopted under emergency powers, with its legal act, its
// sunset and every continuation (from the continuations store), and for
// each body how many of its emergency measures it has not published.

// EmergencyMeasure is one published emergency measure.
type EmergencyMeasure struct {
	Purchase      *model.Purchase
	Continuations []Continuation
}

// EmergencyUnpublished is how many emergency measures a body registered
// but did not publish: their content stays private, their number does not.
type EmergencyUnpublished struct {
	Org string
	N   int
}

// EmergencyRegister lists the published emergency measures, soonest
// sunset first, and the unpublished ones counted per body.
func (db *DB) EmergencyRegister(ctx context.Context) ([]EmergencyMeasure, []EmergencyUnpublished, error) {
	ps, err := db.purchaseRows(ctx, "store: emergency register", "SELECT "+purchaseColumns+purchaseFrom+
		` JOIN publications pub ON pub.purchase_id = p.id AND pub.published = TRUE WHERE p.emergency = TRUE ORDER BY p.sunset_date, p.id`)
	if err != nil {
		return nil, nil, err
	}
	var out []EmergencyMeasure
	for _, p := range ps {
		cs, err := db.Continuations(ctx, p.ID)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, EmergencyMeasure{Purchase: p, Continuations: cs})
	}
	counts, err := db.read.QueryContext(ctx, `SELECT o.name, COUNT(*) FROM purchases p JOIN organisations o ON o.id = p.org_id
		WHERE p.emergency = TRUE AND NOT EXISTS (SELECT 1 FROM publications pub WHERE pub.purchase_id = p.id AND pub.published = TRUE)
		GROUP BY o.name ORDER BY o.name`)
	if err != nil {
		return nil, nil, fmt.Errorf("store: emergency register: %w", err)
	}
	defer counts.Close()
	var hidden []EmergencyUnpublished
	for counts.Next() {
		var h EmergencyUnpublished
		if err := counts.Scan(&h.Org, &h.N); err != nil {
			return nil, nil, err
		}
		hidden = append(hidden, h)
	}
	return out, hidden, counts.Err()
}
