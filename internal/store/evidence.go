package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"buyright/internal/evidence"
	"buyright/internal/model"
	"buyright/internal/relationship"
	"buyright/internal/tender"
)

// RequirementFacts reads what buyright itself records about a purchase that
// can meet a requirement, and the newest evidence for each requirement.
func (db *DB) RequirementFacts(ctx context.Context, purchaseID int64) (*evidence.Facts, error) {
	f := &evidence.Facts{Evidence: map[string]*evidence.Evidence{}}
	s, err := db.Screening(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	if s != nil {
		f.Screened, f.Result = true, s.Result
		if s.Signed() {
			f.ScreeningSigned = &evidence.Signed{By: s.SignedName, At: s.SignedAt}
		}
	}
	rows, err := db.read.QueryContext(ctx, `SELECT version, signed_name, signed_at, covers FROM assessment_versions
		WHERE purchase_id = $1 AND status = $2 ORDER BY version DESC`, purchaseID, AssessmentSigned)
	if err != nil {
		return nil, fmt.Errorf("store: requirement facts: %w", err)
	}
	for rows.Next() {
		var sg evidence.Signed
		var at sql.NullTime
		var covers string
		if err := rows.Scan(&sg.Version, &sg.By, &at, &covers); err != nil {
			rows.Close()
			return nil, err
		}
		sg.At = at.Time
		if f.HRIA == nil {
			x := sg
			f.HRIA = &x
		}
		for _, c := range strings.Split(covers, ",") {
			switch x := sg; {
			case c == "dpia" && f.DPIA == nil:
				f.DPIA = &x
			case c == "fria" && f.FRIA == nil:
				f.FRIA = &x
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if v, err := db.Assessment(ctx, purchaseID); err != nil {
		return nil, err
	} else if v != nil {
		f.Held, f.LastHeld = v.Doc.HeldEngagements()
	}
	choices, err := db.TenderChoices(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	for id, c := range choices {
		if c.Decision == tender.Accepted || c.Decision == tender.Edited {
			f.TenderItems = append(f.TenderItems, id)
		}
	}
	sort.Strings(f.TenderItems)
	if c, err := db.Contract(ctx, purchaseID); err != nil {
		return nil, err
	} else if c != nil {
		sg, err := db.Safeguards(ctx, purchaseID)
		if err != nil {
			return nil, err
		}
		for id, x := range sg {
			if x.Signed {
				f.SignedItems = append(f.SignedItems, id)
			}
		}
		sort.Strings(f.SignedItems)
	}
	var published sql.NullTime
	var kind model.RelationshipKind
	err = db.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM measurements WHERE purchase_id = $1),
		(SELECT COUNT(*) FROM exit_plans WHERE purchase_id = $1 AND data_return <> '' AND deletion <> '' AND transition <> ''),
		(SELECT first_published_at FROM publications WHERE purchase_id = $1 AND published),
		(SELECT COUNT(*) FROM firewall_rules WHERE purchase_id = $1),
		COALESCE((SELECT kind FROM purchases WHERE id = $1), 'purchase')`, purchaseID).
		Scan(&f.Values, &f.ExitPlan, &published, &f.FirewallRules, &kind)
	if err != nil {
		return nil, fmt.Errorf("store: requirement facts: %w", err)
	}
	f.PublishedAt = published.Time
	terms, err := db.RelationshipTerms(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	f.TermsMissing = relationship.Missing(kind, terms)
	evs, err := db.evidence(ctx, purchaseID, "")
	if err != nil {
		return nil, err
	}
	for i := range evs { // oldest first: the newest record wins
		f.Evidence[evs[i].Requirement] = &evs[i]
	}
	return f, nil
}

// Evidence lists every record of evidence for a purchase's requirements,
// oldest first (requirement "" for all of them).
func (db *DB) Evidence(ctx context.Context, purchaseID int64, requirement string) ([]evidence.Evidence, error) {
	return db.evidence(ctx, purchaseID, requirement)
}

func (db *DB) evidence(ctx context.Context, purchaseID int64, requirement string) ([]evidence.Evidence, error) {
	return fetch(ctx, db, func(b *Batch, out *[]evidence.Evidence) { b.evidence(purchaseID, requirement, out) })
}

func (b *Batch) evidence(purchaseID int64, requirement string, out *[]evidence.Evidence) {
	b.read("evidence", `SELECT e.id, e.requirement, e.kind, COALESCE(e.file_id, 0), COALESCE(f.name, ''), e.link, e.body,
		COALESCE(e.by_user, 0), e.by_name, e.created_at
		FROM requirement_evidence e LEFT JOIN purchase_files f ON f.id = e.file_id
		WHERE e.purchase_id = $1 AND ($2 = '' OR e.requirement = $2) ORDER BY e.id`, []any{purchaseID, requirement},
		appendRow(out, func(rs rowScanner) (e evidence.Evidence, err error) {
			e.PurchaseID = purchaseID
			var kind string
			err = rs.Scan(&e.ID, &e.Requirement, &kind, &e.FileID, &e.FileName, &e.Link, &e.Text, &e.By, &e.ByName, &e.At)
			e.Kind = evidence.Kind(kind)
			return e, err
		}))
}

// AddEvidence records how a requirement of p is met, vouched for by the
// actor; e.Validate must have passed. A file must be one of p's own; a
// link must name a record of p that exists. file, when not nil, is stored
// first in the same transaction, so a refused record leaves no stray file.
func (db *DB) AddEvidence(ctx context.Context, a Actor, p *model.Purchase, e *evidence.Evidence, file *PurchaseFile) error {
	now := db.now()
	return db.tx(ctx, "add evidence", func(tx *sql.Tx) error {
		if file != nil {
			file.Kind, file.Ref = "evidence", e.Requirement
			if err := db.addPurchaseFile(ctx, tx, a, p, file, now); err != nil {
				return err
			}
			e.FileID, e.FileName = file.ID, file.Name
		}
		if err := db.checkEvidenceTarget(ctx, tx, p, e); err != nil {
			return err
		}
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		e.PurchaseID, e.By, e.ByName, e.At = p.ID, a.UserID, name, now
		if err := tx.QueryRowContext(ctx, `INSERT INTO requirement_evidence (purchase_id, requirement, kind, file_id, link, body, by_user, by_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			p.ID, e.Requirement, string(e.Kind), nullID(e.FileID), e.Link, e.Text, nullID(a.UserID), name, now).Scan(&e.ID); err != nil {
			return fmt.Errorf("store: add evidence: %w", err)
		}
		detail := map[string]any{"requirement": e.Requirement, "kind": string(e.Kind)}
		switch e.Kind {
		case evidence.File:
			detail["file"] = e.FileID
		case evidence.Link:
			detail["link"] = e.Link
		case evidence.Statement, evidence.NotApplicable:
			detail["text"] = e.Text
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "evidence", detail)
	})
}

// checkEvidenceTarget refuses a file or a linked record that does not
// belong to p.
func (db *DB) checkEvidenceTarget(ctx context.Context, tx *sql.Tx, p *model.Purchase, e *evidence.Evidence) error {
	var n int
	switch e.Kind {
	case evidence.File:
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM purchase_files WHERE id = $1 AND purchase_id = $2", e.FileID, p.ID).Scan(&n); err != nil {
			return fmt.Errorf("store: evidence file: %w", err)
		}
		if n == 0 {
			return model.FieldErrors{"file": "evidence.file_missing"}.Err()
		}
	case evidence.Link:
		section, id, problem := evidence.ParseLink(e.Link, p.ID)
		if problem != "" {
			return model.FieldErrors{"link": problem}.Err()
		}
		q := ""
		switch section {
		case "files":
			q = "SELECT COUNT(*) FROM purchase_files WHERE id = $1 AND purchase_id = $2"
		case "reviews":
			q = "SELECT COUNT(*) FROM contract_reviews WHERE id = $1 AND purchase_id = $2"
		}
		if q != "" {
			if err := tx.QueryRowContext(ctx, q, id, p.ID).Scan(&n); err != nil {
				return fmt.Errorf("store: evidence link: %w", err)
			}
			if n == 0 {
				return model.FieldErrors{"link": "evidence.link_missing_record"}.Err()
			}
		}
	}
	return nil
}
