// Package metrics counts what an operator watches (requests, latencies,
// jobs) and writes it in the Prometheus text exposition format (version
// 0.0.4). The format is a few lines of text per series, so it is written
// here rather than pulled in with a client library.
package metrics

import (
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Registry holds every series of one process. It is safe for concurrent use.
type Registry struct {
	mu       sync.Mutex
	families map[string]*family
	order    []string
	// gauges are read when scraped, so they show the state at that moment.
	gauges []gaugeFunc
}

type gaugeFunc struct {
	name, help string
	read       func() []Sample
}

// Sample is one value of a gauge read at scrape time, with its labels as
// name/value pairs.
type Sample struct {
	Labels []string
	Value  float64
}

type family struct {
	name, help, kind string
	buckets          []float64 // histograms only
	les              []string  // the buckets as written in le labels
	series           map[string]*series
}

type series struct {
	labels string // rendered {a="b",...} or ""
	value  float64
	counts []uint64 // histogram bucket counts, not cumulative
	sum    float64
	n      uint64
}

// New returns an empty registry.
func New() *Registry { return &Registry{families: map[string]*family{}} }

// Counter describes a counter family; Add increments one of its series.
func (r *Registry) Counter(name, help string) {
	r.define(name, help, "counter", nil)
}

// Histogram describes a histogram family with upper bounds in seconds (or
// whatever unit the name says).
func (r *Registry) Histogram(name, help string, buckets []float64) {
	b := slices.Clone(buckets)
	slices.Sort(b)
	r.define(name, help, "histogram", b)
}

// GaugeFunc registers a gauge whose samples are read on every scrape.
func (r *Registry) GaugeFunc(name, help string, read func() []Sample) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges = append(r.gauges, gaugeFunc{name, help, read})
}

func (r *Registry) define(name, help, kind string, buckets []float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.families[name]; ok {
		panic("metrics: defined twice: " + name)
	}
	f := &family{name: name, help: help, kind: kind, buckets: buckets, series: map[string]*series{}}
	for _, ub := range buckets {
		f.les = append(f.les, formatFloat(ub))
	}
	r.families[name] = f
	r.order = append(r.order, name)
}

func (r *Registry) get(name string, labels []string) *series {
	f, ok := r.families[name]
	if !ok {
		panic("metrics: not defined: " + name)
	}
	key := renderLabels(labels)
	s, ok := f.series[key]
	if !ok {
		s = &series{labels: key}
		if f.kind == "histogram" {
			s.counts = make([]uint64, len(f.buckets))
		}
		f.series[key] = s
	}
	return s
}

// Add adds v to the counter series with these label name/value pairs.
func (r *Registry) Add(name string, v float64, labels ...string) {
	r.mu.Lock()
	r.get(name, labels).value += v
	r.mu.Unlock()
}

// Observe records one value in the histogram series with these labels.
func (r *Registry) Observe(name string, v float64, labels ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.families[name]
	s := r.get(name, labels)
	s.sum += v
	s.n++
	if i, _ := slices.BinarySearch(f.buckets, v); i < len(f.buckets) {
		s.counts[i]++
	}
}

// Value returns a counter's current value (for tests and the admin page).
func (r *Registry) Value(name string, labels ...string) float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.families[name]
	if !ok {
		return 0
	}
	if s, ok := f.series[renderLabels(labels)]; ok {
		return s.value
	}
	return 0
}

// WriteTo writes every family in the text exposition format, series in a
// stable order so two scrapes compare line by line. The values are copied
// under the lock and written after it, so a scrape does not hold up the
// requests being counted.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	type snap struct {
		f      *family
		series []series
	}
	r.mu.Lock()
	snaps := make([]snap, 0, len(r.order))
	for _, name := range r.order {
		f := r.families[name]
		sn := snap{f: f, series: make([]series, 0, len(f.series))}
		for _, s := range f.series {
			c := *s
			c.counts = slices.Clone(s.counts)
			sn.series = append(sn.series, c)
		}
		snaps = append(snaps, sn)
	}
	gauges := slices.Clone(r.gauges)
	r.mu.Unlock()

	b := make([]byte, 0, 64<<10)
	for _, sn := range snaps {
		f := sn.f
		b = header(b, f.name, f.help, f.kind)
		slices.SortFunc(sn.series, func(x, y series) int { return strings.Compare(x.labels, y.labels) })
		for _, s := range sn.series {
			if f.kind != "histogram" {
				b = line(b, f.name, "", s.labels, formatFloat(s.value))
				continue
			}
			var cum uint64
			for i, le := range f.les {
				cum += s.counts[i]
				b = line(b, f.name, "_bucket", withLabel(s.labels, "le", le), strconv.FormatUint(cum, 10))
			}
			b = line(b, f.name, "_bucket", withLabel(s.labels, "le", "+Inf"), strconv.FormatUint(s.n, 10))
			b = line(b, f.name, "_sum", s.labels, formatFloat(s.sum))
			b = line(b, f.name, "_count", s.labels, strconv.FormatUint(s.n, 10))
		}
	}
	// Gauges may query the database, so they are read without the lock.
	for _, g := range gauges {
		b = header(b, g.name, g.help, "gauge")
		for _, s := range g.read() {
			b = line(b, g.name, "", renderLabels(s.Labels), formatFloat(s.Value))
		}
	}
	n, err := w.Write(b)
	return int64(n), err
}

func header(b []byte, name, help, kind string) []byte {
	b = append(b, "# HELP "...)
	b = append(b, name...)
	b = append(b, ' ')
	b = append(b, escapeHelp(help)...)
	b = append(b, "\n# TYPE "...)
	b = append(b, name...)
	b = append(b, ' ')
	b = append(b, kind...)
	return append(b, '\n')
}

func line(b []byte, name, suffix, labels, value string) []byte {
	b = append(b, name...)
	b = append(b, suffix...)
	b = append(b, labels...)
	b = append(b, ' ')
	b = append(b, value...)
	return append(b, '\n')
}

func renderLabels(pairs []string) string {
	if len(pairs) == 0 {
		return ""
	}
	if len(pairs)%2 != 0 {
		panic("metrics: labels come in name/value pairs")
	}
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(pairs[i])
		b.WriteString(`="`)
		b.WriteString(escapeValue(pairs[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// withLabel adds one more label to rendered labels.
func withLabel(rendered, name, value string) string {
	l := name + `="` + escapeValue(value) + `"`
	if rendered == "" {
		return "{" + l + "}"
	}
	return rendered[:len(rendered)-1] + "," + l + "}"
}

var valueEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

func escapeValue(s string) string { return valueEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
