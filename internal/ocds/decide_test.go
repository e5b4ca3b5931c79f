package ocds

import (
	"encoding/json"
	"strings"
	"testing"
)

// screenJSON screens one release written as JSON.
func screenJSON(t *testing.T, js string) Result {
	t.Helper()
	items, rejects, _ := readAll(t, strings.NewReader(js), "t.jsonl", Options{})
	if len(rejects) > 0 || len(items) != 1 {
		t.Fatalf("%s: %d releases, rejects %v", js, len(items), rejects)
	}
	lists, err := DefaultLists()
	if err != nil {
		t.Fatal(err)
	}
	return NewScreener(lists).ScreenExplain(items[0].Release)
}

// signal finds the explanation's signal for a keyword or code value.
func signal(r Result, match string) (Signal, bool) {
	for _, s := range r.Explain.Signals {
		if s.Match == match || s.Value == match {
			return s, true
		}
	}
	return Signal{}, false
}

// Each rule of the decision, on releases shaped like the ones that fooled
// the old screener, with the reason a user reads in --explain.
func TestDigitalRules(t *testing.T) {
	cases := []struct {
		name, release string
		digital       bool
		rule          string // substring of Explain.Rule
		signal, use   string // a signal and what became of it
		why           string // substring of its reason
	}{
		{"procedure name is not a system",
			`{"ocid":"a","language":"en","tender":{"title":"Residential care","description":"The provision of a Dynamic Purchasing System for residential care for older people."}}`,
			false, "", "system", useDiscarded, "dynamic purchasing system"},
		{"weak word alone in a description",
			`{"ocid":"a","language":"en","tender":{"title":"Lift maintenance","description":"Maintenance of the lifts in 37 buildings, with data on response times."}}`,
			false, "only weak", "data", useSupporting, "outside a title"},
		{"weak word in a title with no other signal",
			`{"ocid":"a","language":"en","tender":{"title":"Hire of a stage platform for the festival"}}`,
			false, "only weak", "platform", useSupporting, "no other signal"},
		{"weak word in a title backed by another",
			`{"ocid":"a","language":"en","tender":{"title":"Booking platform","description":"A platform with data on every room, digital"}}`,
			true, ruleWeak, "platform", useDecided, ""},
		{"keywords apply in their own language only",
			`{"ocid":"a","language":"en-GB","tender":{"title":"Ventilation and air handling system maintenance for the council"}}`,
			false, "", "system", useDiscarded, "Norwegian"},
		{"the text's language beats the release's",
			`{"ocid":"a","language":"no","tender":{"title":"Service and repair of the gates and the barrier system","description":"Service of the gates for the depots with a new control system"}}`,
			false, "", "system", useDiscarded, "the text is English"},
		{"code labels are not read",
			`{"ocid":"a","language":"en","tender":{"title":"Legal services","items":[{"classification":{"scheme":"CPV","id":"79100000","description":"Legal services, software licensing advice"}}]}}`,
			false, "no signal", "", "", ""},
		{"nine digits are not a CPV code",
			`{"ocid":"a","language":"en","tender":{"title":"Road works","items":[{"classification":{"scheme":"CPV","id":"302130001"}}]}}`,
			false, "", "302130001", useDiscarded, "9 digits"},
		{"a CPV code with its check digit",
			`{"ocid":"a","language":"ro","tender":{"title":"Tender Ref 1","items":[{"classification":{"scheme":"CPV","id":"30213100-6"}}]}}`,
			true, ruleCodes, "30213100-6", useDecided, ""},
		{"one digital code among many is a detail",
			`{"ocid":"a","language":"en","tender":{"title":"Station works","items":[{"classification":{"scheme":"CPV","id":"45000000"}},{"classification":{"scheme":"CPV","id":"45210000"}},{"classification":{"scheme":"CPV","id":"45310000"}},{"classification":{"scheme":"CPV","id":"32500000"}}]}}`,
			false, "1 of 4", "32500000", useSupporting, "under a third"},
		{"a top-level division alone",
			`{"ocid":"a","language":"en","tender":{"title":"Standing list of construction contractors","items":[{"classification":{"scheme":"CPV","id":"72000000"}}]}}`,
			false, "top-level", "72000000", useSupporting, "top-level division"},
		{"a top-level division with backing text",
			`{"ocid":"a","language":"en","tender":{"title":"Software support for the housing register","items":[{"classification":{"scheme":"CPV","id":"72000000"}}]}}`,
			true, ruleStrong, "software", useDecided, ""},
		{"telephony", `{"ocid":"a","language":"en","tender":{"title":"Preventative maintenance of PABX and telephone system"}}`,
			true, ruleStrong, "pabx", useDecided, ""},
		{"virtualisation", `{"ocid":"a","tender":{"title":"VMWare products"}}`,
			true, ruleStrong, "vmware", useDecided, ""},
		{"e-invoicing", `{"ocid":"a","language":"en","tender":{"title":"A solution to manage electronic fiscal devices and e-invoicing"}}`,
			true, ruleStrong, "e invoicing", useDecided, ""},
		{"no codes at all, Armenian text",
			`{"ocid":"AM-PPS-1","language":"HY","planning":{"budget":{"description":"- Համակարգչային ծառայություններ"}}}`,
			true, ruleStrong, "համակարգչ", useDecided, ""},
		{"one item among many",
			`{"ocid":"a","language":"es","tender":{"title":"Adquisición de artículos eléctricos","items":[{"description":"Cable multifilar para telefonia"},{"description":"Arrancador para fluorescente"},{"description":"Bateria para camioneta"},{"description":"Cinta aisladora"},{"description":"Ducha electrica"}]}}`,
			false, "1 of 5", "telefonia", useSupporting, "under a quarter"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := screenJSON(t, c.release)
			if r.Digital != c.digital || !strings.Contains(r.Explain.Rule, c.rule) {
				t.Fatalf("digital=%v rule %q; want %v %q\n%s", r.Digital, r.Explain.Rule, c.digital, c.rule, r.Explain.Text())
			}
			if c.signal == "" {
				if len(r.Explain.Signals) > 0 {
					t.Fatalf("signals %s", r.Explain.Text())
				}
				return
			}
			s, ok := signal(r, c.signal)
			if !ok || s.Use != c.use || !strings.Contains(s.Why, c.why) {
				t.Fatalf("signal %q: %+v; want use %s, reason containing %q\n%s", c.signal, s, c.use, c.why, r.Explain.Text())
			}
		})
	}
}

