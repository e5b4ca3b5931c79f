package ocds

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

func addSeeds(f *testing.F) {
	for _, p := range []string{"testdata/*.jsonl", "testdata/*.json", sharedDir + "/bad/*"} {
		files, _ := filepath.Glob(p)
		for _, name := range files {
			// Small seeds keep the fuzzer fast; the start of a big file
			// still carries its shape.
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b[:min(len(b), 2048)])
			}
		}
	}
	f.Add([]byte("{\"ocid\":\"a\"}\n{\"ocid\""))
	f.Add([]byte("[{\"ocid\":\"a\"},"))
	f.Add([]byte("{\n\"releases\":[{\"ocid\":\"a\"}\n"))
}

// FuzzReader feeds arbitrary bytes to the reader: it must never panic or
// hang, every release it yields must have an ocid, a line and valid JSON,
// and every reject must say where and why.
func FuzzReader(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		rd := NewReader(bytes.NewReader(in), "fuzz", Options{MaxLineBytes: 4096, MaxStringBytes: 512, MaxDepth: 16})
		defer rd.Close()
		for n := 0; ; n++ {
			if n > len(in)+10 {
				t.Fatalf("more items (%d) than input bytes", n)
			}
			it, err := rd.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				return // unreadable input (e.g. a damaged gzip stream) is fatal by design
			}
			if it.Line < 1 {
				t.Fatalf("item without a line: %+v", it)
			}
			if it.Err != nil {
				if it.Err.Reason == "" || it.Err.File != "fuzz" {
					t.Fatalf("reject without reason: %+v", it.Err)
				}
				continue
			}
			if it.Release == nil || it.Release.OCID == "" {
				t.Fatalf("release without ocid: %+v", it)
			}
			if !json.Valid(it.Raw) {
				t.Fatalf("release raw bytes are not valid JSON: %q", it.Raw)
			}
		}
	})
}

// FuzzScannerAgreesWithStdlib checks the hand-written scanner accepts
// exactly the UTF-8 inputs encoding/json accepts, decodes strings the same
// way, and never accepts invalid UTF-8 (which encoding/json lets through).
func FuzzScannerAgreesWithStdlib(f *testing.F) {
	addSeeds(f)
	for _, s := range []string{`"a\u00e9\ud83d\ude00\ud800x"`, `-0.5e+3`, `[1,{"a":[true,false,null]}]`, `01`, `"\x01"`, `{"a":1,}`, `1.`, `"\/"`} {
		f.Add([]byte(s))
	}
	f.Add([]byte("\"a\xffb\""))
	f.Add([]byte("{\"k\xc3\":1}"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var s scanner
		s.reset(in, Options{MaxDepth: 20000, MaxStringBytes: len(in) + 1})
		var got string
		ok := func() (ok bool) {
			defer func() {
				if r := recover(); r != nil {
					if _, isScan := r.(*scanError); !isScan {
						panic(r)
					}
					ok = false
				}
			}()
			s.ws()
			if s.i < len(s.b) && s.b[s.i] == '"' {
				got = s.str()
			} else {
				s.skip()
			}
			s.ws()
			return s.i == len(s.b)
		}()
		if !utf8.Valid(in) {
			if ok {
				t.Fatalf("scanner accepted invalid UTF-8 %q", in)
			}
			return
		}
		if want := json.Valid(in); ok != want {
			t.Fatalf("scanner says valid=%v, encoding/json says %v for %q", ok, want, in)
		}
		var want string
		if ok && json.Unmarshal(in, &want) == nil && got != want {
			t.Fatalf("string decoded as %q, encoding/json gives %q", got, want)
		}
	})
}

// FuzzAppendJSON checks the hand-written output encoder always writes valid
// JSON that reads back to the same strings.
func FuzzAppendJSON(f *testing.F) {
	f.Add("ocds-1", "Título \"x\"\n\t\x01", "a.json")
	f.Add("", "\xff\xfe", "\u2028")
	f.Fuzz(func(t *testing.T, ocid, title, file string) {
		r := Result{OCID: ocid, Title: title, Categories: []string{title}, Flags: []Flag{{ID: "x", Reason: title, Path: ocid}}}
		line := r.AppendJSON(nil, &Item{File: file, Line: 3})
		var back struct {
			OCID, Title, File string
			Line              int
		}
		if err := json.Unmarshal(line, &back); err != nil {
			t.Fatalf("invalid JSON %q: %v", line, err)
		}
		if utf8.ValidString(title) && back.Title != title || back.Line != 3 {
			t.Fatalf("title %q read back as %q", title, back.Title)
		}
	})
}
