package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"buyright/internal/disclosure"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

const (
	fullContract     = "Contract PV-77. Unit price 12.34 EUR per booking. On-call engineer: Maria Quintela, +351 900 000 111."
	redactedContract = "Contract PV-77. Unit price [withheld: commercial secret]. On-call engineer: [withheld: personal data]."
)

func textFile(name, body string) *store.PurchaseFile {
	return &store.PurchaseFile{Name: name, CType: "text/plain; charset=utf-8", Data: []byte(body)}
}

func tasksOfKind(t *testing.T, db *store.DB, p *model.Purchase, kind string) []store.Task {
	t.Helper()
	all, err := db.PurchaseTasks(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Task
	for _, x := range all {
		if x.Kind == kind {
			out = append(out, x)
		}
	}
	return out
}

// A contract is published with two redactions: the public gets only the
// redacted file, with every redaction's ground and the approver who
// agreed; the full file never leaves the body, by download or by search,
// until the document is republished in full.
func TestDisclosureWithRedactions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		rui := storetest.User(t, db, city, "rui@city.example", model.RoleApprover)
		p := storetest.Purchase(t, db, off, "Appointment booking")
		ao, ar := store.ActorOf(off), store.ActorOf(rui)
		if err := db.Publish(ctx, ao, p, true, "Booking for the front desks", nil); err != nil {
			t.Fatal(err)
		}
		today := model.DateOf(time.Now())

		// Bad drafts are refused before anything is kept.
		if err := db.CreateDisclosure(ctx, ao, p, &disclosure.Document{Kind: "poem", Title: " "}, textFile("c.txt", fullContract), nil); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("bad draft: %v", err)
		}
		doc := &disclosure.Document{Kind: disclosure.KindContract, Title: "Signed contract PV-77", Description: "The contract and its annexes."}
		if err := db.CreateDisclosure(ctx, ao, p, doc, textFile("full.txt", fullContract), textFile("redacted.txt", redactedContract)); err != nil {
			t.Fatal(err)
		}
		// A redacted file with no redaction said is refused.
		if err := db.PublishDisclosure(ctx, ar, p, doc.ID); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("redacted file without redactions: %v", err)
		}
		for _, bad := range []disclosure.Redaction{
			{Ground: "embarrassment", Location: "Annex 1", Reason: "r"},
			{Ground: disclosure.GroundPersonal, Location: "", Reason: "r"},
			{Ground: disclosure.GroundCommercial, Location: "Annex 2", Reason: "r", LapsesOn: today},
		} {
			if err := db.AddRedaction(ctx, ao, p, doc.ID, &bad); model.ErrorCode(err) != model.EInvalid {
				t.Errorf("bad redaction %+v: %v", bad, err)
			}
		}
		personal := &disclosure.Redaction{Ground: disclosure.GroundPersonal, Location: "Annex 4: names and phone numbers of on-call engineers", Reason: "Private contact details of the supplier's staff."}
		prices := &disclosure.Redaction{Ground: disclosure.GroundCommercial, Location: "Annex 2: unit prices", Reason: "Prices the supplier is bidding with elsewhere this year.", LapsesOn: today.AddDays(10)}
		for _, r := range []*disclosure.Redaction{personal, prices} {
			if err := db.AddRedaction(ctx, ao, p, doc.ID, r); err != nil {
				t.Fatal(err)
			}
		}
		// A draft is nobody's to download publicly.
		if _, _, err := db.PublicDisclosureFile(ctx, p.ID, doc.ID); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("draft served: %v", err)
		}
		if err := db.PublishDisclosure(ctx, ar, p, doc.ID); err != nil {
			t.Fatal(err)
		}
		f, d, err := db.PublicDisclosureFile(ctx, p.ID, doc.ID)
		if err != nil || string(blobOf(t, db, f.SHA256)) != redactedContract || d.InFull {
			t.Fatalf("public file: %v %+v", err, f)
		}
		docs, err := db.Disclosures(ctx, p.ID, true)
		if err != nil || len(docs) != 1 || len(docs[0].Redactions) != 2 {
			t.Fatalf("published documents: %+v %v", docs, err)
		}
		for _, r := range docs[0].Redactions {
			if r.AgreedBy != "rui@city.example" || r.AgreedAt.IsZero() || !r.Active() {
				t.Errorf("redaction not agreed by the approver: %+v", r)
			}
		}
		if docs[0].PublishedBy != "rui@city.example" {
			t.Errorf("published by %q", docs[0].PublishedBy)
		}
		// Published: its redactions no longer change.
		if err := db.AddRedaction(ctx, ao, p, doc.ID, &disclosure.Redaction{Ground: disclosure.GroundSecurity, Location: "Annex 6", Reason: "r"}); model.ErrorCode(err) != model.EConflict {
			t.Errorf("redaction added after publication: %v", err)
		}
		if err := db.RemoveRedaction(ctx, ao, p, doc.ID, personal.ID); model.ErrorCode(err) != model.EConflict {
			t.Errorf("redaction removed after publication: %v", err)
		}
		// The search finds the title, never the words held back.
		for q, want := range map[string]int{"PV-77": 1, "Quintela": 0, "12.34": 0} {
			res, err := db.SearchRegister(ctx, store.RegisterQuery{Text: q})
			if err != nil || res.Total != want {
				t.Errorf("search %q: %v, %v", q, res, err)
			}
		}
		changes, _ := db.RegisterChanges(ctx, 5)
		if len(changes) == 0 || changes[0].Kind != "document_published" {
			t.Errorf("feed: %+v", changes)
		}

		// Files that cannot be told apart, and redactions with no redacted
		// file, are refused.
		same := &disclosure.Document{Kind: disclosure.KindMonitoring, Title: "Monitoring report"}
		if err := db.CreateDisclosure(ctx, ao, p, same, textFile("a.txt", fullContract), textFile("b.txt", fullContract)); err != nil {
			t.Fatal(err)
		}
		none := &disclosure.Document{Kind: disclosure.KindAssessment, Title: "Assessment"}
		if err := db.CreateDisclosure(ctx, ao, p, none, textFile("a.txt", fullContract), nil); err != nil {
			t.Fatal(err)
		}
		for _, x := range []*disclosure.Document{same, none} {
			if err := db.AddRedaction(ctx, ao, p, x.ID, &disclosure.Redaction{Ground: disclosure.GroundSecurity, Location: "Section 3", Reason: "Network layout"}); err != nil {
				t.Fatal(err)
			}
			if err := db.PublishDisclosure(ctx, ar, p, x.ID); model.ErrorCode(err) != model.EConflict {
				t.Errorf("%s published: %v", x.Title, err)
			}
		}
		// A draft's redaction can be taken off again; then it is published in full.
		all, _ := db.Disclosures(ctx, p.ID, false)
		if err := db.RemoveRedaction(ctx, ao, p, none.ID, all[2].Redactions[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishDisclosure(ctx, ar, p, none.ID); err != nil {
			t.Fatal(err)
		}
		if f, d, err := db.PublicDisclosureFile(ctx, p.ID, none.ID); err != nil || !d.InFull || string(blobOf(t, db, f.SHA256)) != fullContract {
			t.Errorf("document without redactions: %v %+v", err, d)
		}

		// Ten days on, the price ground lapses: one task, however often it
		// is looked for, and a reminder to the purchase's lead.
		later := today.AddDays(10)
		if n, err := db.OpenLapseTasks(ctx, today.AddDays(9)); err != nil || n != 0 {
			t.Fatalf("before the lapse: %d %v", n, err)
		}
		for i, want := range []int{1, 0} {
			if n, err := db.OpenLapseTasks(ctx, later); err != nil || n != want {
				t.Fatalf("lapse run %d: %d %v", i, n, err)
			}
		}
		if ts := tasksOfKind(t, db, p, "disclosure"); len(ts) != 1 || !strings.Contains(ts[0].Title, "Signed contract PV-77") {
			t.Fatalf("lapse tasks: %+v", ts)
		}
		rem, err := db.DueReminders(ctx, later.Time())
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rem {
			found = found || (r.Kind == "disclosure_lapsed" && r.ObjectID == doc.ID && r.To == "ana@city.example" && r.Due == later)
		}
		if !found {
			t.Errorf("no lapse reminder in %+v", rem)
		}

		// An approver keeps the prices back a year longer, saying why.
		clock := db.Now
		db.Now = func() time.Time { return later.Time().Add(9 * time.Hour) }
		if err := db.ReviewRedaction(ctx, ar, p, doc.ID, prices.ID, later, "still bidding"); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("review to a lapse date already past: %v", err)
		}
		if err := db.ReviewRedaction(ctx, ar, p, doc.ID, prices.ID, later.AddDays(365), "  "); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("review without a reason: %v", err)
		}
		if err := db.ReviewRedaction(ctx, ar, p, doc.ID, prices.ID, later.AddDays(365), "The supplier's framework tender in Lisbon closes next spring."); err != nil {
			t.Fatal(err)
		}
		db.Now = clock
		if ts := tasksOfKind(t, db, p, "disclosure"); len(ts) != 0 {
			t.Errorf("task still open after the review: %+v", ts)
		}
		d2, _ := db.Disclosure(ctx, p.ID, doc.ID)
		rv := d2.Redactions[1].Reviews
		if len(rv) != 1 || rv[0].OldLapse != later || rv[0].NewLapse != later.AddDays(365) || rv[0].DecidedBy != "rui@city.example" || d2.Redactions[1].LapsesOn != later.AddDays(365) {
			t.Errorf("review kept as %+v on %+v", rv, d2.Redactions[1])
		}

		// Republished in full: the public gets the full file, the record of
		// what was held back stays, marked lifted.
		if err := db.RepublishInFull(ctx, ar, p, doc.ID, "The tender closed."); err != nil {
			t.Fatal(err)
		}
		if f, d, err := db.PublicDisclosureFile(ctx, p.ID, doc.ID); err != nil || string(blobOf(t, db, f.SHA256)) != fullContract || !d.InFull {
			t.Errorf("after republishing in full: %v", err)
		}
		d3, _ := db.Disclosure(ctx, p.ID, doc.ID)
		for _, r := range d3.Redactions {
			if r.Active() {
				t.Errorf("redaction not lifted: %+v", r)
			}
		}
		if err := db.RepublishInFull(ctx, ar, p, doc.ID, ""); model.ErrorCode(err) != model.EConflict {
			t.Errorf("republished twice: %v", err)
		}

		// Withdrawn from the register, no document is served.
		if err := db.Publish(ctx, ao, p, false, "", nil); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.PublicDisclosureFile(ctx, p.ID, doc.ID); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("served after withdrawal: %v", err)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// blobOf reads a stored file's bytes.
func blobOf(t *testing.T, db *store.DB, sha string) []byte {
	t.Helper()
	b, err := db.ReadBlob(context.Background(), sha)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
