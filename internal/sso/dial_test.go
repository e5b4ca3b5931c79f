package sso

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestPublicAddresses(t *testing.T) {
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true, "::ffff:8.8.4.4": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.9": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fd00:ec2::254": false, "100.64.0.1": false,
		"0.0.0.0": false, "::": false, "224.0.0.1": false, "255.255.255.255": false, "192.0.2.5": false,
		"::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false,
	} {
		if got := public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("public(%s) = %v, want %v", addr, got, want)
		}
	}
}

// A provider inside the server's own network (here: loopback) is not
// reached unless the operator allowed its network; the refusal names the
// address and the flag that allows it.
func TestProviderCallsReachAllowedNetworksOnly(t *testing.T) {
	inside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret metadata")) }))
	defer inside.Close()
	_, err := NewClient(nil).discover(context.Background(), inside.URL)
	var r *Refusal
	if !errors.As(err, &r) || r.Reason != "provider" || !strings.Contains(r.Detail, "127.0.0.1 is not a public one") || !strings.Contains(r.Detail, "--sso-allow-networks") {
		t.Fatalf("loopback provider without allowance: %v", err)
	}
	resp, err := guardedHTTP(nil).Get(inside.URL)
	var blocked *ErrBlockedAddress
	if err == nil {
		resp.Body.Close()
	}
	if !errors.As(err, &blocked) {
		t.Fatalf("direct call: %v", err)
	}
	// Allowed: the call goes through (discovery then fails on the body,
	// which is not a discovery document, not on the address).
	_, err = NewClient([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}).discover(context.Background(), inside.URL)
	if !errors.As(err, &r) || strings.Contains(r.Detail, "not a public one") {
		t.Fatalf("allowed network: %v", err)
	}
}
