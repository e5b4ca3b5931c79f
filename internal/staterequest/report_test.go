package staterequest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"buyright/internal/access"
	"buyright/internal/model"
)

func TestProtect(t *testing.T) {
	for _, c := range []struct {
		n    int
		want Range
	}{{0, Range{0, 0}}, {1, Range{1, 4}}, {4, Range{1, 4}}, {5, Range{5, 5}}, {120, Range{120, 120}}} {
		if got := Protect(c.n, 5); got != c.want {
			t.Errorf("Protect(%d) = %v, want %v", c.n, got, c.want)
		}
	}
	if s := (Range{1, 4}).String(); s != "1–4" {
		t.Errorf("range shows %q", s)
	}
}

// event is one request both sides may have recorded.
type event struct {
	company, authority string
	t                  Type
	p                  Process
	r                  Response
}

// records turns events into the records of both sides, as a company and
// an authority would each keep them.
func records(evs []event) []Request {
	var out []Request
	for i, e := range evs {
		for _, side := range []access.Side{access.CompanySide, access.AuthoritySide} {
			out = append(out, Request{Side: side, CompanyName: e.company, AuthorityName: e.authority, Type: e.t, Process: e.p, Response: e.r,
				Reference: fmt.Sprint("ref-", i), MadeOn: model.DateOf(jan1)})
		}
	}
	return out
}

// published is everything two reports of the same events publish - the
// company's (by authority) and the authority's (by company) - as bytes.
func published(t *testing.T, evs []event, company, authority string) string {
	t.Helper()
	var recsC, recsA []Request
	for _, r := range records(evs) {
		if r.Side == access.CompanySide && r.CompanyName == company {
			recsC = append(recsC, r)
		}
		if r.Side == access.AuthoritySide && r.AuthorityName == authority {
			recsA = append(recsA, r)
		}
	}
	b, err := json.Marshal([]Publication{Publish(Cells(recsC, access.CompanySide, Threshold)), Publish(Cells(recsA, access.AuthoritySide, Threshold))})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// randomEvents draws a small world: two companies, three authorities, few
// types, so cells of every size from 1 up appear.
func randomEvents(rng *rand.Rand) []event {
	var evs []event
	n := rng.IntN(60)
	for range n {
		evs = append(evs, event{
			company:   []string{"Lusonet", "Other Telecom"}[rng.IntN(2)],
			authority: []string{"Police", "Health", "Tax"}[rng.IntN(3)],
			t:         Types[rng.IntN(3)],
			p:         Processes[rng.IntN(2)],
			r:         Responses[rng.IntN(3)],
		})
	}
	return evs
}

// The promise of report.go, checked by brute force: for every cell whose
// true count is below the threshold, setting it to any other count below
// the threshold leaves both reports that count it (the company's and the
// authority's) exactly the same. Whatever a reader subtracts from
// whatever - a table from a total, one table from another, one report
// from the other - they cannot tell which small count is true.
func TestSmallCellsCannotBeRecoveredBySubtraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2026))
	checked := 0
	for range 8 {
		evs := randomEvents(rng)
		counts := map[event]int{}
		for _, e := range evs {
			counts[e]++
		}
		for cell, n := range counts {
			if n >= Threshold {
				continue
			}
			base := published(t, evs, cell.company, cell.authority)
			for m := 1; m < Threshold; m++ {
				if m == n {
					continue
				}
				if got := published(t, withCount(evs, cell, m), cell.company, cell.authority); got != base {
					t.Fatalf("a cell of %d and the same cell of %d publish differently:\n%s\n%s", n, m, base, got)
				}
				checked++
			}
		}
	}
	t.Logf("%d small cells varied", checked)
	if checked < 300 {
		t.Fatalf("only %d small cells were varied; the random worlds are too big to test anything", checked)
	}
}

// withCount returns the events with cell occurring exactly m times.
func withCount(evs []event, cell event, m int) []event {
	var out []event
	for _, e := range evs {
		if e != cell {
			out = append(out, e)
		}
	}
	for range m {
		out = append(out, cell)
	}
	return out
}

// The same check against tables computed the naive way - exact counts per
// table, with a total - fails: the test above would catch a report built
// like that. By type: user data 10, content 4; by response: complied 13,
// refused 1. Total 14 on both, so refused = 14 - 13 = 1 exactly.
func TestNaiveTablesWouldLeak(t *testing.T) {
	mk := func(refused int) []event {
		var evs []event
		for range 10 {
			evs = append(evs, event{"Lusonet", "Police", UserData, CourtOrder, Complied})
		}
		for range 3 {
			evs = append(evs, event{"Lusonet", "Police", ContentRemoval, CourtOrder, Complied})
		}
		for range refused {
			evs = append(evs, event{"Lusonet", "Police", ContentRemoval, CourtOrder, Refused})
		}
		return evs
	}
	naive := func(evs []event) string {
		byType, byResp := map[Type]int{}, map[Response]int{}
		for _, e := range evs {
			byType[e.t]++
			byResp[e.r]++
		}
		protect := func(n int) Range { return Protect(n, Threshold) }
		return fmt.Sprint(protect(byType[UserData]), protect(byType[ContentRemoval]), protect(byResp[Complied]), protect(byResp[Refused]), protect(len(evs)))
	}
	if naive(mk(1)) == naive(mk(2)) {
		t.Fatal("the naive tables should tell 1 refusal from 2: the control is broken")
	}
	if published(t, mk(1), "Lusonet", "Police") != published(t, mk(2), "Lusonet", "Police") {
		t.Fatal("the protected report tells 1 refusal from 2")
	}
}

// Every figure is consistent with the truth: each range holds the true
// count, so suppression hides but never misstates.
func TestRangesHoldTheTruth(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for range 100 {
		evs := randomEvents(rng)
		var recs []Request
		for _, r := range records(evs) {
			if r.Side == access.CompanySide && r.CompanyName == "Lusonet" {
				recs = append(recs, r)
			}
		}
		pub := Publish(Cells(recs, access.CompanySide, Threshold))
		if pub.Total.Lo > len(recs) || pub.Total.Hi < len(recs) {
			t.Fatalf("total %v does not hold %d", pub.Total, len(recs))
		}
		for _, row := range pub.Tables[ByType] {
			n := 0
			for _, r := range recs {
				if string(r.Type) == row.Key {
					n++
				}
			}
			if row.Count.Lo > n || row.Count.Hi < n {
				t.Fatalf("type %s: %v does not hold %d", row.Key, row.Count, n)
			}
			if row.Count.Exact() && n > 0 && n < Threshold {
				t.Fatalf("type %s shows the small count %d exactly", row.Key, n)
			}
		}
	}
}
