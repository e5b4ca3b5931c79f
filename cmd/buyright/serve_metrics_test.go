package main

import (
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// serve with --metrics-token answers /metrics on its own address only to
// the token; with --metrics-addr on an address of its own (and not on the
// main one); the probes answer on the main address.
func TestServeMetricsAndProbes(t *testing.T) {
	dir := t.TempDir()
	const token = "0123456789abcdef-metrics"
	base := startServe(t, "--db", "sqlite:"+filepath.Join(dir, "m.db"), "--metrics-token", token)
	for _, p := range []string{"/livez", "/readyz", "/healthz", "/register"} {
		if code, _ := get(t, base+p, ""); code != 200 {
			t.Errorf("%s: %d", p, code)
		}
	}
	if code, _ := get(t, base+"/metrics", ""); code != 401 {
		t.Errorf("metrics without the token: %d", code)
	}
	if code, _ := get(t, base+"/metrics", "wrong-token-wrong-token"); code != 401 {
		t.Errorf("metrics with a wrong token: %d", code)
	}
	code, body := get(t, base+"/metrics", token)
	if code != 200 || !strings.Contains(body, `buyright_http_requests_total{route="GET /register",code="200"} 1`) ||
		!strings.Contains(body, "# TYPE buyright_http_request_duration_seconds histogram") {
		t.Errorf("metrics with the token: %d\n%s", code, body)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	maddr := ln.Addr().String()
	ln.Close()
	other := startServe(t, "--db", "sqlite:"+filepath.Join(dir, "n.db"), "--metrics-addr", maddr)
	get(t, other+"/livez", "")
	if code, body := get(t, "http://"+maddr+"/metrics", ""); code != 200 || !strings.Contains(body, `route="GET /livez"`) {
		t.Errorf("metrics on their own address: %d\n%.500s", code, body)
	}
	if code, _ := get(t, other+"/metrics", ""); code != 404 {
		t.Errorf("metrics on the main address without a token: %d, want 404", code)
	}
}
