package store_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// catalogueIndicators returns the indicator catalogue's entries.
func catalogueIndicators(t *testing.T) []*catalog.Item {
	t.Helper()
	set, err := catalog.Load("")
	if err != nil {
		t.Fatal(err)
	}
	c, ok := set.Catalog("indicators")
	if !ok || len(c.Items) < 10 {
		t.Fatal("no indicator catalogue")
	}
	return c.Items
}

// beyond is the test's own reading of a threshold: for "lower is better"
// a value above it, for "higher is better" a value below it.
func beyond(direction string, threshold *float64, v float64) bool {
	if threshold == nil {
		return false
	}
	if direction == "lower" {
		return v > *threshold
	}
	return v < *threshold
}

// randomValue draws a value for the indicator's unit, often exactly on
// the threshold, where an off-by-one in the comparison would show.
func randomValue(r *rand.Rand, unit string, threshold *float64) float64 {
	if threshold != nil && r.IntN(5) == 0 {
		return *threshold
	}
	top := 100.0
	if unit != "percent" {
		top = 50
		if threshold != nil {
			top = 2**threshold + 10
		}
	}
	return math.Round(r.Float64()*top*10) / 10
}

// checkTasks asserts the property: the indicator has an open task exactly
// when one of its stored values is beyond its threshold.
func checkTasks(t *testing.T, db *store.DB, p *model.Purchase, in *monitoring.Indicator, when string) {
	t.Helper()
	ms, err := db.Measurements(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := false
	var values []float64
	for _, m := range ms {
		values = append(values, m.Value)
		want = want || beyond(in.Direction, in.Threshold, m.Value)
	}
	got := len(tasksFrom(t, db, p, fmt.Sprintf("indicator:%d", in.ID)))
	if got > 1 || (got == 1) != want {
		thr := "none"
		if in.Threshold != nil {
			thr = fmt.Sprint(*in.Threshold)
		}
		t.Fatalf("%s, %s (%s is better, threshold %s), values %v: %d open tasks, want a task: %v", when, in.CatalogID, in.Direction, thr, values, got, want)
	}
}

// For every catalogue indicator and random values, entered in random
// batches and corrected, with the threshold (and, for a body's own
// indicator, the direction) changed on the way: a task is open exactly
// when a value is beyond the threshold in the indicator's direction.
func TestMonitoringTasksFollowValuesProperty(t *testing.T) {
	items := catalogueIndicators(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		a := store.ActorOf(off)
		seed := uint64(20261203)
		r := rand.New(rand.NewPCG(seed, 7))
		t.Logf("seed %d", seed)
		for _, it := range items {
			for round := 0; round < 4; round++ {
				own := round == 3 // the last round: a body's own indicator with the same terms
				p := storetest.Purchase(t, db, off, fmt.Sprintf("%s round %d", it.ID, round))
				in := &monitoring.Indicator{CatalogID: it.ID, Title: it.Title.In("en"), Threshold: it.Threshold}
				if own {
					in.CatalogID = ""
				}
				// What a form sends whatever was picked: the catalogue's
				// terms must win over it.
				in.Unit, in.Direction = "percent", "higher"
				in.Keep(monitoring.Terms{Unit: it.Unit, Direction: it.Direction, ByGroup: it.ByGroup})
				if in.Threshold == nil && round%2 == 1 {
					v := randomValue(r, in.Unit, nil)
					in.Threshold = &v
				}
				if err := db.AddIndicator(ctx, a, p, in); err != nil {
					t.Fatalf("%s: %v", it.ID, err)
				}
				if in.Direction != it.Direction || in.Unit != it.Unit || (it.ByGroup && !in.ByGroup) {
					t.Fatalf("%s saved as %s/%s by group %v", it.ID, in.Unit, in.Direction, in.ByGroup)
				}
				groups := []string{""}
				if in.ByGroup {
					groups = []string{"Women", "Men", "People over 65"}[:1+r.IntN(3)]
				}
				periods := 1 + r.IntN(4)
				var all []monitoring.Measurement
				for i := 0; i < periods; i++ {
					for _, g := range groups {
						all = append(all, monitoring.Measurement{IndicatorID: in.ID, Period: day(t, fmt.Sprintf("2026-%02d-01", i+1)), Group: g})
					}
				}
				enter := func(when string) {
					for i := range all {
						all[i].Value = randomValue(r, in.Unit, in.Threshold)
					}
					for len(all) > 0 {
						// Random batches, in a random order.
						r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
						n := 1 + r.IntN(len(all))
						if _, err := db.RecordMeasurements(ctx, a, p, "form", all[:n]); err != nil {
							t.Fatal(err)
						}
						checkTasks(t, db, p, in, when)
						if r.IntN(2) == 0 {
							break // leave the rest as they were
						}
						all = all[n:]
					}
				}
				enter("after entering values")
				for change := 0; change < 3; change++ {
					ch := *in
					v := randomValue(r, in.Unit, nil)
					ch.Threshold = &v
					if own && r.IntN(2) == 0 {
						ch.Direction = map[string]string{"higher": "lower", "lower": "higher"}[ch.Direction]
					}
					if err := db.UpdateIndicator(ctx, a, p, &ch, ""); err != nil {
						t.Fatal(err)
					}
					*in = ch
					checkTasks(t, db, p, in, fmt.Sprintf("after change %d", change+1))
					all = all[:0]
					ms, _ := db.Measurements(ctx, p.ID)
					all = append(all, ms...)
					enter(fmt.Sprintf("after correcting values following change %d", change+1))
				}
			}
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
