package staterequest

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"buyright/internal/access"
)

// How a transparency report keeps every case from being singled out.
//
// A report counts one organisation's records of one half-year in cells:
// one per counterpart (the authority, or for an authority's report the
// company), request type, legal process and response. Each cell's count is
// protected on its own - shown as it is from Threshold up, as the range
// 1-(Threshold-1) below it, as 0 when empty - and every other figure the
// report publishes (each table by authority, type, process or response,
// and the total) is the sum of the protected cells, itself a range
// wherever a protected cell is one. No figure is ever computed from the
// records directly.
//
// So the whole published report is a function of the protected cells
// alone, and the protected value of a cell is the same for every count
// from 1 to Threshold-1: change any small cell to any other small count
// and every page, CSV and JSON of every report stays byte for byte the
// same. No subtraction between two of its tables, or between two reports,
// can tell a count of 1 from a count of 4 (report_test.go checks exactly
// that). Reports exist only for fixed half-years and are frozen when
// published, because a year beside its halves, or a second version of a
// published half-year, would be a subtraction waiting to happen.

// Threshold is the smallest count a report shows as it is.
const Threshold = 5

// Range is a published count: exact when Lo == Hi.
type Range struct {
	Lo int `json:"low"`
	Hi int `json:"high"`
}

// Exact reports whether the range is one number.
func (r Range) Exact() bool { return r.Lo == r.Hi }

// String is "7", or "1–4" for a range.
func (r Range) String() string {
	if r.Exact() {
		return fmt.Sprint(r.Lo)
	}
	return fmt.Sprintf("%d–%d", r.Lo, r.Hi)
}

// Add sums two ranges.
func (r Range) Add(o Range) Range { return Range{r.Lo + o.Lo, r.Hi + o.Hi} }

// Protect is what a report shows for a true count n with threshold k.
func Protect(n, k int) Range {
	switch {
	case n <= 0:
		return Range{}
	case n < k:
		return Range{1, k - 1}
	}
	return Range{n, n}
}

// Cell is one combination of counterpart, type, process and response with
// its protected count.
type Cell struct {
	Counterpart string   `json:"counterpart"`
	Type        Type     `json:"request_type"`
	Process     Process  `json:"legal_process"`
	Response    Response `json:"response"`
	Count       Range    `json:"count"`
}

// Cells counts the records of one side into protected cells. The counts are
// exact only inside this function; what leaves it is protected.
func Cells(recs []Request, side access.Side, k int) []Cell {
	type key struct {
		cp string
		t  Type
		p  Process
		r  Response
	}
	n := map[key]int{}
	for _, r := range recs {
		if r.Side != side {
			continue
		}
		cp := r.AuthorityName
		if side == access.AuthoritySide {
			cp = r.CompanyName
		}
		n[key{cp, r.Type, r.Process, r.Response}]++
	}
	out := make([]Cell, 0, len(n))
	for c, count := range n {
		out = append(out, Cell{Counterpart: c.cp, Type: c.t, Process: c.p, Response: c.r, Count: Protect(count, k)})
	}
	sortCells(out)
	return out
}

func sortCells(cs []Cell) {
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		switch {
		case a.Counterpart != b.Counterpart:
			return a.Counterpart < b.Counterpart
		case a.Type != b.Type:
			return index(Types, a.Type) < index(Types, b.Type)
		case a.Process != b.Process:
			return index(Processes, a.Process) < index(Processes, b.Process)
		}
		return index(Responses, a.Response) < index(Responses, b.Response)
	})
}

func index[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return len(list)
}

// The tables of a report, by the dimension they break the cells down by.
const (
	ByCounterpart = "counterpart"
	ByType        = "request_type"
	ByProcess     = "legal_process"
	ByResponse    = "response"
)

// Dimensions lists the tables every report publishes, in order.
var Dimensions = []string{ByCounterpart, ByType, ByProcess, ByResponse}

// Row is one line of a table: a value of its dimension and the sum of the
// protected cells that have it.
type Row struct {
	Key   string `json:"key"`
	Count Range  `json:"count"`
}

