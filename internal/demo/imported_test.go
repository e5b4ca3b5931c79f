package demo_test

import (
	"context"
	"strings"
	"testing"

	"buyright/internal/auth"
	"buyright/internal/demo"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The demo has imported releases with the flags the screener raises, for
// the public view of imported data.
func TestSeedImportedReleases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, db, auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}); err != nil {
			t.Fatal(err)
		}
		res, err := db.ImportedReleases(ctx, store.ImportedQuery{})
		if err != nil || res.Total != 4 {
			t.Fatalf("imported releases: %+v %v", res, err)
		}
		flags := map[string][]string{}
		for _, it := range res.Items {
			for _, f := range it.Flags {
				flags[it.OCID] = append(flags[it.OCID], f.ID)
			}
		}
		if got := strings.Join(flags["ocds-demo-rtc-0001"], " "); !strings.Contains(got, "biometrics") || !strings.Contains(got, "single-tenderer") {
			t.Errorf("facial recognition release flags: %q", got)
		}
		if got := strings.Join(flags["ocds-demo-rtc-0003"], " "); !strings.Contains(got, "surveillance") {
			t.Errorf("CCTV release flags: %q (all: %v)", got, flags)
		}
	})
}
