// Command registerbench measures public register searches on a register of
// many entries (a million by default), warm and cold, next to a stdlib
// hello-world measured in the same run, and the server's memory.
//
//	go run ./tools/registerbench                       # SQLite, 1,000,000 entries
//	go run ./tools/registerbench -db postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	go run ./tools/registerbench -n 100000 -clients 32 -langs en,pt,es,fr -db postgres://…
//
// It seeds the entries straight into the tables (store.SeedRegister: batched
// inserts on SQLite, COPY on PostgreSQL), starts the application as a
// separate process (so its memory is the server's alone), and for each
// search reports:
//   - warm: -clients clients in a closed loop for -duration;
//   - cold: -rounds times, a real change to the register (an entry
//     re-published through the store, which empties every cached count),
//     then all clients send the same search at once: the first requests
//     after a change, the case where a slow count used to hold up everyone.
//
// It builds its own database (a temporary SQLite file, or a fresh schema on
// PostgreSQL, dropped afterwards unless -keep), so it never touches real data.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/web"
)

// searches are what the press types: a common word (about 8% of entries),
// a rare one (1 in 10,000), a long one (over eight letters, 15%), two
// words, and a word with two facets.
var searches = []struct{ name, path string }{
	{"common word", "/register?q=benefits"},
	{"rare word", "/register?q=ombudsman"},
	{"long word", "/register?q=allocation"},
	{"two words", "/register?q=school+platform"},
	{"word + two facets", "/register?q=scoring&stage=contract&sector=social_protection"},
	{"everything", "/register"},
}

func main() {
	n := flag.Int("n", 1_000_000, "register entries to seed")
	clients := flag.Int("clients", 16, "concurrent clients")
	dur := flag.Duration("duration", 5*time.Second, "how long to load each search warm")
	rounds := flag.Int("rounds", 10, "changes to the register, each followed by one request per client (cold)")
	dbURL := flag.String("db", "", "postgres:// URL (default: a temporary SQLite file)")
	langs := flag.String("langs", "en", "comma-separated reader languages to load each search in")
	keep := flag.Bool("keep", false, "keep the database (SQLite file or PostgreSQL schema) and print where")
	reuse := flag.String("reuse", "", "load a database kept by -keep (sqlite:PATH, or a PostgreSQL schema name with -db) instead of seeding")
	serve := flag.String("serve", "", "internal: run the server on this database URL and print its address")
	flag.Parse()
	if *serve != "" {
		if err := runServer(*serve); err != nil {
			fmt.Fprintln(os.Stderr, "registerbench server:", err)
			os.Exit(1)
		}
		return
	}
	cfg := config{n: *n, clients: *clients, dur: *dur, rounds: *rounds, dbURL: *dbURL, langs: strings.Split(*langs, ","), keep: *keep, reuse: *reuse}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "registerbench:", err)
		os.Exit(1)
	}
}

type config struct {
	n, clients, rounds int
	dur                time.Duration
	dbURL              string
	langs              []string
	keep               bool
	reuse              string
}

