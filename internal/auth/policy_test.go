package auth

import (
	"strings"
	"testing"
)

func TestPasswordProblem(t *testing.T) {
	ana := Personal{Email: "ana.silva@portavera.example", OrgName: "Câmara Municipal de Portavera", OrgSlug: "portavera"}
	cases := map[string]string{
		"short":                             "invalid.password_short",
		"aaaaaaaaaaaa":                      "password.repeats",
		"abababababab":                      "password.repeats",
		"abcabcabcabcabc":                   "password.repeats",
		"123456789012":                      "password.repeats",
		"abcdefghijkl":                      "password.repeats",
		"poiuytrewqlkjh":                    "password.repeats",
		"1qaz2wsx3edc4rfv":                  "password.repeats",
		"Password2026!":                     "password.common",
		"P@ssw0rd12345":                     "password.common",
		"!!Welcome2026!!":                   "password.common",
		"qwertyuiop123":                     "password.common",
		"iloveyou1234":                      "password.common",
		"Benfica19041904":                   "password.common",
		"Contraseña12345":                   "password.common",
		"Mot de passe 2026":                 "password.common",
		"correct horse battery staple":      "password.common",
		"passwordpassword":                  "password.repeats",
		"ana.silva@portavera.example":       "password.personal_email",
		"AnaSilva2026!!":                    "password.personal_email",
		"Portavera 2026 password":           "password.personal_email", // the domain is the organisation's too
		"Camara Municipal 2026":             "password.personal_org",
		"plum kettle orbit lantern":         "",
		"a long enough test password":       "",
		"Ana walks to the Portavera market": "",
		"tm9#Lq2!vZ8@wX":                    "",
		strings.Repeat("x", 1025):           "invalid.too_long",
	}
	for pw, want := range cases {
		if got := PasswordProblem(pw, ana); got != want {
			t.Errorf("PasswordProblem(%q) = %q, want %q", pw, got, want)
		}
	}
	// A random password from NewPassword is always acceptable.
	for i := 0; i < 200; i++ {
		if p := NewPassword(); PasswordProblem(p, ana) != "" {
			t.Fatalf("generated %q refused: %s", p, PasswordProblem(p, ana))
		}
	}
}

func FuzzPasswordProblem(f *testing.F) {
	f.Add("Password2026!", "a@b.example", "Org")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, pw, email, org string) {
		PasswordProblem(pw, Personal{Email: email, OrgName: org}) // must not panic or hang
	})
}
