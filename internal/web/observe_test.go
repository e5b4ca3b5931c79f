package web_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"buyright/internal/metrics"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// An operator's view of one server: every response carries a request id
// (a proxy's sane one kept, anything else replaced), log lines name it,
// the metrics count requests by route pattern and status, and the probes
// answer.
func TestOperatorView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var logs bytes.Buffer
		reg := metrics.New()
		w := newWorldWith(t, db, func(c *web.Config) {
			c.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
			c.Metrics = reg
		})
		get := func(path, id string) *http.Response {
			req, _ := http.NewRequest("GET", w.srv.URL+path, nil)
			if id != "" {
				req.Header.Set("X-Request-Id", id)
			}
			resp, err := client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp
		}
		if got := get("/livez", "").Header.Get("X-Request-Id"); len(got) != 24 {
			t.Errorf("generated request id %q, want 24 hex digits", got)
		}
		if got := get("/readyz", "proxy-4f2a9c01").Header.Get("X-Request-Id"); got != "proxy-4f2a9c01" {
			t.Errorf("a sane id from the proxy is echoed, got %q", got)
		}
		for _, bad := range []string{"short", "has space in it", strings.Repeat("a", 65), "semi;colon<script>"} {
			if got := get("/healthz", bad).Header.Get("X-Request-Id"); got == bad || len(got) != 24 {
				t.Errorf("id %q from outside: echoed %q, want a fresh one", bad, got)
			}
		}
		for _, p := range []string{"/livez", "/readyz", "/healthz"} {
			if resp := get(p, ""); resp.StatusCode != 200 {
				t.Errorf("%s: %d", p, resp.StatusCode)
			}
		}
		get("/purchases/1", "")
		get("/purchases/2", "")
		get("/no/such/page", "")
		if !strings.Contains(logs.String(), `"request_id":"proxy-4f2a9c01"`) {
			t.Errorf("log lines do not name the request id:\n%s", logs.String())
		}
		// Two purchase paths are one series: the pattern, not the path.
		if n := reg.Value("buyright_http_requests_total", "route", "GET /purchases/{id}", "code", "303"); n != 2 {
			t.Errorf("GET /purchases/{id} 303 counted %v times, want 2", n)
		}
		if n := reg.Value("buyright_http_requests_total", "route", "/", "code", "404"); n != 1 {
			t.Errorf("unknown page counted %v times under /, want 1", n)
		}

		// The endpoint: refused without the token, the text format with it.
		ms := httptest.NewServer(web.MetricsHandler(reg, "0123456789abcdef"))
		defer ms.Close()
		resp, err := http.Get(ms.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("metrics without the token: %d", resp.StatusCode)
		}
		req, _ := http.NewRequest("GET", ms.URL, nil)
		req.Header.Set("Authorization", "Bearer 0123456789abcdef")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{
			`buyright_http_requests_total{route="GET /purchases/{id}",code="303"} 2`,
			`buyright_http_request_duration_seconds_bucket{route="GET /livez",le="+Inf"} 2`,
			`buyright_db_connections{pool="write",state="max_open"}`,
			`buyright_outbox_messages{state="waiting"} 0`,
		} {
			if !strings.Contains(string(body), want) {
				t.Errorf("metrics lack %q:\n%s", want, body)
			}
		}
		w.app.Tidy(ctx)
		if n := reg.Value("buyright_jobs_total", "job", "tidy", "result", "ok"); n != 1 {
			t.Errorf("tidy counted %v times", n)
		}
	})
}
