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

// After a change, the first request for a search counts it; others that
// arrive meanwhile get the counts from before the change, marked as
// estimates, or count for themselves; none waits.
func TestFacetCacheNeverWaits(t *testing.T) {
	var c facetCache
	before := counted{total: 7}
	if _, ok, own := c.cached(1, "k", true); ok || !own {
		t.Fatal("first request must count")
	}
	c.put(1, "k", before, true)
	if hit, ok, _ := c.cached(1, "k", true); !ok || hit.total != 7 || hit.approx {
		t.Fatalf("hit %+v %v", hit, ok)
	}
	if _, ok, own := c.cached(2, "k", true); ok || !own {
		t.Fatal("first request after a change must count")
	}
	hit, ok, own := c.cached(2, "k", true)
	if !ok || own || hit.total != 7 || !hit.approx {
		t.Fatalf("meanwhile: %+v ok=%v own=%v, want the old counts as an estimate", hit, ok, own)
	}
	if _, ok, own := c.cached(2, "new", true); ok || !own {
		t.Fatal("a new search must count")
	}
	if _, ok, own := c.cached(2, "new", true); ok || own {
		t.Fatal("a second request for a new search counts for itself, without owning it")
	}
	c.release(2, "new")
	if _, _, own := c.cached(2, "new", true); !own {
		t.Fatal("after a failed count another request must count")
	}
	if _, ok, own := c.cached(1, "k", true); ok || own {
		t.Fatal("a request that read an older version must count for itself")
	}
	if _, ok, _ := c.cached(2, "k", false); ok {
		t.Fatal("stale counts served where they are not wanted")
	}
	c.put(2, "k", counted{total: 8}, true)
	if hit, _, _ := c.cached(2, "k", true); hit.total != 8 || hit.approx {
		t.Fatalf("after counting: %+v", hit)
	}
}
