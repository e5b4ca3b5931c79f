package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"buyright/internal/model"
)

// importSlot is one purchase touched by a batch: as read from the database
// (or new), and as the batch leaves it. Several releases of one ocid in a
// batch all act on the same slot, in input order, exactly as if each had
// been written before the next was read.
type importSlot struct {
	id                int64
	isNew, changed    bool
	cur               model.Purchase
	relID, relDate    string
	flagIDs, flagHash string
	hasSource         bool
	sourceDirty       bool
	moved             bool // a person changed its stage in buyright (stageKept)
	flagsDirty        bool
	flags             []PurchaseFlag
}

// importEvent is an audit row to write once the slot's id is known.
type importEvent struct {
	slot   *importSlot
	detail map[string]any
}

// importPurchasesPG is ImportPurchases for PostgreSQL in a fixed number of
// round trips per batch, whatever its size: one read of every purchase the
// batch names, then one statement each for new purchases, changed ones,
// sources, flags and audit rows, with the rows passed as arrays. One row
// at a time cost a round trip per statement per release (about 4× a bare
// COPY of the same releases); SQLite runs in the process and keeps that.
func (db *DB) importPurchasesPG(ctx context.Context, tx *sql.Tx, a Actor, orgID int64, rows []ImportRow, st *ImportStats) error {
	now := db.now()
	// The audit lock is taken before any ocid is looked up, so it also
	// serialises concurrent batches: two imports of one body cannot both
	// find an ocid missing and both insert it.
	aw, err := db.newAuditWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer aw.close()

	valid := make([]bool, len(rows))
	var ocids []string
	for i := range rows {
		in := rows[i].Purchase
		in.OrgID = orgID
		if in.Sector == "" {
			in.Sector = "other"
		}
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
		valid[i] = true
		ocids = append(ocids, in.OCID)
	}
	slots, err := db.importSlots(ctx, tx, orgID, ocids)
	if err != nil {
		return err
	}

	counts := map[model.Stage]int{}
	var events []importEvent
	rowSlot := make([]*importSlot, len(rows))
	for i := range rows {
		if !valid[i] {
			continue
		}
		r := &rows[i]
		in := r.Purchase
		ids, hash := flagsDigest(r.Flags)
		s := slots[in.OCID]
		if s == nil {
			in.CreatedAt, in.UpdatedAt, in.Version = now, now, 1
			s = &importSlot{isNew: true, cur: *in, relID: r.ReleaseID, relDate: r.ReleaseDate, flagIDs: ids, flagHash: hash,
				hasSource: true, sourceDirty: true, flagsDirty: true, flags: r.Flags}
			s.cur.Source = "ocds" // as the insert writes it: a later release of the batch follows the publisher
			slots[in.OCID] = s
			rowSlot[i] = s
			counts[in.Stage]++
			detail := diffPurchase(&model.Purchase{}, in)
			detail["stage"] = Change{Old: "", New: string(in.Stage)}
			detail["flags"] = Change{Old: "", New: ids}
			events = append(events, importEvent{s, map[string]any{"release": r.ReleaseID, "changes": detail}})
			st.New++
			continue
		}
		rowSlot[i] = s
		if s.hasSource && (r.ReleaseDate < s.relDate || (r.ReleaseDate == s.relDate && r.ReleaseID < s.relID)) {
			st.Older++
			continue
		}
		old := s.cur
		cur := old
		applyImported(&cur, in)
		reported := keepStage(&old, &cur, s.moved, st)
		in.CreatedAt, in.Version, in.Stage = old.CreatedAt, old.Version, cur.Stage
		changes := diffPurchase(&old, &cur)
		if cur.Stage != old.Stage {
			changes["stage"] = Change{Old: string(old.Stage), New: string(cur.Stage)}
		}
		flagsChanged := hash != s.flagHash
		if flagsChanged {
			changes["flags"] = Change{Old: s.flagIDs, New: ids}
		}
		if len(changes) == 0 {
			if s.relID != r.ReleaseID || s.relDate != r.ReleaseDate || !s.hasSource {
				s.relID, s.relDate, s.flagIDs, s.flagHash, s.hasSource, s.sourceDirty = r.ReleaseID, r.ReleaseDate, ids, hash, true, true
			}
			st.Unchanged++
			continue
		}
		cur.Version, cur.UpdatedAt = old.Version+1, now
		in.Version, in.UpdatedAt = cur.Version, now
		s.cur = cur
		s.changed = !s.isNew
		s.relID, s.relDate, s.flagIDs, s.flagHash, s.hasSource, s.sourceDirty = r.ReleaseID, r.ReleaseDate, ids, hash, true, true
		if flagsChanged {
			s.flags, s.flagsDirty = r.Flags, true
		}
		if cur.Stage != old.Stage {
			counts[old.Stage]--
			counts[cur.Stage]++
		}
		events = append(events, importEvent{s, importDetail(r.ReleaseID, changes, reported)})
		st.Updated++
	}

	// Slots in the order they were first touched, so ids follow the input.
	var touched []*importSlot
	seen := map[*importSlot]bool{}
	for _, s := range rowSlot {
		if s != nil && !seen[s] {
			seen[s] = true
			touched = append(touched, s)
		}
	}
	if err := insertImported(ctx, tx, orgID, touched, now); err != nil {
		return err
	}
	if err := updateImported(ctx, tx, touched, now); err != nil {
		return err
	}
	if err := writeImportSources(ctx, tx, touched, now); err != nil {
		return err
	}
	if err := writeImportFlags(ctx, tx, touched); err != nil {
		return err
	}
	for _, s := range touched {
		if s.changed {
			if err := db.refreshIfPublished(ctx, tx, s.id); err != nil {
				return err
			}
		}
	}
	for i, s := range rowSlot {
		if s != nil {
			rows[i].Purchase.ID = s.id
		}
	}
	for _, s := range model.AllStages {
		if n := counts[s]; n != 0 {
			if err := bumpCount(ctx, tx, orgID, s, n); err != nil {
				return err
			}
		}
	}
	for _, e := range events {
		aw.queue(a, orgID, e.slot.id, "import", e.detail)
	}
	if err := aw.flushQueued(); err != nil {
		return err
	}
	return aw.finish()
}

