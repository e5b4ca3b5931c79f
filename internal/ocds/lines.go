package ocds

import (
	"bytes"
	"io"
)

// lineReader cuts JSON Lines input into batches of whole lines. It reads a
// chunk at a time straight into the batch buffer and carries the unfinished
// last line over to the next batch, so a line is copied at most once more.
type lineReader struct {
	r     io.Reader
	carry []byte // start of a line not yet ended by '\n'
	eof   bool
	line  int // number of the first line in carry
	max   int
	// skipping is set while discarding the rest of an over-long line.
	skipping bool
	skipLen  int
	skipHead []byte
}

func (l *lineReader) next(b *batch) error {
	b.units = b.units[:0]
	for len(b.units) == 0 {
		if l.eof && len(l.carry) == 0 {
			return io.EOF
		}
		if err := l.fill(b); err != nil {
			return err
		}
	}
	return nil
}

// fill reads one chunk into b and turns its complete lines into units.
func (l *lineReader) fill(b *batch) error {
	// A line longer than a chunk doubles the buffer rather than growing it
	// by a chunk, so reading it stays linear in its length.
	want := len(l.carry) + max(chunkSize, len(l.carry))
	if cap(b.buf) < want {
		// Headroom, so a recycled buffer fits the next chunk plus a
		// typical carried line without reallocating.
		b.buf = make([]byte, 0, want+want/4)
	}
	buf := append(b.buf[:0], l.carry...)
	var err error
	if !l.eof {
		buf, err = readAtLeast(l.r, buf, want)
		if err == io.EOF {
			l.eof, err = true, nil
		}
		if err != nil {
			return readErr(err)
		}
	}
	b.buf = buf

	rest := buf
	if l.skipping {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 && !l.eof {
			l.skipLen += len(rest)
			l.carry = l.carry[:0]
			return nil
		}
		if nl < 0 {
			nl = len(rest) - 1
		}
		l.skipLen += nl + 1
		b.units = append(b.units, unit{data: l.skipHead, line: l.line, col: 1, tooLong: l.skipLen})
		l.line++
		l.skipping = false
		rest = rest[nl+1:]
	}
	for {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			break
		}
		l.add(b, rest[:nl])
		rest = rest[nl+1:]
	}
	switch {
	case l.eof:
		if len(rest) > 0 {
			l.add(b, rest)
		}
		rest = nil
	case len(rest) > l.max:
		// The line is over the limit: keep its first bytes for the reject
		// and drop the rest until the next newline.
		l.skipping = true
		l.skipLen = len(rest)
		l.skipHead = append([]byte(nil), rest[:min(len(rest), 256)]...)
		rest = nil
	}
	// The carried part must not alias the buffer handed to workers.
	l.carry = append(l.carry[:0:0], rest...)
	return nil
}

func (l *lineReader) add(b *batch, line []byte) {
	n := l.line
	l.line++
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return
	}
	if len(line) > l.max {
		b.units = append(b.units, unit{data: line[:256], line: n, col: 1, tooLong: len(line)})
		return
	}
	b.units = append(b.units, unit{data: line, line: n, col: 1})
}
