package audit

import (
	"errors"
	"strings"
	"testing"
)

// chain makes n sealed entries.
func chain(n int) []Entry {
	prev := Genesis
	var out []Entry
	for i := 1; i <= n; i++ {
		e := Entry{ID: int64(i), At: "2026-01-01T00:00:00.000000Z", Actor: "a", ObjectType: "x", ObjectID: int64(i), Action: "create", Detail: "{}"}
		e.Seal(prev)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func verify(es []Entry, headID int64, headHash string, ws ...Witness) error {
	v := NewVerifier(ws...)
	for i := range es {
		if err := v.Next(&es[i]); err != nil {
			return err
		}
	}
	return v.Finish(headID, headHash)
}

func TestWitnesses(t *testing.T) {
	es := chain(5)
	if err := verify(es, 5, es[4].Hash, Witness{ID: 3, Hash: es[2].Hash}); err != nil {
		t.Fatalf("clean log with a matching witness: %v", err)
	}
	// Rewritten from row 3 on, hashes recomputed: consistent in itself.
	rw := chain(5)
	rw[2].Detail = `{"forged":true}`
	for i := 2; i < 5; i++ {
		rw[i].Seal(rw[i-1].Hash)
	}
	if err := verify(rw, 5, rw[4].Hash); err != nil {
		t.Fatalf("a consistent rewrite is only caught by a witness, got %v", err)
	}
	var b *Break
	if err := verify(rw, 5, rw[4].Hash, Witness{ID: 4, Hash: es[3].Hash}); !errors.As(err, &b) || b.ID != 4 || !strings.Contains(b.Reason, "rewritten") {
		t.Fatalf("rewrite with a witness of row 4: %v", err)
	}
	// Rows 4 and 5 removed, head moved back to 3.
	if err := verify(es[:3], 3, es[2].Hash, Witness{ID: 5, Hash: es[4].Hash, From: "the published head"}); !errors.As(err, &b) || b.ID != 4 || !strings.Contains(b.Reason, "row 5 was witnessed by the published head") {
		t.Fatalf("removed end with a witness of row 5: %v", err)
	}
}

func TestParseWitness(t *testing.T) {
	h := strings.Repeat("ab", 32)
	if w, err := ParseWitness(" 12:" + strings.ToUpper(h) + " "); err != nil || w.ID != 12 || w.Hash != h {
		t.Fatalf("ParseWitness = %+v %v", w, err)
	}
	for _, bad := range []string{"", "12", "x:" + h, "0:" + h, "-1:" + h, "12:" + h[:63], "12:" + h[:63] + "g", "12:" + h + "0"} {
		if _, err := ParseWitness(bad); err == nil || !strings.Contains(err.Error(), "ROW:HASH") {
			t.Errorf("ParseWitness(%q) = %v", bad, err)
		}
	}
}

func FuzzParseWitness(f *testing.F) {
	f.Add("12:" + strings.Repeat("0", 64))
	f.Add("::")
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWitness(s)
		if err == nil && (w.ID < 1 || len(w.Hash) != 64 || strings.ToLower(w.Hash) != w.Hash) {
			t.Fatalf("ParseWitness(%q) = %+v", s, w)
		}
	})
}
