package ocds

import (
	"io"
)

// Reader yields the releases of one input in order, on the caller's
// goroutine. Use Process to decode on all cores instead.
type Reader struct {
	name  string
	opts  Options
	r     io.Reader
	src   *source
	dec   *decoder
	b     batch
	unit  int
	items []Item
	pos   int
	err   error
}

// NewReader reads OCDS from r; name is used in errors (a file name, or "-"
// for standard input). The input's shape and compression are detected on
// the first call to Next.
func NewReader(r io.Reader, name string, opts Options) *Reader {
	return &Reader{name: name, opts: opts.withDefaults(), r: r}
}

// Next returns the next release or reject. It returns io.EOF at the end,
// and another error only when the input cannot be read any further (a
// damaged gzip stream, a failing disk); rejects are items, not errors.
func (r *Reader) Next() (*Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.src == nil {
		src, err := newSource(r.r, r.name, r.opts)
		if err != nil {
			r.err = err
			return nil, err
		}
		r.src, r.dec = src, newDecoder(r.name, r.opts)
	}
	for r.pos >= len(r.items) {
		if r.unit >= len(r.b.units) {
			if err := r.src.next(&r.b); err != nil {
				r.src.close()
				if err != io.EOF {
					err = &Error{File: r.name, Reason: err.Error()}
				}
				r.err = err
				return nil, err
			}
			r.unit = 0
		}
		r.items = r.dec.decode(r.b.units[r.unit], r.items[:0])
		r.unit++
		r.pos = 0
	}
	it := &r.items[r.pos]
	r.pos++
	return it, nil
}

// Close stops background reading when the caller stops before the end.
func (r *Reader) Close() {
	if r.src != nil {
		r.src.close()
	}
}
