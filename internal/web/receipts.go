package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"buyright/internal/store"
)

// After a complaint is filed the browser is sent on to the receipt page
// (post, redirect, get), so reloading the receipt cannot file the complaint
// again. The receipt code exists in clear only here, in memory, for a short
// while, bound to a cookie of the browser that filed it: a reload or a
// second look shows it again; another browser, or the same one later, does
// not. Each complaint form also carries a one-time submission number, so a
// form sent twice (a double click, the back button) files one complaint.

const receiptTTL = 30 * time.Minute

type receipt struct {
	code    string
	policy  store.ComplaintPolicy
	expires time.Time
	// about and response are set for a consultation response: the
	// consultation it went to, and the response itself (an organisation's,
	// which has no code, is shown from its account instead).
	about, response int64
}

type receipts struct {
	mu       sync.Mutex
	byCookie map[string]*receipt
	byForm   map[string]string // submission number → cookie value
	now      func() time.Time
}

func newReceipts(now func() time.Time) *receipts {
	return &receipts{byCookie: map[string]*receipt{}, byForm: map[string]string{}, now: now}
}

func randomToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// maxReceipts bounds memory; the oldest are dropped first by expiry, and
// the rate limit on filing keeps the count far below this.
const maxReceipts = 10000

// keep stores a receipt and returns the cookie value that shows it.
func (rs *receipts) keep(form string, rc *receipt) string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.sweep()
	if len(rs.byCookie) >= maxReceipts {
		return ""
	}
	tok := randomToken()
	rc.expires = rs.now().Add(receiptTTL)
	rs.byCookie[tok] = rc
	if form != "" {
		rs.byForm[form] = tok
	}
	return tok
}

// filed reports whether a form with this submission number was filed
// already, with the cookie value of its receipt.
func (rs *receipts) filed(form string) (string, bool) {
	if form == "" {
		return "", false
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.sweep()
	tok, ok := rs.byForm[form]
	return tok, ok
}

func (rs *receipts) get(tok string) *receipt {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.sweep()
	return rs.byCookie[tok]
}

// sweep drops expired receipts; the caller holds the lock.
func (rs *receipts) sweep() {
	now := rs.now()
	for tok, rc := range rs.byCookie {
		if now.After(rc.expires) {
			delete(rs.byCookie, tok)
		}
	}
	for form, tok := range rs.byForm {
		if _, ok := rs.byCookie[tok]; !ok {
			delete(rs.byForm, form)
		}
	}
}

const receiptCookie = "br_receipt"

func setReceiptCookie(w http.ResponseWriter, r *http.Request, tok string) {
	setReceiptCookieAt(w, r, tok, "/complaints/receipt")
}

// setReceiptCookieAt sets the receipt cookie for the receipt page at path
// (a complaint's, or a consultation response's).
func setReceiptCookieAt(w http.ResponseWriter, r *http.Request, tok, path string) {
	http.SetCookie(w, &http.Cookie{Name: receiptCookie, Value: tok, Path: path,
		MaxAge: int(receiptTTL / time.Second), HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteStrictMode})
}

// complaintReceipt shows the receipt of the complaint this browser has just
// filed.
func (s *Server) complaintReceipt(w http.ResponseWriter, r *http.Request) error {
	var rc *receipt
	if c, err := r.Cookie(receiptCookie); err == nil {
		rc = s.receipts.get(c.Value)
	}
	w.Header().Set("Cache-Control", "no-store")
	if rc == nil {
		return s.render(w, r, http.StatusOK, "complaint_receipt", "complaint.receipt_title", map[string]any{"Gone": true})
	}
	return s.render(w, r, http.StatusOK, "complaint_receipt", "complaint.receipt_title", map[string]any{
		"Code": rc.code, "Policy": rc.policy,
	})
}