// importSlots reads every purchase of the body with one of the ocids, with
// the release it was built from, in one query.
func (db *DB) importSlots(ctx context.Context, tx *sql.Tx, orgID int64, ocids []string) (map[string]*importSlot, error) {
	slots := make(map[string]*importSlot, len(ocids))
	if len(ocids) == 0 {
		return slots, nil
	}
	rs, err := tx.QueryContext(ctx, "SELECT "+purchaseColumns+`, COALESCE(s.release_id, ''), COALESCE(s.release_date, ''),
		COALESCE(s.flag_ids, ''), COALESCE(s.flags_hash, ''), s.purchase_id IS NOT NULL, `+movedSQL+purchaseFrom+`
		LEFT JOIN ocds_sources s ON s.purchase_id = p.id WHERE p.org_id = $1 AND p.ocid = ANY($2::text[])`, orgID, ocids)
	if err != nil {
		return nil, fmt.Errorf("store: import: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		s := &importSlot{}
		p, err := scanPurchase(extraScan{rs, []any{&s.relID, &s.relDate, &s.flagIDs, &s.flagHash, &s.hasSource, &s.moved}})
		if err != nil {
			return nil, fmt.Errorf("store: import: %w", err)
		}
		s.id, s.cur = p.ID, *p
		slots[p.OCID] = s
	}
	return slots, rs.Err()
}

// dateArg is a date as text for an array parameter (NULL when unset).
func dateArg(d model.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func insertImported(ctx context.Context, tx *sql.Tx, orgID int64, slots []*importSlot, now any) error {
	var ocid, title, need, purpose, sector, techs, currency, stage []string
	var value, version []int64
	var tender, award, start, end []*string
	var fresh []*importSlot
	for _, s := range slots {
		if !s.isNew {
			continue
		}
		p := &s.cur
		fresh = append(fresh, s)
		ocid, title, need, purpose = append(ocid, p.OCID), append(title, p.Title), append(need, p.Need), append(purpose, p.Purpose)
		sector, techs, currency, stage = append(sector, string(p.Sector)), append(techs, joinTechs(p.Technologies)), append(currency, p.Currency), append(stage, string(p.Stage))
		value, version = append(value, p.ValueMinor), append(version, int64(p.Version))
		tender, award, start, end = append(tender, dateArg(p.TenderDate)), append(award, dateArg(p.AwardDate)), append(start, dateArg(p.ContractStart)), append(end, dateArg(p.ContractEnd))
	}
	if len(fresh) == 0 {
		return nil
	}
	rs, err := tx.QueryContext(ctx, `INSERT INTO purchases (org_id, title, need, purpose, sector, technologies,
		value_minor, currency, ocid, tender_date, award_date, contract_start, contract_end, stage, version, created_at, updated_at, source)
		SELECT $1, u.title, u.need, u.purpose, u.sector, u.techs, u.value, u.currency, u.ocid,
			u.tender::date, u.award::date, u.cstart::date, u.cend::date, u.stage, u.version, $15, $15, 'ocds'
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[],
			$10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $16::bigint[])
			AS u(title, need, purpose, sector, techs, value, currency, ocid, tender, award, cstart, cend, stage, version)
		RETURNING id, ocid`,
		orgID, title, need, purpose, sector, techs, value, currency, ocid, tender, award, start, end, stage, now, version)
	if err != nil {
		return fmt.Errorf("store: import new purchases: %w", err)
	}
	defer rs.Close()
	byOCID := make(map[string]*importSlot, len(fresh))
	for _, s := range fresh {
		byOCID[s.cur.OCID] = s
	}
	n := 0
	for rs.Next() {
		var id int64
		var o string
		if err := rs.Scan(&id, &o); err != nil {
			return fmt.Errorf("store: import new purchases: %w", err)
		}
		if s := byOCID[o]; s != nil {
			s.id, s.cur.ID = id, id
			n++
		}
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("store: import new purchases: %w", err)
	}
	if n != len(fresh) {
		return fmt.Errorf("store: import new purchases: %d of %d came back", n, len(fresh))
	}
	return nil
}

func updateImported(ctx context.Context, tx *sql.Tx, slots []*importSlot, now any) error {
	var id, value, version []int64
	var title, need, techs, currency, stage []string
	var tender, award, start, end []*string
	for _, s := range slots {
		if !s.changed {
			continue
		}
		p := &s.cur
		id, value, version = append(id, s.id), append(value, p.ValueMinor), append(version, int64(p.Version))
		title, need, techs, currency, stage = append(title, p.Title), append(need, p.Need), append(techs, joinTechs(p.Technologies)), append(currency, p.Currency), append(stage, string(p.Stage))
		tender, award, start, end = append(tender, dateArg(p.TenderDate)), append(award, dateArg(p.AwardDate)), append(start, dateArg(p.ContractStart)), append(end, dateArg(p.ContractEnd))
	}
	if len(id) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE purchases p SET title = u.title, need = u.need, technologies = u.techs,
		value_minor = u.value, currency = u.currency, tender_date = u.tender::date, award_date = u.award::date,
		contract_start = u.cstart::date, contract_end = u.cend::date, stage = u.stage, version = u.version, updated_at = $13
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::text[], $12::bigint[])
			AS u(id, title, need, techs, value, currency, tender, award, cstart, cend, stage, version)
		WHERE p.id = u.id`,
		id, title, need, techs, value, currency, tender, award, start, end, stage, version, now)
	if err != nil {
		return fmt.Errorf("store: import changed purchases: %w", err)
	}
	return nil
}

func writeImportSources(ctx context.Context, tx *sql.Tx, slots []*importSlot, now any) error {
	var id []int64
	var rel, date, ids, hash []string
	for _, s := range slots {
		if s.sourceDirty {
			id, rel, date, ids, hash = append(id, s.id), append(rel, s.relID), append(date, s.relDate), append(ids, s.flagIDs), append(hash, s.flagHash)
		}
	}
	if len(id) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO ocds_sources (purchase_id, release_id, release_date, flag_ids, flags_hash, imported_at)
		SELECT u.id, u.rel, u.date, u.ids, u.hash, $6 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, rel, date, ids, hash)
		ON CONFLICT (purchase_id) DO UPDATE SET release_id = excluded.release_id, release_date = excluded.release_date,
		flag_ids = excluded.flag_ids, flags_hash = excluded.flags_hash, imported_at = excluded.imported_at`,
		id, rel, date, ids, hash, now)
	if err != nil {
		return fmt.Errorf("store: import sources: %w", err)
	}
	return nil
}

