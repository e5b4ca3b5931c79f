package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"buyright/internal/metrics"
)

// What an operator sees of each request: an id that ties the response to
// the log lines it caused, a count by route pattern and status, and how
// long it took. Route patterns (not paths) keep the number of series fixed
// however many purchases there are.

const requestIDKey ctxKey = 100

// latencyBuckets are upper bounds in seconds, from a cached page to a
// report that is too slow.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

func defineMetrics(m *metrics.Registry) {
	m.Counter("buyright_http_requests_total", "HTTP requests answered, by route pattern, method and status.")
	m.Histogram("buyright_http_request_duration_seconds", "Time from request to the last byte written, by route pattern.", latencyBuckets)
	m.Counter("buyright_jobs_total", "Background jobs run, by job and result (ok or failed).")
}

// requestID returns the id of the request being served, or "".
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// saneRequestID accepts an id from a proxy when it is short and made of
// letters, digits and - _ . : only, so it cannot forge log lines or
// headers.
func saneRequestID(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// patternHolder is filled in by the router with the pattern it matched.
type patternHolder struct{ pattern string }

const patternKey ctxKey = 101

// notePattern wraps the router: after it has matched, the request it saw
// carries the pattern, which the outer observe reads through the holder.
func notePattern(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if h, ok := r.Context().Value(patternKey).(*patternHolder); ok {
			h.pattern = r.Pattern
		}
	})
}

// observe gives every request an id (echoed in X-Request-Id), and counts
// and times it once it is answered.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		holder := &patternHolder{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), patternKey, holder)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			route := holder.pattern
			if route == "" {
				route = "unmatched"
			}
			elapsed := time.Since(start)
			s.metrics.Add("buyright_http_requests_total", 1, "route", route, "code", strconv.Itoa(status))
			s.metrics.Observe("buyright_http_request_duration_seconds", elapsed.Seconds(), "route", route)
			s.log.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("route", route),
				slog.Int("status", status), slog.Duration("took", elapsed))
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

// JobDone counts one run of a background job (the job logs its own
// failures).
func (s *Server) JobDone(job string, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	}
	s.metrics.Add("buyright_jobs_total", 1, "job", job, "result", result)
}

// Metrics is the registry this server counts into.
func (s *Server) Metrics() *metrics.Registry { return s.metrics }

// MetricsHandler serves the registry in the Prometheus text format. With
// a token, only a request bearing it is answered.
func MetricsHandler(m *metrics.Registry, token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			got := r.Header.Get("Authorization")
			if subtle.ConstantTimeCompare([]byte(got), []byte("Bearer "+token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "metrics need the bearer token", http.StatusUnauthorized)
				return
			}
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		m.WriteTo(w)
	})
}

// withRequestID adds the request id to every log line written with the
// request's context.
type withRequestID struct{ slog.Handler }

func (h withRequestID) Handle(ctx context.Context, rec slog.Record) error {
	if id := requestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h withRequestID) WithAttrs(as []slog.Attr) slog.Handler {
	return withRequestID{h.Handler.WithAttrs(as)}
}

func (h withRequestID) WithGroup(name string) slog.Handler {
	return withRequestID{h.Handler.WithGroup(name)}
}
