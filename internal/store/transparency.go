package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/staterequest"
)

// Transparency reports: what one organisation's records of one half-year
// publish, protected (staterequest/report.go) and frozen at publication.

// MaxNarrative is the longest a report's narrative may be, in characters.
const MaxNarrative = 20000

// ReportPreview returns the protected cells u's organisation would publish
// for period, computed now; nothing is stored.
func (db *DB) ReportPreview(ctx context.Context, u *model.User, p staterequest.Period) ([]staterequest.Cell, error) {
	side, ok := access.RecordSide(u)
	if !ok {
		return nil, model.Forbidden()
	}
	recs, err := sideRecords(ctx, db.read, side, u.OrgID, p)
	if err != nil {
		return nil, err
	}
	return staterequest.Cells(recs, side, staterequest.Threshold), nil
}

// PublishReport freezes and publishes u's organisation's report for a
// half-year that has ended, with the organisation's narrative. A half-year
// is published once: a corrected second version beside the first would
// show, by difference, exactly the records that changed.
func (db *DB) PublishReport(ctx context.Context, a Actor, u *model.User, p staterequest.Period, narrative string) (*staterequest.Report, error) {
	side, ok := access.RecordSide(u)
	if !ok {
		return nil, model.Forbidden()
	}
	narrative = model.CleanText(narrative)
	fe := model.FieldErrors{}
	if model.TooLong(narrative, MaxNarrative) {
		fe.Add("narrative", "invalid.too_long")
	} else if staterequest.Identifying(narrative) {
		fe.Add("narrative", "sreq.err.identifying")
	}
	if !p.Ended(model.DateOf(db.now())) {
		fe.Add("period", "sreq.err.period_open")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	now := db.now()
	rep := &staterequest.Report{OrgID: u.OrgID, Side: side, Period: p, Threshold: staterequest.Threshold, Narrative: narrative, PublishedAt: now}
	err := db.tx(ctx, "transparency report", func(tx *sql.Tx) error {
		recs, err := sideRecords(ctx, tx, side, u.OrgID, p)
		if err != nil {
			return err
		}
		rep.Cells = staterequest.Cells(recs, side, rep.Threshold)
		cells, err := staterequest.EncodeCells(rep.Cells)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO transparency_reports (org_id, side, period, threshold, cells, narrative, published_by, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, u.OrgID, side, p.String(), rep.Threshold, cells, narrative, nullID(a.UserID), now).Scan(&rep.ID)
		if uniqueViolation(err) {
			return model.FieldErrors{"period": "sreq.err.published"}.Err()
		}
		if err != nil {
			return fmt.Errorf("store: transparency report: %w", err)
		}
		// The audit keeps what was published, never the exact counts.
		return db.appendAudit(ctx, tx, a, u.OrgID, "transparency_report", rep.ID, "publish", map[string]any{
			"period": p.String(), "side": string(side), "threshold": rep.Threshold, "cells": cells, "narrative": narrative})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

const reportColumns = `t.id, t.org_id, o.name, t.side, t.period, t.threshold, t.cells, t.narrative, COALESCE(NULLIF(u.name, ''), u.email, ''), t.published_at`

const reportFrom = ` FROM transparency_reports t JOIN organisations o ON o.id = t.org_id LEFT JOIN users u ON u.id = t.published_by`

func scanReport(row interface{ Scan(...any) error }) (*staterequest.Report, error) {
	rep := &staterequest.Report{}
	var period, cells string
	if err := row.Scan(&rep.ID, &rep.OrgID, &rep.Org, &rep.Side, &period, &rep.Threshold, &cells, &rep.Narrative, &rep.PublishedBy, &rep.PublishedAt); err != nil {
		return nil, err
	}
	p, err := staterequest.ParsePeriod(period)
	if err != nil {
		return nil, fmt.Errorf("store: transparency report %d: %w", rep.ID, err)
	}
	rep.Period = p
	if rep.Cells, err = staterequest.DecodeCells(cells); err != nil {
		return nil, err
	}
	return rep, nil
}

// TransparencyReport returns one published report, for anyone.
func (db *DB) TransparencyReport(ctx context.Context, id int64) (*staterequest.Report, error) {
	rep, err := scanReport(db.read.QueryRowContext(ctx, "SELECT "+reportColumns+reportFrom+" WHERE t.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("transparency report")
	}
	if err != nil {
		return nil, fmt.Errorf("store: transparency report: %w", err)
	}
	return rep, nil
}

// TransparencyReports lists the published reports, newest half-year first
// (orgID 0 for every organisation's).
func (db *DB) TransparencyReports(ctx context.Context, orgID int64) ([]staterequest.Report, error) {
	q, args := "SELECT "+reportColumns+reportFrom, []any{}
	if orgID != 0 {
		q, args = q+" WHERE t.org_id = $1", append(args, orgID)
	}
	rows, err := db.read.QueryContext(ctx, q+" ORDER BY t.period DESC, o.name, t.id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: transparency reports: %w", err)
	}
	defer rows.Close()
	var out []staterequest.Report
	for rows.Next() {
		rep, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *rep)
	}
	return out, rows.Err()
}
