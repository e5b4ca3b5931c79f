package main

import (
	"fmt"
	"io"
	"os"
)

// openInput opens a file named on the command line, or standard input for
// "-", and reports its size when known (for the progress bar; -1 if not).
func openInput(e *env, name string) (io.Reader, int64, func(), error) {
	if name == "-" {
		return e.stdin, -1, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, nil, err
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			f.Close()
			return nil, 0, nil, fmt.Errorf("%s: is a directory", name)
		}
		size = st.Size()
	}
	return f, size, func() { f.Close() }, nil
}
