package web_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/catalog"
	"buyright/internal/monitoring"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The case from the issue: "Error rate of automated decisions, by group"
// picked from the catalogue with the form's defaults (percent, higher is
// better, not by group) is saved lower-is-better and by group, so a 3%
// error rate passes and 12% opens a task; the officer sees the terms and
// the task, and the register publishes the right breach.
func TestCatalogueIndicatorKeepsItsTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefit fraud scoring")
		mon := fmt.Sprintf("/purchases/%d/monitoring", p.ID)
		w.post("city_officer", mon+"/indicators", url.Values{"catalog_id": {"IND-ERROR"}, "title": {""}, "unit": {"percent"}, "direction": {"higher"}, "threshold": {""}}, 303)
		plan, _ := db.Indicators(ctx, p.ID)
		if len(plan) != 1 {
			t.Fatalf("plan: %+v", plan)
		}
		in := plan[0]
		if in.Direction != "lower" || !in.ByGroup || in.Unit != "percent" || in.Threshold == nil || *in.Threshold != 5 {
			t.Fatalf("saved as %+v", in)
		}
		for g, v := range map[string]string{"Women": "3", "Men": "12"} {
			w.post("city_officer", mon+"/measurements", url.Values{"indicator": {fmt.Sprint(in.ID)}, "period": {"2026-09-01"}, "group": {g}, "value": {v}}, 303)
		}
		body := w.page("city_officer", mon)
		for _, want := range []string{"lower is better", "measured by group", "Monitoring: Error rate of automated decisions, by group is 12 (threshold 5) for 2026-09-01, Men"} {
			if !strings.Contains(body, want) {
				t.Errorf("monitoring page lacks %q", want)
			}
		}
		if strings.Contains(body, "is 3 (threshold 5)") {
			t.Error("a task for the 3% error rate, which is within the threshold")
		}
		if got := w.page("city_officer", fmt.Sprintf("/purchases/%d", p.ID)); !strings.Contains(got, "is 12 (threshold 5)") {
			t.Error("the purchase page does not list the task")
		}
		if err := db.Publish(ctx, store.ActorOf(w.users["city_officer"]), p, true, "We score claims for fraud risk.", nil); err != nil {
			t.Fatal(err)
		}
		entry := w.page("", fmt.Sprintf("/register/%d", p.ID))
		if !strings.Contains(entry, "Men: 12; Women: 3") || !strings.Contains(entry, "beyond the threshold") {
			t.Errorf("the register entry does not publish the breach:\n%s", entry[strings.Index(entry, "<main"):])
		}
	})
}

// A body's own indicator saved the wrong way round: changing its direction
// closes the task for the good value with the reason, opens one for the
// bad value, and the monitoring page shows both.
func TestIndicatorChangeJudgesValuesAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Appeals")
		mon := fmt.Sprintf("/purchases/%d/monitoring", p.ID)
		w.post("city_officer", mon+"/indicators", url.Values{"title": {"Wrong decisions"}, "unit": {"percent"}, "direction": {"higher"}, "threshold": {"5"}}, 303)
		plan, _ := db.Indicators(ctx, p.ID)
		id := fmt.Sprint(plan[0].ID)
		w.post("city_officer", mon+"/measurements", url.Values{"indicator": {id}, "period": {"2026-08-01"}, "value": {"12"}}, 303)
		w.post("city_officer", mon+"/measurements", url.Values{"indicator": {id}, "period": {"2026-09-01"}, "value": {"3"}}, 303)
		if body := w.page("city_officer", mon); !strings.Contains(body, "Wrong decisions is 3 (threshold 5)") {
			t.Fatal("no task for 3 while higher was better")
		}
		w.post("city_officer", mon+"/indicators/"+id, url.Values{"title": {"Wrong decisions"}, "unit": {"percent"}, "direction": {"lower"}, "threshold": {"5"}}, 303)
		body := w.page("city_officer", mon)
		for _, want := range []string{
			"<s>Monitoring: Wrong decisions is 3 (threshold 5) for 2026-09-01</s>",
			"Replaced: the indicator changed (now lower is better, was higher)",
			"<strong>Monitoring: Wrong decisions is 12 (threshold 5) for 2026-08-01</strong>",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("monitoring page lacks %q", want)
			}
		}
		// Correcting August's value: nothing is beyond the threshold, the
		// task closes and says why.
		w.post("city_officer", mon+"/measurements", url.Values{"indicator": {id}, "period": {"2026-08-01"}, "value": {"2"}}, 303)
		body = w.page("city_officer", mon)
		if !strings.Contains(body, "No longer holds: values were entered again and none is beyond the threshold.") {
			t.Error("the corrected value did not close the task with its reason")
		}
		if ts, _ := db.PurchaseTasks(ctx, p.ID); len(ts) != 0 {
			t.Errorf("open tasks: %+v", ts)
		}
		if body := w.page("city_viewer", mon); !strings.Contains(body, "No longer holds") {
			t.Error("a viewer does not see why the task closed")
		}
	})
}

