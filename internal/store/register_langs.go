package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// SummariesIn returns, for the entries among ids that have one, the
// published summary in lang: a results page shows each card in the
// reader's language where the body wrote it, and says where it did not.
func (db *DB) SummariesIn(ctx context.Context, ids []int64, lang string) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10) // integers: safe to inline
	}
	rows, err := db.read.QueryContext(ctx, `SELECT purchase_id, summary FROM publication_summaries
		WHERE lang = $1 AND summary <> '' AND purchase_id IN (`+strings.Join(list, ",")+`)`, lang)
	if err != nil {
		return nil, fmt.Errorf("store: summaries in %s: %w", lang, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		out[id] = s
	}
	return out, rows.Err()
}
