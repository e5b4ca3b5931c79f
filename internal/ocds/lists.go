package ocds

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// The shared code and keyword lists are embedded so the binary works on its
// own: data/digital-tech-*.csv are unchanged copies of ../shared/data/ocds.
// The other files are this package's own: additions to both lists, scheme
// aliases, keyword exclusions and flag terms.
//
//go:embed data/*.csv
var dataFS embed.FS

// Lists is the data screening runs on. Each list is a CSV file with a
// header row; columns are found by name, so extra columns are allowed.
type Lists struct {
	Codes      []CodeRule // scheme,prefix,label,category
	Keywords   []Keyword  // lang,keyword,category
	Exclusions []Keyword  // lang,phrase: keyword hits inside these do not count
	Schemes    []SchemeAlias
	// FlagTerms are the phrases some flags look for, by set: emergency,
	// direct-method, impact-assessment, personal-data.
	FlagTerms []Keyword
	// Weak lists keywords that also mean something else ("system",
	// "platform", "licence"): evidence only in a title and next to another
	// signal. Keyed by language and folded keyword.
	Weak map[WeakKey]bool
	// LangWords are short frequent words that tell a text's language.
	LangWords []Keyword
	// Prefixes map ocid prefixes (lower case) to the publisher's language,
	// the last resort when neither the text nor the release says.
	Prefixes []Prefix
}

// WeakKey names a keyword in one language ("*" for any).
type WeakKey struct{ Lang, Text string }

// Prefix is an ocid prefix and the language its publisher writes in.
type Prefix struct{ Prefix, Country, Lang string }

type CodeRule struct {
	Scheme, Prefix, Label, Category string
}

type Keyword struct {
	Lang, Text, Category string
	// Weak is set from the keyword file's optional strength column
	// ("weak"); the weak list can mark it too.
	Weak bool
}

// SchemeAlias maps a publisher's classification scheme onto a scheme of the
// code list when its lowercased text contains Contains.
type SchemeAlias struct {
	Contains, Scheme string
}

// DefaultLists returns the embedded lists.
func DefaultLists() (*Lists, error) {
	l := &Lists{Weak: map[WeakKey]bool{}}
	load := func(name string, f func(io.Reader, string) error) error {
		r, err := dataFS.Open("data/" + name)
		if err != nil {
			return err
		}
		defer r.Close()
		return f(r, name)
	}
	for _, step := range []struct {
		name string
		f    func(io.Reader, string) error
	}{
		{"digital-tech-codes.csv", l.ReadCodes},
		{"codes-extra.csv", l.readCodes},
		{"digital-tech-keywords.csv", l.readKeywords},
		{"keywords-extra.csv", l.readKeywords},
		{"keyword-exclusions.csv", l.readExclusions},
		{"scheme-aliases.csv", l.readSchemes},
		{"flag-terms.csv", l.readFlagTerms},
		{"weak-keywords.csv", l.readWeak},
		{"language-words.csv", l.readLangWords},
		{"ocid-prefixes.csv", l.readPrefixes},
	} {
		if err := load(step.name, step.f); err != nil {
			return nil, fmt.Errorf("embedded list: %w", err)
		}
	}
	return l, nil
}

// ReadCodes replaces the code list (the shared one and buyright's own
// additions) with the CSV in r; name is for errors.
func (l *Lists) ReadCodes(r io.Reader, name string) error {
	l.Codes = l.Codes[:0]
	return l.readCodes(r, name)
}

func (l *Lists) readCodes(r io.Reader, name string) error {
	rows, err := readCSV(r, name, "scheme", "prefix", "category")
	if err != nil {
		return err
	}
	for _, row := range rows {
		prefix := strings.TrimSpace(row.get("prefix"))
		if prefix == "" {
			return fmt.Errorf("%s:%d: empty prefix", name, row.line)
		}
		l.Codes = append(l.Codes, CodeRule{
			Scheme:   strings.ToUpper(strings.TrimSpace(row.get("scheme"))),
			Prefix:   prefix,
			Label:    row.get("label"),
			Category: strings.TrimSpace(row.get("category")),
		})
	}
	if len(l.Codes) == 0 {
		return fmt.Errorf("%s: no codes", name)
	}
	return nil
}

