package monitoring

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"

	"buyright/internal/model"
)

// A measurement file is CSV with a header row, in one of two shapes:
//
//	indicator,period,group,value          measurements of the plan's indicators
//	period,group,favourable,total         outcome counts of automated decisions
//
// Columns may come in any order; group may be empty or missing. A period
// is a date (YYYY-MM-DD) or a month (YYYY-MM, meaning its first day).

// Kinds of file.
const (
	CSVMeasurements = "measurements"
	CSVOutcomes     = "outcomes"
)

// CSVRow is one good row.
type CSVRow struct {
	Line       int
	Indicator  string
	Period     model.Date
	Group      string
	Value      float64
	Favourable int
	Total      int
}

// CSVProblem is one bad row: its line and why (a translation key and the
// text it was about).
type CSVProblem struct {
	Line   int
	Reason string
	Text   string
}

// CSVResult is what a file held: good rows to keep if the person confirms,
// and the problems to show them.
type CSVResult struct {
	Kind     string
	Rows     []CSVRow
	Problems []CSVProblem
}

// MaxCSVRows bounds one upload.
const MaxCSVRows = 5000

// ErrCSVHeader means the first row names neither shape of file.
var ErrCSVHeader = errors.New("monitoring: the first row must name the columns: indicator,period,group,value or period,group,favourable,total")

// ParseCSV reads a measurement file. known says whether an indicator
// reference (the number of an indicator in the plan or its catalogue id)
// belongs to the purchase. Each bad row is reported with its line; it
// never stops the others from being read.
func ParseCSV(r io.Reader, known func(string) bool) (*CSVResult, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, ErrCSVHeader
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	res := &CSVResult{}
	_, hasInd := col["indicator"]
	_, hasVal := col["value"]
	_, hasFav := col["favourable"]
	_, hasTot := col["total"]
	_, hasPer := col["period"]
	switch {
	case hasInd && hasVal && hasPer:
		res.Kind = CSVMeasurements
	case hasFav && hasTot && hasPer:
		res.Kind = CSVOutcomes
	default:
		return nil, ErrCSVHeader
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				res.Problems = append(res.Problems, CSVProblem{Line: pe.Line, Reason: "monitoring.csv.unreadable"})
				if len(res.Problems) > MaxCSVRows {
					break
				}
				continue
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(res.Rows)+len(res.Problems) >= MaxCSVRows {
			res.Problems = append(res.Problems, CSVProblem{Line: line, Reason: "monitoring.csv.too_many"})
			break
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // blank line
		}
		row := CSVRow{Line: line, Group: cleanGroup(get("group"))}
		bad := func(reason, text string) {
			res.Problems = append(res.Problems, CSVProblem{Line: line, Reason: reason, Text: clip(text)})
		}
		p, ok := parsePeriod(get("period"))
		if !ok {
			bad("monitoring.csv.bad_period", get("period"))
			continue
		}
		row.Period = p
		if model.TooLong(row.Group, 100) {
			bad("monitoring.csv.bad_group", row.Group)
			continue
		}
		if res.Kind == CSVMeasurements {
			row.Indicator = get("indicator")
			if !known(row.Indicator) {
				bad("monitoring.csv.unknown_indicator", row.Indicator)
				continue
			}
			v, ok := parseNumber(get("value"))
			if !ok {
				bad("monitoring.csv.bad_value", get("value"))
				continue
			}
			row.Value = v
		} else {
			fav, err1 := strconv.Atoi(get("favourable"))
			tot, err2 := strconv.Atoi(get("total"))
			switch {
			case err1 != nil || fav < 0:
				bad("monitoring.csv.bad_count", get("favourable"))
				continue
			case err2 != nil || tot <= 0:
				bad("monitoring.csv.bad_count", get("total"))
				continue
			case fav > tot:
				bad("monitoring.csv.more_than_total", get("favourable")+" > "+get("total"))
				continue
			case row.Group == "":
				bad("monitoring.csv.group_needed", "")
				continue
			}
			row.Favourable, row.Total = fav, tot
		}
		key := row.Indicator + "\x00" + row.Period.String() + "\x00" + strings.ToLower(row.Group)
		if first, dup := seen[key]; dup {
			bad("monitoring.csv.duplicate", strconv.Itoa(first))
			continue
		}
		seen[key] = line
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// parsePeriod reads YYYY-MM-DD or YYYY-MM.
func parsePeriod(s string) (model.Date, bool) {
	if len(s) == 7 {
		s += "-01"
	}
	if len(s) != 10 {
		return model.Date{}, false
	}
	d, err := model.ParseDate(s)
	return d, err == nil && !d.IsZero()
}

// parseNumber reads 12.5, 12,5 (decimal comma) or 12.5% as 12.5.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e12 {
		return 0, false
	}
	return v, true
}

// clip keeps a problem's text short enough to show.
func clip(s string) string {
	if len(s) > 60 {
		s = strings.ToValidUTF8(s[:60], "") + "…"
	}
	return s
}
