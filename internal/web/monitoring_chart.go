package web

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"

	"buyright/internal/monitoring"
)

// A line chart of one indicator over time, drawn as inline SVG by the
// template from these numbers: one line per group (told apart by dash
// pattern and a label at its end, not by colour alone) and the threshold as
// a dashed red line. The page also shows the same values as a table.

const chartW, chartH, chartLeft, chartTop, chartBottom = 420, 160, 44, 12, 28

type chartLine struct {
	Group  string
	Points string // "x,y x,y ..."
	Dash   string // stroke-dasharray
	LabelX float64
	LabelY float64
	Dots   []chartDot
}

type chartDot struct {
	X, Y   float64
	Breach bool
	Title  string
}

type chart struct {
	W, H       int
	Left, Base float64
	Right      float64
	Lines      []chartLine
	Threshold  *float64 // y of the threshold line
	Ticks      []chartTick
	XTicks     []chartTick
}

type chartTick struct {
	Pos   float64
	Label string
}

var dashes = []string{"", "6 3", "2 3", "8 3 2 3", "1 2"}

// buildChart lays out an indicator's measurements; nil when there is
// nothing to draw.
func buildChart(in *monitoring.Indicator, ms []monitoring.Measurement) *chart {
	if len(ms) == 0 {
		return nil
	}
	periods := map[string]bool{}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, m := range ms {
		periods[m.Period.String()] = true
		lo, hi = math.Min(lo, m.Value), math.Max(hi, m.Value)
	}
	if in.Threshold != nil {
		lo, hi = math.Min(lo, *in.Threshold), math.Max(hi, *in.Threshold)
	}
	if in.Unit == "percent" {
		lo, hi = math.Max(0, lo-5), math.Min(100, hi+5)
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-1, hi+1
	}
	ps := make([]string, 0, len(periods))
	for p := range periods {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	c := &chart{W: chartW, H: chartH, Left: chartLeft, Base: chartH - chartBottom, Right: chartW - 60}
	plotH := c.Base - chartTop
	x := func(p string) float64 {
		if len(ps) == 1 {
			return (c.Left + c.Right) / 2
		}
		i := sort.SearchStrings(ps, p)
		return c.Left + float64(i)*(c.Right-c.Left)/float64(len(ps)-1)
	}
	y := func(v float64) float64 { return round1(c.Base - (v-lo)/(hi-lo)*plotH) }
	for _, v := range []float64{lo, (lo + hi) / 2, hi} {
		c.Ticks = append(c.Ticks, chartTick{Pos: y(v), Label: num1(v)})
	}
	for i, p := range ps {
		if len(ps) <= 6 || i == 0 || i == len(ps)-1 || i%(len(ps)/4+1) == 0 {
			c.XTicks = append(c.XTicks, chartTick{Pos: round1(x(p)), Label: p[:7]})
		}
	}
	if in.Threshold != nil {
		t := y(*in.Threshold)
		c.Threshold = &t
	}
	groups := map[string][]monitoring.Measurement{}
	var order []string
	for _, m := range ms {
		if _, ok := groups[m.Group]; !ok {
			order = append(order, m.Group)
		}
		groups[m.Group] = append(groups[m.Group], m)
	}
	sort.Strings(order)
	for i, g := range order {
		l := chartLine{Group: g, Dash: dashes[i%len(dashes)]}
		var pts []string
		list := groups[g]
		sort.Slice(list, func(a, b int) bool { return list[a].Period.String() < list[b].Period.String() })
		for _, m := range list {
			px, py := round1(x(m.Period.String())), y(m.Value)
			pts = append(pts, fmt.Sprintf("%g,%g", px, py))
			title := m.Period.String() + ": " + num1(m.Value)
			if g != "" {
				title = g + ", " + title
			}
			l.Dots = append(l.Dots, chartDot{X: px, Y: py, Breach: in.Breached(m.Value), Title: title})
			l.LabelX, l.LabelY = px+6, py+4
		}
		l.Points = strings.Join(pts, " ")
		c.Lines = append(c.Lines, l)
	}
	return c
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func num1(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

// svg writes the chart as one inline SVG element. It is built here rather
// than in the template because a chart has a few hundred attributes and
// the template's escaping of each one made the monitoring page the
// slowest page; every text that comes from people (titles, group names)
// is escaped here.
func (c *chart) svg(id int64, title, thresholdWord string) template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-%d-t">`, c.W, c.H, c.W, c.H, id)
	fmt.Fprintf(&b, `<title id="chart-%d-t">%s</title>`, id, esc(title))
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#505a5f"/><line x1="%g" y1="12" x2="%g" y2="%g" stroke="#505a5f"/>`,
		c.Left, c.Base, c.Right, c.Base, c.Left, c.Left, c.Base)
	for _, t := range c.Ticks {
		fmt.Fprintf(&b, `<text x="38" y="%g" text-anchor="end" font-size="10" fill="#0b0c0c">%s</text>`, t.Pos, esc(t.Label))
	}
	for _, t := range c.XTicks {
		fmt.Fprintf(&b, `<text x="%g" y="150" text-anchor="middle" font-size="10" fill="#0b0c0c">%s</text>`, t.Pos, esc(t.Label))
	}
	if c.Threshold != nil {
		fmt.Fprintf(&b, `<line x1="44" y1="%g" x2="360" y2="%g" stroke="#b3261e" stroke-dasharray="4 2"/><text x="364" y="%g" font-size="10" fill="#b3261e">%s</text>`,
			*c.Threshold, *c.Threshold, *c.Threshold, esc(thresholdWord))
	}
	for _, l := range c.Lines {
		dash := ""
		if l.Dash != "" {
			dash = ` stroke-dasharray="` + l.Dash + `"`
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#1d4f91" stroke-width="2"%s/>`, l.Points, dash)
		for _, d := range l.Dots {
			r, fill := 3, "#1d4f91"
			if d.Breach {
				r, fill = 5, "#b3261e"
			}
			fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="%d" fill="%s"><title>%s</title></circle>`, d.X, d.Y, r, fill, esc(d.Title))
		}
		if l.Group != "" {
			fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10" fill="#0b0c0c">%s</text>`, l.LabelX, l.LabelY, esc(l.Group))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
