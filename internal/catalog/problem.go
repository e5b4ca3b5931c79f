package catalog

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong in a catalogue file, located by file and line
// so the person who wrote the file can go straight to it.
type Problem struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"message"`
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is the full list found in one build. As an error it prints every
// problem on its own line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sort orders problems by file and line so the output reads like a compiler's.
func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// collector gathers problems while a build walks the files.
type collector struct{ list Problems }

func (c *collector) add(file string, line int, format string, args ...any) {
	c.list = append(c.list, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}
