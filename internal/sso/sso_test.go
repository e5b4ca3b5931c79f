package sso

import (
	"net/url"
	"strings"
	"testing"

	"buyright/internal/model"
)

func city() *Provider {
	return &Provider{Label: "City ID", Issuer: "https://login.city.example/realms/staff", ClientID: "buyright", ClientSecret: "s",
		Domains: []string{"city.example"}, Role: model.RoleOfficer}
}

func TestValidate(t *testing.T) {
	if fe := city().Validate(model.OrgPublicBody, false); len(fe) > 0 {
		t.Fatalf("a good provider: %v", fe)
	}
	cases := map[string]func(p *Provider){
		"issuer":        func(p *Provider) { p.Issuer = "http://login.city.example" }, // plain http away from loopback
		"client_secret": func(p *Provider) { p.ClientSecret = "" },
		"email_domains": func(p *Provider) { p.Domains = []string{"not a domain"} },
		"claim_name":    func(p *Provider) { p.ClaimName = "groups" },
		"role":          func(p *Provider) { p.Role = model.RoleAdmin },
		"sso_label":     func(p *Provider) { p.Label = " \u202e " },
		"client_id":     func(p *Provider) { p.ClientID = "two words" },
	}
	for field, spoil := range cases {
		p := city()
		spoil(p)
		if fe := p.Validate(model.OrgPublicBody, false); fe[field] == "" {
			t.Errorf("%s: not refused (%v)", field, fe)
		}
	}
	p := city()
	p.Domains = nil
	if fe := p.Validate(model.OrgPublicBody, false); fe["email_domains"] != "invalid.sso_domains_or_claim" {
		t.Errorf("neither domains nor a claim: %v", fe)
	}
	p.ClaimName, p.ClaimValue = "groups", "staff"
	if fe := p.Validate(model.OrgPublicBody, false); len(fe) > 0 {
		t.Errorf("a claim alone: %v", fe)
	}
	p = city()
	p.Issuer, p.ClientSecret = "http://127.0.0.1:5556/dex", ""
	if fe := p.Validate(model.OrgPublicBody, true); len(fe) > 0 {
		t.Errorf("loopback http issuer with a stored secret: %v", fe)
	}
	p.Role = model.RoleSupplier
	if fe := p.Validate(model.OrgPublicBody, true); fe["role"] == "" {
		t.Error("a supplier role in a public body was accepted")
	}
}

func TestParseDomains(t *testing.T) {
	got := strings.Join(ParseDomains(" City.Example,@staff.city.example\ncity.example;x.org "), " ")
	if got != "city.example staff.city.example x.org" {
		t.Fatal(got)
	}
}

func TestAdmit(t *testing.T) {
	no := false
	p := city()
	p.ClaimName, p.ClaimValue = "groups", "procurement"
	ok := func() *Identity {
		return &Identity{Subject: "s1", Email: "Ana@City.Example", Claims: map[string]any{"groups": []any{"staff", "procurement"}}}
	}
	if err := p.Admit(ok()); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		spoil  func(*Identity)
		reason string
	}{
		"other domain":      {func(i *Identity) { i.Email = "ana@city.example.evil.org" }, "domain"},
		"subdomain":         {func(i *Identity) { i.Email = "ana@x.city.example" }, "domain"},
		"no e-mail":         {func(i *Identity) { i.Email = "" }, "email"},
		"unverified":        {func(i *Identity) { i.EmailVerified = &no }, "email"},
		"claim missing":     {func(i *Identity) { delete(i.Claims, "groups") }, "claim"},
		"claim other value": {func(i *Identity) { i.Claims["groups"] = "staff" }, "claim"},
		"no subject":        {func(i *Identity) { i.Subject = "" }, "subject"},
	} {
		id := ok()
		c.spoil(id)
		err := p.Admit(id)
		if rf, _ := err.(*Refusal); rf == nil || rf.Reason != c.reason {
			t.Errorf("%s: %v, want reason %s", name, err, c.reason)
		}
	}
}

func TestParseCallback(t *testing.T) {
	good, err := ParseCallback(url.Values{"code": {"abc"}, "state": {"xyz"}})
	if err != nil || good.Code != "abc" || good.State != "xyz" {
		t.Fatal(good, err)
	}
	denied, err := ParseCallback(url.Values{"error": {"access_denied"}, "error_description": {"the person said no"}, "state": {"xyz"}})
	if err != nil || denied.Error != "access_denied" || denied.Code != "" {
		t.Fatal(denied, err)
	}
	for _, q := range []url.Values{
		{"code": {"abc"}},
		{"state": {"xyz"}},
		{"code": {"a", "b"}, "state": {"xyz"}},
		{"code": {"abc"}, "state": {"x y"}},
		{"code": {"abc"}, "state": {strings.Repeat("s", 201)}},
		{"code": {"ab\u00e9"}, "state": {"xyz"}},
	} {
		if c, err := ParseCallback(q); err == nil {
			t.Errorf("%v accepted as %+v", q, c)
		}
	}
}

// FuzzParseCallback: any query either fails or gives a state and exactly
// one of a code and an error, each printable ASCII within its bound.
func FuzzParseCallback(f *testing.F) {
	f.Add("code=abc&state=xyz")
	f.Add("error=access_denied&state=s&code=c")
	f.Add("state=%00&code=1")
	f.Add("code=a&code=b&state=s")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		c, err := ParseCallback(q)
		if err != nil {
			return
		}
		if c.State == "" || (c.Code == "") == (c.Error == "") || len(c.State) > 200 || len(c.Code) > 4096 || len(c.Error) > 100 {
			t.Fatalf("%q gave %+v", raw, c)
		}
		for _, s := range []string{c.State, c.Code, c.Error} {
			for i := 0; i < len(s); i++ {
				if s[i] < 0x21 || s[i] > 0x7e {
					t.Fatalf("%q: byte %#x kept", raw, s[i])
				}
			}
		}
	})
}
