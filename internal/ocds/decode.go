package ocds

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Item is one release read from the input, or one piece of input rejected.
type Item struct {
	File   string
	Line   int // line where the release (or the rejected input) starts
	Column int
	// Path is where the release sits inside what was on that line:
	// "" for a bare release, "releases[3]" in a package,
	// "records[0].compiledRelease" or "records[0]" (merged) for records.
	Path string
	// Raw is the release's JSON. It points into a reused buffer: it is
	// valid until Reader.Next is called again, or until the Process emit
	// callback returns. Copy it to keep it.
	Raw []byte
	// Release is nil when the input was rejected.
	Release *Release
	// Err says why the input was rejected; nil for a good release.
	Err *Error
	// Warnings list values of the wrong type that were coerced or ignored
	// in fields screening can do without; the release is still good.
	Warnings []Error
}

// decoder turns units into items. Each decoding goroutine has its own.
type decoder struct {
	file  string
	opts  Options
	s     scanner
	warns []Error // from the last successful scan
}

func newDecoder(file string, opts Options) *decoder {
	return &decoder{file: file, opts: opts.withDefaults()}
}

// decode appends to out the items found in u.
func (d *decoder) decode(u unit, out []Item) []Item {
	if u.reason != "" {
		return append(out, d.reject(u, 0, u.path, u.reason))
	}
	if u.tooLong > 0 {
		return append(out, d.reject(u, 0, u.path, fmt.Sprintf("%d bytes, longer than the %d-byte limit for one line or element; skipped", u.tooLong, d.opts.MaxLineBytes)))
	}
	var t top
	if e := d.scan(u, 0, len(u.data), u.path, func(s *scanner) { s.top(&t) }); e != nil {
		return append(out, *e)
	}
	switch {
	case len(t.records) > 0:
		for i, sp := range t.records {
			out = d.record(u, sp, joinPath(u.path, fmt.Sprintf("records[%d]", i)), out)
		}
	case t.isPackage && t.hasOCID, t.hasCompile:
		// A record: compiledRelease and/or releases.
		out = d.recordFrom(u, &t, span{0, len(u.data)}, u.path, out)
	case t.isPackage:
		for i, sp := range t.releases {
			out = d.release(u, sp, joinPath(u.path, fmt.Sprintf("releases[%d]", i)), "", out)
		}
	default:
		out = d.finish(u, &t, span{0, len(u.data)}, u.path, "", out)
	}
	return out
}

// scan runs f on u.data[start:end] and turns a panic or wrong types into a
// reject; prefix is the JSON path of that span inside the unit.
func (d *decoder) scan(u unit, start, end int, prefix string, f func(*scanner)) (rej *Item) {
	s := &d.s
	s.reset(u.data[:end], d.opts)
	s.i = start
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*scanError)
			if !ok {
				panic(r)
			}
			it := d.reject(u, se.off, joinPath(prefix, se.path), se.reason)
			rej = &it
		}
	}()
	f(s)
	s.ws()
	if s.i != end {
		s.fail(s.i, "unexpected %s after the end of the JSON value", describeByte(s.b[s.i]))
	}
	if len(s.typeErrs) > 0 {
		var reasons []string
		for _, e := range s.typeErrs {
			reasons = append(reasons, joinPath(prefix, e.path)+": "+e.reason)
		}
		it := d.reject(u, s.typeErrs[0].off, "", "wrong type: "+strings.Join(reasons, "; "))
		return &it
	}
	d.warns = d.warns[:0]
	for _, w := range s.warns {
		line, col := u.pos(w.off)
		d.warns = append(d.warns, Error{File: d.file, Line: line, Column: col, Path: joinPath(prefix, w.path), Reason: w.reason})
	}
	return nil
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || b[0] == '[':
		return a + b
	}
	return a + "." + b
}

// release decodes one element of a package's releases array.
func (d *decoder) release(u unit, sp span, path, ocid string, out []Item) []Item {
	var t top
	if e := d.scan(u, sp.start, sp.end, path, func(s *scanner) { s.top(&t) }); e != nil {
		return append(out, *e)
	}
	return d.finish(u, &t, sp, path, ocid, out)
}

// finish checks a decoded release and appends it. ocid, when set, is the
// record's ocid, which a release inside the record may leave out.
func (d *decoder) finish(u unit, t *top, sp span, path, ocid string, out []Item) []Item {
	if t.isPackage || t.hasCompile {
		return append(out, d.reject(u, sp.start, path, "a package or record nested where a release was expected"))
	}
	if !t.hasOCID && ocid != "" {
		t.rel.OCID, t.hasOCID = ocid, true
	}
	if !t.hasOCID || strings.TrimSpace(t.rel.OCID) == "" {
		return append(out, d.reject(u, sp.start, path, "release has no ocid"))
	}
	line, col := u.pos(sp.start)
	rel := t.rel
	it := Item{File: d.file, Line: line, Column: col, Path: path, Raw: u.data[sp.start:sp.end], Release: &rel}
	if len(d.warns) > 0 {
		it.Warnings = append([]Error(nil), d.warns...)
	}
	return append(out, it)
}

// record decodes one element of a record package's records array.
func (d *decoder) record(u unit, sp span, path string, out []Item) []Item {
	var t top
	if e := d.scan(u, sp.start, sp.end, path, func(s *scanner) { s.top(&t) }); e != nil {
		return append(out, *e)
	}
	return d.recordFrom(u, &t, sp, path, out)
}

// recordFrom yields the record's compiledRelease when it has one, else the
// merge of its releases.
func (d *decoder) recordFrom(u unit, t *top, sp span, path string, out []Item) []Item {
	ocid := t.rel.OCID
	if t.hasCompile {
		return d.release(u, t.compiled, joinPath(path, "compiledRelease"), ocid, out)
	}
	if len(t.releases) == 0 {
		return append(out, d.reject(u, sp.start, path, "record has neither compiledRelease nor releases"))
	}
	raws := make([][]byte, len(t.releases))
	for i, r := range t.releases {
		raws[i] = u.data[r.start:r.end]
	}
	merged, err := mergeReleases(raws, ocid)
	if err != nil {
		return append(out, d.reject(u, sp.start, path, err.Error()))
	}
	// The merged release is new JSON; decode it as a unit of its own but
	// report positions at the record.
	line, col := u.pos(sp.start)
	mu := unit{data: merged, line: line, col: col}
	var mt top
	if e := d.scan(mu, 0, len(merged), path, func(s *scanner) { s.top(&mt) }); e != nil {
		e.Line, e.Column = line, col
		return append(out, *e)
	}
	return d.finish(mu, &mt, span{0, len(merged)}, path, ocid, out)
}

// pos turns an offset in u.data into a line and column in the file.
func (u unit) pos(off int) (line, col int) {
	off = min(off, len(u.data))
	before := u.data[:off]
	nl := bytes.Count(before, []byte{'\n'})
	if nl == 0 {
		return u.line, u.col + off
	}
	return u.line + nl, off - bytes.LastIndexByte(before, '\n')
}

func (d *decoder) reject(u unit, off int, path, reason string) Item {
	line, col := u.pos(off)
	return Item{File: d.file, Line: line, Column: col, Raw: u.data, Err: &Error{File: d.file, Line: line, Column: col, Path: path, Reason: reason}}
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}
