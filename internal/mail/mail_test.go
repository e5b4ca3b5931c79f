package mail_test

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"buyright/internal/i18n"
	brmail "buyright/internal/mail"
	"buyright/internal/mail/mailtest"
	"buyright/internal/model"
	"buyright/internal/reminders"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

var ctx = context.Background()

func bundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decode parses a delivered message as a mail reader would.
func decode(t *testing.T, data string) (subject, body string, h mail.Header) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("delivered message does not parse: %v\n%s", err, data)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return subject, string(b), m.Header
}

func TestSMTPDeliversToARealListener(t *testing.T) {
	srv := mailtest.Start(t)
	s := &brmail.SMTP{Addr: srv.Addr, From: "buyright <noreply@city.example>", Timeout: 5 * time.Second}
	hostile := "Revisão <script>alert(1)</script>\r\nBcc: victim@example.org"
	err := s.Send(ctx, brmail.Message{To: "ana@city.example", Subject: hostile, Body: "Line one\n.\nA line that is much longer than seventy-six characters, so quoted-printable must wrap it softly.\n"})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Mails()
	if len(got) != 1 || got[0].From != "noreply@city.example" || len(got[0].To) != 1 || got[0].To[0] != "ana@city.example" {
		t.Fatalf("delivered: %+v", got)
	}
	subject, body, h := decode(t, got[0].Data)
	// The line break in the subject could not add a header of its own.
	if h.Get("Bcc") != "" || !strings.Contains(subject, "Revisão <script>") || strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject %q, Bcc %q", subject, h.Get("Bcc"))
	}
	if !strings.Contains(body, "Line one\r\n.\r\nA line that is much longer") {
		t.Errorf("body: %q", body)
	}
	if h.Get("Message-Id") == "" || h.Get("Date") == "" {
		t.Errorf("headers: %v", h)
	}
	if err := s.Send(ctx, brmail.Message{To: "not an address", Subject: "x"}); err == nil {
		t.Error("bad address accepted")
	}
}

func TestWorkerSendsRemindersOnceAndRetriesFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		lead := &model.User{OrgID: org.ID, Email: "lead@city.example", Name: "Lead", Role: model.RoleOfficer}
		if err := db.CreateUser(ctx, store.System, lead, "x"); err != nil {
			t.Fatal(err)
		}
		p := &model.Purchase{OrgID: org.ID, Title: "School platform", Sector: "education", LeadUserID: lead.ID, Emergency: true,
			SunsetDate: model.DateOf(now).AddDays(10)}
		if err := db.CreatePurchase(ctx, store.ActorOf(lead), p); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ScheduleReview(ctx, store.ActorOf(lead), p, "review", model.DateOf(now).AddDays(3)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ScheduleReview(ctx, store.ActorOf(lead), p, "renewal", model.DateOf(now).AddDays(60)); err != nil {
			t.Fatal(err)
		}
		srv := mailtest.Start(t)
		writer := &reminders.Writer{I18n: bundle(t), BaseURL: "https://buyright.city.example/"}
		w := &brmail.Worker{Box: db, Sender: &brmail.SMTP{Addr: srv.Addr, From: "noreply@city.example", Timeout: 5 * time.Second},
			Remind: func(ctx context.Context, now time.Time) error { return writer.Queue(ctx, db, now) }, Now: func() time.Time { return now }}

		// The mail server is down: nothing is lost, the worker tries later.
		srv.FailNext(100)
		sent, failed, err := w.RunOnce(ctx)
		if err != nil || sent != 0 || failed != 2 {
			t.Fatalf("server down: sent %d failed %d err %v", sent, failed, err)
		}
		ob, _ := db.Outbox(ctx, 10)
		for _, e := range ob {
			if e.Attempts != 1 || !strings.Contains(e.LastError, "451") || !e.NextTry.After(now) || e.Sent.Valid {
				t.Errorf("after a failure: %+v", e)
			}
		}
		// Before the back-off ends nothing is tried again.
		if sent, failed, _ := w.RunOnce(ctx); sent+failed != 0 {
			t.Errorf("retried too early: %d sent, %d failed", sent, failed)
		}
		srv.FailNext(0)
		now = now.Add(brmail.Backoff(1) + time.Second)
		sent, failed, err = w.RunOnce(ctx)
		if err != nil || sent != 2 || failed != 0 {
			t.Fatalf("server back: sent %d failed %d err %v", sent, failed, err)
		}
		got := srv.Mails()
		var subjects []string
		for _, m := range got {
			s, body, _ := decode(t, m.Data)
			subjects = append(subjects, s)
			if !strings.Contains(body, "https://buyright.city.example/purchases/") {
				t.Errorf("no link in %q", body)
			}
		}
		joined := strings.Join(subjects, "\n")
		if !strings.Contains(joined, "Due on 2027-03-04: Review of School platform") || !strings.Contains(joined, "Sunset on 2027-03-11: School platform") {
			t.Errorf("subjects:\n%s", joined)
		}
		// The same reminders are not queued or sent again.
		if sent, _, _ := w.RunOnce(ctx); sent != 0 {
			t.Errorf("sent %d again", sent)
		}
		// A review that passes its date unheld gets one overdue reminder.
		now = now.AddDate(0, 0, 5)
		if sent, _, _ := w.RunOnce(ctx); sent != 1 {
			t.Errorf("overdue reminder: sent %d", sent)
		}
		if s, _, _ := decode(t, srv.Mails()[2].Data); !strings.HasPrefix(s, "Overdue: Review of School platform") {
			t.Errorf("overdue subject %q", s)
		}
	})
}

func TestWorkerGivesUpAfterMaxAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		if _, err := db.QueueMail(ctx, "test:1", brmail.Message{To: "x@city.example", Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
		srv := mailtest.Start(t)
		srv.FailNext(1000)
		w := &brmail.Worker{Box: db, Sender: &brmail.SMTP{Addr: srv.Addr, From: "noreply@city.example"}, Now: func() time.Time { return now }}
		for i := 0; i < brmail.MaxAttempts+2; i++ {
			if _, _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			now = now.Add(48 * time.Hour)
		}
		ob, _ := db.Outbox(ctx, 10)
		if len(ob) != 1 || ob[0].Attempts != brmail.MaxAttempts || !ob[0].Failed.Valid || ob[0].Sent.Valid {
			t.Fatalf("after giving up: %+v", ob)
		}
	})
}

func FuzzCompose(f *testing.F) {
	f.Add("a@b.example", "Subject\r\nBcc: x@y", "body\r\n.\r\n")
	f.Add("Name <a@b.example>", "Ação", "x")
	f.Fuzz(func(t *testing.T, to, subject, body string) {
		data, err := brmail.Compose("noreply@city.example", brmail.Message{To: to, Subject: subject, Body: body}, time.Unix(0, 0))
		if err != nil {
			return
		}
		m, err := mail.ReadMessage(strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("composed message does not parse: %v", err)
		}
		for k := range m.Header {
			switch k {
			case "From", "To", "Subject", "Date", "Message-Id", "Mime-Version", "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted":
			default:
				t.Fatalf("unexpected header %q from %q / %q", k, to, subject)
			}
		}
	})
}

func TestComplaintPastItsTimeLimitRemindsTheBodyWithoutItsWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		storetest.User(t, db, org, "officer@city.example", model.RoleOfficer)
		storetest.User(t, db, org, "viewer@city.example", model.RoleViewer)
		c := &store.Complaint{OrgID: org.ID, Service: "Housing benefit", Body: "My name is Maria and my payment stopped.", Lookup: "l", CodeHash: "h"}
		if err := db.CreateComplaint(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		writer := &reminders.Writer{I18n: bundle(t), BaseURL: "https://b.example"}
		if err := writer.Queue(ctx, db, now); err != nil {
			t.Fatal(err)
		}
		if ms, _ := db.ClaimMail(ctx, 10, time.Minute); len(ms) != 0 {
			t.Fatalf("within the limits: %+v", ms)
		}
		now = now.AddDate(0, 0, 8) // past the default acknowledgement limit
		if err := writer.Queue(ctx, db, now); err != nil {
			t.Fatal(err)
		}
		ms, _ := db.ClaimMail(ctx, 10, time.Minute)
		if len(ms) != 1 || ms[0].To != "officer@city.example" || strings.Contains(ms[0].Body, "Maria") || !strings.Contains(ms[0].Body, fmt.Sprintf("https://b.example/complaints/%d", c.ID)) {
			t.Fatalf("reminder: %+v", ms)
		}
	})
}
