package ocds

import (
	"bytes"
	"io"
	"strconv"
	"sync"
)

// docReader streams a pretty-printed JSON document: a release package or
// record package (each element of "releases" or "records" becomes a unit of
// its own, so a package of any size needs memory for one element only), a
// single release or record, a JSON array of them, or several such documents
// one after another.
//
// It only tracks strings and bracket depth to find where each element ends;
// the strict scanner validates the element afterwards. It runs in its own
// goroutine and hands units over a small channel.
type docReader struct {
	r    io.Reader
	buf  []byte // unread input is buf[pos:]
	pos  int
	eof  bool
	line int // position of buf[pos]
	col  int
	opts Options

	// rec, when recording, receives every byte consumed: the element
	// being captured, whitespace and all, so positions inside it still
	// match the file.
	recording bool
	rec       []byte
	recLen    int // bytes consumed while recording, even past the cap

	out   chan unit
	stop  chan struct{}
	start sync.Once
	err   error // read error, set before out is closed
}

func (d *docReader) next(b *batch) error {
	d.start.Do(func() {
		d.out = make(chan unit, 16)
		d.stop = make(chan struct{})
		go d.run()
	})
	b.units = b.units[:0]
	size := 0
	for size < chunkSize && len(b.units) < 256 {
		var u unit
		var ok bool
		if len(b.units) == 0 {
			u, ok = <-d.out
		} else {
			select {
			case u, ok = <-d.out:
			default:
				return nil
			}
		}
		if !ok {
			if len(b.units) > 0 {
				return nil
			}
			if d.err != nil {
				return d.err
			}
			return io.EOF
		}
		b.units = append(b.units, u)
		size += len(u.data)
	}
	return nil
}

// close stops the goroutine when the consumer gives up early.
func (d *docReader) close() {
	if d.stop != nil {
		select {
		case <-d.stop:
		default:
			close(d.stop)
		}
	}
}

// errStopped unwinds run when the consumer has gone away.
type errStopped struct{}

func (d *docReader) emit(u unit) {
	select {
	case d.out <- u:
	case <-d.stop:
		panic(errStopped{})
	}
}

func (d *docReader) run() {
	defer close(d.out)
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(errStopped); !ok {
				panic(r)
			}
		}
	}()
	for {
		c, ok := d.peekValue()
		if !ok {
			return
		}
		switch c {
		case '[':
			d.consume(1)
			d.elements("")
		case '{':
			d.object()
		default:
			d.strayLine("expected a JSON object or array here")
		}
	}
}

// fill makes sure at least one unread byte is buffered; false at end.
func (d *docReader) fill() bool {
	if d.pos < len(d.buf) {
		return true
	}
	if d.eof {
		return false
	}
	if cap(d.buf) < chunkSize {
		d.buf = make([]byte, 0, chunkSize)
	}
	var err error
	d.buf, err = readAtLeast(d.r, d.buf[:0], chunkSize)
	d.pos = 0
	if err != nil {
		d.eof = true
		if err != io.EOF {
			d.err = readErr(err)
		}
	}
	return len(d.buf) > 0
}

// consume moves past n buffered bytes, keeping line and column and the
// recording up to date.
func (d *docReader) consume(n int) {
	b := d.buf[d.pos : d.pos+n]
	if k := bytes.Count(b, []byte{'\n'}); k > 0 {
		d.line += k
		d.col = n - bytes.LastIndexByte(b, '\n')
	} else {
		d.col += n
	}
	if d.recording {
		d.recLen += n
		if room := d.opts.MaxLineBytes - len(d.rec); room > 0 {
			d.rec = append(d.rec, b[:min(n, room)]...)
		}
	}
	d.pos += n
}

// peekValue skips whitespace and returns the next byte without consuming it.
func (d *docReader) peekValue() (byte, bool) {
	for d.fill() {
		b := d.buf[d.pos:]
		i := 0
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		d.consume(i)
		if i < len(b) {
			return b[i], true
		}
	}
	return 0, false
}

func (d *docReader) startRecording() (line, col int) {
	d.recording, d.rec, d.recLen = true, nil, 0
	return d.line, d.col
}

func (d *docReader) emitRecording(line, col int, path string) {
	d.recording = false
	u := unit{data: d.rec, line: line, col: col, path: path}
	if d.recLen > len(d.rec) {
		u.data, u.tooLong = d.rec[:min(len(d.rec), 256)], d.recLen
	}
	d.rec = nil
	d.emit(u)
}

