package monitoring

import (
	"strings"
	"testing"

	"buyright/internal/model"
)

func TestDisparityFlagsGroupsUnderFourFifths(t *testing.T) {
	p, _ := model.ParseDate("2026-09-01")
	d := ComputeDisparity(p, []GroupOutcome{
		{Group: "nationals", Favourable: 900, Total: 1000},
		{Group: "non-nationals", Favourable: 60, Total: 100},
		{Group: "older people", Favourable: 170, Total: 200},
		{Group: "nobody decided", Favourable: 0, Total: 0},
	})
	if !d.Valid || !d.Flagged || len(d.Groups) != 3 {
		t.Fatalf("%+v", d)
	}
	if d.Groups[0].Group != "non-nationals" || d.Groups[0].Ratio < 0.666 || d.Groups[0].Ratio > 0.667 || !d.Groups[0].Flagged {
		t.Errorf("lowest: %+v", d.Groups[0])
	}
	if d.Groups[1].Flagged || d.Groups[2].Ratio != 1 {
		t.Errorf("others: %+v", d.Groups)
	}
	// One group, or nobody favoured, gives no ratio.
	if d := ComputeDisparity(p, []GroupOutcome{{Group: "a", Favourable: 1, Total: 2}}); d.Valid {
		t.Error("one group has a ratio")
	}
	if d := ComputeDisparity(p, []GroupOutcome{{Group: "a", Total: 2}, {Group: "b", Total: 3}}); d.Valid || d.Flagged {
		t.Error("all-zero rates flagged")
	}
	// Exactly four fifths is not flagged.
	if d := ComputeDisparity(p, []GroupOutcome{{Group: "a", Favourable: 8, Total: 10}, {Group: "b", Favourable: 10, Total: 10}}); d.Flagged {
		t.Error("a ratio of exactly 0.8 is flagged")
	}
}

func TestBreachFollowsDirection(t *testing.T) {
	th := 90.0
	up := Indicator{Direction: "higher", Threshold: &th}
	down := Indicator{Direction: "lower", Threshold: &th}
	if !up.Breached(89) || up.Breached(90) || down.Breached(90) || !down.Breached(91) {
		t.Error("breach direction")
	}
	if (&Indicator{Direction: "higher"}).Breached(0) {
		t.Error("no threshold, no breach")
	}
}

func TestParseCSVReportsEachBadRowAndKeepsTheGood(t *testing.T) {
	known := func(s string) bool { return s == "1" || s == "IND-ON-TIME" }
	in := "\ufeffIndicator,Period,Group,Value\n" +
		"1,2026-09,,99.2\n" +
		"IND-ON-TIME,2026-09-01,older people,85,5%\n" +
		"2,2026-09,,1\n" +
		"1,Sept 2026,,1\n" +
		"1,2026-10,,lots\n" +
		"1,2026-09,,98\n" +
		"\n" +
		"1,2026-10,\"<script>x</script>\",97\n"
	res, err := ParseCSV(strings.NewReader(in), known)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != CSVMeasurements || len(res.Rows) != 3 {
		t.Fatalf("rows: %+v", res.Rows)
	}
	if res.Rows[1].Value != 85.5 && res.Rows[1].Value != 85 {
		t.Errorf("decimal comma: %v", res.Rows[1].Value)
	}
	want := map[int]string{4: "monitoring.csv.unknown_indicator", 5: "monitoring.csv.bad_period", 6: "monitoring.csv.bad_value", 7: "monitoring.csv.duplicate"}
	if len(res.Problems) != len(want) {
		t.Fatalf("problems: %+v", res.Problems)
	}
	for _, p := range res.Problems {
		if want[p.Line] != p.Reason {
			t.Errorf("line %d: %s, want %s", p.Line, p.Reason, want[p.Line])
		}
	}
	if _, err := ParseCSV(strings.NewReader("a,b\n1,2\n"), known); err != ErrCSVHeader {
		t.Errorf("bad header: %v", err)
	}
	out, err := ParseCSV(strings.NewReader("period,group,favourable,total\n2026-09,A,5,10\n2026-09,B,11,10\n2026-09,,1,2\n"), known)
	if err != nil || out.Kind != CSVOutcomes || len(out.Rows) != 1 || len(out.Problems) != 2 {
		t.Fatalf("outcomes: %+v %v", out, err)
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add("indicator,period,group,value\n1,2026-09,,99\n")
	f.Add("period,group,favourable,total\n2026-09,A,5,10\n")
	f.Add("indicator,period,value\n\"1\n,2026-13-01,1e400\n")
	f.Fuzz(func(t *testing.T, in string) {
		res, err := ParseCSV(strings.NewReader(in), func(s string) bool { return s == "1" })
		if err != nil {
			return
		}
		for _, r := range res.Rows {
			if r.Period.IsZero() || r.Favourable > r.Total || r.Line < 2 {
				t.Fatalf("bad row kept: %+v", r)
			}
		}
	})
}
