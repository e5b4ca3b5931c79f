package ocds

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner is a strict JSON scanner over one complete value in memory. It
// validates everything it passes over (RFC 8259 grammar, control characters
// and escapes in strings, nesting depth, string size); callers ask it to
// decode only the few values they need and skip the rest.
//
// A syntax error aborts the whole value by panicking with *scanError, which
// the entry points recover: the error paths stay out of the hot loops.
type scanner struct {
	b         []byte
	i         int
	depth     int
	maxDepth  int
	maxString int
	// path is the stack of keys and indexes from the root to the value being
	// read; it is turned into text only when something goes wrong.
	path []pathElem
	// typeErrs collects wrong-type problems in fields screening decides
	// on; they do not stop the scan, so one reject can list them all.
	typeErrs []scanError
	// warns collects wrong types the scanner could live with: a value
	// coerced (a numeric string amount) or ignored (a date written as a
	// number). The release is kept and the warning travels with it.
	warns []scanError
}

type pathElem struct {
	key []byte
	idx int // -1 when this element is a key
}

// scanError is a problem at a byte offset inside the scanned value.
type scanError struct {
	off    int
	path   string
	reason string
}

func (s *scanner) reset(b []byte, o Options) {
	s.b, s.i, s.depth = b, 0, 0
	s.maxDepth, s.maxString = o.MaxDepth, o.MaxStringBytes
	s.path = s.path[:0]
	s.typeErrs = s.typeErrs[:0]
	s.warns = s.warns[:0]
}

func (s *scanner) pathString() string {
	var b strings.Builder
	path := s.path
	if len(path) > 16 {
		// Deeply nested input: the first levels say where, the rest is noise.
		defer fmt.Fprintf(&b, "... (%d levels)", len(s.path))
		path = path[:16]
	}
	for _, e := range path {
		if e.idx >= 0 {
			fmt.Fprintf(&b, "[%d]", e.idx)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.Write(e.key)
	}
	return b.String()
}

func (s *scanner) fail(off int, format string, args ...any) {
	panic(&scanError{off: off, path: s.pathString(), reason: fmt.Sprintf(format, args...)})
}

// failEOF explains running out of input inside a value, which in JSON Lines
// almost always means the line was cut short.
func (s *scanner) failEOF() {
	s.fail(len(s.b), "input ends before the JSON value is complete (truncated line?)")
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\n', '\r', '\t':
			s.i++
		default:
			return
		}
	}
}

// next returns the first byte of the next value, or fails at end of input.
func (s *scanner) next() byte {
	s.ws()
	if s.i >= len(s.b) {
		s.failEOF()
	}
	return s.b[s.i]
}

func (s *scanner) expect(c byte) {
	s.ws()
	if s.i >= len(s.b) {
		s.failEOF()
	}
	if s.b[s.i] != c {
		s.fail(s.i, "expected %q, found %s", c, describeByte(s.b[s.i]))
	}
	s.i++
}

func describeByte(c byte) string {
	switch {
	case c >= 0x20 && c < 0x7f:
		return fmt.Sprintf("%q", c)
	default:
		return fmt.Sprintf("byte 0x%02x", c)
	}
}

func (s *scanner) enter() {
	s.depth++
	if s.depth > s.maxDepth {
		s.fail(s.i, "nesting deeper than %d levels", s.maxDepth)
	}
}

