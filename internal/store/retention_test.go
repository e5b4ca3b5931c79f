package store_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/consultation"
	"buyright/internal/grievance"
	"buyright/internal/mail"
	"buyright/internal/model"
	"buyright/internal/retention"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// retentionWorld holds one record of each kind the schedule deletes: a
// closed complaint with a name and an attachment, a complaint still open
// with both, a reported consultation with a named response, and a sent
// e-mail. Days are counted on the test clock.
type retentionWorld struct {
	closed, open *store.Complaint
	named        int64
	clk          *clock
}

func seedRetention(t *testing.T, db *store.DB) *retentionWorld {
	t.Helper()
	w := &retentionWorld{clk: &clock{time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)}}
	db.Now = w.clk.now
	city := storetest.Org(t, db, "city", model.OrgPublicBody)
	ana := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
	a := store.ActorOf(ana)
	for _, c := range []**store.Complaint{&w.closed, &w.open} {
		*c = &store.Complaint{OrgID: city.ID, Body: "My benefit was cut by the scoring tool.", Lookup: "123456", CodeHash: "x"}
		if err := db.CreateComplaint(ctx, *c, []store.ComplaintFile{{Name: "letter-zq.pdf", CType: "application/pdf", Data: []byte("%PDF-1.4 letter of Zoe Quarrington")}}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetComplaintIdentity(ctx, (*c).ID, []byte("sealed Zoe Quarrington")); err != nil {
			t.Fatal(err)
		}
	}
	for _, to := range []grievance.Status{grievance.Acknowledged, grievance.Answered, grievance.Closed} {
		c, _ := db.ComplaintByID(ctx, w.closed.ID)
		outcome := grievance.Outcome("")
		if to != grievance.Acknowledged {
			outcome = grievance.PartlyUpheld
		}
		if err := db.MoveComplaint(ctx, a, c, to, outcome); err != nil {
			t.Fatalf("to %s: %v", to, err)
		}
	}

	p := storetest.Purchase(t, db, ana, "Fraud scoring")
	if err := db.SaveScreening(ctx, a, p, map[string]any{"x": "y"}, screening.Result{Status: screening.StatusComplete, Level: 4}); err != nil {
		t.Fatal(err)
	}
	c := draft(w.clk.plus(20))
	if err := db.CreateConsultation(ctx, a, p, c); err != nil {
		t.Fatal(err)
	}
	if err := db.OpenConsultation(ctx, a, c); err != nil {
		t.Fatal(err)
	}
	var err error
	w.named, err = db.AddConsultationResponse(ctx, c, store.ResponseInput{Kind: consultation.Public, Lang: "en", Answers: []string{"Letters", "Phone line", ""},
		Lookup: "654321", CodeHash: "hash-b", Seal: func(id int64) []byte { return []byte("sealed Zoe Quarrington") }})
	if err != nil {
		t.Fatal(err)
	}
	w.clk.days(21)
	if err := db.SaveAnswer(ctx, a, c, &consultation.Answer{Said: "Letters", Outcome: consultation.Changed, Did: "Letters sent"}, []int64{w.named}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveReportWords(ctx, a, c, map[string]string{"en": "We heard you", "pt": "Ouvimos"}); err != nil {
		t.Fatal(err)
	}
	e := assessment.Engagement{Who: "Public consultation", How: "Online", When: w.clk.today().String(), Raised: "Letters", Answer: "Sent"}
	if err := db.PublishConsultationReport(ctx, a, p, c, e, "h"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueueMail(ctx, "k1", mail.Message{To: "zoe@example.org", Subject: "Reminder", Body: "Dear Zoe Quarrington"}); err != nil {
		t.Fatal(err)
	}
	q, err := db.ClaimMail(ctx, 10, time.Minute)
	if err != nil || len(q) != 1 {
		t.Fatalf("claim: %v %v", q, err)
	}
	if err := db.MailSent(ctx, q[0].ID); err != nil {
		t.Fatal(err)
	}
	return w
}

// Nothing is deleted before its period; after it, the closed complaint
// loses its name and attachment (the open one keeps both), the reported
// consultation's respondent loses hers, the sent e-mail goes, each kind
// gets one audit row with its count and no content, and the audit chain
// still verifies.
func TestRetentionDeletesWhatIsPastItsPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := seedRetention(t, db)
		if err := db.SetRetention(ctx, store.System, retention.Outbox, 30); err != nil {
			t.Fatal(err)
		}
		w.clk.days(29)
		got, err := db.ApplyRetention(ctx)
		if err != nil || len(got) != 0 {
			t.Fatalf("before any period: %v %v", got, err)
		}
		w.clk.days(2) // 31 days after the e-mail was sent
		if got, err = db.ApplyRetention(ctx); err != nil || got[retention.Outbox] != 1 || len(got) != 1 {
			t.Fatalf("after 31 days: %v %v", got, err)
		}
		w.clk.days(3 * 365)
		if got, err = db.ApplyRetention(ctx); err != nil {
			t.Fatal(err)
		}
		want := store.RetentionDeleted{retention.ComplaintIdentity: 1, retention.ComplaintFiles: 1, retention.ConsultationIdentity: 1}
		if len(got) != len(want) {
			t.Fatalf("after three years: %v, want %v", got, want)
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%s: %d deleted, want %d", k, got[k], n)
			}
		}
		closed, _ := db.ComplaintByID(ctx, w.closed.ID)
		if closed.Identity != nil || closed.IdentityErasedOn != w.clk.today() || closed.FilesErasedOn != w.clk.today() {
			t.Errorf("closed complaint: identity %q erased %v files erased %v", closed.Identity, closed.IdentityErasedOn, closed.FilesErasedOn)
		}
		if fs, _ := db.ComplaintFiles(ctx, w.closed.ID); len(fs) != 0 {
			t.Errorf("closed complaint still has %d files", len(fs))
		}
		if closed.Body == "" || closed.Outcome != grievance.PartlyUpheld {
			t.Error("the schedule took more than the name and files")
		}
		open, _ := db.ComplaintByID(ctx, w.open.ID)
		if fs, _ := db.ComplaintFiles(ctx, w.open.ID); open.Identity == nil || len(fs) != 1 || !open.IdentityErasedOn.IsZero() {
			t.Errorf("an open complaint lost its name or files")
		}
		r, _ := db.ConsultationResponse(ctx, w.named)
		if b, _ := db.ResponseIdentity(ctx, w.named); b != nil || r.Named || r.IdentityErasedOn != w.clk.today() || r.Answers[0] != "Letters" {
			t.Errorf("named response after its period: identity %q %+v", b, r)
		}

		// The audit log: one row per kind and run, counts only.
		rows, err := db.RawDB().Query("SELECT detail FROM audit_log WHERE action = 'retention_deleted' ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		var details []string
		for rows.Next() {
			var d string
			rows.Scan(&d)
			details = append(details, d)
		}
		rows.Close()
		if len(details) != 4 || !strings.Contains(details[0], `"kind":"outbox"`) || !strings.Contains(details[0], `"count":1`) {
			t.Fatalf("audit rows: %v", details)
		}
		var leaked int
		db.RawDB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%Quarrington%' OR detail LIKE '%letter-zq%' OR detail LIKE '%zoe@%'").Scan(&leaked)
		if leaked != 0 {
			t.Errorf("%d audit rows hold deleted content", leaked)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit verify after deletion: %v", err)
		}
		// A second run finds nothing more and writes nothing.
		if got, err := db.ApplyRetention(ctx); err != nil || len(got) != 0 {
			t.Fatalf("second run: %v %v", got, err)
		}
	})
}