// The language keywords are matched in, and where it came from.
func TestReleaseLanguage(t *testing.T) {
	cases := []struct{ release, lang, from string }{
		{`{"ocid":"a","language":"en-GB","tender":{"title":"X"}}`, "en", langFromRelease},
		{`{"ocid":"a","language":"md","tender":{"title":"Tender Ref 17/00251"}}`, "ro", langFromRelease},
		{`{"ocid":"a","language":"no","tender":{"title":"Supply of the software and the services for the council"}}`, "en", langFromText},
		{`{"ocid":"ocds-03ad3f-1","tender":{"title":"LPN 12"}}`, "es", langFromPrefix},
		{`{"ocid":"x","tender":{"title":"Продукты питания для школы и детского сада"}}`, "ru", langFromText},
		{`{"ocid":"x","tender":{"title":"Хлібобулочні вироби з доставкою для їдальні"}}`, "uk", langFromText},
		{`{"ocid":"x","tender":{"title":"Q"}}`, "", langUnknown},
	}
	for _, c := range cases {
		r := screenJSON(t, c.release)
		if r.Explain.Language != c.lang || r.Explain.LanguageFrom != c.from {
			t.Errorf("%s: language %q from %s; want %q from %s", c.release, r.Explain.Language, r.Explain.LanguageFrom, c.lang, c.from)
		}
	}
}

// Every value a code id can take gives a key of 8 digits or a reason,
// never both and never neither.
func FuzzCodeKey(f *testing.F) {
	for _, s := range []string{"30200000-1", "302130001", "43222825-001", " 72000000 ", "7200000", "", "-1", "72000000-", "72000000-12", "٣٠٢٠٠٠٠٠"} {
		f.Add("CPV", s)
		f.Add("UNSPSC", s)
	}
	f.Fuzz(func(t *testing.T, scheme, id string) {
		key, bad := codeKey(scheme, id)
		if (key == "") == (bad == "") {
			t.Fatalf("codeKey(%q, %q) = %q, %q: want exactly one", scheme, id, key, bad)
		}
		if key != "" && (len(key) != 8 || !allDigits(key) || !strings.HasPrefix(strings.TrimSpace(id), key)) {
			t.Fatalf("codeKey(%q, %q) = %q: not the id's 8 leading digits", scheme, id, key)
		}
	})
}

// FuzzScreenExplain screens arbitrary releases: the decision must always
// be explained by a rule, and a digital release has a signal that decided.
func FuzzScreenExplain(f *testing.F) {
	for _, s := range []string{
		`{"ocid":"a","language":"en","tender":{"title":"CCTV and software","items":[{"classification":{"scheme":"CPV","id":"72000000"}}]}}`,
		`{"ocid":"a","language":"HY","planning":{"budget":{"description":"Համակարգչային"}}}`,
		`{"ocid":"a","tender":{"lots":[{"title":"system platform"}],"items":[{"description":"data","classification":{"scheme":"unspsc","id":"43222825-001"}}]}}`,
	} {
		f.Add(s)
	}
	lists, err := DefaultLists()
	if err != nil {
		f.Fatal(err)
	}
	sc := NewScreener(lists)
	f.Fuzz(func(t *testing.T, in string) {
		rd := NewReader(strings.NewReader(in), "fuzz", Options{MaxLineBytes: 1 << 16, MaxStringBytes: 4096, MaxDepth: 16})
		defer rd.Close()
		for n := 0; n < 20; n++ {
			it, err := rd.Next()
			if err != nil {
				return
			}
			if it.Release == nil {
				continue
			}
			r := sc.ScreenExplain(it.Release)
			if r.Explain == nil || r.Explain.Rule == "" {
				t.Fatalf("no rule for %q", in)
			}
			decided := false
			for _, s := range r.Explain.Signals {
				decided = decided || s.Use == useDecided
			}
			if r.Digital != decided {
				t.Fatalf("digital=%v but a deciding signal: %v (%s)", r.Digital, decided, r.Explain.Text())
			}
			if line := r.AppendExplainJSON(nil, it); !json.Valid(line) {
				t.Fatalf("--explain output is not JSON: %q", line)
			}
		}
	})
}
