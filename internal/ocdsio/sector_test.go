package ocdsio

import (
	"testing"

	"buyright/internal/model"
	"buyright/internal/ocds"
)

func TestSectorFromCodes(t *testing.T) {
	item := func(scheme, id string, extra ...ocds.Classification) ocds.LineItem {
		return ocds.LineItem{Classification: ocds.Classification{Scheme: scheme, ID: id}, Additional: extra}
	}
	rel := func(items ...ocds.LineItem) *ocds.Release {
		return &ocds.Release{Tender: &ocds.Tender{Items: items}}
	}
	cases := []struct {
		name string
		r    *ocds.Release
		want model.Sector
	}{
		{"no tender", &ocds.Release{}, "other"},
		{"software only says nothing of the sector", rel(item("CPV", "48000000-8")), "other"},
		{"health services", rel(item("CPV", "48814000-7"), item("CPV", "85111000-0")), "health"},
		{"longest prefix: administrative educational services", rel(item("CPV2008", "75121000")), "education"},
		{"policing over justice by votes", rel(item("CPV", "75241000"), item("CPV", "75242100"), item("CPV", "75231000")), "policing"},
		{"a tie stays unset", rel(item("CPV", "75241000"), item("CPV", "75231000")), "other"},
		{"additional classification counts", rel(item("CPV", "72000000", ocds.Classification{Scheme: "UNSPSC", ID: "86101700"})), "education"},
		{"Paraguay's catalogue is UNSPSC", rel(item("Catálogo de Productos, Bienes y Servicios de la Dirección Nacional de Contrataciones Públicas del Paraguay", "93161500-001")), "tax"},
		{"unknown scheme", rel(item("XYZ", "85111000")), "other"},
		{"not a code", rel(item("CPV", "85x")), "other"},
	}
	for _, c := range cases {
		if got := Sector(c.r); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	// Award and contract items count too.
	r := &ocds.Release{Contracts: []ocds.Contract{{Items: []ocds.LineItem{item("CPV", "80100000")}}}}
	if got := Sector(r); got != "education" {
		t.Errorf("contract items: %q", got)
	}
}

// Every row of the mapping names a real sector and its basis (checked at
// start-up by mustSectorRules); a broken row stops the program there.
func TestSectorRulesRejectBadRows(t *testing.T) {
	for _, bad := range []string{
		"scheme,prefix,sector,basis\nCPV,85,hospitals,x\n",
		"scheme,prefix,sector,basis\nCPV,85,health,\n",
		"scheme,prefix,sector,basis\nCPV,85,other,x\n",
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("accepted %q", bad)
				}
			}()
			mustSectorRules(bad)
		}()
	}
	if len(sectorRules) < 10 {
		t.Errorf("only %d sector rules loaded", len(sectorRules))
	}
}
