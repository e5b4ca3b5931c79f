package disclosure

import (
	"strings"
	"testing"

	"buyright/internal/model"
)

func day(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// What the public is served follows the document's state: nothing for a
// draft, the redacted file while anything is held back, the full one
// once published in full.
func TestPublicFile(t *testing.T) {
	d := Document{FullFileID: 7, RedactedFileID: 8, Status: StatusDraft}
	if d.PublicFileID() != 0 {
		t.Error("a draft is served")
	}
	d.Status = StatusPublished
	if d.PublicFileID() != 8 {
		t.Error("a redacted document is served in full")
	}
	d.InFull = true
	if d.PublicFileID() != 7 {
		t.Error("a document republished in full is not served in full")
	}
}

func TestPublishProblems(t *testing.T) {
	r := []Redaction{{Ground: GroundPersonal}}
	cases := []struct {
		name string
		d    Document
		full string
		red  string
		want string
	}{
		{"in full", Document{FullFileID: 1}, "a", "", ""},
		{"redacted", Document{FullFileID: 1, RedactedFileID: 2, Redactions: r}, "a", "b", ""},
		{"redactions, no redacted file", Document{FullFileID: 1, Redactions: r}, "a", "", "disclosure.err.no_redacted_file"},
		{"the same file twice", Document{FullFileID: 1, RedactedFileID: 2, Redactions: r}, "a", "a", "disclosure.err.same_file"},
		{"a redacted file, no redaction said", Document{FullFileID: 1, RedactedFileID: 2}, "a", "b", "disclosure.err.no_redactions"},
		{"already published", Document{FullFileID: 1, Status: StatusPublished}, "a", "", "disclosure.err.published"},
	}
	for _, c := range cases {
		if got := c.d.PublishProblem(c.full, c.red); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestLapse(t *testing.T) {
	today := day("2026-06-01")
	r := Redaction{Ground: GroundCommercial, Location: "Annex 2", Reason: "Prices", LapsesOn: today}
	if fe := r.Validate(today); fe["lapses_on"] == "" {
		t.Error("a ground lapsing today accepted")
	}
	r.LapsesOn = today.AddDays(1)
	if fe := r.Validate(today); len(fe) != 0 {
		t.Errorf("valid redaction: %v", fe)
	}
	d := Document{Redactions: []Redaction{r, {Ground: GroundPersonal}}}
	if len(d.LapsedRedactions(today)) != 0 || len(d.LapsedRedactions(today.AddDays(1))) != 1 {
		t.Error("lapse day")
	}
	d.Redactions[0].LiftedAt = today.AddDays(1).Time()
	if len(d.LapsedRedactions(today.AddDays(5))) != 0 || len(d.ActiveRedactions()) != 1 {
		t.Error("a lifted redaction still counts")
	}
	if fe := ValidateReview(d.Redactions[0], today.AddDays(30), "still needed", today); fe["note"] == "" {
		t.Error("review of a lifted redaction accepted")
	}
	if fe := ValidateReview(d.Redactions[1], today, "x", today); fe["new_lapse"] == "" {
		t.Error("review to a lapse date already reached accepted")
	}
	if fe := ValidateReview(d.Redactions[1], model.Date{}, "Kept without an end: names of staff.", today); len(fe) != 0 {
		t.Errorf("review without a new lapse date: %v", fe)
	}
}

func TestCodes(t *testing.T) {
	for _, k := range Kinds {
		if OCDSType(k) == "" {
			t.Errorf("%s has no OCDS type", k)
		}
	}
	seen := map[string]bool{}
	for _, g := range Grounds {
		seen[OCDSGround(g)] = true
	}
	if len(seen) != len(Grounds) {
		t.Errorf("grounds share a code: %v", seen)
	}
}

// Form input of any shape: what validates is clean, bounded text.
func FuzzValidate(f *testing.F) {
	f.Add("contract", "Signed contract", "desc", "personal_data", "Annex 4", "Names", "2026-07-01")
	f.Add("poem", "\x00\u202e", strings.Repeat("é", 3000), "security", "", "", "tomorrow")
	today := day("2026-06-01")
	f.Fuzz(func(t *testing.T, kind, title, desc, ground, location, reason, lapse string) {
		d := Document{Kind: kind, Title: title, Description: desc}
		if len(d.Validate()) == 0 && (d.Title == "" || model.TooLong(d.Title, maxTitle) || strings.ContainsAny(d.Title, "\x00\u202e\n")) {
			t.Fatalf("document accepted: %+v", d)
		}
		r := Redaction{Ground: ground, Location: location, Reason: reason}
		r.LapsesOn, _ = model.ParseDate(lapse)
		if len(r.Validate(today)) == 0 && (r.Location == "" || r.Reason == "" || strings.ContainsAny(r.Location, "\x00\u202e\n") ||
			(!r.LapsesOn.IsZero() && !today.Before(r.LapsesOn))) {
			t.Fatalf("redaction accepted: %+v", r)
		}
	})
}
