package metrics

import (
	"io"
	"strconv"
	"testing"
)

// What counting costs a request: one counter and one histogram sample,
// from several goroutines at once as a busy server would.
func BenchmarkCountRequest(b *testing.B) {
	r := New()
	r.Counter("req_total", "x")
	r.Histogram("req_seconds", "x", []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10})
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Add("req_total", 1, "route", "GET /purchases/{id}", "code", "200")
			r.Observe("req_seconds", 0.012, "route", "GET /purchases/{id}")
		}
	})
}

// A scrape of about as many series as a busy server has (250 routes with
// a few statuses each and their histograms).
func BenchmarkScrape(b *testing.B) {
	r := New()
	r.Counter("req_total", "x")
	r.Histogram("req_seconds", "x", []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10})
	for i := range 250 {
		route := "GET /route/" + strconv.Itoa(i)
		for _, code := range []string{"200", "303", "404"} {
			r.Add("req_total", 1, "route", route, "code", code)
		}
		r.Observe("req_seconds", 0.01, "route", route)
	}
	b.ResetTimer()
	for b.Loop() {
		r.WriteTo(io.Discard)
	}
}