// kindName names the JSON type starting with byte c, for error messages.
func kindName(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// skip passes over one value of any kind, validating it. Most of a
// release is skipped (bids, documents, milestones...), so this is an
// iterative loop with its own small stack rather than the recursive
// object/array walk used for the fields that are read. An error inside
// names the path of the skipped value.
func (s *scanner) skip() {
	var stackBuf [64]byte
	stack := stackBuf[:0]
	b := s.b
	for {
		// A value starts here.
		switch c := s.next(); c {
		case '{', '[':
			if s.depth+len(stack)+1 > s.maxDepth {
				s.fail(s.i, "nesting deeper than %d levels", s.maxDepth)
			}
			stack = append(stack, c)
			s.i++
			s.ws()
			if s.i < len(b) && b[s.i] == c+2 { // '}' is '{'+2, ']' is '['+2
				s.i++
				stack = stack[:len(stack)-1]
				break
			}
			if c == '{' {
				s.memberKey()
			}
			continue
		case '"':
			s.skipString()
		case 't':
			s.literal("true")
		case 'f':
			s.literal("false")
		case 'n':
			s.literal("null")
		default:
			s.number()
		}
		// After a value: close containers or move to the next element.
		for {
			if len(stack) == 0 {
				return
			}
			open := stack[len(stack)-1]
			c := s.next()
			if c == ',' {
				s.i++
				if open == '{' {
					s.memberKey()
				}
				break
			}
			if c == open+2 {
				s.i++
				stack = stack[:len(stack)-1]
				continue
			}
			if open == '{' {
				s.fail(s.i, "expected ',' or '}' after an object member, found %s", describeByte(c))
			}
			s.fail(s.i, "expected ',' or ']' after an array element, found %s", describeByte(c))
		}
	}
}

// memberKey passes over an object key and its colon.
func (s *scanner) memberKey() {
	if s.next() != '"' {
		s.fail(s.i, "expected a string key, found %s", describeByte(s.b[s.i]))
	}
	s.skipString()
	s.expect(':')
}

func (s *scanner) literal(w string) {
	if len(s.b)-s.i < len(w) {
		if strings.HasPrefix(w, string(s.b[s.i:])) {
			s.failEOF()
		}
		s.fail(s.i, "invalid literal, expected %s", w)
	}
	if string(s.b[s.i:s.i+len(w)]) != w {
		s.fail(s.i, "invalid literal, expected %s", w)
	}
	s.i += len(w)
}

// number validates a JSON number and returns its text.
func (s *scanner) number() []byte {
	b, start := s.b, s.i
	i := s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		s.failEOF()
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		s.fail(i, "unexpected %s where a JSON value should start", describeByte(b[i]))
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			s.fail(i, "a number needs digits after the decimal point")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			s.fail(i, "a number needs digits in its exponent")
		}
	}
	s.i = i
	return b[start:i]
}

// object reads an object, calling member for each key with the scanner at
// the member's value; member must consume exactly that value.
func (s *scanner) object(member func(s *scanner, key []byte)) {
	s.expect('{')
	s.enter()
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		s.depth--
		return
	}
	for {
		if s.next() != '"' {
			s.fail(s.i, "expected a string key, found %s", describeByte(s.b[s.i]))
		}
		key := s.key()
		s.expect(':')
		s.path = append(s.path, pathElem{key: key, idx: -1})
		member(s, key)
		s.path = s.path[:len(s.path)-1]
		switch s.next() {
		case ',':
			s.i++
		case '}':
			s.i++
			s.depth--
			return
		default:
			s.fail(s.i, "expected ',' or '}' after an object member, found %s", describeByte(s.b[s.i]))
		}
	}
}

