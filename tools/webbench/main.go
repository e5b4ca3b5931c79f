// Command webbench measures buyright's busiest pages under a bounded load on
// loopback and compares their throughput with a bare net/http "hello world"
// measured in the same run, so the ratio holds whatever the machine.
//
//	go run ./tools/webbench                 # SQLite, 10,000 purchases
//	go run ./tools/webbench -db postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	go run ./tools/webbench -compare postgres://…       # SQLite and PostgreSQL in turn
//	go run ./tools/webbench -servers -db postgres://…   # one vs two app servers
//	go run ./tools/webbench -purchases 1000000 -compare postgres://… -keep
//
// It builds its own database (a temporary SQLite file, or a fresh schema on
// PostgreSQL), so it never touches real data, and it stops by itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"

	"buyright/internal/auth"
	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
	"buyright/internal/web"
)

func main() {
	n := flag.Int("purchases", 10000, "purchases to create")
	clients := flag.Int("clients", 16, "concurrent clients")
	dur := flag.Duration("duration", 5*time.Second, "how long to load each page")
	dbURL := flag.String("db", "", "postgres:// URL (default: a temporary SQLite file)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	registerN := flag.Int("register", 0, "instead of the internal pages, publish this many entries and load public register searches")
	keep := flag.Bool("keep", false, "keep the PostgreSQL schema afterwards (to study query plans) and print its name")
	reuse := flag.String("schema", "", "load an existing PostgreSQL schema kept by -keep instead of building one")
	only := flag.String("pages", "/purchases,/purchases?page=200&sort=title,/purchases?stage=contract,/dashboard,/purchases?q=scoring,/purchases/1,/purchases/1/monitoring", "comma-separated pages to load")
	compare := flag.String("compare", "", "postgres:// URL: load every page on SQLite and on PostgreSQL in turn, in one run")
	servers := flag.Bool("servers", false, "with -db postgres://: start one and then two app server processes on the database and load a mix of signed-in pages, comment posts and public searches")
	child := flag.Bool("serve-child", false, "internal: run one app server for -servers")
	flag.Parse()
	if *child {
		if err := serveChild(*dbURL); err != nil {
			fmt.Fprintln(os.Stderr, "webbench server:", err)
			os.Exit(1)
		}
		return
	}
	if *servers && !strings.HasPrefix(*dbURL, "postgres") {
		fmt.Fprintln(os.Stderr, "webbench: -servers needs -db postgres://… (several app servers share one PostgreSQL)")
		os.Exit(2)
	}
	clusterMode = *servers
	compareWith = *compare
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if *registerN > 0 {
		*n = *registerN
		*only = strings.Join(registerPages, ",")
	}
	keepSchema, reuseSchema = *keep, *reuse
	if err := run(*n, *clients, *dur, *dbURL, strings.Split(*only, ","), *registerN > 0); err != nil {
		fmt.Fprintln(os.Stderr, "webbench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// registerPages are public searches: common and rare words, a facet, a
// word with a facet, and the empty search over every entry.
var registerPages = []string{
	"/register?q=benefits", "/register?q=cameras", "/register?q=school+platform", "/register?q=tracing",
	"/register?sector=health", "/register?q=scoring&stage=contract", "/register", "/register?q=saude",
}

var (
	keepSchema  bool
	reuseSchema string
	clusterMode bool
	compareWith string
)

// target is one application under load: its database and address, and
// the signed-in officer's cookie.
type target struct {
	dialect string
	url     string
	cookie  *http.Cookie
}

func run(n, clients int, dur time.Duration, dbURL string, pages []string, register bool) error {
	ctx := context.Background()
	urls := []string{dbURL}
	if compareWith != "" {
		// SQLite and PostgreSQL in one run, each page loaded on one and
		// then the other, so both see the same machine load.
		urls = []string{"", compareWith}
	}
	var targets []target
	for _, u := range urls {
		t, stop, err := prepare(ctx, n, clients, dur, u, register)
		if stop != nil {
			defer stop()
		}
		if err != nil || clusterMode {
			return err
		}
		targets = append(targets, t)
	}
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello, world\n") })
	helloURL, stopHello, err := listen(hello)
	if err != nil {
		return err
	}
	defer stopHello()
	fmt.Printf("load: %d clients for %s per page, keep-alive, loopback\n\n", clients, dur)
	fmt.Printf("%-34s %9s %9s %9s %9s %10s\n", "page", "req/s", "p50 ms", "p95 ms", "p99 ms", "vs hello")
	base := load(helloURL+"/", nil, clients, dur)
	report("stdlib hello world", base, base)
	for _, path := range pages {
		for _, t := range targets {
			name := path
			if len(targets) > 1 {
				name = t.dialect + " " + path
			}
			report(name, load(t.url+path, t.cookie, clients, dur), base)
		}
	}
	if len(targets) > 1 {
		report("stdlib hello world (again)", load(helloURL+"/", nil, clients, dur), base)
	}
	return nil
}

// prepare builds and seeds a database (a temporary SQLite file when dbURL
// is empty, else a fresh PostgreSQL schema), starts the application on it
// and signs in. In cluster mode it runs the whole cluster load instead.
func prepare(ctx context.Context, n, clients int, dur time.Duration, dbURL string, register bool) (t target, stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	if dbURL == "" {
		dir, err := os.MkdirTemp("", "webbench")
		if err != nil {
			return t, stop, err
		}
		stops = append(stops, func() { os.RemoveAll(dir) })
		dbURL = "sqlite:" + filepath.Join(dir, "bench.db")
	} else {
		schema := fmt.Sprintf("webbench_%d", time.Now().UnixNano())
		if reuseSchema != "" {
			schema, keepSchema = reuseSchema, true
		}
		admin, err := store.Open(ctx, dbURL)
		if err != nil {
			return t, stop, err
		}
		if err := admin.ExecRaw(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
			return t, stop, err
		}
		stops = append(stops, func() {
			if keepSchema {
				fmt.Println("kept schema", schema)
			} else {
				admin.ExecRaw(ctx, "DROP SCHEMA "+schema+" CASCADE")
			}
			admin.Close()
		})
		u, _ := url.Parse(dbURL)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dbURL = u.String()
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return t, stop, err
	}
	stops = append(stops, func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		return t, stop, err
	}
	start := time.Now()
	if reuseSchema != "" && db.Dialect() == store.Postgres {
		// Already seeded by an earlier run with -keep.
	} else if err := seed(ctx, db, n, register); err != nil {
		return t, stop, err
	}
	published, err := db.CountPublished(ctx)
	if err != nil {
		return t, stop, err
	}
	if clusterMode && published == 0 {
		// Every tenth purchase on the public register, for the mix's
		// searches, at most 10,000 (publishing goes one purchase at a
		// time, about 6 ms each, so a tenth of a million would take ten
		// minutes).
		var ps []*model.Purchase
		for id := int64(1); id <= int64(n) && len(ps) < 10000; id += 10 {
			ps = append(ps, &model.Purchase{ID: id})
		}
		for i := 0; i < len(ps); i += 5000 {
			if err := db.BulkPublish(ctx, store.System, ps[i:min(i+5000, len(ps))], "A plain-language summary of what the system does and for whom."); err != nil {
				return t, stop, err
			}
		}
	}
	fmt.Printf("database: %s, %d purchases created in %s\n", db.Dialect(), n, time.Since(start).Round(time.Millisecond))
	// What the server's maintenance does at start and hourly.
	if err := db.Optimize(ctx); err != nil {
		return t, stop, err
	}

	if clusterMode {
		hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello, world\n") })
		helloURL, stopHello, err := listen(hello)
		if err != nil {
			return t, stop, err
		}
		stops = append(stops, stopHello)
		return t, stop, runCluster(dbURL, n, clients, dur, helloURL)
	}
	// Server errors go to stderr: a benchmark that hides them measures nothing.
	srv, err := web.New(web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		return t, stop, err
	}
	appURL, stopApp, err := listen(srv)
	if err != nil {
		return t, stop, err
	}
	stops = append(stops, stopApp)
	cookie, err := signIn(appURL)
	if err != nil {
		return t, stop, err
	}
	return target{dialect: string(db.Dialect()), url: appURL, cookie: cookie}, stop, nil
}

// seed creates one public body, one officer and n purchases spread over
// the stages, sectors and review dates.
func seed(ctx context.Context, db *store.DB, n int, publish bool) error {
	org := &model.Organisation{Slug: "bench-city", Name: "Bench City", Kind: model.OrgPublicBody}
	if err := db.CreateOrg(ctx, store.System, org); err != nil {
		return err
	}
	h, err := auth.Hasher{P: auth.DefaultParams}.Hash(benchPassword)
	if err != nil {
		return err
	}
	// Twenty officers share the purchases; the one who signs in leads 500.
	var leads []*model.User
	for i := 0; i < 20; i++ {
		email := fmt.Sprintf("officer%d@bench.example", i)
		if i == 0 {
			email = "bench@bench.example"
		}
		u := &model.User{OrgID: org.ID, Email: email, Role: model.RoleOfficer}
		if err := db.CreateUser(ctx, store.System, u, h); err != nil {
			return err
		}
		leads = append(leads, u)
	}
	words := []string{"fraud scoring for benefits", "school platform", "cloud health records", "CCTV cameras with analytics", "automated border gates", "court case allocation", "laptops for pupils", "contact tracing app",
		"biometric enrolment", "welfare eligibility chatbot", "predictive policing pilot", "housing allocation algorithm", "tax risk model"}
	today := model.DateOf(time.Now())
	ps := make([]*model.Purchase, n)
	for i := range ps {
		ps[i] = &model.Purchase{
			OrgID: org.ID, Title: fmt.Sprintf("Purchase %d: %s", i, words[i%len(words)]),
			Need: "A public need described in a few sentences.", Purpose: "What the system does.",
			Sector: model.Sectors[i%len(model.Sectors)], Technologies: []model.Technology{model.Technologies[i%len(model.Technologies)]},
			ValueMinor: int64(i) * 100000, Currency: "EUR", LeadUserID: leads[i%len(leads)].ID,
			ReviewDate: today.AddDays(i%365 - 30), Stage: model.Stages[i%len(model.Stages)],
		}
	}
	// Fifty thousand at a time, so a million never sit in one transaction.
	t0 := time.Now()
	for i := 0; i < len(ps); i += 50000 {
		if err := db.BulkInsertPurchases(ctx, store.System, ps[i:min(i+50000, len(ps))]); err != nil {
			return err
		}
	}
	el := time.Since(t0)
	fmt.Printf("seeding: %d purchases with their audit lines in %s (%.0f purchases/s)\n", n, el.Round(time.Millisecond), float64(n)/el.Seconds())
	if !publish {
		return seedLaterStages(ctx, db, leads[0], ps[0])
	}
	for i := 0; i < len(ps); i += 5000 {
		if err := db.BulkPublish(ctx, store.System, ps[i:min(i+5000, len(ps))], "A plain-language summary of what the system does and for whom."); err != nil {
			return err
		}
	}
	return nil
}

const benchPassword = "webbench password 1234"

// seedLaterStages gives the first purchase what a purchase in use carries,
// so /purchases/{id} is measured with every panel full: a contract with
// amendments and reviews, a monitoring plan with two years of monthly
// values by group, outcome counts and incidents.
func seedLaterStages(ctx context.Context, db *store.DB, lead *model.User, p *model.Purchase) error {
	a := store.ActorOf(lead)
	today := model.DateOf(time.Now())
	if err := db.SaveContract(ctx, a, p, &contract.Contract{Suppliers: []string{"Bench Supplier SA"}, ValueMinor: 100000000, Currency: "EUR",
		SignedOn: today.AddDays(-700), StartsOn: today.AddDays(-690), EndsOn: today.AddDays(400)}, 0); err != nil {
		return err
	}
	for i := 0; i < 3; i++ {
		if err := db.AddAmendment(ctx, a, p, &contract.Amendment{MadeOn: today.AddDays(-300 + i*50), Summary: "A change.", Reason: "A reason.", WidensScope: i == 2}); err != nil {
			return err
		}
		if _, err := db.ScheduleReview(ctx, a, p, contract.KindReview, today.AddDays(30+i*180)); err != nil {
			return err
		}
	}
	groups := []string{"", "older people", "people with disabilities", "migrants"}
	for _, id := range []string{"IND-UPTIME", "IND-ON-TIME", "IND-ERROR", "IND-COMPLAINTS"} {
		th := 90.0
		in := &monitoring.Indicator{CatalogID: id, Title: id, Unit: "percent", Direction: "higher", Threshold: &th, ByGroup: id != "IND-UPTIME"}
		if err := db.AddIndicator(ctx, a, p, in); err != nil {
			return err
		}
		var ms []monitoring.Measurement
		for m := 0; m < 24; m++ {
			for g, grp := range groups {
				if (grp == "") == in.ByGroup {
					continue
				}
				ms = append(ms, monitoring.Measurement{IndicatorID: in.ID, Period: today.AddDays(-30 * m), Group: grp, Value: 85 + float64((m*7+g*3)%15)})
			}
		}
		if _, err := db.RecordMeasurements(ctx, a, p, "csv", ms); err != nil {
			return err
		}
	}
	var outcomes []monitoring.GroupOutcome
	for m := 0; m < 24; m++ {
		for g, grp := range groups[1:] {
			outcomes = append(outcomes, monitoring.GroupOutcome{Period: today.AddDays(-30 * m), Group: grp, Favourable: 700 + g*50, Total: 1000})
		}
	}
	if _, err := db.RecordOutcomes(ctx, a, p, outcomes); err != nil {
		return err
	}
	for i := 0; i < 10; i++ {
		if err := db.AddIncident(ctx, a, p, &monitoring.Incident{OccurredOn: today.AddDays(-i * 20), Severity: "low", What: "Something went wrong."}); err != nil {
			return err
		}
	}
	return nil
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

func signIn(base string) (*http.Cookie, error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/signin", url.Values{"email": {"bench@bench.example"}, "password": {benchPassword}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "buyright_session" {
			return ck, nil
		}
	}
	return nil, fmt.Errorf("sign-in failed: %s", resp.Status)
}

type result struct {
	count   int
	errors  int
	elapsed time.Duration
	lat     []time.Duration
}

// load runs clients goroutines, each sending one request after another
// until the duration is up: a closed loop, so the load is bounded.
func load(u string, cookie *http.Cookie, clients int, dur time.Duration) result {
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
			var lat []time.Duration
			errs := 0
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", u, nil)
				if cookie != nil {
					req.AddCookie(cookie)
				}
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						errs++
						if errs == 1 {
							fmt.Fprintf(os.Stderr, "%s answered %s\n", u, resp.Status)
						}
					}
				} else {
					errs++
					if errs == 1 {
						fmt.Fprintf(os.Stderr, "%s: %v\n", u, err)
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

func (r result) rps() float64 { return float64(r.count) / r.elapsed.Seconds() }

func (r result) pct(p float64) float64 {
	if len(r.lat) == 0 {
		return 0
	}
	return float64(r.lat[int(p*float64(len(r.lat)-1))].Microseconds()) / 1000
}

func report(name string, r, base result) {
	note := ""
	if r.errors > 0 {
		note = fmt.Sprintf("  (%d non-200 answers!)", r.errors)
	}
	fmt.Printf("%-34s %9.0f %9.2f %9.2f %9.2f %9.1f%%%s\n", strings.TrimSpace(name), r.rps(), r.pct(0.50), r.pct(0.95), r.pct(0.99), 100*r.rps()/base.rps(), note)
}
