package store

import (
	"context"
	"fmt"
	"strings"
)

// BulkCandidate is an imported purchase a body's administrator chose to
// publish, or why it cannot be.
type BulkCandidate struct {
	PurchaseID int64
	Title      string
	OCID       string
	// Skip is why it will not be published: "not_found" (no purchase of
	// this body), "not_imported" (made in buyright: it is published from
	// its own page, with its own summary) or "published" (already
	// public). Empty when it will be.
	Skip string
}

// ImportedToPublish checks the chosen purchases against body orgID: only
// its own purchases that came from an OCDS import and are not public yet
// can be published in bulk. The answer keeps the order of ids and holds
// each id once.
func (db *DB) ImportedToPublish(ctx context.Context, orgID int64, ids []int64) ([]BulkCandidate, error) {
	seen := map[int64]bool{}
	var out []BulkCandidate
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, BulkCandidate{PurchaseID: id, Skip: "not_found"})
		}
	}
	at := map[int64]int{}
	for i := range out {
		at[out[i].PurchaseID] = i
	}
	for start := 0; start < len(out); start += 500 {
		chunk := out[start:min(start+500, len(out))]
		args := []any{orgID}
		marks := make([]string, len(chunk))
		for i, c := range chunk {
			args = append(args, c.PurchaseID)
			marks[i] = fmt.Sprintf("$%d", i+2)
		}
		rows, err := db.read.QueryContext(ctx, `SELECT p.id, p.title, COALESCE(p.ocid, ''), s.purchase_id IS NOT NULL, COALESCE(pub.published, FALSE)
			FROM purchases p LEFT JOIN ocds_sources s ON s.purchase_id = p.id LEFT JOIN publications pub ON pub.purchase_id = p.id
			WHERE p.org_id = $1 AND p.id IN (`+strings.Join(marks, ",")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: imported to publish: %w", err)
		}
		for rows.Next() {
			var id int64
			var title, ocid string
			var imported, published bool
			if err := rows.Scan(&id, &title, &ocid, &imported, &published); err != nil {
				rows.Close()
				return nil, err
			}
			c := &out[at[id]]
			c.Title, c.OCID, c.Skip = title, ocid, ""
			switch {
			case !imported:
				c.Skip = "not_imported"
			case published:
				c.Skip = "published"
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
