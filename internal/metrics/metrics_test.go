package metrics

import (
	"strings"
	"testing"
)

// A scrape shows counters, cumulative histogram buckets and gauges in the
// text format Prometheus parses; label values are escaped.
func TestExposition(t *testing.T) {
	r := New()
	r.Counter("http_requests_total", "Requests served.")
	r.Histogram("http_request_duration_seconds", "Time to answer.", []float64{0.5, 0.1})
	r.GaugeFunc("queue_length", "Messages waiting.", func() []Sample { return []Sample{{Labels: []string{"state", "due"}, Value: 3}} })
	r.Add("http_requests_total", 1, "route", "GET /purchases/{id}", "status", "200")
	r.Add("http_requests_total", 2, "route", "GET /purchases/{id}", "status", "200")
	r.Add("http_requests_total", 1, "route", `say "hi"\`, "status", "404")
	r.Observe("http_request_duration_seconds", 0.05, "route", "GET /")
	r.Observe("http_request_duration_seconds", 0.3, "route", "GET /")
	r.Observe("http_request_duration_seconds", 2, "route", "GET /")
	var b strings.Builder
	if _, err := r.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"# TYPE http_requests_total counter\n",
		`http_requests_total{route="GET /purchases/{id}",status="200"} 3` + "\n",
		`http_requests_total{route="say \"hi\"\\",status="404"} 1` + "\n",
		"# TYPE http_request_duration_seconds histogram\n",
		`http_request_duration_seconds_bucket{route="GET /",le="0.1"} 1` + "\n",
		`http_request_duration_seconds_bucket{route="GET /",le="0.5"} 2` + "\n",
		`http_request_duration_seconds_bucket{route="GET /",le="+Inf"} 3` + "\n",
		`http_request_duration_seconds_sum{route="GET /"} 2.35` + "\n",
		`http_request_duration_seconds_count{route="GET /"} 3` + "\n",
		"# TYPE queue_length gauge\n",
		`queue_length{state="due"} 3` + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if r.Value("http_requests_total", "route", "GET /purchases/{id}", "status", "200") != 3 {
		t.Error("Value does not read the counter")
	}
}
