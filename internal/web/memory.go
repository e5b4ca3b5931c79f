package web

import (
	"os"
	"runtime/debug"
)

// DefaultMemoryLimit is the Go heap's soft limit for a server started
// without GOMEMLIMIT. Under load the garbage collector then runs more often
// instead of letting the heap double between cycles; with the database's
// bounded pools and caches (8 MB of SQLite page cache per connection, 64 MB
// mapped; 20 PostgreSQL connections) a server stays near 250 MB resident.
const DefaultMemoryLimit = 160 << 20

// BoundMemory applies DefaultMemoryLimit unless the operator set
// GOMEMLIMIT, which the Go runtime reads itself.
func BoundMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(DefaultMemoryLimit)
	}
}