// Through the forms, for every catalogue indicator with the form's
// default unit and direction sent along, random values and a changed
// threshold: a task is open exactly when a value is beyond the threshold
// in the catalogue's direction.
func TestCatalogueIndicatorsThroughFormsProperty(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	set, err := catalog.Load("")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := set.Catalog("indicators")
	r := rand.New(rand.NewPCG(3, 12))
	value := func(it *catalog.Item, thr *float64) string {
		if thr != nil && r.IntN(4) == 0 {
			return fmt.Sprint(*thr)
		}
		top := 100
		if it.Unit != "percent" {
			top = 40
		}
		return fmt.Sprint(r.IntN(top*10+1) / 10)
	}
	for _, it := range c.Items {
		p := w.purchase("Property " + it.ID)
		mon := fmt.Sprintf("/purchases/%d/monitoring", p.ID)
		w.post("city_officer", mon+"/indicators", url.Values{"catalog_id": {it.ID}, "unit": {"percent"}, "direction": {"higher"}, "threshold": {"10"}}, 303)
		plan, _ := db.Indicators(ctx, p.ID)
		in := plan[0]
		if in.Direction != it.Direction || in.Unit != it.Unit || in.ByGroup != it.ByGroup {
			t.Fatalf("%s saved as %s/%s by group %v", it.ID, in.Unit, in.Direction, in.ByGroup)
		}
		check := func(in *monitoring.Indicator, when string) {
			t.Helper()
			ms, _ := db.Measurements(ctx, p.ID)
			want := false
			for _, m := range ms {
				if in.Direction == "lower" {
					want = want || m.Value > *in.Threshold
				} else {
					want = want || m.Value < *in.Threshold
				}
			}
			ts, _ := db.PurchaseTasks(ctx, p.ID)
			if (len(ts) == 1) != want || len(ts) > 1 {
				t.Fatalf("%s %s: %d tasks, want one: %v (values %+v)", it.ID, when, len(ts), want, ms)
			}
		}
		for i := 0; i < 4; i++ {
			g := ""
			if in.ByGroup {
				g = []string{"Women", "Men"}[i%2]
			}
			w.post("city_officer", mon+"/measurements", url.Values{"indicator": {fmt.Sprint(in.ID)}, "period": {fmt.Sprintf("2026-0%d-01", 1+i/2)}, "group": {g}, "value": {value(it, in.Threshold)}}, 303)
			check(in, "after values")
		}
		thr := value(it, nil)
		w.post("city_officer", fmt.Sprintf("%s/indicators/%d", mon, in.ID), url.Values{"title": {in.Title}, "unit": {"count"}, "direction": {"higher"}, "threshold": {thr}}, 303)
		in, _ = db.Indicator(ctx, p.ID, in.ID)
		if in.Direction != it.Direction {
			t.Fatalf("%s: direction changed to %s through the form", it.ID, in.Direction)
		}
		check(in, "after the threshold changed to "+thr)
	}
}
