package supplierdd

import (
	"strings"
	"testing"
	"unicode/utf8"

	"buyright/internal/catalog"
)

func builtin(t testing.TB) *Questionnaire {
	t.Helper()
	set, err := catalog.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return FromCatalog(set)
}

func TestCleanKeepsKnownAnswersAndRefusesEmptyOrLong(t *testing.T) {
	q := builtin(t)
	a, fe := q.Clean(map[string]string{"policy": "  Our policy.  ", "injected": "x", "misuse": ""})
	if len(fe) != 0 || a["policy"] != "Our policy." || len(a) != 1 {
		t.Errorf("clean: %v %v", a, fe)
	}
	if _, fe := q.Clean(map[string]string{"policy": "   "}); fe["q_policy"] != "supplierdd.err.empty" {
		t.Errorf("nothing answered: %v", fe)
	}
	if _, fe := q.Clean(map[string]string{"data": strings.Repeat("x", MaxAnswer+1)}); fe["q_data"] != "invalid.too_long" {
		t.Errorf("too long: %v", fe)
	}
}

// The built-in questionnaire comes from the catalogue in four languages,
// with both parts and a reference on every question.
func TestQuestionnaireFromTheCatalogue(t *testing.T) {
	q := builtin(t)
	if q.Version == "" || len(q.Hash()) != 32 {
		t.Errorf("version %q hash %q", q.Version, q.Hash())
	}
	parts := map[string]int{}
	for _, x := range q.Questions {
		parts[x.Part]++
		if x.Refs == "" || strings.HasPrefix(x.ID, catalog.DDPrefix) {
			t.Errorf("%s: refs %q", x.ID, x.Refs)
		}
		for _, l := range catalog.Languages {
			if x.Title[l] == "" || x.Help[l] == "" {
				t.Errorf("%s has no %s text", x.ID, l)
			}
		}
	}
	if parts[PartSupplier] == 0 || parts[PartState] == 0 {
		t.Errorf("parts: %v", parts)
	}
	for _, id := range []string{"policy", "breaching_request", "authority_requests"} {
		if !q.Known(id) {
			t.Errorf("%s is not asked", id)
		}
	}
	// A snapshot reads back as the same questions, with the same hash.
	back, err := Parse(q.Snapshot())
	if err != nil || back.Hash() != q.Hash() || len(back.Questions) != len(q.Questions) || back.Questions[0].Title["pt"] != q.Questions[0].Title["pt"] {
		t.Fatalf("snapshot: %v %+v", err, back)
	}
}

// The company-wide part replaces the old one; the part about the State
// stays; answers to questions no longer asked go.
func TestWithSharedKeepsTheStatePart(t *testing.T) {
	q := builtin(t)
	old := Answers{"policy": "old policy", "data": "old data", "legal_basis": "art. 14", "retired": "x"}
	got := q.WithShared(old, Answers{"policy": "new policy", "legal_basis": "not shared"})
	want := Answers{"policy": "new policy", "legal_basis": "art. 14"}
	if !Equal(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
	if sh := q.Shared(old); !Equal(sh, Answers{"policy": "old policy", "data": "old data"}) {
		t.Errorf("shared %v", sh)
	}
}

func FuzzClean(f *testing.F) {
	q := builtin(f)
	f.Add("policy", "Our policy\x00 <script>", "legal_basis", strings.Repeat("é", 5000))
	f.Add("", "", "q_policy", "\u202e")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		a, fe := q.Clean(map[string]string{k1: v1, k2: v2})
		for k, v := range a {
			if !q.Known(k) || v == "" || (len(fe) == 0 && utf8.RuneCountInString(v) > MaxAnswer) {
				t.Fatalf("kept %q: %.80q", k, v)
			}
		}
		if len(a) == 0 && len(fe) == 0 {
			t.Fatal("nothing kept and no problem said")
		}
		m := q.WithShared(a, q.Shared(a))
		if !Equal(m, a) {
			t.Fatalf("answers do not survive their own shared part: %v vs %v", m, a)
		}
	})
}
