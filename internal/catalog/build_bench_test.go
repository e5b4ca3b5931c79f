package catalog

import "testing"

func BenchmarkBuildEmbedded(b *testing.B) {
	src := Embedded()
	for b.Loop() {
		Build(src)
	}
}
