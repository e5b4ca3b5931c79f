package sso

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// An organisation's administrator types the issuer URL, and the server
// then fetches from it: left open, that would let an administrator make
// the server call addresses inside its own network (a metadata service, a
// database's web console) and learn from the errors what answers there.
// So every connection to a provider, redirects included, is checked once
// the name is resolved, right before connecting (a name that resolves to
// a public address first and a private one later gains nothing): private,
// loopback, link-local and other non-public addresses are refused unless
// the site operator allowed their network, as they would for an identity
// provider run inside their own network.

// ErrBlockedAddress is a connection refused because of its address.
type ErrBlockedAddress struct{ Addr netip.Addr }

func (e *ErrBlockedAddress) Error() string {
	return fmt.Sprintf("the provider's address %s is not a public one; the site operator can allow its network with --sso-allow-networks", e.Addr)
}

// public says whether an address is reachable on the public internet.
func public(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// nonPublic are global-unicast ranges that are not the public internet
// (IsGlobalUnicast and IsPrivate leave them out): shared carrier space,
// documentation, benchmarking, the 6to4 relay and NAT64's local use.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// guardedHTTP returns the HTTP client for providers: 10-second timeout,
// no proxy from the environment (a proxy would hide where a connection
// goes), and every dial checked against allow.
func guardedHTTP(allow []netip.Prefix) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("sso: dial %q: %v", address, err)
		}
		a := ap.Addr().Unmap()
		if public(a) {
			return nil
		}
		for _, p := range allow {
			if p.Contains(a) {
				return nil
			}
		}
		return &ErrBlockedAddress{Addr: a}
	}}
	t := &http.Transport{
		DialContext:         d.DialContext,
		ForceAttemptHTTP2:   true,
		TLSHandshakeTimeout: 5 * time.Second,
		MaxIdleConns:        20,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: t}
}
