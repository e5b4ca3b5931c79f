package ocds

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// benchInput repeats the shared corpus (or the package's own sample when
// the shared folder is absent) to about 64 MB, in memory, so the benchmarks
// measure decoding and screening rather than the disk.
func benchInput(b *testing.B) []byte {
	b.Helper()
	src, err := os.ReadFile(sharedDir + "/releases.jsonl")
	if err != nil {
		src, err = os.ReadFile("testdata/sample.jsonl")
		if err != nil {
			b.Fatal(err)
		}
	}
	var buf bytes.Buffer
	for buf.Len() < 64<<20 {
		buf.Write(src)
	}
	return buf.Bytes()
}

// BenchmarkDecode is one core decoding JSON Lines into releases.
func BenchmarkDecode(b *testing.B) {
	in := benchInput(b)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		r := NewReader(bytes.NewReader(in), "bench", Options{})
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
	}
}

// BenchmarkProcess is decoding on all cores with ordered output.
func BenchmarkProcess(b *testing.B) {
	in := benchInput(b)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		err := Process(context.Background(), bytes.NewReader(in), "bench", Options{}, 0,
			func(it *Item) int { return 0 },
			func(it *Item, _ int) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScreen is decoding and screening on all cores, as the screen
// command does minus output.
func BenchmarkScreen(b *testing.B) {
	in := benchInput(b)
	lists, err := DefaultLists()
	if err != nil {
		b.Fatal(err)
	}
	sc := NewScreener(lists)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		err := Process(context.Background(), bytes.NewReader(in), "bench", Options{}, 0,
			func(it *Item) bool {
				if it.Release == nil {
					return false
				}
				return sc.Screen(it.Release).Digital
			},
			func(it *Item, _ bool) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScreenOnly is the decision and flags alone, on releases decoded
// beforehand, one core.
func BenchmarkScreenOnly(b *testing.B) {
	src, err := os.ReadFile(sharedDir + "/releases.jsonl")
	if err != nil {
		b.Skip("shared corpus absent")
	}
	lists, err := DefaultLists()
	if err != nil {
		b.Fatal(err)
	}
	sc := NewScreener(lists)
	var rels []*Release
	r := NewReader(bytes.NewReader(src), "bench", Options{})
	for {
		it, err := r.Next()
		if err != nil {
			break
		}
		if it.Release != nil {
			rels = append(rels, it.Release)
		}
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		for _, rel := range rels {
			sc.Screen(rel)
		}
	}
}
