package sso

import (
	"errors"
	"net/url"
)

// Callback is what the provider sends back to the redirect URL.
type Callback struct {
	Code  string
	State string
	// Error is the provider's error code when the person cancelled or the
	// provider refused (RFC 6749 section 4.1.2.1); its description is not
	// kept, since it is free text from outside.
	Error string
}

// ParseCallback checks the callback's query: exactly one of each
// parameter, printable ASCII of a bounded length, and either a code and a
// state or an error.
func ParseCallback(q url.Values) (Callback, error) {
	var c Callback
	get := func(name string, max int) (string, error) {
		vs := q[name]
		switch {
		case len(vs) == 0:
			return "", nil
		case len(vs) > 1:
			return "", errors.New(name + " given more than once")
		case len(vs[0]) > max:
			return "", errors.New(name + " too long")
		}
		for i := 0; i < len(vs[0]); i++ {
			if b := vs[0][i]; b < 0x21 || b > 0x7e {
				return "", errors.New(name + " holds a character outside printable ASCII")
			}
		}
		return vs[0], nil
	}
	var err error
	if c.State, err = get("state", 200); err != nil {
		return Callback{}, err
	}
	if c.Error, err = get("error", 100); err != nil {
		return Callback{}, err
	}
	if c.Code, err = get("code", 4096); err != nil {
		return Callback{}, err
	}
	if c.State == "" {
		return Callback{}, errors.New("state missing")
	}
	if c.Error == "" && c.Code == "" {
		return Callback{}, errors.New("neither a code nor an error")
	}
	if c.Error != "" {
		c.Code = ""
	}
	return c, nil
}