func (c Cell) value(dim string) string {
	switch dim {
	case ByCounterpart:
		return c.Counterpart
	case ByType:
		return string(c.Type)
	case ByProcess:
		return string(c.Process)
	}
	return string(c.Response)
}

// keys lists a dimension's values in the order a table shows them: every
// type, process and response (absent ones as 0, so a table's shape never
// depends on the data), and the counterparts that appear, by name.
func keys(cells []Cell, dim string) []string {
	var out []string
	switch dim {
	case ByType:
		for _, t := range Types {
			out = append(out, string(t))
		}
	case ByProcess:
		for _, p := range Processes {
			out = append(out, string(p))
		}
	case ByResponse:
		for _, r := range Responses {
			out = append(out, string(r))
		}
	default:
		seen := map[string]bool{}
		for _, c := range cells {
			if !seen[c.Counterpart] {
				seen[c.Counterpart] = true
				out = append(out, c.Counterpart)
			}
		}
		sort.Strings(out)
	}
	return out
}

// Table sums the protected cells by one dimension.
func Table(cells []Cell, dim string) []Row {
	sums := map[string]Range{}
	for _, c := range cells {
		k := c.value(dim)
		sums[k] = sums[k].Add(c.Count)
	}
	var out []Row
	for _, k := range keys(cells, dim) {
		out = append(out, Row{Key: k, Count: sums[k]})
	}
	return out
}

// CrossRow is one line of a two-way table: a counterpart and the sum of
// its protected cells for each type, in Types order.
type CrossRow struct {
	Counterpart string  `json:"counterpart"`
	ByType      []Range `json:"by_type"`
	Total       Range   `json:"total"`
}

// ByCounterpartAndType is the two-way table of counterparts by type, each
// figure a sum of protected cells like every other.
func ByCounterpartAndType(cells []Cell) []CrossRow {
	var out []CrossRow
	for _, cp := range keys(cells, ByCounterpart) {
		row := CrossRow{Counterpart: cp, ByType: make([]Range, len(Types))}
		for _, c := range cells {
			if c.Counterpart == cp {
				i := index(Types, c.Type)
				if i < len(Types) {
					row.ByType[i] = row.ByType[i].Add(c.Count)
				}
				row.Total = row.Total.Add(c.Count)
			}
		}
		out = append(out, row)
	}
	return out
}

// Total sums every protected cell.
func Total(cells []Cell) Range {
	var t Range
	for _, c := range cells {
		t = t.Add(c.Count)
	}
	return t
}

// Report is a published transparency report: one organisation's records of
// one half-year, protected and frozen when published.
type Report struct {
	ID          int64
	OrgID       int64
	Org         string
	Side        access.Side
	Period      Period
	Threshold   int
	Cells       []Cell
	Narrative   string
	PublishedBy string
	PublishedAt time.Time
}

// EncodeCells is the frozen form of a report's cells.
func EncodeCells(cells []Cell) (string, error) {
	if cells == nil {
		cells = []Cell{}
	}
	b, err := json.Marshal(cells)
	return string(b), err
}

// DecodeCells reads the frozen form back.
func DecodeCells(s string) ([]Cell, error) {
	var cells []Cell
	if err := json.Unmarshal([]byte(s), &cells); err != nil {
		return nil, fmt.Errorf("staterequest: report cells: %w", err)
	}
	return cells, nil
}

// Publication is every figure a report publishes, all derived from its
// protected cells: what the page, the CSV and the JSON show.
type Publication struct {
	Cells  []Cell           `json:"cells"`
	Tables map[string][]Row `json:"tables"`
	Cross  []CrossRow       `json:"by_counterpart_and_type"`
	Total  Range            `json:"total"`
}

// Publish derives every published figure from the protected cells.
func Publish(cells []Cell) Publication {
	p := Publication{Cells: cells, Tables: map[string][]Row{}, Cross: ByCounterpartAndType(cells), Total: Total(cells)}
	if p.Cells == nil {
		p.Cells = []Cell{}
	}
	for _, d := range Dimensions {
		p.Tables[d] = Table(cells, d)
	}
	return p
}