func run(c config) error {
	ctx := context.Background()
	dbURL, cleanup, err := scratch(ctx, c)
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	org := &model.Organisation{Slug: "national", Name: "National Procurement Agency", Kind: model.OrgPublicBody}
	if c.reuse == "" {
		if err := db.CreateOrg(ctx, store.System, org); err != nil {
			return err
		}
		start := time.Now()
		if err := db.SeedRegister(ctx, org, c.n, entry); err != nil {
			return err
		}
		fmt.Printf("database: %s, %d entries seeded in %s\n", db.Dialect(), c.n, time.Since(start).Round(time.Second))
	} else {
		orgs, err := db.Orgs(ctx)
		if err != nil || len(orgs) == 0 {
			return fmt.Errorf("no organisation in %s: %v", c.reuse, err)
		}
		org = orgs[0]
	}
	if err := db.Optimize(ctx); err != nil {
		return err
	}
	srv, err := startServer(dbURL)
	if err != nil {
		return err
	}
	defer srv.stop()
	// The peak of the server's private memory, sampled through the run:
	// VmHWM also counts the database file's pages that SQLite maps into
	// each connection (shared with the kernel's page cache, given back
	// under pressure), which is not memory the server holds.
	var peakAnon int64
	sampling, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-sampling:
				return
			case <-t.C:
				peakAnon = max(peakAnon, srv.memory().anon)
			}
		}
	}()
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello, world\n") })
	helloURL, stopHello, err := listen(hello)
	if err != nil {
		return err
	}
	defer stopHello()

	// Touch every search once so the first warm figures do not include
	// the operating system reading the files for the first time.
	for _, s := range searches {
		get(http.DefaultClient, srv.url+s.path, "en")
	}
	fmt.Printf("load: %d clients, warm %s per search, cold %d rounds of one change then %d requests at once\n\n", c.clients, c.dur, c.rounds, c.clients)
	fmt.Printf("%-22s %-4s %9s %11s %11s %12s %10s\n", "search", "lang", "req/s", "warm p95", "warm p99", "cold p95", "vs hello")
	base := load(helloURL+"/", "", c.clients, c.dur)
	fmt.Printf("%-22s %-4s %9.0f %9.2f ms %9.2f ms %12s %9.1f%%\n", "stdlib hello world", "", base.rps(), base.pct(0.95), base.pct(0.99), "", 100.0)
	all, err := db.SearchRegister(ctx, store.RegisterQuery{})
	if err != nil || all.Total == 0 {
		return fmt.Errorf("empty register: %v", err)
	}
	entries, changed := int64(all.Total), int64(0)
	for _, lang := range c.langs {
		for _, s := range searches {
			warm := load(srv.url+s.path, lang, c.clients, c.dur)
			cold, err := coldLoad(ctx, db, org, entries, &changed, srv.url+s.path, lang, c.clients, c.rounds)
			if err != nil {
				return err
			}
			note := ""
			if warm.errors+cold.errors > 0 {
				note = fmt.Sprintf("  (%d non-200 answers!)", warm.errors+cold.errors)
			}
			fmt.Printf("%-22s %-4s %9.0f %9.2f ms %9.2f ms %9.2f ms %9.1f%%%s\n", s.name, lang, warm.rps(), warm.pct(0.95), warm.pct(0.99), cold.pct(0.95), 100*warm.rps()/base.rps(), note)
		}
	}
	close(sampling)
	<-sampled
	m := srv.memory()
	fmt.Printf("\nserver memory: %d MB resident now, %d MB at most (VmRSS, VmHWM of the server process);\n", m.rss>>10, m.hwm>>10)
	fmt.Printf("  private (RssAnon) %d MB now, %d MB at most (sampled every 100 ms); file pages mapped from the database (RssFile) %d MB now\n", m.anon>>10, max(peakAnon, m.anon)>>10, m.file>>10)
	return nil
}

// entry makes the i-th synthetic entry: titles from thirteen phrases,
// facets drawn at random (fixed seed per entry), a summary with a few
// words from a large vocabulary so the word index has a realistic size,
// and one entry in 10,000 naming the ombudsman.
func entry(i int) store.RegisterSeed {
	r := rand.New(rand.NewPCG(uint64(i), 20))
	title := fmt.Sprintf("Purchase %d: %s", i, phrases[i%len(phrases)])
	if i%10_000 == 7 {
		title += " reviewed by the ombudsman"
	}
	var sum strings.Builder
	sum.WriteString("A plain-language summary of what the system does and for whom:")
	for k := 0; k < 6; k++ {
		sum.WriteByte(' ')
		sum.WriteString(vocabulary[int(float64(len(vocabulary))*r.Float64()*r.Float64())])
	}
	techs := []model.Technology{model.Technologies[r.IntN(len(model.Technologies))]}
	if r.IntN(3) == 0 {
		if t := model.Technologies[r.IntN(len(model.Technologies))]; t != techs[0] {
			techs = append(techs, t)
		}
	}
	return store.RegisterSeed{
		Title: title, Summary: sum.String(),
		Sector: model.Sectors[r.IntN(len(model.Sectors))], Technologies: techs,
		Stage: model.Stages[r.IntN(len(model.Stages))], Level: r.IntN(5), Year: 2015 + r.IntN(12),
	}
}

var phrases = []string{"fraud scoring for benefits", "school platform", "cloud health records", "CCTV cameras with analytics", "automated border gates", "court case allocation", "laptops for pupils", "contact tracing app",
	"biometric enrolment", "welfare eligibility chatbot", "predictive policing pilot", "housing allocation algorithm", "tax risk model"}

// vocabulary is 5,000 made-up words of two to four syllables.
var vocabulary = func() []string {
	syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gor", "lin", "tas", "ber", "mun", "dri"}
	r := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 5000)
	for i := range words {
		var b strings.Builder
		for k := 0; k < 2+r.IntN(3); k++ {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		words[i] = b.String()
	}
	return words
}()

