package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"buyright/internal/audit"
	"buyright/internal/model"
)

// PurchaseFlag is a red flag the OCDS screener raised on the release a
// purchase was imported from: the flag's id, why, and the JSON path inside
// the release.
type PurchaseFlag struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Path   string `json:"path"`
}

// ImportRow is one OCDS release mapped onto a purchase.
type ImportRow struct {
	// Purchase carries the fields taken from the release; OCID is required.
	// OrgID is set by ImportPurchases.
	Purchase    *model.Purchase
	ReleaseID   string
	ReleaseDate string // normalised so that string order is time order
	Flags       []PurchaseFlag
}

// ImportStats counts what an import did.
type ImportStats struct {
	New       int // purchases created
	Updated   int // purchases whose fields or flags changed
	Unchanged int // releases that changed nothing
	Older     int // releases older than the one a purchase was built from
	// StageKept counts releases that report another stage for a purchase
	// whose stage moves only through its gates (stageKept): the stage
	// stayed as it was.
	StageKept int
	Rejected  []ImportReject
}

// Add adds o to s.
func (s *ImportStats) Add(o ImportStats) {
	s.New += o.New
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
	s.Older += o.Older
	s.StageKept += o.StageKept
	s.Rejected = append(s.Rejected, o.Rejected...)
}

// ImportReject is a row the store refused, by its index in the batch.
type ImportReject struct {
	Index int
	Err   error
}

// importedFields are the purchase fields an import writes; every other
// field (people affected, legal basis, lead…) is left as people wrote it.
func applyImported(dst, src *model.Purchase) {
	dst.Title, dst.Need = src.Title, src.Need
	dst.Technologies = src.Technologies
	dst.ValueMinor, dst.Currency = src.ValueMinor, src.Currency
	dst.TenderDate, dst.AwardDate = src.TenderDate, src.AwardDate
	dst.ContractStart, dst.ContractEnd = src.ContractStart, src.ContractEnd
	dst.Stage = src.Stage
}

// stageKept reports whether an import must leave a purchase's stage as it
// is. A purchase registered in buyright, or one a person has moved on or
// back since it was imported, has entered the lifecycle, where a stage is
// reached only through its gates (screening, assessment, opinions,
// safeguards...): a release saying it is further on is the publisher's
// account, not due diligence done, so it is counted and noted in the
// audit row but not applied. A purchase known only from the publisher's
// data follows the publisher, and shows as not screened past planning.
func stageKept(old *model.Purchase, moved bool) bool { return !old.Imported() || moved }

// movedSQL is true for a purchase with a stage change made in buyright.
const movedSQL = `EXISTS (SELECT 1 FROM stage_changes c WHERE c.purchase_id = p.id)`

// keepStage undoes an imported stage where stageKept says so, and says
// what the publisher reported for the audit row ("" when applied).
func keepStage(old, cur *model.Purchase, moved bool, st *ImportStats) model.Stage {
	if cur.Stage == old.Stage || !stageKept(old, moved) {
		return ""
	}
	reported := cur.Stage
	cur.Stage = old.Stage
	st.StageKept++
	return reported
}

// importDetail is the audit row of an imported change.
func importDetail(releaseID string, changes map[string]Change, reported model.Stage) map[string]any {
	d := map[string]any{"release": releaseID, "changes": changes}
	if reported != "" {
		d["stage_reported"] = reported
	}
	return d
}

// extraScan scans a purchase row followed by more columns.
type extraScan struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (e extraScan) Scan(dst ...any) error { return e.row.Scan(append(dst, e.extra...)...) }

