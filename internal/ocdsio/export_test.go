package ocdsio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"buyright/internal/assessment"
	"buyright/internal/auth"
	"buyright/internal/contract"
	"buyright/internal/demo"
	"buyright/internal/model"
	"buyright/internal/ocdsio"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/ocds/extension"
)

var ctx = context.Background()

// mergePatch applies a JSON Merge Patch (RFC 7386), the way OCDS extensions
// patch the release schema.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

func readJSON(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// patchedSchema is the OCDS 1.1.5 release schema patched with buyright's
// extension, compiled with format assertions (date-time, uri) on.
func patchedSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	core, err := os.ReadFile("testdata/release-schema-1.1.5.json")
	if err != nil {
		t.Fatal(err)
	}
	patch, err := extension.Files.ReadFile("release-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	schema := mergePatch(readJSON(t, core), readJSON(t, patch))
	const id = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, schema); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const hostile = "<script>alert(\"x\")</script> & \u2028\u2029 'quotes' \\ back\\slash \U0001F600 ​‮right-to-left"

// seeded loads the demo (published purchases with screening, assessment
// and a complaint), signs off one assessment, and adds a published purchase
// with a hostile title and an unpublished one.
func seeded(t *testing.T, db *store.DB) (published, unpublished *model.Purchase) {
	t.Helper()
	if _, err := demo.Seed(ctx, db, auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}); err != nil {
		t.Fatal(err)
	}
	all, err := db.PublishedPurchases(ctx, 0, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, pp := range all {
		v, err := db.Assessment(ctx, pp.Purchase.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v != nil && !v.Signed() {
			if _, err := db.EditAssessment(ctx, store.System, pp.Purchase, "test", "", func(d *assessment.Doc) error {
				d.PublicSummary = "We assessed it. " + hostile
				d.Mitigations = append(d.Mitigations, assessment.Mitigation{ID: 99, Action: "Human review of every flag", Basis: "Contract clause 12", Status: "planned"})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if err := db.SignOffAssessment(ctx, store.System, pp.Purchase, v.Version, "2027-01-31", func(*store.AssessmentVersion) ([]byte, []string, error) { return []byte("{}"), []string{"hria"}, nil }); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	org := storetest.Org(t, db, "hostile", model.OrgPublicBody)
	published = &model.Purchase{OrgID: org.ID, Title: hostile, Need: hostile, Sector: "other", Stage: model.StageContract,
		ValueMinor: 123456, Currency: "EUR", OCID: "PC-1 <b>"}
	unpublished = &model.Purchase{OrgID: org.ID, Title: "Secret draft", Sector: "other", Stage: model.StagePlanning}
	if st, err := db.ImportPurchases(ctx, store.System, org.ID, []store.ImportRow{{Purchase: published, ReleaseID: "1"}}); err != nil || st.New != 1 {
		t.Fatal(st, err)
	}
	if err := db.BulkInsertPurchases(ctx, store.System, []*model.Purchase{unpublished}); err != nil {
		t.Fatal(err)
	}
	if err := db.BulkPublish(ctx, store.System, []*model.Purchase{published}, "Summary "+hostile); err != nil {
		t.Fatal(err)
	}
	// The signed contract, with a hostile supplier name and an amendment.
	d := func(s string) model.Date { x, _ := model.ParseDate(s); return x }
	if err := db.SaveContract(ctx, store.System, published, &contract.Contract{Suppliers: []string{"Lead " + hostile, "Partner SA"}, ValueMinor: 999900, Currency: "EUR",
		SignedOn: d("2026-01-10"), StartsOn: d("2026-02-01"), EndsOn: d("2028-01-31")}, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.AddAmendment(ctx, store.System, published, &contract.Amendment{MadeOn: d("2026-06-01"), Summary: "Adds a register " + hostile, Reason: "Asked by finance", WidensData: true}); err != nil {
		t.Fatal(err)
	}
	return published, unpublished
}

func TestExportValidates(t *testing.T) {
	schema := patchedSchema(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		pub, unpub := seeded(t, db)
		all, err := db.PublishedPurchases(ctx, 0, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := db.CountPublished(ctx)
		if len(all) != n || n < 3 {
			t.Fatalf("%d exported of %d published", len(all), n)
		}
		x := &ocdsio.Exporter{BaseURL: "https://buyright.example.org"}
		var sawHostile, sawAssessment, sawLevel bool
		for _, pp := range all {
			if pp.Purchase.ID == unpub.ID {
				t.Fatal("an unpublished purchase was exported")
			}
			line, err := ocdsio.AppendJSON(nil, x.Release(pp))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Count(line, []byte("\n")) != 1 {
				t.Fatalf("release is not one line: %q", line)
			}
			if err := schema.Validate(readJSON(t, line)); err != nil {
				t.Fatalf("release of purchase %d does not validate: %v\n%s", pp.Purchase.ID, err, line)
			}
			var back ocdsio.Release
			if err := json.Unmarshal(line, &back); err != nil {
				t.Fatal(err)
			}
			if pp.Purchase.ID == pub.ID {
				sawHostile = true
				if back.Tender.Title != model.CleanLine(hostile) || back.OCID != "PC-1 <b>" || !bytes.Contains(line, []byte("<script>")) {
					t.Fatalf("hostile title did not survive: %q", back.Tender.Title)
				}
				// The signed contract replaces the estimate.
				c := back.Contracts[0]
				if c.Value.Amount != 9999 || c.DateSigned != "2026-01-10T00:00:00Z" || len(c.Amendments) != 1 || c.Amendments[0].Rationale != "Asked by finance" {
					t.Fatalf("contract %+v", c)
				}
				if len(back.Awards) != 1 || len(back.Awards[0].Suppliers) != 2 || back.Awards[0].Suppliers[0].Name != model.CleanLine("Lead "+hostile) {
					t.Fatalf("award %+v", back.Awards)
				}
				suppliers := 0
				for _, party := range back.Parties {
					if len(party.Roles) == 1 && party.Roles[0] == "supplier" {
						suppliers++
					}
				}
				if suppliers != 2 {
					t.Fatalf("parties %+v", back.Parties)
				}
			}
			if dd := back.DueDiligence; dd != nil {
				if len(dd.Assessments) > 0 {
					sawAssessment = true
					if dd.Assessments[0].Status != "signed" || dd.Assessments[0].DateSigned == "" || len(back.Tender.Documents) == 0 ||
						back.Tender.Documents[0].DocumentType != "humanRightsImpactAssessment" || len(dd.ContractSafeguards) == 0 {
						t.Fatalf("assessment exported as %+v, documents %+v", dd, back.Tender.Documents)
					}
				}
				if dd.ImpactLevel > 0 {
					sawLevel = true
				}
				if dd.ComplaintsChannel == nil || !strings.HasPrefix(dd.ComplaintsChannel.URL, "https://buyright.example.org/complaints/new?purchase=") {
					t.Fatalf("complaints channel %+v", dd.ComplaintsChannel)
				}
			}
		}
		if !sawHostile || !sawAssessment || !sawLevel {
			t.Fatalf("hostile %v, signed assessment %v, impact level %v", sawHostile, sawAssessment, sawLevel)
		}
	})
}

// TestSchemaCatchesMistakes makes sure the validation test can fail: a
// release breaking the core schema or the extension is refused.
func TestSchemaCatchesMistakes(t *testing.T) {
	schema := patchedSchema(t)
	for name, doc := range map[string]string{
		"bad tag":           `{"ocid":"o","id":"1","date":"2024-01-01T00:00:00Z","tag":["nope"],"initiationType":"tender"}`,
		"bad date":          `{"ocid":"o","id":"1","date":"yesterday","tag":["tender"],"initiationType":"tender"}`,
		"impact level 5":    `{"ocid":"o","id":"1","date":"2024-01-01T00:00:00Z","tag":["tender"],"initiationType":"tender","humanRightsDueDiligence":{"impactLevel":5}}`,
		"assessment status": `{"ocid":"o","id":"1","date":"2024-01-01T00:00:00Z","tag":["tender"],"initiationType":"tender","humanRightsDueDiligence":{"assessments":[{"id":"a","status":"maybe"}]}}`,
		"negative count":    `{"ocid":"o","id":"1","date":"2024-01-01T00:00:00Z","tag":["tender"],"initiationType":"tender","humanRightsDueDiligence":{"complaintsChannel":{"statistics":{"received":-1}}}}`,
	} {
		if err := schema.Validate(readJSON(t, []byte(doc))); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestExtensionFiles checks the extension's own files: extension.json
// names files that exist, and every codelist has the columns OCDS expects.
func TestExtensionFiles(t *testing.T) {
	var ext struct {
		Name          map[string]string `json:"name"`
		Description   map[string]string `json:"description"`
		Compatibility []string          `json:"compatibility"`
		Schemas       []string          `json:"schemas"`
		Codelists     []string          `json:"codelists"`
	}
	b, err := extension.Files.ReadFile("extension.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ext); err != nil {
		t.Fatal(err)
	}
	if ext.Name["en"] == "" || ext.Description["en"] == "" || len(ext.Compatibility) == 0 {
		t.Fatalf("extension.json lacks name, description or compatibility: %+v", ext)
	}
	for _, s := range ext.Schemas {
		if _, err := extension.Files.ReadFile(s); err != nil {
			t.Errorf("schema %s: %v", s, err)
		}
	}
	for _, c := range ext.Codelists {
		b, err := extension.Files.ReadFile("codelists/" + c)
		if err != nil {
			t.Errorf("codelist %s: %v", c, err)
			continue
		}
		header := strings.SplitN(string(b), "\n", 2)[0]
		if !strings.Contains(header, "Code,Title,Description") {
			t.Errorf("codelist %s header %q", c, header)
		}
	}
	if readme, _ := extension.Files.ReadFile("README.md"); len(readme) < 500 {
		t.Error("the extension's README is missing or too short")
	}
}

// The export says only what exists: planned and cancelled meetings are not
// engagement, and a signed version covers the assessments it wrote, not
// every one the screening asked for.
func TestExportSaysOnlyWhatExists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		p := &model.Purchase{OrgID: org.ID, Title: "Fraud scoring", Sector: "social_protection", Stage: model.StagePlanning}
		if err := db.BulkInsertPurchases(ctx, store.System, []*model.Purchase{p}); err != nil {
			t.Fatal(err)
		}
		res := screening.Result{Status: screening.StatusComplete, Level: 4, Assessments: []string{"hria", "fria", "dpia"}}
		if err := db.SaveScreening(ctx, store.System, p, map[string]any{}, res); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EditAssessment(ctx, store.System, p, "engagement", "", func(d *assessment.Doc) error {
			d.Engagements = []assessment.Engagement{
				{ID: d.NewID(), Status: assessment.Planned, Who: "Claimants' association", When: "2026-09-14"},
				{ID: d.NewID(), Status: assessment.Cancelled, Who: "Disability forum", When: "2026-08-01", Raised: "Room not accessible"},
			}
			d.NoEngagementReason = "Meetings are planned for September."
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.SignOffAssessment(ctx, store.System, p, 1, "2027-01-31", func(*store.AssessmentVersion) ([]byte, []string, error) {
			return []byte("{}"), []string{"hria"}, nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.BulkPublish(ctx, store.System, []*model.Purchase{p}, "Summary"); err != nil {
			t.Fatal(err)
		}
		all, err := db.PublishedPurchases(ctx, 0, 0, 10)
		if err != nil || len(all) != 1 {
			t.Fatal(all, err)
		}
		line, err := ocdsio.AppendJSON(nil, (&ocdsio.Exporter{BaseURL: "https://x.example"}).Release(all[0]))
		if err != nil {
			t.Fatal(err)
		}
		if err := patchedSchema(t).Validate(readJSON(t, line)); err != nil {
			t.Fatalf("%v\n%s", err, line)
		}
		var back ocdsio.Release
		if err := json.Unmarshal(line, &back); err != nil {
			t.Fatal(err)
		}
		dd := back.DueDiligence
		if dd.Engagement == nil || dd.Engagement.Held || dd.Engagement.NumberOfEngagements != 0 || dd.Engagement.ReasonNotHeld == "" {
			t.Fatalf("engagement exported as %+v", dd.Engagement)
		}
		if len(dd.Assessments) != 1 || strings.Join(dd.Assessments[0].AssessmentTypes, ",") != "humanRights" || len(dd.RequiredAssessments) != 3 {
			t.Fatalf("assessments exported as %+v (required %v)", dd.Assessments, dd.RequiredAssessments)
		}
		if dd.ScreeningStatus != "complete" || dd.Imported {
			t.Fatalf("screening status %q, imported %v", dd.ScreeningStatus, dd.Imported)
		}
	})
}
