package ocds

// Options bound what the reader accepts. The zero value means the defaults,
// which are generous for real OCDS and still keep memory small and flat.
type Options struct {
	// MaxLineBytes caps one JSON Lines line, or one element of a
	// pretty-printed package. A longer one is rejected and skipped; reading
	// goes on. Default 64 MiB.
	MaxLineBytes int
	// MaxDepth caps nesting of objects and arrays; deeper input is rejected
	// rather than risking stack growth. Real releases stay under 15.
	// Default 64.
	MaxDepth int
	// MaxStringBytes caps one JSON string (raw bytes). Default 1 MiB: no real
	// title or description comes near it, and a bigger one is a broken or
	// hostile file.
	MaxStringBytes int
	// OnWarning, if set, receives problems that do not lose data, such as a
	// byte-order mark at the start of a file or an empty file.
	OnWarning func(*Error)
}

const (
	defaultMaxLine   = 64 << 20
	defaultMaxDepth  = 64
	defaultMaxString = 1 << 20
)

func (o Options) withDefaults() Options {
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = defaultMaxLine
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = defaultMaxDepth
	}
	if o.MaxStringBytes <= 0 {
		o.MaxStringBytes = defaultMaxString
	}
	return o
}

func (o Options) warn(e *Error) {
	if o.OnWarning != nil {
		o.OnWarning(e)
	}
}