// value consumes one JSON value by tracking strings and bracket depth; it
// returns false when the input ends first.
func (d *docReader) value() bool {
	depth, inStr, esc := 0, false, false
	first := true
	for d.fill() {
		b := d.buf[d.pos:]
		for i := 0; i < len(b); i++ {
			c := b[i]
			if first && c != '{' && c != '[' && c != '"' {
				// A bare scalar: it ends at the next delimiter.
				j := i
				for j < len(b) && !isSpace(b[j]) && b[j] != ',' && b[j] != '}' && b[j] != ']' {
					j++
				}
				d.consume(j)
				if j == len(b) {
					first = true
					break
				}
				return true
			}
			first = false
			switch {
			case esc:
				esc = false
			case inStr:
				if c == '\\' {
					esc = true
				} else if c == '"' {
					inStr = false
					if depth == 0 {
						d.consume(i + 1)
						return true
					}
				}
			case c == '"':
				inStr = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				if depth <= 0 {
					d.consume(i + 1)
					return true
				}
			}
		}
		if !first {
			d.consume(len(b))
		}
	}
	return false
}

// elements streams the elements of an array whose '[' was consumed; key
// names the array in the package ("releases"), or is empty for a top-level
// array.
func (d *docReader) elements(key string) {
	for n := 0; ; n++ {
		c, ok := d.peekValue()
		if !ok {
			d.emit(unit{line: d.line, col: d.col, reason: "the file ends inside an array: missing ']'"})
			return
		}
		if c == ']' {
			d.consume(1)
			return
		}
		line, col := d.startRecording()
		ended := d.value()
		path := ""
		if key != "" {
			path = key + "[" + strconv.Itoa(n) + "]"
		}
		d.emitRecording(line, col, path)
		if !ended {
			return
		}
		c, ok = d.peekValue()
		switch {
		case !ok:
			continue // reported on the next turn
		case c == ',':
			d.consume(1)
		case c == ']':
			d.consume(1)
			return
		default:
			d.emit(unit{line: d.line, col: d.col, reason: "expected ',' or ']' between array elements, found " + describeByte(c)})
			return
		}
	}
}

// object handles a top-level object. Until a "releases" or "records" array
// shows up it is recorded whole, as it may be a single release or record;
// once one does, it is a package, the recording is dropped and the array's
// elements are streamed one by one.
func (d *docReader) object() {
	line, col := d.startRecording()
	d.consume(1) // '{'
	streamed := false
	for {
		c, ok := d.peekValue()
		if !ok {
			break
		}
		switch c {
		case '}':
			d.consume(1)
			if !streamed {
				d.emitRecording(line, col, "")
			}
			return
		case ',':
			d.consume(1)
			continue
		}
		keyStart := len(d.rec)
		if c != '"' || !d.value() {
			break
		}
		// Once streaming, later keys are package metadata and not needed.
		key := ""
		if !streamed && len(d.rec) >= keyStart+2 {
			key = string(d.rec[keyStart+1 : len(d.rec)-1])
		}
		if c, ok = d.peekValue(); !ok || c != ':' {
			break
		}
		d.consume(1)
		if c, ok = d.peekValue(); !ok {
			break
		}
		if (key == "releases" || key == "records") && c == '[' {
			d.recording, d.rec = false, nil
			streamed = true
			d.consume(1)
			d.elements(key)
			continue
		}
		if !d.value() {
			break
		}
	}
	// The input ended or went wrong inside the object: hand over what was
	// recorded so the strict scanner reports exactly where and why.
	if !streamed {
		d.emitRecording(line, col, "")
	} else {
		d.emit(unit{line: d.line, col: d.col, reason: "the package object is not closed properly (missing '}'?)"})
	}
}

// strayLine rejects everything up to the end of the current line and goes
// on after it, so one bad line between documents costs only itself.
func (d *docReader) strayLine(reason string) {
	line, col := d.startRecording()
	for d.fill() {
		b := d.buf[d.pos:]
		if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
			d.consume(nl + 1)
			break
		}
		d.consume(len(b))
	}
	d.recording = false
	data := bytes.TrimRight(d.rec, "\r\n")
	d.rec = nil
	d.emit(unit{data: data[:min(len(data), 256)], line: line, col: col, reason: reason})
}
