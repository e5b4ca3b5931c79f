package ocdsio_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"buyright/internal/contract"
	"buyright/internal/disclosure"
	"buyright/internal/model"
	"buyright/internal/ocdsio"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Published documents go out with our document types at the public
// address, each redaction with its ground; drafts stay out, and nothing
// of a full file that is held back is in the release.
func TestExportDocumentsWithRedactions(t *testing.T) {
	schema := patchedSchema(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		p := &model.Purchase{OrgID: org.ID, Title: "Appointment booking", Sector: "social_protection", Stage: model.StageImplementation}
		if err := db.BulkInsertPurchases(ctx, store.System, []*model.Purchase{p}); err != nil {
			t.Fatal(err)
		}
		d := func(s string) model.Date { x, _ := model.ParseDate(s); return x }
		if err := db.SaveContract(ctx, store.System, p, &contract.Contract{Suppliers: []string{"Civitas"}, SignedOn: d("2026-01-10"), StartsOn: d("2026-02-01"), EndsOn: d("2028-01-31")}, 0); err != nil {
			t.Fatal(err)
		}
		if err := db.BulkPublish(ctx, store.System, []*model.Purchase{p}, "Summary"); err != nil {
			t.Fatal(err)
		}
		file := func(body string) *store.PurchaseFile {
			return &store.PurchaseFile{Name: "f.txt", CType: "text/plain; charset=utf-8", Data: []byte(body)}
		}
		add := func(kind, title, full, redacted string, reds []disclosure.Redaction, publish bool) {
			t.Helper()
			doc := &disclosure.Document{Kind: kind, Title: title}
			var rf *store.PurchaseFile
			if redacted != "" {
				rf = file(redacted)
			}
			if err := db.CreateDisclosure(ctx, store.System, p, doc, file(full), rf); err != nil {
				t.Fatal(err)
			}
			for i := range reds {
				if err := db.AddRedaction(ctx, store.System, p, doc.ID, &reds[i]); err != nil {
					t.Fatal(err)
				}
			}
			if publish {
				if err := db.PublishDisclosure(ctx, store.System, p, doc.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		add(disclosure.KindContract, "Signed contract", "Engineer Maria Quintela; unit price 12.34", "Engineer [withheld]; unit price [withheld]",
			[]disclosure.Redaction{{Ground: disclosure.GroundPersonal, Location: "Annex 4", Reason: "Staff contact details"},
				{Ground: disclosure.GroundCommercial, Location: "Annex 2", Reason: "Prices", LapsesOn: model.DateOf(db.Now()).AddDays(30)}}, true)
		add(disclosure.KindMonitoring, "First-quarter monitoring report", "Uptime 99.7%", "", nil, true)
		add(disclosure.KindAssessment, "Draft assessment", "Not yet public: Quintela", "", nil, false)

		all, err := db.PublishedPurchases(ctx, 0, 0, 10)
		if err != nil || len(all) != 1 {
			t.Fatal(all, err)
		}
		line, err := ocdsio.AppendJSON(nil, (&ocdsio.Exporter{BaseURL: "https://x.example"}).Release(all[0]))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(readJSON(t, line)); err != nil {
			t.Fatalf("%v\n%s", err, line)
		}
		for _, secret := range []string{"Quintela", "12.34", "Draft assessment"} {
			if bytes.Contains(line, []byte(secret)) {
				t.Errorf("the release holds %q:\n%s", secret, line)
			}
		}
		var back ocdsio.Release
		if err := json.Unmarshal(line, &back); err != nil {
			t.Fatal(err)
		}
		c := back.Contracts[0]
		if len(c.Documents) != 1 || c.Documents[0].DocumentType != "contractSigned" || c.Documents[0].Format != "text/plain" ||
			c.Documents[0].URL != "https://x.example/register/"+itoa(p.ID)+"/documents/"+itoa(firstDocID(t, db, p)) {
			t.Fatalf("contract documents: %+v", c.Documents)
		}
		reds := c.Documents[0].Redactions
		if len(reds) != 2 || reds[0].Ground != "personalData" || reds[1].Ground != "commercialSecret" || reds[1].LapseDate == "" || reds[0].Lifted {
			t.Errorf("redactions: %+v", reds)
		}
		if c.Implementation == nil || len(c.Implementation.Documents) != 1 || c.Implementation.Documents[0].DocumentType != "monitoringReport" || len(c.Implementation.Documents[0].Redactions) != 0 {
			t.Errorf("monitoring report: %+v", c.Implementation)
		}
		for _, doc := range back.Tender.Documents {
			if doc.Title == "Draft assessment" {
				t.Error("a draft was exported")
			}
		}
	})
}

// The schema refuses a redaction without a known ground.
func TestSchemaRefusesUnknownGround(t *testing.T) {
	schema := patchedSchema(t)
	doc := `{"ocid":"o","id":"1","date":"2024-01-01T00:00:00Z","tag":["contract"],"initiationType":"tender",
		"contracts":[{"id":"c","awardID":"a","documents":[{"id":"d","redactions":[{"id":"r","ground":"embarrassment"}]}]}]}`
	if err := schema.Validate(readJSON(t, []byte(doc))); err == nil {
		t.Error("a redaction on an unknown ground validates")
	}
}

func firstDocID(t *testing.T, db *store.DB, p *model.Purchase) int64 {
	t.Helper()
	docs, err := db.Disclosures(ctx, p.ID, true)
	if err != nil || len(docs) == 0 {
		t.Fatal(err)
	}
	return docs[0].ID
}

func itoa(v int64) string { b, _ := json.Marshal(v); return string(b) }
