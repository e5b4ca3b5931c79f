package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// selfSigned writes a certificate and key for 127.0.0.1 into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "buyright test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

// logWatch is a stderr that tells when the server says where it listens.
type logWatch struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	url   chan string
	found bool
}

var listening = regexp.MustCompile(`buyright is listening"? url=(\S+)`)

func (l *logWatch) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if m := listening.FindSubmatch(l.buf.Bytes()); m != nil && !l.found {
		l.found = true
		l.url <- string(m[1])
	}
	return len(p), nil
}

// startServe runs `buyright serve` in-process until the test ends and
// returns the address it announced.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	return startServeEnv(t, nil, args...)
}

// startServeEnv is startServe with environment variables.
func startServeEnv(t *testing.T, vars map[string]string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &logWatch{url: make(chan string, 1)}
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: logs, getenv: func(k string) string { return vars[k] }}
	var code int
	done := make(chan struct{})
	go func() {
		code = run(ctx, e, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
		close(done)
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case u := <-logs.url:
		return u
	case <-done:
		logs.mu.Lock()
		defer logs.mu.Unlock()
		t.Fatalf("serve ended with %d: %s", code, logs.buf.String())
	case <-time.After(time.Minute):
		t.Fatal("serve did not say where it listens within a minute") // a hang, not a speed check
	}
	return ""
}

// serve --tls-cert/--tls-key serves HTTPS itself and every answer carries
// Strict-Transport-Security; --trusted-proxies makes a proxy's
// X-Forwarded-Proto count, so HSTS goes out behind a TLS proxy too.
func TestServeTLSAndTrustedProxies(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	base := startServe(t, "--db", "sqlite:"+filepath.Join(dir, "tls.db"), "--tls-cert", cert, "--tls-key", key)
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("announced %q", base)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := c.Get(base + "/register")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Fatalf("over TLS: %s, HSTS %q", resp.Status, resp.Header.Get("Strict-Transport-Security"))
	}

	plain := startServe(t, "--db", "sqlite:"+filepath.Join(dir, "proxy.db"), "--trusted-proxies", "127.0.0.1")
	req, _ := http.NewRequest("GET", plain+"/register", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.5")
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Fatalf("behind a trusted TLS proxy: no HSTS")
	}
}

func TestServeFlagMistakes(t *testing.T) {
	dir := t.TempDir()
	cert, _ := selfSigned(t, dir)
	db := "sqlite:" + filepath.Join(dir, "x.db")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--trusted-proxies", "10.0.0.0/33"}, "--trusted-proxies: 10.0.0.0/33 is not an address or network"},
		{[]string{"--forwarded-header", "X-Real-IP"}, "--forwarded-header must be"},
		{[]string{"--tls-cert", cert}, "--tls-cert and --tls-key go together"},
		{[]string{"--tls-cert", cert, "--tls-key", cert}, "cannot use the TLS certificate"},
		{[]string{"--metrics-token", "short"}, "--metrics-token must be at least 16 characters"},
		{[]string{"--log-format", "xml"}, "--log-format must be text or json"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, "", append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, c.args...)...)
		if code == 0 || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, %q; want one line with %q", c.args, code, errs, c.want)
		}
	}
}
