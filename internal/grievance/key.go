package grievance

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Fingerprint names a complaint key without revealing it: the first 16
// bytes of a SHA-256 over a fixed label and the key, in hex. The database
// keeps it so a server started with no key or another key can tell which,
// and refuse, instead of writing new names with a key the old ones do not
// open.
func Fingerprint(key []byte) string {
	h := sha256.New()
	h.Write([]byte("buyright complaint key fingerprint v1\x00"))
	h.Write(key)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Ref is the associated data a complaint's sealed identity is bound to.
func Ref(complaintID int64) string { return "complaint:" + strconv.FormatInt(complaintID, 10) }
