// Package mail sends buyright's e-mail: reminders of reviews, sunsets and
// overdue tasks. Changes never send mail themselves; they queue it in the
// outbox table (internal/store) and a Worker sends it over SMTP, retrying
// with a growing delay, so a mail server that is down delays mail but
// loses none and never blocks a person's work.
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Message is one e-mail to one person.
type Message struct {
	To      string
	Subject string
	Body    string // plain text
}

// header cleans a header value: no line breaks (which would let a value
// add headers of its own) and no control characters.
func header(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// Address checks an e-mail address and returns it without a display name.
func Address(s string) (string, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("mail: %q is not an e-mail address", s)
	}
	return a.Address, nil
}

// Compose renders m as an RFC 5322 message from the sender: UTF-8 text,
// quoted-printable, with the subject encoded when it is not plain ASCII.
func Compose(from string, m Message, now time.Time) ([]byte, error) {
	to, err := Address(m.To)
	if err != nil {
		return nil, err
	}
	fromAddr, err := Address(from)
	if err != nil {
		return nil, err
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	domain := fromAddr[strings.LastIndexByte(fromAddr, '@')+1:]
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", header(from))
	fmt.Fprintf(&b, "To: %s\r\n", to)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", header(m.Subject)))
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id[:]), domain)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n")
	b.WriteString("Auto-Submitted: auto-generated\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}
