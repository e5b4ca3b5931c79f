package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"buyright/internal/auth"
	"buyright/internal/grievance"
	"buyright/internal/mail/mailtest"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// browser is a visitor with a cookie jar, on either server.
type browser struct {
	t      *testing.T
	cookie *http.Cookie
}

func (b *browser) do(req *http.Request) (int, string, http.Header) {
	b.t.Helper()
	if b.cookie != nil {
		req.AddCookie(b.cookie)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (b *browser) get(u string) (int, string) {
	req, _ := http.NewRequest("GET", u, nil)
	code, body, _ := b.do(req)
	return code, body
}

func (b *browser) post(u string, form url.Values) (int, string, http.Header) {
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn posts the sign-in form and keeps the session cookie.
func (b *browser) signIn(base, email, password string) int {
	code, _, h := b.post(base+"/signin", url.Values{"email": {email}, "password": {password}})
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "buyright_session" && c.Value != "" {
			b.cookie = c
		}
	}
	return code
}

var (
	inputTag    = regexp.MustCompile(`(?s)<input\s[^>]*>`)
	textareaTag = regexp.MustCompile(`(?s)<textarea\s([^>]*)>(.*?)</textarea>`)
	selectTag   = regexp.MustCompile(`(?s)<select\s([^>]*)>(.*?)</select>`)
	optionTag   = regexp.MustCompile(`(?s)<option\s([^>]*)>`)
	attr        = regexp.MustCompile(`([a-z_-]+)(?:="([^"]*)")?`)
)

func attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attr.FindAllStringSubmatch(s, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// formValues reads what a page's form would send as it stands.
func formValues(page string) url.Values {
	v := url.Values{}
	for _, tag := range inputTag.FindAllString(page, -1) {
		a := attrs(strings.TrimSuffix(strings.TrimPrefix(tag, "<input"), ">"))
		_, checked := a["checked"]
		switch {
		case a["name"] == "" || a["type"] == "submit":
		case (a["type"] == "checkbox" || a["type"] == "radio") && !checked:
		default:
			v.Add(a["name"], a["value"])
		}
	}
	for _, m := range textareaTag.FindAllStringSubmatch(page, -1) {
		v.Add(attrs(m[1])["name"], html.UnescapeString(strings.TrimPrefix(m[2], "\n")))
	}
	for _, m := range selectTag.FindAllStringSubmatch(page, -1) {
		for _, o := range optionTag.FindAllStringSubmatch(m[2], -1) {
			if a := attrs(o[1]); a["selected"] != "" || strings.Contains(o[1], "selected") {
				v.Add(attrs(m[1])["name"], a["value"])
			}
		}
	}
	return v
}

// Two app servers started the way a deployment starts them (`buyright
// serve`, each with its own port, the same complaint key in its
// environment) on ONE PostgreSQL schema: a session opened on one works on
// the other; a file uploaded through one downloads through the other, the
// same bytes; a reminder due is sent once though both run their mail
// loops; a sign-in slowed down for failures counts the failures made on
// both; and when both edit one purchase, one wins and the other is told
// of the conflict with what was typed still in the form.
func TestTwoServersShareOneDatabase(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cheap := auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}
	const pw = "a long enough test password"
	hash, _ := cheap.Hash(pw)
	org := &model.Organisation{Slug: "city", Name: "City", Kind: model.OrgPublicBody}
	if err := db.CreateOrg(ctx, store.System, org); err != nil {
		t.Fatal(err)
	}
	lead := &model.User{OrgID: org.ID, Email: "lead@city.example", Name: "Lead", Role: model.RoleOfficer}
	other := &model.User{OrgID: org.ID, Email: "other@city.example", Name: "Other", Role: model.RoleOfficer}
	for _, u := range []*model.User{lead, other} {
		if err := db.CreateUser(ctx, store.System, u, hash); err != nil {
			t.Fatal(err)
		}
	}
	p := &model.Purchase{OrgID: org.ID, Title: "School platform", Sector: "social_protection", Need: "n", Purpose: "p",
		LegalBasis: "l", AffectedPeople: "a", LeadUserID: lead.ID}
	if err := db.CreatePurchase(ctx, store.ActorOf(lead), p); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OpenTask(ctx, store.ActorOf(lead), p, "review", "Check the data-protection impact assessment", "", model.DateOf(time.Now()).AddDays(-2)); err != nil {
		t.Fatal(err)
	}

	smtp := mailtest.Start(t)
	vars := map[string]string{"BUYRIGHT_COMPLAINT_KEY": grievance.NewKey()}
	var bases [2]string
	for i := range bases {
		bases[i] = startServeEnv(t, vars, "--db", dbURL, "--base-url", "https://buyright.example",
			"--smtp-addr", smtp.Addr, "--smtp-from", "buyright@city.example", "--mail-interval", "100ms")
	}
	a, b := bases[0], bases[1]
	purchase := fmt.Sprintf("/purchases/%d", p.ID)

	t.Run("a session opened on one works on the other", func(t *testing.T) {
		br := &browser{t: t}
		if code := br.signIn(a, lead.Email, pw); code != http.StatusSeeOther || br.cookie == nil {
			t.Fatalf("sign-in on A: %d", code)
		}
		if code, page := br.get(b + purchase); code != 200 || !strings.Contains(page, "School platform") {
			t.Fatalf("the purchase on B with A's session: %d", code)
		}
		if code, _ := (&browser{t: t}).get(b + purchase); code == 200 {
			t.Fatal("B shows the purchase without a session")
		}
	})

	t.Run("a file uploaded through one downloads through the other", func(t *testing.T) {
		br := &browser{t: t}
		br.signIn(b, lead.Email, pw)
		content := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("minutes of the meeting with parents\n"), 40000)...) // 1.4 MB: six chunks
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("kind", "evidence")
		fw, _ := mw.CreateFormFile("file", "minutes.pdf")
		fw.Write(content)
		mw.Close()
		req, _ := http.NewRequest("POST", a+purchase+"/files", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if code, page, _ := br.do(req); code != http.StatusSeeOther {
			t.Fatalf("upload through A: %d %.300s", code, page)
		}
		files, err := db.PurchaseFiles(ctx, p.ID, "evidence")
		if err != nil || len(files) != 1 {
			t.Fatal(files, err)
		}
		code, got := br.get(fmt.Sprintf("%s%s/files/%d", b, purchase, files[0].ID))
		if code != 200 || got != string(content) {
			t.Fatalf("download through B: %d, %d bytes, want the %d uploaded", code, len(got), len(content))
		}
	})

	t.Run("a reminder due is sent once", func(t *testing.T) {
		overdue := func() int {
			n := 0
			for _, m := range smtp.Mails() {
				if len(m.To) == 1 && m.To[0] == lead.Email && strings.Contains(m.Data, "Check the data-protection impact assessment") {
					n++
				}
			}
			return n
		}
		deadline := time.Now().Add(30 * time.Second)
		for overdue() == 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		// Both servers keep looking every 100 ms: give them twenty turns more.
		time.Sleep(2 * time.Second)
		if n := overdue(); n != 1 {
			t.Fatalf("the overdue task's reminder was sent %d times", n)
		}
	})

	t.Run("sign-in failures on both count together", func(t *testing.T) {
		// Three wrong passwords for one account from one address are free
		// (pairLimit); here two go to A and one to B.
		for i, base := range []string{a, b, a} {
			if code := (&browser{t: t}).signIn(base, other.Email, "wrong password "+fmt.Sprint(i)); code != http.StatusUnprocessableEntity && code != http.StatusUnauthorized && code != http.StatusOK {
				t.Fatalf("wrong password %d: %d", i+1, code)
			}
		}
		// The fourth attempt, even with the right password, on B (which saw
		// only one of them) waits.
		br := &browser{t: t}
		if code := br.signIn(b, other.Email, pw); code != http.StatusTooManyRequests || br.cookie != nil {
			t.Fatalf("the fourth attempt on B: %d, signed in %v", code, br.cookie != nil)
		}
	})

	t.Run("concurrent edits of one purchase: one winner, a conflict for the other", func(t *testing.T) {
		onA, onB := &browser{t: t}, &browser{t: t}
		onA.signIn(a, lead.Email, pw)
		onB.signIn(b, lead.Email, pw)
		_, formA := onA.get(a + purchase + "/edit")
		_, formB := onB.get(b + purchase + "/edit")
		va, vb := formValues(formA), formValues(formB)
		if va.Get("version") == "" || va.Get("version") != vb.Get("version") || va.Get("title") != "School platform" {
			t.Fatalf("the edit forms: %v / %v", va, vb)
		}
		va.Set("title", "School platform, as A saved it")
		vb.Set("title", "School platform, as B typed it")
		type result struct {
			code int
			page string
		}
		res := make([]result, 2)
		var wg sync.WaitGroup
		for i, x := range []struct {
			br   *browser
			base string
			v    url.Values
		}{{onA, a, va}, {onB, b, vb}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, page, _ := x.br.post(x.base+purchase, x.v)
				res[i] = result{code, html.UnescapeString(page)}
			}()
		}
		wg.Wait()
		won, lost := -1, -1
		for i, r := range res {
			switch r.code {
			case http.StatusSeeOther:
				won = i
			case http.StatusConflict:
				lost = i
			}
		}
		if won < 0 || lost < 0 {
			t.Fatalf("two edits from one version: %d and %d, want one 303 and one 409", res[0].code, res[1].code)
		}
		typed := []string{"School platform, as A saved it", "School platform, as B typed it"}
		if !strings.Contains(res[lost].page, "Someone else changed this purchase") || !strings.Contains(res[lost].page, `value="`+typed[lost]+`"`) {
			t.Errorf("the loser's page does not say why or lost what was typed: %.2000s", res[lost].page)
		}
		got, _, err := db.Purchase(ctx, lead, p.ID)
		if err != nil || got.Title != typed[won] {
			t.Errorf("stored title %q, want the winner's %q (%v)", got.Title, typed[won], err)
		}
	})
}