// A period below the catalogue's minimum (or above its maximum) is refused
// with that bound; a valid one is kept with who set it, and audited.
func TestRetentionBounds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		k, _ := retention.Default.Kind(retention.ComplaintIdentity)
		err := db.SetRetention(ctx, store.System, retention.ComplaintIdentity, k.Min-1)
		var oob *retention.OutOfBounds
		if !errors.As(err, &oob) || !oob.Below || oob.Bound != k.Min {
			t.Fatalf("below the minimum: %v", err)
		}
		if err := db.SetRetention(ctx, store.System, retention.ComplaintIdentity, k.Max+1); !errors.As(err, &oob) || oob.Below {
			t.Fatalf("above the maximum: %v", err)
		}
		if err := db.SetRetention(ctx, store.System, "audit_log", 100); err == nil {
			t.Fatal("an unknown kind was set")
		}
		if err := db.SetRetention(ctx, store.System, retention.ComplaintIdentity, k.Min); err != nil {
			t.Fatal(err)
		}
		sched, err := db.RetentionSchedule(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sched {
			if s.Kind == retention.ComplaintIdentity && (s.Days != k.Min || s.Default) {
				t.Errorf("set: %+v", s)
			}
			if s.Kind == retention.Outbox && !s.Default {
				t.Errorf("untouched kind not default: %+v", s)
			}
		}
		var detail string
		db.RawDB().QueryRow("SELECT detail FROM audit_log WHERE action = 'retention_set'").Scan(&detail)
		if !strings.Contains(detail, `"old":1095`) || !strings.Contains(detail, `"new":90`) {
			t.Errorf("audit of the setting: %s", detail)
		}
	})
}

// Several servers running the job at once delete each record once and
// write one audit row per kind.
func TestRetentionOnceWithSeveralServers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := seedRetention(t, db)
		w.clk.days(4 * 365)
		var wg sync.WaitGroup
		total := store.RetentionDeleted{}
		var mu sync.Mutex
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := db.ApplyRetention(ctx)
				if err != nil && !errors.Is(err, store.ErrRetentionBusy) {
					t.Error(err)
				}
				mu.Lock()
				for k, n := range got {
					total[k] += n
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		if total[retention.Outbox] != 1 || total[retention.ComplaintFiles] != 1 {
			t.Errorf("deleted across servers: %v", total)
		}
		var n int
		db.RawDB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'retention_deleted'").Scan(&n)
		if n != 4 {
			t.Errorf("%d audit rows, want one per kind (4)", n)
		}
	})
}
