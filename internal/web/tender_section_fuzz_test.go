package web

import (
	"net/url"
	"slices"
	"testing"

	"buyright/internal/catalog"
	"buyright/internal/tender"
)

// FuzzSectionChoice feeds arbitrary posted tender-section fields for one
// item: reading them never panics, and a choice read without problems is
// one the store records (a known decision, a reason where one is needed,
// a weight only on award criteria and within 0-100).
func FuzzSectionChoice(f *testing.F) {
	set, err := catalog.Load("")
	if err != nil {
		f.Fatal(err)
	}
	items := map[bool]*catalog.Item{}
	for _, it := range set.OfKind("clause") {
		items[it.PartOf() == "award"] = it
	}
	f.Add(false, "d=accepted")
	f.Add(true, "d=edited&text=New+text&reason=Why&weight=30")
	f.Add(true, "d=accepted&weight=-4")
	f.Add(false, "d=rejected&reason=%20%20")
	f.Add(false, "d=proposed&weight=99999999999999999999")
	f.Add(true, "d=edited&text=&reason=x&weight=1e3")
	f.Fuzz(func(t *testing.T, award bool, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		it := items[award]
		posted := url.Values{}
		for k, v := range form {
			posted[k+"-"+it.ID] = v
		}
		c, errs := sectionChoice(posted, it, set.Hash(), "en")
		if len(errs) > 0 {
			return
		}
		if !slices.Contains([]string{tender.Accepted, tender.Edited, tender.Rejected}, c.Decision) {
			t.Fatalf("accepted decision %q", c.Decision)
		}
		if (c.Decision == tender.Rejected || c.Decision == tender.Edited) && c.Reason == "" {
			t.Fatalf("accepted %s without a reason", c.Decision)
		}
		if c.Weight < 0 || c.Weight > 100 || (!award && c.Weight != 0) {
			t.Fatalf("accepted weight %d (award %v)", c.Weight, award)
		}
	})
}
