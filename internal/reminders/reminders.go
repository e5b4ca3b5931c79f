// Package reminders writes buyright's e-mail in the language of the person
// it goes to, and queues it in the outbox: reminders of reviews, sunsets,
// overdue tasks and complaints past their time limits, civil society's
// invitations to consultations and news of the purchases it follows, the
// Learning Lab's weekly digest and its confirmation. The store finds who should be told
// what; this package finds the words; internal/mail sends them.
package reminders

import (
	"context"
	"fmt"
	"strings"
	"time"

	"buyright/internal/i18n"
	"buyright/internal/mail"
	"buyright/internal/model"
	"buyright/internal/store"
)

// Writer composes messages from the translation catalogues.
type Writer struct {
	I18n    *i18n.Bundle
	BaseURL string // public address of this buyright, for links
}

func (w *Writer) base() string { return strings.TrimRight(w.BaseURL, "/") }

// Reminder composes one reminder in its recipient's language.
func (w *Writer) Reminder(r store.Reminder) mail.Message {
	c := w.I18n.Catalog(r.Lang)
	base := w.base()
	var link string
	switch r.Kind {
	case "review_due", "review_overdue":
		link = fmt.Sprintf("%s/purchases/%d/reviews/%d", base, r.PurchaseID, r.ObjectID)
	case "sunset":
		link = fmt.Sprintf("%s/purchases/%d/reviews", base, r.PurchaseID)
	case "task_overdue":
		link = fmt.Sprintf("%s/purchases/%d#tasks", base, r.PurchaseID)
	case "consult_invited", "follow_consultation":
		link = fmt.Sprintf("%s/consultations/%d", base, r.ObjectID)
	case "consult_reported":
		link = fmt.Sprintf("%s/consultations/%d#c-report", base, r.ObjectID)
	case "follow_version", "follow_finding":
		link = fmt.Sprintf("%s/register/%d", base, r.PurchaseID)
	case "supplier_values_due", "supplier_values_overdue", "supplier_review_due":
		link = fmt.Sprintf("%s/purchases/%d/obligations", base, r.PurchaseID)
	case "disclosure_lapsed":
		link = fmt.Sprintf("%s/purchases/%d/disclosure#doc-%d", base, r.PurchaseID, r.ObjectID)
	default: // complaints
		link = fmt.Sprintf("%s/complaints/%d", base, r.ObjectID)
	}
	what := r.What
	if r.Kind == "review_due" || r.Kind == "review_overdue" || r.Kind == "supplier_review_due" {
		what = c.T("reviews.kind." + r.What)
	}
	key := "mail." + r.Kind
	return mail.Message{To: r.To,
		Subject: c.T(key+".subject", what, r.Purchase, r.Due, r.ObjectID),
		Body:    c.T(key+".body", what, r.Purchase, r.Due, r.ObjectID) + "\n\n" + link + "\n"}
}

// Confirm composes the Lab digest's confirmation.
func (w *Writer) Confirm(lang, token string) mail.Message {
	c := w.I18n.Catalog(lang)
	return mail.Message{Subject: c.T("mail.confirm.subject"),
		Body: c.T("mail.confirm.body") + "\n\n" + w.base() + "/lab/subscribe/confirm?token=" + token + "\n\n" + c.T("mail.confirm.ignore") + "\n"}
}

// Digest composes the Lab's weekly digest.
func (w *Writer) Digest(lang string, news []store.LabNews, token string) mail.Message {
	c := w.I18n.Catalog(lang)
	var b strings.Builder
	b.WriteString(c.T("mail.digest.intro") + "\n\n")
	for _, x := range news {
		fmt.Fprintf(&b, "- %s (%s)\n  %s%s\n", x.Title, c.T("lab.members.news."+x.Kind), w.base(), x.Path)
	}
	b.WriteString("\n" + c.T("mail.digest.stop") + " " + w.base() + "/lab/unsubscribe?token=" + token + "\n")
	return mail.Message{Subject: c.N("mail.digest.subject", len(news)), Body: b.String()}
}

// Queue queues every reminder and digest due now; each is queued once
// however often it runs.
func (w *Writer) Queue(ctx context.Context, db *store.DB, now time.Time) error {
	// Published documents whose redaction grounds lapsed become tasks
	// first, so the reminder and the task say the same.
	if _, err := db.OpenLapseTasks(ctx, model.DateOf(now)); err != nil {
		return err
	}
	due, err := db.DueReminders(ctx, now)
	if err != nil {
		return err
	}
	// What civil society is told of: invitations, reports, and news of
	// the purchases its people follow.
	news, err := db.ParticipationNews(ctx, now)
	if err != nil {
		return err
	}
	for _, r := range append(due, news...) {
		if _, err := db.QueueMail(ctx, r.Key, w.Reminder(r)); err != nil {
			return err
		}
	}
	_, err = db.QueueDigests(ctx, now, w.Digest)
	return err
}
