// Package web serves buyright's pages and JSON API. Pages are rendered on
// the server with html/template and work without JavaScript. Handlers return
// errors; one place turns them into a status and a page.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"buyright/internal/auth"
	"buyright/internal/catalog"
	"buyright/internal/gates"
	"buyright/internal/grievance"
	"buyright/internal/i18n"
	"buyright/internal/lifecycle"
	"buyright/internal/metrics"
	"buyright/internal/model"
	"buyright/internal/sso"
	"buyright/internal/store"
)

// Config is what the server needs from the outside.
type Config struct {
	DB     *store.DB
	Gates  *lifecycle.Gates
	Hasher auth.Hasher
	Logger *slog.Logger
	// SessionTTL is how long a sign-in lasts.
	SessionTTL time.Duration
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Catalog is the framework catalogue set (serve --catalog-dir); nil
	// means the built-in one. An administrator's active upload is laid over it.
	Catalog *catalog.Set
	// ComplaintKey encrypts complainants' names and contact details (32
	// bytes). Without it the complaints channel refuses identities.
	ComplaintKey []byte
	// BaseURL is the public address for links sent by e-mail (e.g. the
	// Lab digest's confirmation); empty: the address of the request.
	BaseURL string
	// TrustedProxies are the reverse proxies (addresses or networks) whose
	// forwarding header is believed; from anyone else, and when the list
	// is empty, forwarding headers are ignored.
	TrustedProxies []netip.Prefix
	// SSOAllowNetworks are the non-public networks where organisations'
	// identity providers may be reached (the server reaches public
	// addresses only otherwise).
	SSOAllowNetworks []netip.Prefix
	// ForwardedHeader is the header those proxies write: "X-Forwarded-For"
	// (the default, with X-Forwarded-Proto) or "Forwarded" (RFC 7239).
	ForwardedHeader string
	// Metrics is where requests and jobs are counted; nil: a registry of
	// the server's own (serve shares one with its other jobs).
	Metrics *metrics.Registry
	// OCDSPrefix is the ocid prefix of published purchases without an
	// ocid of their own (serve --ocds-prefix); empty: BUYRIGHT_OCDS_PREFIX,
	// else the placeholder, which every export then flags.
	OCDSPrefix string
	// MaxUploadBytes is the largest file accepted (default 5 MB). Files
	// are streamed into the database in chunks, so a larger limit costs
	// disk, not memory.
	MaxUploadBytes int64
}

// Server is the web application.
type Server struct {
	db       *store.DB
	gates    *lifecycle.Gates
	hasher   auth.Hasher
	dummy    string // hash checked for unknown e-mails, for even timing
	log      *slog.Logger
	i18n     *i18n.Bundle
	pages    *pages
	static   *staticFiles
	signinIP allower
	// complaintIP limits complaints filed and codePeek limits receipt-code
	// guesses, per address.
	complaintIP allower
	codePeek    allower
	box         *grievance.Box
	receipts    *receipts // receipt codes just issued, for the receipt page
	ttl         time.Duration
	now         func() time.Time
	handler     http.Handler
	dd          *dueDiligence // catalogues in force, for screening and assessments
	baseURL     string
	subscribeIP allower       // digest sign-ups per address, so the form cannot be used to mail-bomb
	proxies     proxyTrust    // whose forwarding headers are believed
	ocidPrefix  string        // Config.OCDSPrefix
	consult     consultLimits // responses to consultations and receipt-code guesses, per address
	// dataRequests, when set, links a supplier's obligations page to where
	// it records a request an authority made of it (obligations.go).
	dataRequests func(r *http.Request, p *model.Purchase, supplierOrgID int64) (*dataRequestLink, error)
	metrics      *metrics.Registry
	sso          *sso.Client // organisations' OpenID Connect providers (sso_signin.go)
	maxUpload    int64       // bytes per file
	results      resultsHTML // drawn results of kept register pages (register_html.go)
}

