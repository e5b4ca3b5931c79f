package store

import (
	"context"
	"fmt"

	"buyright/internal/contract"
	"buyright/internal/disclosure"
	"buyright/internal/model"
	"buyright/internal/screening"
)

// PublishedPurchase is what the OCDS export publishes of one purchase: the
// purchase, the body's words, and its due-diligence record. Only signed
// assessment versions are included; drafts stay inside the body.
type PublishedPurchase struct {
	Purchase      *model.Purchase
	OrgSlug       string
	Summary       string // the plain-language summary published with it
	ImpactLevel   int    // from a complete screening, 0 when none
	Required      []string
	Assessments   []*AssessmentVersion // signed versions, oldest first
	Complaints    ComplaintStats
	Policy        ComplaintPolicy
	ScreeningDate string
	Screening     string             // complete, draft or notScreened
	Contract      *contract.Contract // the signed contract, nil before it is recorded
	Amendments    []contract.Amendment
	Documents     []*disclosure.Document // published documents, with their redactions
}

// CountPublished is the number of purchases on the public register.
func (db *DB) CountPublished(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM publications WHERE published = TRUE").Scan(&n)
	return n, err
}

// PublishedPurchases returns up to limit published purchases with ids
// above afterID, in id order, or, when afterID is negative, the page that
// starts offset rows in.
func (db *DB) PublishedPurchases(ctx context.Context, afterID int64, offset, limit int) ([]*PublishedPurchase, error) {
	q := "SELECT " + purchaseColumns + `, o.slug, pub.summary, ` + impactLevelSQL + purchaseFrom + `
		JOIN publications pub ON pub.purchase_id = p.id AND pub.published = TRUE
		JOIN organisations o ON o.id = p.org_id
		WHERE p.id > $1 ORDER BY p.id LIMIT $2 OFFSET $3`
	if afterID < 0 {
		afterID = 0
	} else {
		offset = 0
	}
	rows, err := db.read.QueryContext(ctx, q, afterID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: published purchases: %w", err)
	}
	var out []*PublishedPurchase
	var ps []*model.Purchase
	for rows.Next() {
		pp := &PublishedPurchase{}
		var slug, summary string
		var level int
		p, err := scanPurchase(extraScan{rows, []any{&slug, &summary, &level}})
		if err != nil {
			rows.Close()
			return nil, err
		}
		pp.Purchase, pp.OrgSlug, pp.Summary, pp.ImpactLevel = p, slug, summary, level
		out = append(out, pp)
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := db.fillNames(ctx, ps); err != nil {
		return nil, err
	}
	for _, pp := range out {
		id := pp.Purchase.ID
		pp.Screening = "notScreened"
		if s, err := db.Screening(ctx, id); err != nil {
			return nil, err
		} else if s != nil && s.Result.Status != screening.StatusComplete {
			pp.Screening = "draft"
		} else if s != nil {
			pp.Screening = "complete"
			pp.Required = s.Result.Assessments
			pp.ScreeningDate = s.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")
		}
		vs, err := db.AssessmentVersions(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if v.Signed() {
				pp.Assessments = append(pp.Assessments, v)
			}
		}
		if pp.Complaints, err = db.ComplaintStats(ctx, id); err != nil {
			return nil, err
		}
		if pp.Policy, err = db.ComplaintPolicy(ctx, pp.Purchase.OrgID); err != nil {
			return nil, err
		}
		if pp.Contract, err = db.Contract(ctx, id); err != nil {
			return nil, err
		}
		if pp.Contract != nil {
			if pp.Amendments, err = db.Amendments(ctx, id); err != nil {
				return nil, err
			}
		}
		if pp.Documents, err = db.Disclosures(ctx, id, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}
