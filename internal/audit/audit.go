// Package audit defines buyright's tamper-evident log: every change is one
// entry, and each entry's hash covers the previous entry's hash, so editing,
// removing or reordering any row breaks the chain from that row on.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeLayout is how entry times are written and hashed: fixed width, UTC,
// so the text hashed is the text stored on every database.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one change: who did what to which object, and what changed.
type Entry struct {
	ID         int64  `json:"id"`
	At         string `json:"at"`
	ActorID    int64  `json:"actor_id"` // 0 for the system or the command line
	Actor      string `json:"actor"`
	OrgID      int64  `json:"org_id"` // organisation that owns the object
	ObjectType string `json:"object_type"`
	ObjectID   int64  `json:"object_id"`
	Action     string `json:"action"`
	Detail     string `json:"detail"` // JSON: the fields changed, old and new
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"-"`
}

// Time parses At.
func (e *Entry) Time() time.Time {
	t, _ := time.Parse(TimeLayout, e.At)
	return t
}

// ComputeHash is the SHA-256 of the entry's fields, previous hash included.
// encoding/json writes struct fields in declaration order, which makes the
// encoding canonical.
func (e *Entry) ComputeHash() string {
	b, err := json.Marshal(e)
	if err != nil {
		panic(err) // only strings and integers: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Seal sets the entry's previous hash and its own hash.
func (e *Entry) Seal(prev string) {
	e.PrevHash = prev
	e.Hash = e.ComputeHash()
}

// Break describes the first place where the chain does not hold.
type Break struct {
	ID     int64 // the first broken row (or the expected id of a missing one)
	Reason string
}

func (b *Break) Error() string { return fmt.Sprintf("audit log broken at row %d: %s", b.ID, b.Reason) }

// Verifier checks entries one by one in id order, keeping only the last hash,
// so a log of any length verifies in constant memory.
type Verifier struct {
	prevID   int64
	prevHash string
	Count    int64
	// witnesses are rows whose hash was kept outside the database; matched
	// counts those the log reached.
	witnesses map[int64][]Witness
	matched   int
}

// NewVerifier starts a check at the beginning of the log. Each witness is
// a row's hash someone kept elsewhere: a log rewritten from a row on with
// hashes recomputed holds together by itself, and only a hash from
// outside shows that a row is not the one it was.
func NewVerifier(witnesses ...Witness) *Verifier {
	v := &Verifier{prevHash: Genesis, witnesses: map[int64][]Witness{}}
	for _, w := range witnesses {
		v.witnesses[w.ID] = append(v.witnesses[w.ID], w)
	}
	return v
}

// Next checks one entry; it returns a *Break at the first problem.
func (v *Verifier) Next(e *Entry) error {
	switch {
	case e.ID <= v.prevID:
		return &Break{e.ID, fmt.Sprintf("row is out of order (comes after row %d)", v.prevID)}
	case e.ID != v.prevID+1:
		return &Break{v.prevID + 1, fmt.Sprintf("rows %d to %d are missing", v.prevID+1, e.ID-1)}
	case e.PrevHash != v.prevHash:
		return &Break{e.ID, "its previous-hash does not match the row before it (a row before it was changed, removed or reordered)"}
	case e.ComputeHash() != e.Hash:
		return &Break{e.ID, "its content does not match its hash (the row was edited)"}
	}
	for _, w := range v.witnesses[e.ID] {
		if w.Hash != e.Hash {
			return &Break{e.ID, fmt.Sprintf("its hash differs from the one %s (the log was rewritten from this row or before it)", w.source())}
		}
		v.matched++
	}
	v.prevID, v.prevHash = e.ID, e.Hash
	v.Count++
	return nil
}

// Matched is the number of witnesses the log agreed with.
func (v *Verifier) Matched() int { return v.matched }

// Finish checks the end of the log against the recorded head, which catches
// rows removed from the end.
func (v *Verifier) Finish(headID int64, headHash string) error {
	if headID != v.prevID {
		if headID > v.prevID {
			return &Break{v.prevID + 1, fmt.Sprintf("the log ends at row %d but row %d was written", v.prevID, headID)}
		}
		return &Break{headID + 1, fmt.Sprintf("rows after %d are not recorded in the head", headID)}
	}
	if headHash != v.prevHash {
		return &Break{v.prevID, "the last row's hash differs from the recorded head"}
	}
	// A witness beyond the end: rows were removed from the end and the
	// head moved back to match.
	var missing *Witness
	for id, ws := range v.witnesses {
		if id > v.prevID && (missing == nil || id > missing.ID) {
			missing = &ws[0]
		}
	}
	if missing != nil {
		return &Break{v.prevID + 1, fmt.Sprintf("row %d was %s, but the log ends at row %d (rows were removed from the end)", missing.ID, missing.source(), v.prevID)}
	}
	return nil
}

// Witness is a row's hash kept outside the database: printed by an
// earlier `audit verify`, or published by the server as its head and kept
// by someone else.
type Witness struct {
	ID   int64
	Hash string
	From string // where it comes from, for messages ("" for the command line)
}

func (w Witness) source() string {
	if w.From == "" {
		return "witnessed"
	}
	return "witnessed by " + w.From
}

// ParseWitness reads ROW:HASH, the form `audit verify` prints and takes.
func ParseWitness(s string) (Witness, error) {
	id, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n < 1 || len(hash) != 64 || strings.Trim(strings.ToLower(hash), "0123456789abcdef") != "" {
		return Witness{}, fmt.Errorf("witness %q: write ROW:HASH, the row number and its 64-character SHA-256 as audit verify prints them", s)
	}
	return Witness{ID: n, Hash: strings.ToLower(hash)}, nil
}

// Head is the hash of the last verified row; publishing it elsewhere lets a
// later check prove that nothing was rewritten wholesale.
func (v *Verifier) Head() (int64, string) { return v.prevID, v.prevHash }
