package ocds

import (
	"os"
	"testing"
)

// sharedDir is the team's shared OCDS corpus, outside this repository.
// Tests that need it skip when it is absent.
const sharedDir = "../../../shared/data/ocds"

func needShared(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skip("shared OCDS corpus not found at " + sharedDir)
	}
}
