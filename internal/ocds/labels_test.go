package ocds

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Floors just under the measured figures (see docs/ocds-screen.md): a
// change to the lists or the matcher that makes the digital decision worse
// on the hand-labelled sample fails here.
const (
	precisionFloor = 0.92
	recallFloor    = 0.95
)

// TestDigitalAgainstHandLabels measures precision and recall of the
// digital decision on testdata/labels.csv, hand labels of a seeded sample
// of the shared corpus (50 releases the screener called digital, 70 it did
// not, three dropped for having no text at all).
func TestDigitalAgainstHandLabels(t *testing.T) {
	f, err := os.Open("testdata/labels.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	type label struct {
		ocid    string
		digital bool
		reason  string
	}
	labels := map[int]label{}
	for _, r := range rows[1:] {
		n, _ := strconv.Atoi(r[0])
		labels[n] = label{r[1], r[2] == "yes", r[3]}
	}
	if len(labels) < 100 {
		t.Fatalf("only %d labels", len(labels))
	}
	lists, err := DefaultLists()
	if err != nil {
		t.Fatal(err)
	}
	sc := NewScreener(lists)
	good, _, _ := readFile(t, filepath.Join(sharedDir, "releases.jsonl"), Options{})
	var tp, fp, fn, tn int
	for _, it := range good {
		l, ok := labels[sharedLine(t, it.Line)]
		if !ok {
			continue
		}
		if l.ocid != it.Release.OCID {
			t.Fatalf("line %d is %s, labelled as %s: corpus changed?", it.Line, it.Release.OCID, l.ocid)
		}
		res := sc.Screen(it.Release)
		switch {
		case res.Digital && l.digital:
			tp++
		case res.Digital:
			fp++
			t.Logf("false positive, line %d (%s): %v", it.Line, l.reason, res.Evidence)
		case l.digital:
			fn++
			t.Logf("false negative, line %d (%s)", it.Line, l.reason)
		default:
			tn++
		}
	}
	precision := float64(tp) / float64(tp+fp)
	recall := float64(tp) / float64(tp+fn)
	t.Logf("%d labels: %d true positives, %d false positives, %d false negatives, %d true negatives", tp+fp+fn+tn, tp, fp, fn, tn)
	t.Logf("precision %.3f, recall %.3f", precision, recall)
	if precision < precisionFloor || recall < recallFloor {
		t.Errorf("precision %.3f or recall %.3f below the floors %.2f/%.2f", precision, recall, precisionFloor, recallFloor)
	}
}
