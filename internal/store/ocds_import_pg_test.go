package store_test

import (
	"bytes"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store/storetest"
)

// PostgreSQL imports a batch in a few statements, SQLite one release at a
// time; both must leave the same purchases, versions, flags, sources,
// counts and audit rows, including when one batch holds several releases
// of one ocid (the corpus has many) and when a batch re-imports them.
func TestImportSameOnBothDatabases(t *testing.T) {
	if len(storetest.Dialects()) < 2 {
		t.Skip("PostgreSQL not configured: set " + storetest.EnvPostgres)
	}
	data := sharedData(t)
	var dumps [][]string
	for _, d := range storetest.Dialects() {
		db := storetest.Open(t, d)
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		for _, batch := range []int{400, 97} {
			importBytes(t, db, org.ID, data, batch)
		}
		dump := dumpImport(t, db, org.ID)
		rows, err := db.RawDB().Query(`SELECT COALESCE(p.ocid, '') || '|' || a.action || '|' || a.detail FROM audit_log a
			LEFT JOIN purchases p ON p.id = a.object_id AND a.object_type = 'purchase' ORDER BY a.id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			dump = append(dump, s)
		}
		rows.Close()
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		dumps = append(dumps, dump)
	}
	if d := diffLines(dumps[0], dumps[1]); d != "" {
		t.Fatalf("SQLite and PostgreSQL differ: %s", d)
	}
	// At least a line per release (its purchase, or its audit row), so the
	// comparison covered the whole sample.
	if releases := bytes.Count(data, []byte("\n")); len(dumps[0]) < releases {
		t.Fatalf("only %d lines compared for %d releases", len(dumps[0]), releases)
	}
}
