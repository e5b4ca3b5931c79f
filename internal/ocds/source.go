package ocds

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// unit is one piece of input the decoder turns into items: a JSON Lines
// line, or one element of a pretty-printed package. data points into the
// batch buffer it came with.
type unit struct {
	data []byte
	line int // line of data[0], 1-based
	col  int // column of data[0], 1-based
	// tooLong is the length of an over-long unit, whose data was dropped
	// (data then holds its first bytes, for the reject excerpt).
	tooLong int
	// reason, when set, rejects the unit without decoding it (a stray
	// token between documents, for instance).
	reason string
	// path is where the unit sat in its document ("releases[3]"), for
	// elements of a pretty-printed package.
	path string
}

// batch is a run of units sharing one buffer, the grain of work handed to
// decoding goroutines. Batches are recycled, so memory stays flat.
type batch struct {
	buf   []byte
	units []unit
}

const (
	chunkSize = 1 << 20 // how much to read at a time; about 80 real releases
	headSize  = 1 << 20 // how much to look at when guessing the shape
)

// source splits one input stream into batches of units.
type source struct {
	name  string
	opts  Options
	next  func(b *batch) error // fills b; io.EOF when there is nothing more
	close func()               // releases a background reader, if any
}

var gzipMagic = []byte{0x1f, 0x8b}
var bom = []byte{0xef, 0xbb, 0xbf}

// newSource looks at the start of r to tell gzip from plain text and JSON
// Lines from a pretty-printed document, then returns a source for that shape.
func newSource(r io.Reader, name string, opts Options) (*source, error) {
	opts = opts.withDefaults()
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); bytes.Equal(magic, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &Error{File: name, Reason: "not a readable gzip file: " + err.Error()}
		}
		r = zr
	} else {
		r = br
	}
	head := make([]byte, 0, headSize)
	head, err := readAtLeast(r, head, headSize)
	if err != nil && err != io.EOF {
		return nil, &Error{File: name, Reason: readErr(err).Error()}
	}
	eof := err == io.EOF
	if bytes.HasPrefix(head, bom) {
		opts.warn(&Error{File: name, Line: 1, Column: 1, Reason: "UTF-8 byte-order mark at the start of the file ignored"})
		head = head[len(bom):]
	}
	if eof && len(bytes.TrimSpace(head)) == 0 {
		opts.warn(&Error{File: name, Line: 1, Reason: "the input is empty: no releases"})
	}
	s := &source{name: name, opts: opts}
	if looksLikeDocument(head) {
		d := &docReader{r: r, buf: head, eof: eof, line: 1, col: 1, opts: opts}
		s.next, s.close = d.next, d.close
	} else {
		l := &lineReader{r: r, carry: head, eof: eof, line: 1, max: opts.MaxLineBytes}
		s.next, s.close = l.next, func() {}
	}
	return s, nil
}

// readErr keeps the gzip package's terse errors understandable.
func readErr(err error) error {
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("compressed data is damaged or cut short: %w", err)
	}
	return err
}

// readAtLeast appends to buf from r until it holds n bytes or r ends.
func readAtLeast(r io.Reader, buf []byte, n int) ([]byte, error) {
	for len(buf) < n {
		if cap(buf) < n {
			nb := make([]byte, len(buf), n)
			copy(nb, buf)
			buf = nb
		}
		m, err := r.Read(buf[len(buf):n])
		buf = buf[:len(buf)+m]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// looksLikeDocument tells a pretty-printed JSON document (or a JSON array)
// from JSON Lines. JSON Lines has a complete value on its first line; a
// pretty-printed document opens a value the first line does not close.
func looksLikeDocument(head []byte) bool {
	i := 0
	for i < len(head) && isSpace(head[i]) {
		i++
	}
	if i == len(head) {
		return false
	}
	switch head[i] {
	case '[':
		return true
	case '{':
	default:
		return false
	}
	nl := bytes.IndexByte(head[i:], '\n')
	if nl < 0 {
		// One long line, or no newline at all: treat as JSON Lines, where a
		// single-line package or release is handled too.
		return false
	}
	depth, inStr, esc := 0, false, false
	for _, c := range head[i : i+nl] {
		switch {
		case esc:
			esc = false
		case inStr:
			if c == '\\' {
				esc = true
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return false
			}
		}
	}
	return depth > 0 && !inStr
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }
