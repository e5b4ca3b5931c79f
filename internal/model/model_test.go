package model

import (
	"strings"
	"testing"
)

func TestCleanLine(t *testing.T) {
	cases := map[string]string{
		"  a\u0000b\u0007c\r\nd  ": "abcd",
		"x\xffy":                   "x\uFFFDy",
		"<b>kept</b>":              "<b>kept</b>",
		"invoice\u202egpj.exe":     "invoicegpj.exe",
	}
	for in, want := range cases {
		if got := CleanLine(in); got != want {
			t.Errorf("CleanLine(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanText("a\r\nb\tc\u001b"); got != "a\nb\tc" {
		t.Errorf("CleanText = %q", got)
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2027-02-28")
	if err != nil || d.String() != "2027-02-28" {
		t.Fatal(d, err)
	}
	for _, bad := range []string{"2027-02-30", "28/02/2027", "2027-2-3", "tomorrow"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	var s Date
	if err := s.Scan("2027-01-05 00:00:00+00:00"); err != nil || s.String() != "2027-01-05" {
		t.Fatalf("Scan: %v %v", s, err)
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Fatal("zero date should store NULL")
	}
}

func FuzzParseDate(f *testing.F) {
	f.Add("2027-01-01")
	f.Add("")
	f.Add("9999-99-99")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err == nil && s != "" && d.String() != s {
			t.Fatalf("round trip %q -> %q", s, d.String())
		}
	})
}

func TestPurchaseValidate(t *testing.T) {
	p := &Purchase{Title: strings.Repeat("x", 301), Sector: "health", Currency: "euro", ValueMinor: 5, OCID: "ocds-abc123-2024/001"}
	err := p.Validate()
	e, ok := err.(*Error)
	if !ok || e.Fields["title"] != "invalid.too_long" || e.Fields["currency"] != "invalid.currency" || e.Fields["ocid"] != "" {
		t.Fatalf("Validate = %v", err)
	}
	start, _ := ParseDate("2027-01-01")
	end, _ := ParseDate("2026-01-01")
	p = &Purchase{Title: "ok", Sector: "health", ContractStart: start, ContractEnd: end}
	if e := p.Validate().(*Error); e.Fields["contract_end"] != "invalid.end_before_start" {
		t.Fatal(e.Fields)
	}
}

func TestRolesPerKind(t *testing.T) {
	if RoleAllowed(OrgSupplier, RoleApprover) || !RoleAllowed(OrgOversight, RoleOversight) || RoleAllowed(OrgPublicBody, RoleSupplier) {
		t.Fatal("role table wrong")
	}
	u := &User{Email: " Ana@Example.ORG ", Role: RoleOfficer}
	if err := u.Validate(OrgPublicBody); err != nil || u.Email != "ana@example.org" {
		t.Fatal(err, u.Email)
	}
	if ValidatePassword("short") == nil || ValidatePassword("twelve chars") != nil {
		t.Fatal("password policy")
	}
}