// ImportPurchases brings a batch of releases into one body's purchases in
// one transaction, keyed by (body, ocid): a new ocid creates a purchase at
// the release's stage, a known one is updated in place (version + 1) when
// the release is not older than the one it was built from and something
// changed. Each created or changed purchase gets its audit row with the
// fields that changed, and the stage counts follow. A killed import leaves
// whole batches; running it again converges on the same rows, because
// releases are applied in (date, id) order whatever order they arrive in.
func (db *DB) ImportPurchases(ctx context.Context, a Actor, orgID int64, rows []ImportRow) (ImportStats, error) {
	var st ImportStats
	now := db.now()
	err := db.tx(ctx, "import purchases", func(tx *sql.Tx) error {
		st = ImportStats{}
		if db.dialect == Postgres {
			return db.importPurchasesPG(ctx, tx, a, orgID, rows, &st)
		}
		find, err := tx.PrepareContext(ctx, "SELECT "+purchaseColumns+`, COALESCE(s.release_id, ''), COALESCE(s.release_date, ''),
			COALESCE(s.flag_ids, ''), COALESCE(s.flags_hash, ''), s.purchase_id IS NOT NULL, `+movedSQL+purchaseFrom+`
			LEFT JOIN ocds_sources s ON s.purchase_id = p.id WHERE p.org_id = $1 AND p.ocid = $2`)
		if err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		defer find.Close()
		insert, err := tx.PrepareContext(ctx, `INSERT INTO purchases (org_id, title, need, purpose, sector, technologies,
			value_minor, currency, ocid, tender_date, award_date, contract_start, contract_end, stage, version, created_at, updated_at, source)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,1,$15,$15,'ocds') RETURNING id`)
		if err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		defer insert.Close()
		update, err := tx.PrepareContext(ctx, `UPDATE purchases SET title=$1, need=$2, technologies=$3, value_minor=$4,
			currency=$5, tender_date=$6, award_date=$7, contract_start=$8, contract_end=$9, stage=$10,
			version=version+1, updated_at=$11 WHERE id=$12`)
		if err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		defer update.Close()
		source, err := tx.PrepareContext(ctx, `INSERT INTO ocds_sources (purchase_id, release_id, release_date, flag_ids, flags_hash, imported_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (purchase_id) DO UPDATE SET release_id = excluded.release_id,
			release_date = excluded.release_date, flag_ids = excluded.flag_ids, flags_hash = excluded.flags_hash, imported_at = excluded.imported_at`)
		if err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		defer source.Close()
		delFlags, err := tx.PrepareContext(ctx, "DELETE FROM purchase_flags WHERE purchase_id = $1")
		if err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		defer delFlags.Close()
		addFlag, err := tx.PrepareContext(ctx, "INSERT INTO purchase_flags (purchase_id, pos, flag_id, reason, path) VALUES ($1, $2, $3, $4, $5)")
		if err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		defer addFlag.Close()
		// The audit lock is taken here, before any ocid is looked up, so
		// it also serialises concurrent batches: two imports of one body
		// cannot both find an ocid missing and both insert it.
		aw, err := db.newAuditWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer aw.close()

		counts := map[model.Stage]int{}
		writeFlags := func(id int64, flags []PurchaseFlag) error {
			if _, err := delFlags.ExecContext(ctx, id); err != nil {
				return fmt.Errorf("store: import flags: %w", err)
			}
			for i, f := range flags {
				if _, err := addFlag.ExecContext(ctx, id, i, f.ID, f.Reason, f.Path); err != nil {
					return fmt.Errorf("store: import flags: %w", err)
				}
			}
			return nil
		}
		for i := range rows {
			r := &rows[i]
			in := r.Purchase
			in.OrgID = orgID
			if in.Sector == "" {
				in.Sector = "other"
			}
			// Publishers' ocids are kept as published: many real ones
			// ("PC-0001", "1234") do not follow the ocds-prefix form that
			// the purchase form asks of people, and they are the key.
			ocid := model.CleanLine(in.OCID)
			in.OCID = ""
			err := in.Validate()
			in.OCID = ocid
			if err != nil {
				st.Rejected = append(st.Rejected, ImportReject{Index: i, Err: err})
				continue
			}
			if in.OCID == "" || model.TooLong(in.OCID, 300) {
				st.Rejected = append(st.Rejected, ImportReject{Index: i, Err: errors.New("the ocid is empty or longer than 300 characters")})
				continue
			}
			ids, hash := flagsDigest(r.Flags)
			var relID, relDate, oldIDs, oldHash string
			var hasSource, moved bool
			var old *model.Purchase
			old, err = scanPurchase(extraScan{find.QueryRowContext(ctx, orgID, in.OCID), []any{&relID, &relDate, &oldIDs, &oldHash, &hasSource, &moved}})
			if errors.Is(err, sql.ErrNoRows) {
				in.CreatedAt, in.UpdatedAt, in.Version = now, now, 1
				if err := insert.QueryRowContext(ctx, orgID, in.Title, in.Need, in.Purpose, in.Sector, joinTechs(in.Technologies),
					in.ValueMinor, in.Currency, in.OCID, in.TenderDate, in.AwardDate, in.ContractStart, in.ContractEnd,
					in.Stage, now).Scan(&in.ID); err != nil {
					return fmt.Errorf("store: import %s: %w", in.OCID, err)
				}
				if _, err := source.ExecContext(ctx, in.ID, r.ReleaseID, r.ReleaseDate, ids, hash, now); err != nil {
					return fmt.Errorf("store: import source: %w", err)
				}
				if err := writeFlags(in.ID, r.Flags); err != nil {
					return err
				}
				counts[in.Stage]++
				detail := diffPurchase(&model.Purchase{}, in)
				detail["stage"] = Change{Old: "", New: string(in.Stage)}
				detail["flags"] = Change{Old: "", New: ids}
				if err := aw.add(a, orgID, in.ID, "import", map[string]any{"release": r.ReleaseID, "changes": detail}); err != nil {
					return err
				}
				st.New++
				continue
			}
			if err != nil {
				return fmt.Errorf("store: import %s: %w", in.OCID, err)
			}
			if hasSource && (r.ReleaseDate < relDate || (r.ReleaseDate == relDate && r.ReleaseID < relID)) {
				st.Older++
				in.ID = old.ID
				continue
			}
			cur := *old
			applyImported(&cur, in)
			reported := keepStage(old, &cur, moved, &st)
			in.ID, in.CreatedAt, in.Version, in.Stage = old.ID, old.CreatedAt, old.Version, cur.Stage
			changes := diffPurchase(old, &cur)
			if cur.Stage != old.Stage {
				changes["stage"] = Change{Old: string(old.Stage), New: string(cur.Stage)}
			}
			flagsChanged := hash != oldHash
			if flagsChanged {
				changes["flags"] = Change{Old: oldIDs, New: ids}
			}
			if len(changes) == 0 {
				if relID != r.ReleaseID || relDate != r.ReleaseDate || !hasSource {
					if _, err := source.ExecContext(ctx, old.ID, r.ReleaseID, r.ReleaseDate, ids, hash, now); err != nil {
						return fmt.Errorf("store: import source: %w", err)
					}
				}
				st.Unchanged++
				continue
			}
			if _, err := update.ExecContext(ctx, cur.Title, cur.Need, joinTechs(cur.Technologies), cur.ValueMinor, cur.Currency,
				cur.TenderDate, cur.AwardDate, cur.ContractStart, cur.ContractEnd, cur.Stage, now, old.ID); err != nil {
				return fmt.Errorf("store: import %s: %w", in.OCID, err)
			}
			in.Version, in.UpdatedAt = old.Version+1, now
			if _, err := source.ExecContext(ctx, old.ID, r.ReleaseID, r.ReleaseDate, ids, hash, now); err != nil {
				return fmt.Errorf("store: import source: %w", err)
			}
			if flagsChanged {
				if err := writeFlags(old.ID, r.Flags); err != nil {
					return err
				}
			}
			if cur.Stage != old.Stage {
				counts[old.Stage]--
				counts[cur.Stage]++
			}
			if err := db.refreshIfPublished(ctx, tx, old.ID); err != nil {
				return err
			}
			if err := aw.add(a, orgID, old.ID, "import", importDetail(r.ReleaseID, changes, reported)); err != nil {
				return err
			}
			st.Updated++
		}
		for _, s := range model.AllStages {
			if n := counts[s]; n != 0 {
				if err := bumpCount(ctx, tx, orgID, s, n); err != nil {
					return err
				}
			}
		}
		return aw.finish()
	})
	return st, err
}

