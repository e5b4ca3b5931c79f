package main

import (
	"strings"
	"testing"
)

// The URL given to pg_dump keeps everything but the password and the
// schema, which travel apart.
func TestLibpqURL(t *testing.T) {
	conn, schema, pw, err := libpqURL("postgres://app:s3cret@db.internal:5433/buyright?sslmode=require&search_path=t_abc")
	if err != nil || conn != "postgres://app@db.internal:5433/buyright?sslmode=require" || schema != "t_abc" || pw != "s3cret" {
		t.Fatalf("%q %q %q %v", conn, schema, pw, err)
	}
	if _, _, _, err := libpqURL("postgres://db/x?search_path=a,b"); err == nil {
		t.Error("several schemas accepted")
	}
}

func FuzzLibpqURL(f *testing.F) {
	f.Add("postgres://app:s3cret@db.internal/buyright?search_path=t_x")
	f.Add("postgresql://u:%40p@h/d")
	f.Fuzz(func(t *testing.T, s string) {
		conn, _, pw, err := libpqURL(s)
		if err == nil && len(pw) > 3 && strings.Contains(conn, ":"+pw+"@") {
			t.Fatalf("the password stayed in %q", conn)
		}
	})
}
