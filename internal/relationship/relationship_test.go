package relationship

import (
	"context"
	"slices"
	"strings"
	"testing"

	"buyright/internal/catalog"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
)

// The kinds a screening question may be prefilled from are the kinds a
// purchase record can have.
func TestKindsMatchTheCatalogue(t *testing.T) {
	var kinds []string
	for _, k := range model.RelationshipKinds {
		kinds = append(kinds, string(k))
	}
	if !slices.Equal(kinds, catalog.RelationshipKinds) {
		t.Fatalf("model %v, catalogue %v", kinds, catalog.RelationshipKinds)
	}
}

func TestMissing(t *testing.T) {
	if got := Missing(model.KindPurchase, nil); len(got) != 0 {
		t.Errorf("a purchase needs no terms: %v", got)
	}
	if got := strings.Join(Missing("", nil), ","); got != "" {
		t.Errorf("an unset kind is a purchase: %v", got)
	}
	terms := &Terms{SharedData: "Diagnosis keys", Exit: "Deletion within 30 days"}
	if got := strings.Join(Missing(model.KindPartnership, terms), ","); got != "decision_rights" {
		t.Errorf("partnership misses %q", got)
	}
	if got := Missing(model.KindDataSharing, terms); !slices.Equal(got, []string{"permitted_uses"}) {
		t.Errorf("data sharing misses %v", got)
	}
	for k, fields := range needs {
		for _, f := range fields {
			if !slices.Contains(Fields, f) {
				t.Errorf("%s needs unknown term %s", k, f)
			}
		}
	}
	long := &Terms{Conditions: strings.Repeat("x", MaxTerm+1), Exit: " \x00exit\u202e "}
	fe := long.Validate()
	if fe["conditions"] != "invalid.too_long" || long.Exit != "exit" {
		t.Errorf("validate: %v %q", fe, long.Exit)
	}
}

type screened struct {
	kind     string
	complete bool
}

func (s screened) ScreenedKind(context.Context, int64) (string, bool, error) {
	return s.kind, s.complete, nil
}

// The gate passes a purchase screened for the kind its record says (an
// old screening without the answer counts as a purchase), and holds one
// whose record changed kind since; an incomplete screening is left to the
// screening gate.
func TestGate(t *testing.T) {
	cases := []struct {
		src  screened
		kind model.RelationshipKind
		pass bool
	}{
		{screened{"licence", true}, model.KindLicence, true},
		{screened{"", true}, model.KindPurchase, true},
		{screened{"", true}, "", true},
		{screened{"purchase", true}, model.KindLicence, false},
		{screened{"licence", true}, model.KindPartnership, false},
		{screened{"licence", false}, model.KindPartnership, true},
	}
	for _, c := range cases {
		res, err := Rule(c.src).Check(context.Background(), lifecycle.Subject{Purchase: &model.Purchase{Kind: c.kind}, From: model.StagePlanning})
		if err != nil || res.Passed != c.pass {
			t.Errorf("screened %+v, record %q: passed %v, want %v (%v)", c.src, c.kind, res.Passed, c.pass, err)
		}
	}
}
