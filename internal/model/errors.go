// Package model holds buyright's domain types and their validation. It
// imports no storage or web package: the store and the web layer both speak
// these types and not each other.
package model

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web layer.
const (
	ENotFound     = "not_found"
	EInvalid      = "invalid"
	EConflict     = "conflict"
	EUnauthorized = "unauthorized" // not signed in
	EForbidden    = "forbidden"    // signed in, not allowed
	ERateLimited  = "rate_limited"
	EInternal     = "internal"
)

// Error is the one error type the application shows to people. Message is
// safe to show; Key is a translation key for it (Message is the English
// fallback). Fields carries per-field problems of a form or API body, keyed
// by field name, each value a translation key.
type Error struct {
	Code    string
	Key     string
	Message string
	Fields  map[string]string
	Args    []any
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %v", e.Message, e.Fields)
	}
	return e.Message
}

// Errorf makes an Error with a code and a message safe to show a person.
func Errorf(code, key, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Message: fmt.Sprintf(format, args...), Args: args}
}

// ErrorCode returns the code of err, or EInternal for any error that is not
// ours, so that driver and system errors never reach a person verbatim.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// NotFound is returned for an object that does not exist or that the caller
// may not see: the two are indistinguishable on purpose.
func NotFound(what string) *Error {
	return &Error{Code: ENotFound, Key: "error.not_found", Message: what + " not found"}
}

// Forbidden is returned when a person may see an object but not do the action.
func Forbidden() *Error {
	return &Error{Code: EForbidden, Key: "error.forbidden", Message: "you are not allowed to do this"}
}

// FieldErrors collects validation problems per field.
type FieldErrors map[string]string

// Add records the first problem found for a field.
func (f FieldErrors) Add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// Err returns nil when there are no problems, else an EInvalid error.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Key: "error.invalid", Message: "some fields need attention", Fields: f}
}
