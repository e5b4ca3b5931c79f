package auth

import (
	"strings"
	"testing"
	"time"
)

var cheap = Hasher{P: Params{Memory: 64, Time: 1, Threads: 1}}

func TestHashVerify(t *testing.T) {
	h, err := cheap.Hash("correct horse battery staple")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q %v", h, err)
	}
	if ok, err := cheap.Verify("correct horse battery staple", h); !ok || err != nil {
		t.Fatal("right password refused")
	}
	if ok, _ := cheap.Verify("correct horse battery stapl", h); ok {
		t.Fatal("wrong password accepted")
	}
	// A hash made with other parameters still verifies: it carries its own.
	if ok, _ := (Hasher{DefaultParams}).Verify("correct horse battery staple", h); !ok {
		t.Fatal("hash with older parameters refused")
	}
	for _, bad := range []string{"", "!", "$argon2i$v=19$m=64,t=1,p=1$YQ$YQ", "$argon2id$v=19$m=99999999,t=1,p=1$YQ$YQ"} {
		if ok, err := cheap.Verify("x", bad); ok || err == nil {
			t.Errorf("Verify on %q = %v, %v", bad, ok, err)
		}
	}
}

func FuzzVerify(f *testing.F) {
	h, _ := cheap.Hash("pw")
	f.Add("pw", h)
	f.Add("x", "$argon2id$v=19$m=64,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, pw, enc string) {
		cheap.Verify(pw, enc) // must not panic or hang
	})
}

func TestSecrets(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || len(a) < 43 || len(HashSecret(a)) != 64 {
		t.Fatal("secrets not random or too short")
	}
	if p := NewPassword(); len(p) != 20 || strings.ContainsAny(p, "0O1lI") {
		t.Fatalf("password %q", p)
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := NewLimiter(3, time.Minute)
	l.Now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if !l.Allow("ip") {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if l.Allow("ip") {
		t.Fatal("4th attempt allowed")
	}
	if !l.Allow("other") {
		t.Fatal("another key is limited too")
	}
	now = now.Add(time.Minute)
	if !l.Allow("ip") || l.Allow("ip") {
		t.Fatal("one token should come back per minute")
	}
}
