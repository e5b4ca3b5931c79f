package store

import "testing"

// An estimate is shown to two significant figures, never more precisely
// than it was made, and never as zero.
func TestRoughly(t *testing.T) {
	for in, want := range map[float64]int{0.2: 1, 7: 7, 12.4: 12, 76923: 77000, 2001: 2000, 154321: 150000, 999: 1000} {
		if got := roughly(in); got != want {
			t.Errorf("roughly(%v) = %d, want %d", in, got, want)
		}
	}
}

// Only a search on one facet and no words has its total in the counts table.
func TestOneFacet(t *testing.T) {
	if f, v, ok := oneFacet(RegisterQuery{Level: 3}); !ok || f != "level" || v != "3" {
		t.Fatalf("level: %q %q %v", f, v, ok)
	}
	for _, q := range []RegisterQuery{{}, {Text: "x", Sector: "health"}, {Sector: "health", Year: 2020}} {
		if _, _, ok := oneFacet(q); ok {
			t.Fatalf("%+v counted as one facet", q)
		}
	}
}
