package ocds

import (
	"encoding/csv"
	"os"
	"strconv"
	"sync"
	"testing"
)

// The OCDS corpus the tests read: a sample of the team's shared corpus kept
// in the repository (testdata/ocds at its root, with every hand-labelled
// release in it; its README and provenance.csv say where each release came
// from), so a fresh clone tests exactly what CI tests.
const sharedDir = "../../testdata/ocds"

var corpus struct {
	once   sync.Once
	shared []int // line in the corpus read -> line in the shared corpus
	err    error
}

// loadCorpus reads provenance.csv: the shared corpus's rows start with
// its own line number, the sample's with its line and then the shared one.
func loadCorpus(t testing.TB) {
	t.Helper()
	corpus.once.Do(func() {
		f, err := os.Open(sharedDir + "/provenance.csv")
		if err != nil {
			corpus.err = err
			return
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			corpus.err = err
			return
		}
		col := 0
		if len(rows) > 0 && len(rows[0]) > 1 && rows[0][1] == "shared_line" {
			col = 1
		}
		corpus.shared = []int{0}
		for _, r := range rows[1:] {
			n, err := strconv.Atoi(r[col])
			if err != nil {
				corpus.err = err
				return
			}
			corpus.shared = append(corpus.shared, n)
		}
	})
	if corpus.err != nil {
		t.Fatalf("%s/provenance.csv: %v", sharedDir, corpus.err)
	}
}

// corpusSize is how many releases the corpus read has.
func corpusSize(t testing.TB) int {
	loadCorpus(t)
	return len(corpus.shared) - 1
}

// sharedLine turns a line of the corpus read into the line of the same
// release in the shared corpus, where the hand labels point.
func sharedLine(t testing.TB, line int) int {
	loadCorpus(t)
	if line < 1 || line >= len(corpus.shared) {
		return 0
	}
	return corpus.shared[line]
}