// scratch gives the database to use and how to remove it afterwards.
func scratch(ctx context.Context, c config) (string, func(), error) {
	if c.dbURL == "" {
		if strings.HasPrefix(c.reuse, "sqlite:") {
			return c.reuse, func() {}, nil
		}
		dir, err := os.MkdirTemp("", "registerbench")
		if err != nil {
			return "", nil, err
		}
		cleanup := func() { os.RemoveAll(dir) }
		if c.keep {
			cleanup = func() { fmt.Println("kept database sqlite:" + filepath.Join(dir, "bench.db")) }
		}
		return "sqlite:" + filepath.Join(dir, "bench.db"), cleanup, nil
	}
	schema := fmt.Sprintf("registerbench_%d", time.Now().UnixNano())
	keep := c.keep
	if c.reuse != "" {
		schema, keep = c.reuse, true
	}
	admin, err := store.Open(ctx, c.dbURL)
	if err != nil {
		return "", nil, err
	}
	if err := admin.ExecRaw(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		return "", nil, err
	}
	u, err := url.Parse(c.dbURL)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		if keep {
			fmt.Println("kept schema", schema)
		} else {
			admin.ExecRaw(ctx, "DROP SCHEMA "+schema+" CASCADE")
		}
		admin.Close()
	}, nil
}

// runServer is the child process: the application alone on loopback.
func runServer(dbURL string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	web.BoundMemory() // as buyright serve does
	srv, err := web.New(web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		return err
	}
	u, stop, err := listen(srv)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Println(u)
	io.Copy(io.Discard, os.Stdin) // until the parent closes our input
	return nil
}

type server struct {
	url   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startServer(dbURL string) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-serve", dbURL)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
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
		return nil, fmt.Errorf("server did not start: %v", err)
	}
	return &server{url: strings.TrimSpace(line), cmd: cmd, stdin: stdin}, nil
}

func (s *server) stop() {
	s.stdin.Close()
	s.cmd.Wait()
}

type memory struct{ rss, hwm, anon, file int64 } // kB

// memory reads the server's resident memory from /proc: all of it, its
// peak, and the private and file-backed parts.
func (s *server) memory() (m memory) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return m
	}
	for _, line := range strings.Split(string(b), "\n") {
		for _, f := range []struct {
			format string
			to     *int64
		}{{"VmRSS: %d kB", &m.rss}, {"VmHWM: %d kB", &m.hwm}, {"RssAnon: %d kB", &m.anon}, {"RssFile: %d kB", &m.file}} {
			var v int64
			if _, err := fmt.Sscanf(line, f.format, &v); err == nil {
				*f.to = v
			}
		}
	}
	return m
}

func listen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	s := &http.Server{Handler: h}
	go s.Serve(ln)
	return "http://" + ln.Addr().String(), func() { s.Close() }, nil
}

type result struct {
	count, errors int
	elapsed       time.Duration
	lat           []time.Duration
}

func (r result) rps() float64 { return float64(r.count) / r.elapsed.Seconds() }

func (r result) pct(p float64) float64 {
	if len(r.lat) == 0 {
		return 0
	}
	return float64(r.lat[int(p*float64(len(r.lat)-1))].Microseconds()) / 1000
}

func (r *result) add(lat []time.Duration, errs int) {
	r.lat = append(r.lat, lat...)
	r.errors += errs
	r.count = len(r.lat)
}

func (r *result) finish() {
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
}

func get(hc *http.Client, u, lang string) bool {
	req, _ := http.NewRequest("GET", u, nil)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == 200
}

func newClient(clients int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
}

// load runs clients goroutines, each sending one request after another
// until the duration is up: a closed loop, so the load is bounded.
func load(u, lang string, clients int, dur time.Duration) result {
	hc := newClient(clients)
	defer hc.CloseIdleConnections()
	var mu sync.Mutex
	var res result
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			errs := 0
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if !get(hc, u, lang) {
					errs++
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.add(lat, errs)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.finish()
	return res
}

// coldLoad changes the register, then sends the search from every client
// at once, rounds times. The connections are opened before the change, so
// the figures are the server's, not TCP's.
func coldLoad(ctx context.Context, db *store.DB, org *model.Organisation, entries int64, changed *int64, u, lang string, clients, rounds int) (result, error) {
	hc := newClient(clients)
	defer hc.CloseIdleConnections()
	var res result
	for round := 0; round < rounds; round++ {
		var wg sync.WaitGroup
		for i := 0; i < clients; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); get(hc, u, lang) }() // opens the connections
		}
		wg.Wait()
		*changed++
		// Entries 1..n were seeded in order; re-publish one from the middle.
		p := &model.Purchase{ID: 1 + (entries/2+*changed)%entries, OrgID: org.ID}
		if err := db.Publish(ctx, store.System, p, true, fmt.Sprintf("A plain-language summary, revised (%d).", round), nil); err != nil {
			return res, err
		}
		var mu sync.Mutex
		start := make(chan struct{})
		for i := 0; i < clients; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				t0 := time.Now()
				ok := get(hc, u, lang)
				d := time.Since(t0)
				mu.Lock()
				res.add([]time.Duration{d}, map[bool]int{true: 0, false: 1}[ok])
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
	}
	res.finish()
	return res, nil
}