// New builds the server, parsing every template once.
func New(cfg Config) (*Server, error) {
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	s := &Server{
		db: cfg.DB, gates: cfg.Gates, hasher: cfg.Hasher, log: cfg.Logger, i18n: bundle,
		ttl: cfg.SessionTTL, now: cfg.Now, baseURL: cfg.BaseURL, maxUpload: cfg.MaxUploadBytes, ocidPrefix: cfg.OCDSPrefix,
		sso: sso.NewClient(cfg.SSOAllowNetworks),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	// Limits per visitor's address live in the database, shared by every
	// app server.
	s.signinIP, s.complaintIP, s.codePeek = s.sharedLimit("signin", 20, 30*time.Second), s.sharedLimit("complaint", 5, 10*time.Minute), s.sharedLimit("code", 10, time.Minute)
	s.subscribeIP, s.consult = s.sharedLimit("subscribe", 5, 10*time.Minute), s.newConsultLimits()
	switch cfg.ForwardedHeader {
	case "", "X-Forwarded-For":
		s.proxies = proxyTrust{nets: cfg.TrustedProxies, header: "X-Forwarded-For"}
	case "Forwarded":
		s.proxies = proxyTrust{nets: cfg.TrustedProxies, header: "Forwarded"}
	default:
		return nil, fmt.Errorf("forwarded header %q: use X-Forwarded-For or Forwarded", cfg.ForwardedHeader)
	}
	if cfg.ComplaintKey != nil {
		if s.box, err = grievance.NewBox(cfg.ComplaintKey); err != nil {
			return nil, err
		}
		// The same key seals organisations' client secrets.
		if err := s.db.SetSecretKey(cfg.ComplaintKey); err != nil {
			return nil, err
		}
	}
	s.dataRequests = s.supplierDataRequests
	if s.gates == nil {
		s.gates = gates.All(s.db, func() *catalog.Set { set, _ := s.dd.current(); return set })
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.log = slog.New(withRequestID{s.log.Handler()})
	if s.metrics = cfg.Metrics; s.metrics == nil {
		s.metrics = metrics.New()
	}
	defineMetrics(s.metrics)
	s.db.DefineMetrics(s.metrics)
	if err := s.initDueDiligence(context.Background(), cfg.Catalog); err != nil {
		return nil, err
	}
	if s.maxUpload <= 0 {
		s.maxUpload = defaultMaxFileBytes
	}
	if s.ttl == 0 {
		s.ttl = 12 * time.Hour
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.receipts = newReceipts(s.now)
	if s.hasher.P.Memory == 0 {
		s.hasher = auth.Hasher{P: auth.DefaultParams}
	}
	s.dummy = s.hasher.Dummy()
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(bundle, s.static, s.uploadMB()); err != nil {
		return nil, err
	}
	s.handler = s.observe(s.edge(s.routes()))
	return s, nil
}

// Tidy removes expired sessions and sign-in failures, refreshes query
// statistics and publishes the audit log's head (at /audit/head and in the
// register's feed) when the log has grown, so outsiders can keep it; then
// it applies the retention schedule.
func (s *Server) Tidy(ctx context.Context) {
	var failed error
	if err := s.db.DeleteExpired(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("removing expired sessions", "err", err)
		failed = err
	}
	if err := s.db.Optimize(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("refreshing query statistics", "err", err)
		failed = err
	}
	if _, err := s.db.CheckpointAudit(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("publishing the audit head", "err", err)
		failed = err
	}
	if ctx.Err() == nil {
		s.JobDone("tidy", failed)
	}
	s.applyRetention(ctx)
}

// applyRetention runs the retention schedule. Another server running it
// at the same moment is not a failure: that one does the work.
func (s *Server) applyRetention(ctx context.Context) {
	done, err := s.db.ApplyRetention(ctx)
	if errors.Is(err, store.ErrRetentionBusy) || ctx.Err() != nil {
		return
	}
	if err != nil {
		s.log.Warn("applying the retention schedule", "err", err)
	}
	for kind, n := range done {
		s.log.Info("retention schedule applied", "kind", kind, "deleted", n)
	}
	s.JobDone("retention", err)
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Janitor runs Tidy at start and every hour, until ctx ends.
func (s *Server) Janitor(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		s.Tidy(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
