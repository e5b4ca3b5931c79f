package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/ocds"
	"buyright/internal/ocdsio"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The OCDS corpus: the sample of the team's shared corpus kept in the
// repository (testdata/ocds, with its provenance), so a fresh clone runs
// these tests as CI does.
const sampleReleases = "../../testdata/ocds/releases.jsonl"

// importBytes imports OCDS input the way `buyright import` does, in
// batches of n releases.
func importBytes(t testing.TB, db *store.DB, orgID int64, data []byte, n int) store.ImportStats {
	t.Helper()
	lists, err := ocds.DefaultLists()
	if err != nil {
		t.Fatal(err)
	}
	scr := ocds.NewScreener(lists)
	r := ocds.NewReader(bytes.NewReader(data), "test.jsonl", ocds.Options{})
	var total store.ImportStats
	var rows []store.ImportRow
	flush := func() {
		st, err := db.ImportPurchases(ctx, store.Actor{Label: "test"}, orgID, rows)
		if err != nil {
			t.Fatal(err)
		}
		total.Add(st)
		rows = nil
	}
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Err != nil {
			continue
		}
		res := scr.Screen(it.Release)
		rows = append(rows, ocdsio.Row(it.Release, &res))
		if len(rows) == n {
			flush()
		}
	}
	flush()
	return total
}

func sharedData(t testing.TB) []byte {
	b, err := os.ReadFile(sampleReleases)
	if err != nil {
		t.Fatalf("the OCDS sample in testdata: %v", err)
	}
	return b
}

