package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"buyright/internal/model"
)

// One supplier across every body and purchase of an oversight body's
// remit: named in a signed contract, or invited as an organisation.

// supplierKey folds a supplier's name for matching: case and runs of space
// do not make two suppliers.
func supplierKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// suppliersOf reads the suppliers of each purchase: those named in its
// signed contract, then the supplier organisations invited to it that the
// contract does not already name.
func (db *DB) suppliersOf(ctx context.Context, ps []*model.Purchase) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ps) == 0 {
		return out, nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	in := idList(ids)
	seen := map[int64]map[string]bool{}
	addName := func(id int64, name string) {
		name = model.CleanLine(name)
		k := supplierKey(name)
		if k == "" || seen[id][k] {
			return
		}
		if seen[id] == nil {
			seen[id] = map[string]bool{}
		}
		seen[id][k] = true
		out[id] = append(out[id], name)
	}
	rows, err := db.read.QueryContext(ctx, "SELECT p.id, c.suppliers FROM contracts c JOIN purchases p ON p.id = c.purchase_id WHERE "+in)
	if err != nil {
		return nil, fmt.Errorf("store: suppliers: %w", err)
	}
	for rows.Next() {
		var id int64
		var names string
		if err := rows.Scan(&id, &names); err != nil {
			rows.Close()
			return nil, err
		}
		for _, n := range strings.Split(names, "\n") {
			addName(id, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.read.QueryContext(ctx, "SELECT p.id, o.name FROM purchase_suppliers ps JOIN purchases p ON p.id = ps.purchase_id JOIN organisations o ON o.id = ps.org_id WHERE "+in+" ORDER BY ps.invited_at, o.name")
	if err != nil {
		return nil, fmt.Errorf("store: suppliers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		addName(id, name)
	}
	return out, rows.Err()
}

// SupplierSummary is one supplier across the purchases u may see.
type SupplierSummary struct {
	Name       string // as first written
	Purchases  int
	Bodies     int
	Contracted int // purchases whose signed contract names it
	Invited    int // purchases it was invited to as an organisation
	ids        map[int64]bool
}

// Suppliers lists every supplier of the purchases u may see, whether named
// in a signed contract or invited as an organisation, with how many
// purchases and bodies each has, most purchases first.
func (db *DB) Suppliers(ctx context.Context, u *model.User) ([]SupplierSummary, error) {
	idx, err := db.supplierIndex(ctx, u)
	if err != nil {
		return nil, err
	}
	out := make([]SupplierSummary, 0, len(idx))
	for _, s := range idx {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Purchases != out[j].Purchases {
			return out[i].Purchases > out[j].Purchases
		}
		return supplierKey(out[i].Name) < supplierKey(out[j].Name)
	})
	return out, nil
}

// supplierPurchases lists the purchases u may see whose supplier is name.
func (db *DB) supplierPurchases(ctx context.Context, u *model.User, name string) ([]int64, error) {
	idx, err := db.supplierIndex(ctx, u)
	if err != nil {
		return nil, err
	}
	s := idx[supplierKey(name)]
	if s == nil {
		return nil, nil
	}
	ids := make([]int64, 0, len(s.ids))
	for id := range s.ids {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// supplierIndex gathers the suppliers of the purchases u may see, keyed by
// supplierKey. Names are matched in Go, not SQL, so that SQLite and
// PostgreSQL (whose LOWER folds different letters) group them the same.
func (db *DB) supplierIndex(ctx context.Context, u *model.User) (map[string]*SupplierSummary, error) {
	idx := map[string]*SupplierSummary{}
	bodies := map[string]map[int64]bool{}
	add := func(name string, purchaseID, orgID int64, contracted bool) {
		name = model.CleanLine(name)
		k := supplierKey(name)
		if k == "" {
			return
		}
		s := idx[k]
		if s == nil {
			s = &SupplierSummary{Name: name, ids: map[int64]bool{}}
			idx[k], bodies[k] = s, map[int64]bool{}
		}
		if !s.ids[purchaseID] {
			s.ids[purchaseID] = true
			s.Purchases++
		}
		if contracted {
			s.Contracted++
		} else {
			s.Invited++
		}
		if !bodies[k][orgID] {
			bodies[k][orgID] = true
			s.Bodies++
		}
	}
	rows, err := db.read.QueryContext(ctx, "SELECT p.id, p.org_id, c.suppliers FROM contracts c JOIN purchases p ON p.id = c.purchase_id WHERE "+visible(u, 1)+" ORDER BY p.id", u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("store: suppliers: %w", err)
	}
	for rows.Next() {
		var id, org int64
		var names string
		if err := rows.Scan(&id, &org, &names); err != nil {
			rows.Close()
			return nil, err
		}
		seen := map[string]bool{}
		for _, n := range strings.Split(names, "\n") {
			if k := supplierKey(n); !seen[k] {
				seen[k] = true
				add(n, id, org, true)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT p.id, p.org_id, o.name FROM purchase_suppliers ps JOIN purchases p ON p.id = ps.purchase_id
		JOIN organisations o ON o.id = ps.org_id WHERE `+visible(u, 1)+" ORDER BY p.id, o.name", u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("store: suppliers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, org int64
		var name string
		if err := rows.Scan(&id, &org, &name); err != nil {
			return nil, err
		}
		add(name, id, org, false)
	}
	return idx, rows.Err()
}
