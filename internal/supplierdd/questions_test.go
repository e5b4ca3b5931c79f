package supplierdd

import (
	"strings"
	"testing"
)

func TestCleanKeepsKnownAnswersAndRefusesEmptyOrLong(t *testing.T) {
	a, fe := Clean(map[string]string{"policy": "  Our policy.  ", "injected": "x", "misuse": ""})
	if len(fe) != 0 || a["policy"] != "Our policy." || len(a) != 1 {
		t.Errorf("clean: %v %v", a, fe)
	}
	if _, fe := Clean(map[string]string{"policy": "   "}); fe["q_policy"] != "supplierdd.err.empty" {
		t.Errorf("nothing answered: %v", fe)
	}
	if _, fe := Clean(map[string]string{"data": strings.Repeat("x", 8001)}); fe["q_data"] != "invalid.too_long" {
		t.Errorf("too long: %v", fe)
	}
	parts := map[string]int{}
	for _, q := range Questions {
		parts[q.Part]++
		if q.Refs == "" {
			t.Errorf("%s has no reference", q.ID)
		}
	}
	if parts[PartSupplier] == 0 || parts[PartState] == 0 {
		t.Errorf("parts: %v", parts)
	}
}