// flagsDigest returns the flag ids joined by commas and a hash of the
// whole list, to tell cheaply whether a purchase's flags changed.
func flagsDigest(fs []PurchaseFlag) (ids, hash string) {
	h := sha256.New()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.ID
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", f.ID, f.Reason, f.Path)
	}
	return strings.Join(names, ","), hex.EncodeToString(h.Sum(nil))
}

// PurchaseFlags lists the screener's red flags kept with a purchase.
func (db *DB) PurchaseFlags(ctx context.Context, purchaseID int64) ([]PurchaseFlag, error) {
	return fetch(ctx, db, func(b *Batch, out *[]PurchaseFlag) { b.PurchaseFlags(purchaseID, out) })
}

// PurchaseFlags queues the read of PurchaseFlags into out.
func (b *Batch) PurchaseFlags(purchaseID int64, out *[]PurchaseFlag) {
	b.read("purchase flags", "SELECT flag_id, reason, path FROM purchase_flags WHERE purchase_id = $1 ORDER BY pos", []any{purchaseID},
		appendRow(out, func(rs rowScanner) (f PurchaseFlag, err error) {
			return f, rs.Scan(&f.ID, &f.Reason, &f.Path)
		}))
}

// auditWriter appends many audit rows in one transaction: the head is read
// once and written once, and the insert is prepared once, so a batch of
// thousands of imported purchases still gets one chained row each.
type auditWriter struct {
	db     *DB
	ctx    context.Context
	tx     *sql.Tx
	stmt   *sql.Stmt
	lastID int64
	prev   string
	dirty  bool
	// pending rows are sealed and written together by flushQueued.
	pending []queuedAudit
}