// ReadKeywords replaces the keyword list (shared and additions) with the
// CSV in r.
func (l *Lists) ReadKeywords(r io.Reader, name string) error {
	l.Keywords = l.Keywords[:0]
	return l.readKeywords(r, name)
}

func (l *Lists) readKeywords(r io.Reader, name string) error {
	rows, err := readCSV(r, name, "keyword", "category")
	if err != nil {
		return err
	}
	for _, row := range rows {
		lang := normLang(row.get("lang"))
		if lang == "" {
			lang = "*"
		}
		weak := strings.EqualFold(strings.TrimSpace(row.get("strength")), "weak")
		l.Keywords = append(l.Keywords, Keyword{Lang: lang, Text: row.get("keyword"), Category: row.get("category"), Weak: weak})
	}
	return nil
}

func (l *Lists) readWeak(r io.Reader, name string) error {
	rows, err := readCSV(r, name, "lang", "keyword")
	if err != nil {
		return err
	}
	for _, row := range rows {
		l.Weak[WeakKey{normLang(row.get("lang")), foldString(row.get("keyword"))}] = true
	}
	return nil
}

func (l *Lists) readLangWords(r io.Reader, name string) error {
	rows, err := readCSV(r, name, "lang", "word")
	if err != nil {
		return err
	}
	for _, row := range rows {
		l.LangWords = append(l.LangWords, Keyword{Lang: normLang(row.get("lang")), Text: row.get("word")})
	}
	return nil
}

func (l *Lists) readPrefixes(r io.Reader, name string) error {
	rows, err := readCSV(r, name, "prefix", "lang")
	if err != nil {
		return err
	}
	for _, row := range rows {
		l.Prefixes = append(l.Prefixes, Prefix{Prefix: strings.ToLower(strings.TrimSpace(row.get("prefix"))), Country: row.get("country"), Lang: normLang(row.get("lang"))})
	}
	return nil
}

func (l *Lists) readExclusions(r io.Reader, name string) error {
	rows, err := readCSV(r, name, "phrase")
	if err != nil {
		return err
	}
	for _, row := range rows {
		l.Exclusions = append(l.Exclusions, Keyword{Lang: row.get("lang"), Text: row.get("phrase")})
	}
	return nil
}

func (l *Lists) readSchemes(r io.Reader, name string) error {
	rows, err := readCSV(r, name, "contains", "scheme")
	if err != nil {
		return err
	}
	for _, row := range rows {
		l.Schemes = append(l.Schemes, SchemeAlias{Contains: strings.ToLower(row.get("contains")), Scheme: strings.ToUpper(row.get("scheme"))})
	}
	return nil
}

func (l *Lists) readFlagTerms(r io.Reader, name string) error {
	rows, err := readCSV(r, name, "set", "term")
	if err != nil {
		return err
	}
	for _, row := range rows {
		l.FlagTerms = append(l.FlagTerms, Keyword{Lang: row.get("lang"), Text: row.get("term"), Category: row.get("set")})
	}
	return nil
}

type csvRow struct {
	line int
	cols map[string]int
	rec  []string
}

func (r csvRow) get(col string) string {
	if i, ok := r.cols[col]; ok && i < len(r.rec) {
		return r.rec[i]
	}
	return ""
}

// readCSV reads a CSV with a header naming at least the required columns.
func readCSV(r io.Reader, name string, required ...string) ([]csvRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the header row: %w", name, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			return nil, fmt.Errorf("%s: the header has no %q column (found %s)", name, c, strings.Join(header, ","))
		}
	}
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, csvRow{line: line, cols: cols, rec: rec})
	}
}