// dumpImport lists what an import leaves behind, without the times that
// differ between runs: purchases, their flags and sources, stage counts.
func dumpImport(t testing.TB, db *store.DB, orgID int64) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT ocid || '|' || title || '|' || need || '|' || sector || '|' || technologies || '|' || value_minor || '|' || currency || '|' ||
			COALESCE(CAST(tender_date AS TEXT), '') || '|' || COALESCE(CAST(award_date AS TEXT), '') || '|' ||
			COALESCE(CAST(contract_start AS TEXT), '') || '|' || COALESCE(CAST(contract_end AS TEXT), '') || '|' || stage || '|' || version
			FROM purchases WHERE org_id = $1 ORDER BY ocid`,
		`SELECT p.ocid || '|' || f.pos || '|' || f.flag_id || '|' || f.reason || '|' || f.path FROM purchase_flags f
			JOIN purchases p ON p.id = f.purchase_id WHERE p.org_id = $1 ORDER BY p.ocid, f.pos`,
		`SELECT p.ocid || '|' || s.release_id || '|' || s.release_date || '|' || s.flags_hash FROM ocds_sources s
			JOIN purchases p ON p.id = s.purchase_id WHERE p.org_id = $1 ORDER BY p.ocid`,
		`SELECT stage || '|' || n FROM purchase_counts WHERE org_id = $1 AND n <> 0 ORDER BY stage`,
	} {
		rows, err := db.RawDB().Query(q, orgID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		rows.Close()
	}
	return out
}

func diffLines(a, b []string) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d lines against %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i, a[i], b[i])
		}
	}
	return ""
}

func TestImportTwiceNoDuplicates(t *testing.T) {
	data := sharedData(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		first := importBytes(t, db, org.ID, data, 300)
		if first.New == 0 || len(first.Rejected) != 0 {
			t.Fatalf("first import: %+v", first)
		}
		before := dumpImport(t, db, org.ID)
		second := importBytes(t, db, org.ID, data, 300)
		if second.New != 0 || second.Updated != 0 {
			t.Fatalf("second import changed something: %+v", second)
		}
		if second.Unchanged+second.Older != first.New+first.Updated+first.Unchanged+first.Older {
			t.Fatalf("second import did not see every release: %+v against %+v", second, first)
		}
		if d := diffLines(before, dumpImport(t, db, org.ID)); d != "" {
			t.Fatalf("second import changed the database: %s", d)
		}
		var n, distinct int
		db.RawDB().QueryRow("SELECT COUNT(*), COUNT(DISTINCT ocid) FROM purchases WHERE org_id = $1", org.ID).Scan(&n, &distinct)
		if n != first.New || n != distinct {
			t.Fatalf("%d purchases, %d distinct ocids, %d created", n, distinct, first.New)
		}
		countsAndAuditHold(t, db, org.ID)
		var audits int
		db.RawDB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'import'").Scan(&audits)
		if audits != first.New+first.Updated {
			t.Fatalf("%d import audit rows for %d changes", audits, first.New+first.Updated)
		}
		t.Logf("first: %+v; second: %+v", first, second)
	})
}

// countsAndAuditHold checks that the body's kept stage counts agree with
// its rows and that the audit chain verifies.
func countsAndAuditHold(t *testing.T, db *store.DB, orgID int64) {
	t.Helper()
	var bad int
	db.RawDB().QueryRow(`SELECT COUNT(*) FROM purchase_counts c WHERE c.org_id = $1 AND c.n <>
		(SELECT COUNT(*) FROM purchases p WHERE p.org_id = c.org_id AND p.stage = c.stage)`, orgID).Scan(&bad)
	if bad != 0 {
		t.Fatalf("%d stage counts drifted", bad)
	}
	if _, _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestImportKilledMidway imports a prefix of the file (as a killed import
// leaves whole batches), then the whole file, and compares with one clean
// run: the same purchases, versions, flags and counts.
func TestImportKilledMidway(t *testing.T) {
	data := sharedData(t)
	lines := bytes.SplitAfter(data, []byte("\n"))
	// Batches of 250 on the shared corpus; on the smaller sample, a quarter of it.
	batch := min(250, len(lines)/4)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clean := storetest.Org(t, db, "clean", model.OrgPublicBody)
		importBytes(t, db, clean.ID, data, batch)
		want := dumpImport(t, db, clean.ID)
		for _, cut := range []int{batch, 2 * batch, 3 * batch} {
			org := storetest.Org(t, db, fmt.Sprintf("killed%d", cut), model.OrgPublicBody)
			importBytes(t, db, org.ID, bytes.Join(lines[:cut], nil), batch)
			importBytes(t, db, org.ID, data, batch)
			if d := diffLines(want, dumpImport(t, db, org.ID)); d != "" {
				t.Fatalf("killed after %d lines and run again: %s", cut, d)
			}
		}
	})
}

func TestImportMapping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		in := strings.Join([]string{
			`{"ocid":"ocds-abc123-1","id":"1","date":"2024-01-01T00:00:00Z","tag":["tender"],"tender":{"title":"Facial recognition cameras <script>alert(1)</script>","description":"For the centre","status":"active","procurementMethod":"direct","tenderPeriod":{"startDate":"2024-01-10T00:00:00Z"},"value":{"amount":1000.5,"currency":"eur"}}}`,
			`{"ocid":"ocds-abc123-1","id":"2","date":"2024-03-01T00:00:00+01:00","tag":["contract"],"tender":{"title":"Facial recognition cameras <script>alert(1)</script>","description":"For the centre","status":"complete"},"awards":[{"id":"a","date":"2024-02-01T00:00:00Z","value":{"amount":900,"currency":"EUR"}}],"contracts":[{"id":"c","awardID":"a","period":{"startDate":"2024-03-01T00:00:00Z","endDate":"2025-03-01T00:00:00Z"},"value":{"amount":950,"currency":"EUR"}}]}`,
			`{"ocid":"PC-77","id":"x","date":"2023-01-01","tag":["tender"],"tender":{"title":"Cancelled","status":"cancelled"}}`,
			`{"ocid":"PC-78","id":"y","tag":["planning"],"planning":{"budget":{"description":"Servers"}}}`,
		}, "\n")
		st := importBytes(t, db, org.ID, []byte(in), 10)
		if st.New != 3 || st.Updated != 1 || len(st.Rejected) != 0 {
			t.Fatalf("%+v", st)
		}
		var title, stage, techs, cur, start, end string
		var value, version int64
		db.RawDB().QueryRow(`SELECT title, stage, technologies, value_minor, currency, CAST(contract_start AS TEXT), CAST(contract_end AS TEXT), version
			FROM purchases WHERE ocid = 'ocds-abc123-1'`).Scan(&title, &stage, &techs, &value, &cur, &start, &end, &version)
		if stage != "contract" || value != 95000 || cur != "EUR" || !strings.HasPrefix(start, "2024-03-01") || !strings.HasPrefix(end, "2025-03-01") || version != 2 {
			t.Fatalf("got %s %d %s %s %s v%d", stage, value, cur, start, end, version)
		}
		if !strings.Contains(techs, "surveillance") || !strings.Contains(techs, "biometrics") {
			t.Fatalf("technologies %q", techs)
		}
		db.RawDB().QueryRow(`SELECT stage FROM purchases WHERE ocid = 'PC-77'`).Scan(&stage)
		if stage != "cancelled" {
			t.Fatalf("cancelled tender imported at %s", stage)
		}
		var id int64
		db.RawDB().QueryRow(`SELECT id FROM purchases WHERE ocid = 'ocds-abc123-1'`).Scan(&id)
		flags, err := db.PurchaseFlags(ctx, id)
		if err != nil || len(flags) == 0 {
			t.Fatalf("flags %v %v", flags, err)
		}
	})
}

func BenchmarkImport(b *testing.B) {
	data := sharedData(b)
	lines := bytes.SplitAfter(bytes.TrimRight(data, "\n"), []byte("\n"))
	// 20 copies of the corpus with ocids made unique per copy.
	var buf bytes.Buffer
	for c := 0; c < 20; c++ {
		for _, l := range lines {
			buf.Write(bytes.Replace(l, []byte(`"ocid":"`), []byte(fmt.Sprintf(`"ocid":"c%d-`, c)), 1))
			if !bytes.HasSuffix(l, []byte("\n")) {
				buf.WriteByte('\n')
			}
		}
	}
	n := len(lines) * 20
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.Open(b, store.SQLite)
		org := storetest.Org(b, db, "city", model.OrgPublicBody)
		b.StartTimer()
		importBytes(b, db, org.ID, buf.Bytes(), 2000)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "releases/s")
}

// An import records what the publisher published, but it does not move a
// purchase through the lifecycle: one registered in buyright, or moved by
// a person since it was imported, keeps its stage (its gates are the only
// way on), and the stage the release reported is noted in the audit row.
// A purchase known only from the publisher follows the publisher.
func TestImportLeavesGatedStages(t *testing.T) {
	release := func(ocid, id, date, body string) string {
		return `{"ocid":"` + ocid + `","id":"` + id + `","date":"` + date + `",` + body + `}`
	}
	const contract = `"tag":["contract"],"tender":{"title":"Benefit scoring","status":"complete"},"awards":[{"id":"a","date":"2024-02-01T00:00:00Z"}],"contracts":[{"id":"c","awardID":"a","period":{"startDate":"2024-03-01T00:00:00Z"}}]`
	const tender = `"tag":["tender"],"tender":{"title":"Benefit scoring","status":"active"}`
	const cancelled = `"tag":["tender"],"tender":{"title":"Benefit scoring","status":"cancelled"}`
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		u := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		own := &model.Purchase{OrgID: org.ID, Title: "Benefit scoring", Sector: "social_protection", LeadUserID: u.ID, OCID: "ocds-abc123-own"}
		if err := db.CreatePurchase(ctx, store.ActorOf(u), own); err != nil {
			t.Fatal(err)
		}
		stageOf := func(ocid string) (model.Stage, int64) {
			var s model.Stage
			var id int64
			if err := db.RawDB().QueryRow("SELECT stage, id FROM purchases WHERE ocid = $1", ocid).Scan(&s, &id); err != nil {
				t.Fatal(err)
			}
			return s, id
		}

		st := importBytes(t, db, org.ID, []byte(strings.Join([]string{
			release("ocds-abc123-own", "1", "2024-03-02T00:00:00Z", contract),
			release("ocds-abc123-pub", "1", "2024-01-02T00:00:00Z", tender),
			release("ocds-abc123-pub", "2", "2024-03-02T00:00:00Z", contract),
		}, "\n")), 10)
		if st.StageKept != 1 {
			t.Errorf("stage kept %d times, want 1: %+v", st.StageKept, st)
		}
		if s, _ := stageOf("ocds-abc123-own"); s != model.StagePlanning {
			t.Errorf("a purchase registered in buyright went to %s on import", s)
		}
		s, pubID := stageOf("ocds-abc123-pub")
		if s != model.StageContract {
			t.Errorf("a purchase known only from the publisher is at %s, want contract", s)
		}
		var detail string
		db.RawDB().QueryRow("SELECT detail FROM audit_log WHERE action = 'import' AND object_id = $1 ORDER BY id DESC LIMIT 1", own.ID).Scan(&detail)
		if !strings.Contains(detail, `"stage_reported":"contract"`) || strings.Contains(detail, `"stage":{`) {
			t.Errorf("audit row of the kept stage: %s", detail)
		}

		// A person moves the imported purchase on; the publisher's later
		// release no longer moves it.
		p, _, err := db.Purchase(ctx, u, pubID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Transition(ctx, store.ActorOf(u), p, store.Move{To: model.StageImplementation, Reason: "in use"}); err != nil {
			t.Fatal(err)
		}
		st = importBytes(t, db, org.ID, []byte(release("ocds-abc123-pub", "3", "2024-05-02T00:00:00Z", cancelled)), 10)
		if s, _ := stageOf("ocds-abc123-pub"); s != model.StageImplementation || st.StageKept != 1 {
			t.Errorf("after a person moved it, an import put it at %s (%+v)", s, st)
		}
		countsAndAuditHold(t, db, org.ID)
	})
}
