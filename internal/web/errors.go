package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"

	"buyright/internal/model"
)

// handlerFunc is an HTTP handler that returns its error instead of writing
// it, so one place decides status, logging and the page shown.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

var errNoRoute = model.NotFound("page")

var statusOf = map[string]int{
	model.ENotFound:     http.StatusNotFound,
	model.EInvalid:      http.StatusUnprocessableEntity,
	model.EConflict:     http.StatusConflict,
	model.EUnauthorized: http.StatusUnauthorized,
	model.EForbidden:    http.StatusForbidden,
	model.ERateLimited:  http.StatusTooManyRequests,
	model.EInternal:     http.StatusInternalServerError,
}

// html adapts a handler for pages: errors become an error page in the
// person's language; only internal errors are logged, with the real cause.
func (s *Server) html(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = s.withIdentity(r)
		err := h(w, r)
		if err == nil {
			return
		}
		code := model.ErrorCode(err)
		status := statusOf[code]
		if code == model.EInternal {
			s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		key := "error.internal"
		var e *model.Error
		if errors.As(err, &e) && e.Key != "" {
			key = e.Key
		}
		if code == model.EUnauthorized {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		// Field problems from a form that has no page of its own to show
		// them (an upload, a quick action) are listed, with a way back.
		cat := s.catalog(r)
		var fields []string
		if e != nil {
			for f, k := range e.Fields {
				fields = append(fields, cat.T("field."+f)+": "+translate(cat, s.uploadMB(), k))
			}
			sort.Strings(fields)
		}
		back := ""
		if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != r.URL.Path {
			back = safeNext(ref.RequestURI())
		}
		if rerr := s.render(w, r, status, "error", "error.title", map[string]any{"Key": key, "Status": status, "Fields": fields, "Back": back}); rerr != nil {
			s.log.ErrorContext(r.Context(), "rendering error page", "err", rerr)
			http.Error(w, http.StatusText(status), status)
		}
	})
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

// json adapts a handler for the API: errors become {"error": {...}}.
func (s *Server) json(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = s.withIdentity(r)
		err := h(w, r)
		if err == nil {
			return
		}
		code := model.ErrorCode(err)
		var body apiError
		body.Error.Code = code
		body.Error.Message = "internal error"
		var e *model.Error
		if errors.As(err, &e) {
			body.Error.Message = e.Message
			if len(e.Fields) > 0 {
				cat := s.catalog(r)
				body.Error.Fields = map[string]string{}
				for f, k := range e.Fields {
					body.Error.Fields[f] = translate(cat, s.uploadMB(), k)
				}
			}
		} else {
			s.log.ErrorContext(r.Context(), "api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		writeJSON(w, statusOf[code], body)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
