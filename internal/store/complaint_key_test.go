package store_test

import (
	"testing"

	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The database keeps the complaint key's fingerprint (never the key),
// counts complaints and named ones, hands one sealed name to try a key on,
// and audits a change of key.
func TestComplaintKeyState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		st, err := db.ComplaintKeyState(ctx)
		if err != nil || st.Fingerprint != "" || st.Complaints != 0 || st.Named != 0 {
			t.Fatalf("empty database: %+v %v", st, err)
		}
		k1, _ := grievance.ParseKey(grievance.NewKey())
		k2, _ := grievance.ParseKey(grievance.NewKey())
		if grievance.Fingerprint(k1) == grievance.Fingerprint(k2) || len(grievance.Fingerprint(k1)) != 32 {
			t.Fatal("fingerprints")
		}
		for _, k := range [][]byte{k1, k1, k2} {
			if err := db.SetComplaintKeyFingerprint(ctx, grievance.Fingerprint(k)); err != nil {
				t.Fatal(err)
			}
		}
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		anon := &store.Complaint{OrgID: city.ID, Body: "Anonymous", Lookup: "111111", CodeHash: "x"}
		named := &store.Complaint{OrgID: city.ID, Body: "Named", Lookup: "222222", CodeHash: "y"}
		for _, c := range []*store.Complaint{anon, named} {
			if err := db.CreateComplaint(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
		}
		box, _ := grievance.NewBox(k2)
		if err := db.SetComplaintIdentity(ctx, named.ID, box.Seal([]byte("Dora"), grievance.Ref(named.ID))); err != nil {
			t.Fatal(err)
		}
		st, err = db.ComplaintKeyState(ctx)
		if err != nil || st.Fingerprint != grievance.Fingerprint(k2) || st.Complaints != 2 || st.Named != 1 || st.SampleID != named.ID {
			t.Fatalf("state: %+v %v", st, err)
		}
		if plain, err := box.Open(st.Sample, grievance.Ref(st.SampleID)); err != nil || string(plain) != "Dora" {
			t.Fatalf("sample: %v", err)
		}
		var n int
		db.RawDB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'complaint_key'").Scan(&n)
		if n != 2 {
			t.Errorf("%d key changes audited, want 2 (set, then replaced)", n)
		}
	})
}