func writeImportFlags(ctx context.Context, tx *sql.Tx, slots []*importSlot) error {
	var clear, id []int64
	var pos []int32
	var flag, reason, path []string
	for _, s := range slots {
		if !s.flagsDirty {
			continue
		}
		if !s.isNew {
			clear = append(clear, s.id)
		}
		for i, f := range s.flags {
			id, pos, flag, reason, path = append(id, s.id), append(pos, int32(i)), append(flag, f.ID), append(reason, f.Reason), append(path, f.Path)
		}
	}
	if len(clear) > 0 {
		if _, err := tx.ExecContext(ctx, "DELETE FROM purchase_flags WHERE purchase_id = ANY($1::bigint[])", clear); err != nil {
			return fmt.Errorf("store: import flags: %w", err)
		}
	}
	if len(id) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO purchase_flags (purchase_id, pos, flag_id, reason, path)
		SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[])`, id, pos, flag, reason, path)
	if err != nil {
		return fmt.Errorf("store: import flags: %w", err)
	}
	return nil
}

// queue seals an audit row onto the chain and keeps it for flushQueued,
// which writes every queued row in one statement.
func (w *auditWriter) queue(a Actor, orgID, purchaseID int64, action string, detail any) {
	w.pending = append(w.pending, queuedAudit{a, orgID, purchaseID, action, detail})
}

type queuedAudit struct {
	a          Actor
	orgID, pid int64
	action     string
	detail     any
}

func (w *auditWriter) flushQueued() error {
	if len(w.pending) == 0 {
		return nil
	}
	n := len(w.pending)
	id, objID := make([]int64, 0, n), make([]int64, 0, n)
	actorID, orgID := make([]*int64, 0, n), make([]*int64, 0, n)
	at, actor, objType, action, detail, prev, hash := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n),
		make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	opt := func(v int64) *int64 {
		if v == 0 {
			return nil
		}
		return &v
	}
	for _, q := range w.pending {
		e, err := w.seal(q.a, q.orgID, q.pid, q.action, q.detail)
		if err != nil {
			return err
		}
		id, at, actorID, actor, orgID = append(id, e.ID), append(at, e.At), append(actorID, opt(e.ActorID)), append(actor, e.Actor), append(orgID, opt(e.OrgID))
		objType, objID, action, detail = append(objType, e.ObjectType), append(objID, e.ObjectID), append(action, e.Action), append(detail, e.Detail)
		prev, hash = append(prev, e.PrevHash), append(hash, e.Hash)
	}
	w.pending = w.pending[:0]
	_, err := w.tx.ExecContext(w.ctx, `INSERT INTO audit_log
		(id, at, actor_id, actor, org_id, object_type, object_id, action, detail, prev_hash, hash)
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::bigint[],
			$8::text[], $9::text[], $10::text[], $11::text[])`,
		id, at, actorID, actor, orgID, objType, objID, action, detail, prev, hash)
	if err != nil {
		return fmt.Errorf("store: audit insert: %w", err)
	}
	return nil
}
