package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed data/*.yaml
var builtin embed.FS

// Embedded returns the built-in catalogue files, the base layer of every set.
func Embedded() []Source {
	names, _ := fs.Glob(builtin, "data/*.yaml")
	sort.Strings(names)
	out := make([]Source, 0, len(names))
	for _, n := range names {
		b, _ := builtin.ReadFile(n)
		out = append(out, Source{Name: n, Data: b})
	}
	return out
}

// ReadDir reads the *.yaml and *.yml files of an organisation's catalogue
// directory (not its subdirectories), sorted by name so the order is stable.
func ReadDir(dir string) ([]Source, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("catalogue directory: %w", err)
	}
	var out []Source
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			continue
		}
		p := filepath.Join(dir, n)
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("catalogue file: %w", err)
		}
		out = append(out, Source{Name: p, Data: b})
	}
	return out, nil
}

// Load builds the built-in set, with the files of dir laid over it when dir
// is not empty. Problems come back as a Problems error.
func Load(dir string) (*Set, error) {
	layers := [][]Source{Embedded()}
	if dir != "" {
		over, err := ReadDir(dir)
		if err != nil {
			return nil, err
		}
		layers = append(layers, over)
	}
	s, probs := Build(layers...)
	if len(probs) > 0 {
		return nil, probs
	}
	return s, nil
}
