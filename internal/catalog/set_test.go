package catalog

import "testing"

func TestEmbeddedSetBuildsClean(t *testing.T) {
	s, probs := Build(Embedded())
	if len(probs) > 0 {
		t.Fatalf("built-in catalogues have problems:\n%v", probs)
	}
	if s.Hash() == "" {
		t.Fatal("no hash")
	}
}
