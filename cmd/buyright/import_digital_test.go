package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"buyright/internal/store"
)

// import --only-digital brings in the digital release and leaves out the
// chairs, and says so; the imported purchase has the sector its codes
// point to.
func TestImportOnlyDigitalAndSector(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "x.db")
	in := journalistReleases +
		`{"ocid":"ocds-x-3","tender":{"title":"Historia clínica electrónica","items":[{"classification":{"scheme":"CPV","id":"48814000-7"}},{"classification":{"scheme":"CPV","id":"85111000-0"}}]}}` + "\n"
	code, _, errs := runCLI(t, in, "import", "--db", dbURL, "--org", "body", "--only-digital", "--no-progress", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "2 new") || !strings.Contains(errs, "1 releases were not judged digital and were left out") {
		t.Errorf("summary: %s", errs)
	}
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := map[string]string{}
	var ocid, sector string
	for _, o := range []string{"ocds-x-1", "ocds-x-2", "ocds-x-3"} {
		if err := db.QueryRowForTest("SELECT ocid, sector FROM purchases WHERE ocid = '"+o+"'", &ocid, &sector); err == nil {
			got[ocid] = sector
		}
	}
	want := map[string]string{"ocds-x-1": "other", "ocds-x-3": "health"}
	if len(got) != len(want) || got["ocds-x-1"] != want["ocds-x-1"] || got["ocds-x-3"] != want["ocds-x-3"] {
		t.Errorf("imported %v, want %v", got, want)
	}
}
