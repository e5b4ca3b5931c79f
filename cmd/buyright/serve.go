package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"buyright/internal/auth"
	"buyright/internal/catalog"
	"buyright/internal/demo"
	"buyright/internal/i18n"
	"buyright/internal/mail"
	"buyright/internal/ocdsio"
	"buyright/internal/reminders"
	"buyright/internal/store"
	"buyright/internal/web"
)

func init() {
	register(command{name: "serve", summary: "run the web application", run: runServe})
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve", "[--addr 127.0.0.1:8080] [--db URL] [--demo] [--catalog-dir DIR] [--trusted-proxies LIST] [--tls-cert FILE --tls-key FILE] [--ocds-prefix ocds-xxxxxx]", e.stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbURL := dbFlag(fs, e)
	withDemo := fs.Bool("demo", false, "load demo organisations, people and purchases into an empty database and print the sign-ins")
	keyFile := fs.String("complaint-key-file", "", "file holding the base64 key that encrypts complainants' names (or env BUYRIGHT_COMPLAINT_KEY_FILE; or the key itself in env BUYRIGHT_COMPLAINT_KEY; or a secret mounted at /run/secrets/buyright_complaint_key; default for SQLite: a key file beside the database, created on the first start of a database without complaints; a server whose key does not match the database's complaints refuses to start)")
	catalogDir := fs.String("catalog-dir", "", "directory of catalogue YAML files laid over the built-in ones (checked at start; a set with problems is refused)")
	baseURL := fs.String("base-url", "", "public address of this buyright, for links in e-mail (default: http:// and --addr)")
	smtpAddr := fs.String("smtp-addr", e.getenv("BUYRIGHT_SMTP_ADDR"), "mail server host:port for reminders (env BUYRIGHT_SMTP_ADDR; empty: reminders are queued in the outbox but not sent)")
	smtpFrom := fs.String("smtp-from", e.getenv("BUYRIGHT_SMTP_FROM"), "sender address of reminders (env BUYRIGHT_SMTP_FROM)")
	smtpUser := fs.String("smtp-user", e.getenv("BUYRIGHT_SMTP_USER"), "mail server user name; the password is read from env BUYRIGHT_SMTP_PASSWORD")
	mailEvery := fs.Duration("mail-interval", time.Minute, "how often reminders are queued and the outbox is sent")
	proxies := fs.String("trusted-proxies", e.getenv("BUYRIGHT_TRUSTED_PROXIES"), "reverse proxies whose forwarding header is believed: addresses or networks, comma-separated, e.g. 127.0.0.1,10.0.0.0/8 (env BUYRIGHT_TRUSTED_PROXIES; empty: forwarding headers are ignored)")
	fwdHeader := fs.String("forwarded-header", "X-Forwarded-For", "the header those proxies write: X-Forwarded-For (with X-Forwarded-Proto) or Forwarded")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate file (PEM, full chain); needs --tls-key")
	tlsKey := fs.String("tls-key", "", "private key file (PEM) of --tls-cert")
	metricsAddr := fs.String("metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics on an address of their own, e.g. 127.0.0.1:9090 (keep it off the public network)")
	metricsToken := fs.String("metrics-token", e.getenv("BUYRIGHT_METRICS_TOKEN"), "serve /metrics on the main address to requests bearing this token (Authorization: Bearer TOKEN; env BUYRIGHT_METRICS_TOKEN; at least 16 characters)")
	ssoNets := fs.String("sso-allow-networks", e.getenv("BUYRIGHT_SSO_ALLOW_NETWORKS"), "non-public networks where organisations' identity providers may be reached, comma-separated (e.g. 10.20.0.0/16 for a provider inside your network; env BUYRIGHT_SSO_ALLOW_NETWORKS); public addresses are always allowed")
	logFormat := fs.String("log-format", "text", "log lines as text (key=value) or json")
	maxUploadMB := fs.Int("max-upload-mb", 5, "largest file people in public bodies, oversight and the Lab may upload, in MB (1 to 1024); the public complaint and consultation forms keep 5 MB")
	ocidPrefix := fs.String("ocds-prefix", e.getenv("BUYRIGHT_OCDS_PREFIX"), "ocid prefix registered with the Open Contracting Partnership, for published purchases without an ocid (env BUYRIGHT_OCDS_PREFIX; default: the placeholder "+ocdsio.DefaultPrefix+", flagged in every OCDS download)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *maxUploadMB < 1 || *maxUploadMB > 1024 {
		return fmt.Errorf("%w: --max-upload-mb must be between 1 and 1024", errUsage)
	}
	if err := ocdsio.CheckPrefix(*ocidPrefix); err != nil {
		return fmt.Errorf("%w: --ocds-prefix: %v", errUsage, err)
	}
	trusted, err := web.ParseNetworks(*proxies)
	if err != nil {
		return fmt.Errorf("%w: --trusted-proxies: %v", errUsage, err)
	}
	ssoAllow, err := web.ParseNetworks(*ssoNets)
	if err != nil {
		return fmt.Errorf("%w: --sso-allow-networks: %v", errUsage, err)
	}
	if !slices.Contains(web.ProxyHeaders, *fwdHeader) {
		return fmt.Errorf("%w: --forwarded-header must be X-Forwarded-For or Forwarded", errUsage)
	}
	tlsConf, err := serverTLS(*tlsCert, *tlsKey)
	if err != nil {
		return err
	}
	set, err := catalog.Load(*catalogDir)
	if err != nil {
		return fmt.Errorf("catalogues: %w", err)
	}
	if *metricsToken != "" && len(*metricsToken) < 16 {
		return fmt.Errorf("%w: --metrics-token must be at least 16 characters", errUsage)
	}
	var logger *slog.Logger
	switch *logFormat {
	case "text":
		logger = slog.New(slog.NewTextHandler(e.stderr, nil))
	case "json":
		logger = slog.New(slog.NewJSONHandler(e.stderr, nil))
	default:
		return fmt.Errorf("%w: --log-format must be text or json", errUsage)
	}
	db, err := openDB(ctx, *dbURL, true)
	if err != nil {
		return err
	}
	defer db.Close()
	// The key is checked against the database before anything is added
	// to it, the demo included.
	key, err := complaintKey(ctx, e, db, *keyFile, *dbURL, logger)
	if err != nil {
		return err
	}
	if err := db.SetSecretKey(key); err != nil {
		return err
	}
	if n, err := db.SealStoredSecrets(ctx); err != nil {
		return err
	} else if n > 0 {
		logger.Info("sealed client secrets stored in clear by an earlier version", "count", n)
	}
	if err := repairIndicators(ctx, db, set, logger); err != nil {
		return err
	}
	hasher := auth.Hasher{P: auth.DefaultParams}
	if *withDemo {
		if err := loadDemo(ctx, e, db, hasher); err != nil {
			return err
		}
	}
	scheme := "http://"
	if tlsConf != nil {
		scheme = "https://"
	}
	if *baseURL == "" {
		*baseURL = scheme + *addr
	}
	web.BoundMemory()
	srv, err := web.New(web.Config{DB: db, Hasher: hasher, Logger: logger, ComplaintKey: key, Catalog: set, BaseURL: *baseURL,
		TrustedProxies: trusted, SSOAllowNetworks: ssoAllow, ForwardedHeader: *fwdHeader, OCDSPrefix: *ocidPrefix, MaxUploadBytes: int64(*maxUploadMB) << 20})
	if err != nil {
		return err
	}
	var handler http.Handler = srv
	if *metricsToken != "" {
		handler = withMetricsRoute(srv, web.MetricsHandler(srv.Metrics(), *metricsToken))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", *addr, err)
	}
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		TLSConfig:         tlsConf,
	}
	jctx, stopJanitor := context.WithCancel(ctx)
	defer stopJanitor()
	go srv.Janitor(jctx)
	worker, err := mailWorker(e, db, logger, *smtpAddr, *smtpFrom, *smtpUser, *baseURL, *addr, *mailEvery)
	if err != nil {
		return err
	}
	worker.Done = func(err error) { srv.JobDone("mail", err) }
	go worker.Run(jctx)
	if *metricsAddr != "" {
		stopMetrics, err := serveMetrics(*metricsAddr, web.MetricsHandler(srv.Metrics(), *metricsToken), logger)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	if tlsConf != nil {
		ln = tls.NewListener(ln, tlsConf)
	}
	logger.Info("buyright is listening", "url", scheme+ln.Addr().String(), "db", db.Dialect(), "version", versionString())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serverTLS loads the certificate for serve --tls-cert/--tls-key, so a
// missing or mismatched file stops the start with one line instead of
// failing every connection. Both flags or neither.
func serverTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, fmt.Errorf("%w: --tls-cert and --tls-key go together", errUsage)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("cannot use the TLS certificate %s with key %s: %v", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// mailWorker sets up the worker that queues reminders and sends the
// outbox. Without a mail server it still queues them, so nothing is lost
// when one is configured later.
func mailWorker(e *env, db *store.DB, log *slog.Logger, addr, from, user, base, listen string, every time.Duration) (*mail.Worker, error) {
	if base == "" {
		base = "http://" + listen
	}
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	writer := &reminders.Writer{I18n: bundle, BaseURL: base}
	w := &mail.Worker{Box: db, Interval: every, Log: log,
		Remind: func(ctx context.Context, now time.Time) error {
			// One app server at a time looks for what is due; the outbox's
			// keys would keep a reminder from being queued twice anyway,
			// but the tasks opened on the way are not keyed.
			_, err := db.RunAlone(ctx, "reminders", func(ctx context.Context) error { return writer.Queue(ctx, db, now) })
			return err
		}}
	if addr == "" {
		log.Info("no mail server configured (--smtp-addr); reminders wait in the outbox")
		return w, nil
	}
	if _, err := mail.Address(from); err != nil {
		return nil, fmt.Errorf("--smtp-from: %v", err)
	}
	w.Sender = &mail.SMTP{Addr: addr, From: from, Username: user, Password: e.getenv("BUYRIGHT_SMTP_PASSWORD")}
	return w, nil
}

// loadDemo seeds an empty database; on one that already has people it says
// so and carries on, so `serve --demo` can be run again on the same file.
func loadDemo(ctx context.Context, e *env, db *store.DB, h auth.Hasher) error {
	n, err := db.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintln(e.stderr, "demo: the database already has people; not loading the demo again (the earlier passwords still work)")
		return nil
	}
	accounts, err := demo.Seed(ctx, db, h)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Demo loaded. Sign in with any of these (passwords are random and shown only now):")
	fmt.Fprintln(e.stdout)
	for _, a := range accounts {
		fmt.Fprintf(e.stdout, "  %-28s %-22s %s\n      %s, %s\n", a.Email, a.Password, a.Role, a.Org, a.What)
	}
	fmt.Fprintln(e.stdout)
	return nil
}
