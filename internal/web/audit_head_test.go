package web_test

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"buyright/internal/audit"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The server publishes the audit log's head where outsiders can keep it:
// at /audit/head and in the register's feed. A kept head later proves the
// log was not rewritten from an earlier row, nor cut back behind it.
func TestAuditHeadPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		if s, _, _ := w.do("", "GET", "/audit/head", nil); s != 404 {
			t.Fatalf("before anything was published: %d", s)
		}
		w.publish("Published purchase", "Plain words.")
		w.app.Tidy(ctx) // what the server does every hour
		s, body, h := w.do("", "GET", "/audit/head", nil)
		var head struct {
			Row    int64  `json:"row"`
			Hash   string `json:"hash"`
			Verify string `json:"verify"`
		}
		if s != 200 || json.Unmarshal([]byte(body), &head) != nil || head.Row == 0 || len(head.Hash) != 64 || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("/audit/head: %d %s", s, body)
		}
		if !strings.Contains(head.Verify, "--expect ") {
			t.Errorf("no command to check it: %q", head.Verify)
		}
		_, feed, _ := w.do("", "GET", "/register/feed.atom", nil)
		var f struct {
			Audit struct {
				Row  int64  `xml:"row,attr"`
				Hash string `xml:"hash,attr"`
			} `xml:"urn:buyright:audit head"`
		}
		if err := xml.Unmarshal([]byte(feed), &f); err != nil || f.Audit.Row != head.Row || f.Audit.Hash != head.Hash {
			t.Fatalf("feed's audit head %+v, want row %d: %v", f.Audit, head.Row, err)
		}
		// Someone kept it; more is written; the log still agrees with it.
		w.publish("Another", "More words.")
		w.app.Tidy(ctx)
		if _, _, err := db.VerifyAudit(ctx, audit.Witness{ID: head.Row, Hash: head.Hash}); err != nil {
			t.Fatal(err)
		}
		_, body, _ = w.do("", "GET", "/audit/head", nil)
		var later struct{ Row int64 }
		json.Unmarshal([]byte(body), &later)
		if later.Row <= head.Row {
			t.Fatalf("the published head did not move on: %d then %d", head.Row, later.Row)
		}
	})
}