// array reads an array, calling elem with each index.
func (s *scanner) array(elem func(s *scanner, i int)) {
	s.expect('[')
	s.enter()
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		s.depth--
		return
	}
	for n := 0; ; n++ {
		s.path = append(s.path, pathElem{idx: n})
		elem(s, n)
		s.path = s.path[:len(s.path)-1]
		switch s.next() {
		case ',':
			s.i++
		case ']':
			s.i++
			s.depth--
			return
		default:
			s.fail(s.i, "expected ',' or ']' after an array element, found %s", describeByte(s.b[s.i]))
		}
	}
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// stringEnd finds the closing quote of the string whose opening quote is at
// s.i, validates it and returns the index just after the closing quote and
// whether it contains escapes. Eight bytes are tested at a time for a quote,
// a backslash or a control character, since most string bytes are none of
// those and this loop is where a scan spends its time.
//
// UTF-8 is checked here too, and only for strings holding a byte >= 0x80:
// outside strings such a byte is a syntax error anyway, so ASCII text is
// never read twice.
func (s *scanner) stringEnd() (end int, escaped bool) {
	b := s.b
	start := s.i
	i := s.i + 1
	var high uint64
	for {
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			high |= x
			q := x ^ (ones * '"')
			e := x ^ (ones * '\\')
			// A byte is flagged when it is zero after the xor (a quote or a
			// backslash) or below 0x20; bytes >= 0x80 never are.
			m := ((q - ones) &^ q) | ((e - ones) &^ e) | ((x - ones*0x20) &^ x)
			m &= highs
			if m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(b) {
			s.failEOF()
		}
		c := b[i]
		switch {
		case c == '"':
			if i-start-1 > s.maxString {
				s.fail(start, "string of %d bytes is longer than the %d-byte limit", i-start-1, s.maxString)
			}
			if high&highs != 0 && !utf8.Valid(b[start+1:i]) {
				off := start + 1 + firstInvalidUTF8(b[start+1:i])
				s.fail(off, "invalid UTF-8 (byte 0x%02x); the file must be UTF-8", b[off])
			}
			return i + 1, escaped
		case c == '\\':
			escaped = true
			if i+1 >= len(b) {
				s.failEOF()
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					s.failEOF()
				}
				for _, h := range b[i+2 : i+6] {
					if !isHex(h) {
						s.fail(i, "invalid \\u escape in string")
					}
				}
				i += 6
			default:
				s.fail(i, "invalid escape \\%s in string", string(rune(b[i+1])))
			}
		case c < 0x20:
			s.fail(i, "control character 0x%02x inside a string (must be escaped)", c)
		default:
			high |= uint64(c)
			i++
		}
		if i-start > s.maxString+1 {
			s.fail(start, "string longer than the %d-byte limit", s.maxString)
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func (s *scanner) skipString() {
	end, _ := s.stringEnd()
	s.i = end
}

// key reads an object key. Keys almost never have escapes, so the common
// case returns a slice of the input without allocating.
func (s *scanner) key() []byte {
	start := s.i
	end, esc := s.stringEnd()
	s.i = end
	if !esc {
		return s.b[start+1 : end-1]
	}
	return []byte(unescape(s.b[start+1 : end-1]))
}

// str reads a string value and returns it unescaped.
func (s *scanner) str() string {
	start := s.i
	end, esc := s.stringEnd()
	s.i = end
	if !esc {
		return string(s.b[start+1 : end-1])
	}
	return unescape(s.b[start+1 : end-1])
}

// unescape decodes the body of a valid JSON string (escapes already checked).
// Lone surrogates become U+FFFD, as encoding/json does.
func unescape(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch b[i+1] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(b[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
					if r2 := utf16.DecodeRune(r, hex4(b[i+2:i+6])); r2 != utf8.RuneError {
						out = utf8.AppendRune(out, r2)
						i += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default: // '"', '\\', '/'
			out = append(out, b[i+1])
		}
		i += 2
	}
	return string(out)
}

func hex4(b []byte) rune {
	v, _ := strconv.ParseUint(string(b), 16, 32)
	return rune(v)
}

// typeErr records that the value at the current path has the wrong type and
// skips it, so the scan can go on and report every such problem at once.
func (s *scanner) typeErr(want string) {
	if len(s.typeErrs) < 8 {
		s.typeErrs = append(s.typeErrs, scanError{
			off: s.i, path: s.pathString(),
			reason: "want " + want + ", got " + kindName(s.b[s.i]),
		})
	}
	s.skip()
}

// typeWarn records a tolerated wrong type; skip says whether to pass over
// the value (when it is being ignored rather than coerced).
func (s *scanner) typeWarn(want, did string, skip bool) {
	if len(s.warns) < 8 {
		s.warns = append(s.warns, scanError{
			off: s.i, path: s.pathString(),
			reason: "want " + want + ", got " + kindName(s.b[s.i]) + "; " + did,
		})
	}
	if skip {
		s.skip()
	}
}

// isNull consumes a null and reports whether there was one.
func (s *scanner) isNull() bool {
	if s.next() == 'n' {
		s.literal("null")
		return true
	}
	return false
}

// text reads a string field; null leaves it empty, other types are wrong.
func (s *scanner) text() string {
	switch s.next() {
	case '"':
		return s.str()
	case 'n':
		s.literal("null")
		return ""
	}
	s.typeErr("a string")
	return ""
}

// loose reads a string field screening can do without: a number or boolean
// is taken as its text, an object or array is ignored, with a warning.
func (s *scanner) loose() string {
	switch c := s.next(); c {
	case '"':
		return s.str()
	case 'n':
		s.literal("null")
		return ""
	case '{', '[':
		s.typeWarn("a string", "ignored", true)
		return ""
	default:
		s.typeWarn("a string", "read as text", false)
		start := s.i
		s.skip()
		return string(s.b[start:s.i])
	}
}

// code reads an identifier that publishers write as a string or a bare
// number (Mexico's CUCoP ids are numbers); both mean the same code.
func (s *scanner) code() string {
	switch c := s.next(); {
	case c == '"':
		return s.str()
	case c == 'n':
		s.literal("null")
		return ""
	case c == '-' || c >= '0' && c <= '9':
		return string(s.number())
	}
	s.typeErr("a string or number")
	return ""
}

// num reads a number field; ok is false for null or an unusable value.
// Some publishers quote amounts ("1311264.00"): a string holding a plain
// number is read with a warning, anything else is ignored with one.
func (s *scanner) num() (v float64, ok bool) {
	switch c := s.next(); {
	case c == '-' || c >= '0' && c <= '9':
		f, err := strconv.ParseFloat(string(s.number()), 64)
		return f, err == nil
	case c == 'n':
		s.literal("null")
		return 0, false
	case c == '"':
		at := s.i
		text := strings.TrimSpace(s.str())
		if text == "" {
			return 0, false // Moldova writes "" for an unknown amount: absent
		}
		f, err := strconv.ParseFloat(text, 64)
		i := s.i
		s.i = at
		if err != nil {
			s.typeWarn("a number", "ignored", false)
		} else {
			s.typeWarn("a number", "read as a number", false)
		}
		s.i = i
		return f, err == nil
	}
	s.typeWarn("a number", "ignored", true)
	return 0, false
}

// obj reads an object field: null is absent, other types are wrong.
func (s *scanner) obj(member func(s *scanner, key []byte)) bool {
	switch s.next() {
	case '{':
		s.object(member)
		return true
	case 'n':
		s.literal("null")
		return false
	}
	s.typeErr("an object")
	return false
}

// list reads an array field: null is absent, other types are wrong.
func (s *scanner) list(elem func(s *scanner, i int)) {
	switch s.next() {
	case '[':
		s.array(elem)
	case 'n':
		s.literal("null")
	default:
		s.typeErr("an array")
	}
}

// objects reads an array of objects; null elements are skipped, other
// element types are wrong.
func (s *scanner) objects(member func(i int) func(s *scanner, key []byte)) {
	s.list(func(s *scanner, i int) {
		if !s.isNull() {
			s.obj(member(i))
		}
	})
}

// looseObjects is objects for lists screening can do without: a single
// object is read as a list of one (Taiwan writes "awards": {...}), other
// wrong types are ignored, each with a warning.
func (s *scanner) looseObjects(member func(i int) func(s *scanner, key []byte)) {
	switch s.next() {
	case '[':
		s.array(func(s *scanner, i int) {
			switch s.next() {
			case '{':
				s.object(member(i))
			case 'n':
				s.literal("null")
			default:
				s.typeWarn("an object", "ignored", true)
			}
		})
	case '{':
		s.typeWarn("an array", "read as a list of one", false)
		s.object(member(0))
	case 'n':
		s.literal("null")
	default:
		s.typeWarn("an array", "ignored", true)
	}
}

// looseObj is obj for objects screening can do without.
func (s *scanner) looseObj(member func(s *scanner, key []byte)) bool {
	switch s.next() {
	case '{':
		s.object(member)
		return true
	case 'n':
		s.literal("null")
		return false
	}
	s.typeWarn("an object", "ignored", true)
	return false
}

// excerpt quotes the start of the input at the current position, to show
// what stands where JSON was expected.
func (s *scanner) excerpt() string {
	e := s.b[s.i:min(len(s.b), s.i+40)]
	for !utf8.Valid(e) && len(e) > 0 {
		e = e[:len(e)-1]
	}
	q := strconv.Quote(string(e))
	if s.i+40 < len(s.b) {
		q += "..."
	}
	return q
}
