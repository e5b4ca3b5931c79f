package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"buyright/internal/catalog"
	"buyright/internal/consultation"
	"buyright/internal/grievance"
	"buyright/internal/i18n"
	"buyright/internal/model"
)

// funcs are the template helpers; t is bound to one language's catalogue.
// The messages that state the server's upload limit get it from uploadMB.
func funcs(cat *i18n.Catalog, sf *staticFiles, uploadMB int64) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, args ...any) string { return translate(cat, uploadMB, key, args...) },
		// enOnly: the reader's language is not English and the catalogue
		// text falls back to English, so the page marks it lang="en".
		"enOnly": func(t catalog.Text, lang string) bool { return lang != "en" && textLang(t, lang) == "en" },
		"tn":     cat.N,
		"targs":  func(key string, args []any) string { return cat.T(key, args...) },
		"asset":  sf.URL,
		"date":   func(d model.Date) string { return d.String() },
		"time":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"money":  formatMoney,
		"stages": func() []model.Stage { return model.Stages },
		"before": func(a, b model.Stage) bool { return a.Index() >= 0 && b.Index() >= 0 && a.Index() < b.Index() },
		"hasTech": func(ts []model.Technology, t model.Technology) bool {
			for _, x := range ts {
				if x == t {
					return true
				}
			}
			return false
		},
		"query":    func(kv ...any) string { return buildQuery(kv...) },
		"add":      func(a, b int) int { return a + b },
		"dict":     dict,
		"mul":      func(a, b int) int { return a * b },
		"statuses": func() []grievance.Status { return grievance.Statuses },
		"lines":    func(s string) []string { return strings.Split(s, "\n") },
		"join":     strings.Join,
		"num":      numText,
		"pct":      func(r float64) string { return num1(r*100) + "%" },
		// consultLink is the public page an assessment entry's source
		// (a consultation, or one of its responses) points at.
		"consultLink": consultation.Link,
		"clip":        clip,
		"list":        func(xs ...string) []string { return xs },
		"history":     func(action string) string { return historySentence(cat, action) },
		"actor":       func(label string) string { return historyActor(cat, label) },
	}
}

// translate is cat.T, with the server's upload limit in MB filled into the
// messages that state it.
func translate(cat *i18n.Catalog, uploadMB int64, key string, args ...any) string {
	if len(args) == 0 && (key == tooBigLimit || key == "files.hint") {
		return cat.T(key, uploadMB)
	}
	return cat.T(key, args...)
}

// formatMoney shows minor units as an amount with thousands separators.
func formatMoney(minor int64, currency string) string {
	if minor == 0 {
		return ""
	}
	whole, cents := minor/100, minor%100
	s := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if cents != 0 {
		fmt.Fprintf(&b, ".%02d", cents)
	}
	return strings.TrimSpace(b.String() + " " + currency)
}

// parseMoney reads an amount into minor units, in the forms people type:
// "1250000", "1,250,000.50", "1.250.000,50", "1 250 000,50". The last comma
// or point is the decimal mark when one or two digits follow it; every
// other comma, point or space separates thousands.
func parseMoney(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	whole, frac := s, ""
	if i := strings.LastIndexAny(s, ",."); i >= 0 {
		if n := len(s) - i - 1; n == 1 || n == 2 {
			whole, frac = s[:i], s[i+1:]
			if strings.ContainsRune(whole, rune(s[i])) {
				return 0, false // "1.250.00" or "1,2,50": the decimal mark twice
			}
		}
	}
	whole = strings.NewReplacer(",", "", ".", "").Replace(whole)
	if whole == "" || len(whole) > 15 {
		return 0, false
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	var f int64
	if frac != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		f, _ = strconv.ParseInt(frac, 10, 64)
	}
	return w*100 + f, true
}

// buildQuery makes "?a=1&b=2" from pairs, leaving out empty values.
func buildQuery(kv ...any) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		val := fmt.Sprint(kv[i+1])
		if val != "" && val != "0" {
			v.Set(fmt.Sprint(kv[i]), val)
		}
	}
	if len(v) == 0 {
		return "?"
	}
	return "?" + v.Encode()
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// dict builds a map from pairs, so a partial template can take named
// arguments: {{template "input" dict "Name" "title" "Label" "purchase.title"}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// numText shows a measured number without trailing zeros.
func numText(v any) string {
	switch x := v.(type) {
	case float64:
		return num1(x)
	case *float64:
		if x != nil {
			return num1(*x)
		}
	}
	return ""
}