func (db *DB) newAuditWriter(ctx context.Context, tx *sql.Tx) (*auditWriter, error) {
	if db.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7240002, hashtext(current_schema()))"); err != nil {
			return nil, fmt.Errorf("store: audit lock: %w", err)
		}
	}
	w := &auditWriter{db: db, ctx: ctx, tx: tx, prev: audit.Genesis}
	err := tx.QueryRowContext(ctx, "SELECT last_id, hash FROM audit_head WHERE one = 1").Scan(&w.lastID, &w.prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: audit head: %w", err)
	}
	w.stmt, err = tx.PrepareContext(ctx, `INSERT INTO audit_log
		(id, at, actor_id, actor, org_id, object_type, object_id, action, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`)
	if err != nil {
		return nil, fmt.Errorf("store: audit insert: %w", err)
	}
	return w, nil
}

func (w *auditWriter) add(a Actor, orgID, purchaseID int64, action string, detail any) error {
	e, err := w.seal(a, orgID, purchaseID, action, detail)
	if err != nil {
		return err
	}
	if _, err := w.stmt.ExecContext(w.ctx, e.ID, e.At, nullID(e.ActorID), e.Actor, nullID(e.OrgID), e.ObjectType, e.ObjectID,
		e.Action, e.Detail, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("store: audit insert: %w", err)
	}
	return nil
}

// seal makes the next entry of the chain and moves the head past it; the
// caller writes it in the same transaction.
func (w *auditWriter) seal(a Actor, orgID, purchaseID int64, action string, detail any) (audit.Entry, error) {
	d, err := json.Marshal(detail)
	if err != nil {
		return audit.Entry{}, fmt.Errorf("store: audit detail: %w", err)
	}
	e := audit.Entry{
		ID: w.lastID + 1, At: w.db.now().Format(audit.TimeLayout),
		ActorID: a.UserID, Actor: a.Label, OrgID: orgID,
		ObjectType: "purchase", ObjectID: purchaseID, Action: action, Detail: string(d),
	}
	e.Seal(w.prev)
	w.lastID, w.prev, w.dirty = e.ID, e.Hash, true
	return e, nil
}

func (w *auditWriter) finish() error {
	if !w.dirty {
		return nil
	}
	if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO audit_head (one, last_id, hash) VALUES (1, $1, $2)
		ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash`, w.lastID, w.prev); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	return nil
}

func (w *auditWriter) close() { w.stmt.Close() }
