package web

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
)

// A reverse proxy hides who is connecting: every request arrives from the
// proxy's own address. Proxies that the operator names (serve
// --trusted-proxies) are believed about who connected to them; nobody else
// is, so a visitor cannot choose the address a limiter counts.

// proxyTrust decides who is behind a request.
type proxyTrust struct {
	nets   []netip.Prefix
	header string // "X-Forwarded-For" or "Forwarded"
}

// ProxyHeaders are the forwarding headers a proxy may be configured to write.
var ProxyHeaders = []string{"X-Forwarded-For", "Forwarded"}

func (p proxyTrust) trusted(a netip.Addr) bool {
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// hop is one address a proxy says it saw, with the protocol it received
// the request over ("" when it does not say).
type hop struct {
	addr  netip.Addr
	ok    bool // false: "unknown", an obfuscated name or garbage
	proto string
}

// resolve returns the visitor's address and whether the visitor's own
// connection was TLS. Walking from the right, each hop was written by the
// proxy after it; the first address that is not a trusted proxy is the
// visitor. A hop that is no address stops the walk at the proxy that
// wrote it, which is then the best we know.
func (p proxyTrust) resolve(r *http.Request) (netip.Addr, bool) {
	remote := remoteAddr(r)
	tls := r.TLS != nil
	if len(p.nets) == 0 || !remote.IsValid() || !p.trusted(remote) {
		return remote, tls
	}
	var hops []hop
	if p.header == "Forwarded" {
		hops = parseForwarded(r.Header.Values("Forwarded"))
	} else {
		hops = parseXFF(r.Header.Values("X-Forwarded-For"))
		if proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ","); proto != "" && len(hops) > 0 {
			// X-Forwarded-Proto is set by the proxy the visitor connected to.
			hops[len(hops)-1].proto = strings.TrimSpace(proto)
		}
	}
	client, proto := remote, ""
	if tls {
		proto = "https"
	}
	for i := len(hops) - 1; i >= 0; i-- {
		h := hops[i]
		if !h.ok {
			break
		}
		client = h.addr
		if h.proto != "" {
			proto = h.proto
		}
		if !p.trusted(h.addr) {
			break
		}
	}
	return client, strings.EqualFold(proto, "https")
}

func remoteAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	a, _ := netip.ParseAddr(r.RemoteAddr)
	return a.Unmap()
}

// parseHopAddr reads one address as proxies write it: 192.0.2.1,
// 192.0.2.1:4711, 2001:db8::1, [2001:db8::1] or [2001:db8::1]:4711.
func parseHopAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil && a.Zone() == "" {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}

// parseXFF reads X-Forwarded-For: comma-separated addresses, left to
// right in the order the proxies added them, over any number of lines.
func parseXFF(lines []string) []hop {
	var hops []hop
	for _, line := range lines {
		for _, part := range strings.Split(line, ",") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			a, ok := parseHopAddr(part)
			hops = append(hops, hop{addr: a, ok: ok})
		}
	}
	return hops
}

// parseForwarded reads the Forwarded header (RFC 7239): elements separated
// by commas, each of key=value pairs separated by semicolons, values
// optionally quoted. Only for= and proto= matter here. The split is on
// every comma, quoted or not: no address contains one, and a visitor's
// unbalanced quote must not swallow the elements proxies add after it.
func parseForwarded(lines []string) []hop {
	var hops []hop
	for _, line := range lines {
		for _, elem := range strings.Split(line, ",") {
			if strings.TrimSpace(elem) == "" {
				continue
			}
			h := hop{}
			for _, pair := range strings.Split(elem, ";") {
				k, v, found := strings.Cut(strings.TrimSpace(pair), "=")
				if !found {
					continue
				}
				v = strings.TrimSpace(v)
				if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
					v = strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`)
				}
				switch strings.ToLower(strings.TrimSpace(k)) {
				case "for":
					h.addr, h.ok = parseHopAddr(v)
				case "proto":
					h.proto = v
				}
			}
			hops = append(hops, h)
		}
	}
	return hops
}

// ParseNetworks reads a comma-separated list of addresses and networks
// (192.0.2.10, 10.0.0.0/8, ::1) for serve --trusted-proxies and
// --sso-allow-networks.
func ParseNetworks(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if strings.Contains(part, "/") {
			p, err := netip.ParsePrefix(part)
			if err != nil {
				return nil, &proxyListError{part}
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, &proxyListError{part}
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

type proxyListError struct{ entry string }

func (e *proxyListError) Error() string {
	return e.entry + " is not an address or network (write 192.0.2.10, 10.0.0.0/8 or ::1)"
}

type edgeKey int

const (
	clientAddrKey edgeKey = iota
	viaTLSKey
)

// withClient notes, once per request, who the visitor is and whether
// their connection was TLS, for the limiters and the security headers.
func (s *Server) withClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr, tls := s.proxies.resolve(r)
		ctx := context.WithValue(r.Context(), clientAddrKey, addr)
		ctx = context.WithValue(ctx, viaTLSKey, tls)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientIP is the visitor's address, the key of every per-address limiter.
func clientIP(r *http.Request) string {
	if a, ok := r.Context().Value(clientAddrKey).(netip.Addr); ok && a.IsValid() {
		return a.String()
	}
	if a := remoteAddr(r); a.IsValid() {
		return a.String()
	}
	return r.RemoteAddr
}

// viaTLS reports whether the visitor's connection was encrypted: to this
// server, or to a trusted proxy that says so.
func viaTLS(r *http.Request) bool {
	if v, ok := r.Context().Value(viaTLSKey).(bool); ok {
		return v
	}
	return r.TLS != nil
}
