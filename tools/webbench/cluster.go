package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"buyright/internal/store"
	"buyright/internal/web"
)

// The cluster mode (-servers) starts one and then two app server processes
// on the same PostgreSQL schema and drives each with the same mix a
// deployment sees: signed-in page views, form posts and public register
// searches. Each server is this program run again with -serve-child, so
// its memory is its own and can be read from /proc.

// serveChild runs one app server on a free loopback port, prints its
// address, and serves until its standard input closes (the parent ended).
func serveChild(dbURL string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := web.New(web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println("http://" + ln.Addr().String())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	return (&http.Server{Handler: srv}).Serve(ln)
}

// child is a running app server process.
type child struct {
	cmd  *exec.Cmd
	url  string
	stop io.Closer
}

func startChild(dbURL string) (*child, error) {
	cmd := exec.Command(os.Args[0], "-serve-child", "-db", dbURL)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return nil, fmt.Errorf("app server did not start: %v", err)
	}
	return &child{cmd: cmd, url: strings.TrimSpace(line), stop: in}, nil
}

func (c *child) close() {
	c.stop.Close()
	c.cmd.Wait()
}

// memory reads the process's resident memory now and at its peak, in MB.
func (c *child) memory() (rss, peak float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}

// mixSearches are public register searches; the purchases seeded for this
// mode publish every tenth purchase, so they find entries.
var mixSearches = []string{"/register?q=benefits", "/register?q=cameras", "/register?q=school+platform", "/register?sector=health", "/register"}

// runCluster loads one server, then two, with the mix, next to hello-world.
func runCluster(dbURL string, n, clients int, dur time.Duration, helloURL string) error {
	a, err := startChild(dbURL)
	if err != nil {
		return err
	}
	defer a.close()
	b, err := startChild(dbURL)
	if err != nil {
		return err
	}
	defer b.close()
	// One sign-in: the session lives in the database, so the cookie
	// opened on one server is honoured by the other.
	cookie, err := signIn(a.url)
	if err != nil {
		return err
	}
	fmt.Printf("mix per client: 6 signed-in page views, 1 comment posted, 3 public searches in 10 requests; %d clients for %s\n\n", clients, dur)
	fmt.Printf("%-30s %9s %9s %9s %9s %10s\n", "", "req/s", "p50 ms", "p95 ms", "p99 ms", "vs hello")
	base := load(helloURL+"/", nil, clients, dur)
	report("stdlib hello world", base, base)
	// Warm both servers' template clones and caches before measuring.
	mix([]string{a.url, b.url}, cookie, n, clients, time.Second)
	one := mix([]string{a.url}, cookie, n, clients, dur)
	report("mix, one server", one, base)
	ra, pa := a.memory()
	two := mix([]string{a.url, b.url}, cookie, n, clients, dur)
	report("mix, two servers", two, base)
	rb, pb := b.memory()
	ra2, pa2 := a.memory()
	fmt.Printf("\ntwo servers / one: throughput %.2fx, p95 %.2fx\n", two.rps()/one.rps(), two.pct(0.95)/one.pct(0.95))
	fmt.Printf("server A memory: %.0f MB resident after one-server load, %.0f MB after two (peak %.0f MB)\n", ra, ra2, max(pa, pa2))
	fmt.Printf("server B memory: %.0f MB resident after two-server load (peak %.0f MB)\n", rb, pb)
	if one.errors+two.errors > 0 {
		return fmt.Errorf("%d requests failed", one.errors+two.errors)
	}
	return nil
}

// mix runs clients goroutines spread over the servers, each sending the
// mix in a closed loop until the duration is up.
func mix(servers []string, cookie *http.Cookie, n, clients int, dur time.Duration) result {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var mu sync.Mutex
	res := result{}
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := servers[i%len(servers)]
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			var lat []time.Duration
			errs := 0
			for k := 0; time.Now().Before(deadline); k++ {
				// The bench officer leads every twentieth purchase
				// (ids 1, 21, 41…): those it may view and comment on,
				// leaving the first (measured alone by the page mode).
				own := 21 + 20*rng.IntN(max(n/20-1, 1))
				var req *http.Request
				switch k % 10 {
				case 0, 3:
					req, _ = http.NewRequest("GET", base+"/purchases", nil)
				case 1:
					req, _ = http.NewRequest("GET", base+"/dashboard", nil)
				case 4:
					req, _ = http.NewRequest("GET", fmt.Sprintf("%s/purchases?page=%d", base, 1+rng.IntN(max(n/25, 1))), nil)
				case 6, 7:
					req, _ = http.NewRequest("GET", fmt.Sprintf("%s/purchases/%d", base, own), nil)
				case 8:
					form := url.Values{"body": {fmt.Sprintf("Load test comment %d from client %d.", k, i)}}
					req, _ = http.NewRequest("POST", fmt.Sprintf("%s/purchases/%d/comments", base, own), strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				default:
					req, _ = http.NewRequest("GET", base+mixSearches[rng.IntN(len(mixSearches))], nil)
				}
				if !strings.HasPrefix(req.URL.Path, "/register") {
					req.AddCookie(cookie)
				}
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 && resp.StatusCode != http.StatusSeeOther {
						errs++
						if errs == 1 {
							fmt.Fprintf(os.Stderr, "%s %s answered %s\n", req.Method, req.URL, resp.Status)
						}
					}
				} else {
					errs++
					if errs == 1 {
						fmt.Fprintf(os.Stderr, "%s: %v\n", req.URL, err)
					}
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.errors += errs
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.count = len(res.lat)
	sort.Slice(res.lat, func(i, j int) bool { return res.lat[i] < res.lat[j] })
	return res
}
