package ocds

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// AppendJSON appends the result as one JSON object and a newline, with the
// item's position. It is what `buyright screen` prints; hand-written
// because reflection-based encoding cost as much as screening itself.
func (r *Result) AppendJSON(dst []byte, it *Item) []byte { return r.appendJSON(dst, it, false) }

// AppendExplainJSON is AppendJSON with the "explain" object: the language
// keywords were matched in, every signal and the rule that decided.
func (r *Result) AppendExplainJSON(dst []byte, it *Item) []byte { return r.appendJSON(dst, it, true) }

func (r *Result) appendJSON(dst []byte, it *Item, explain bool) []byte {
	dst = append(dst, `{"ocid":`...)
	dst = appendString(dst, r.OCID)
	if r.ID != "" {
		dst = append(dst, `,"id":`...)
		dst = appendString(dst, r.ID)
	}
	dst = append(dst, `,"title":`...)
	dst = appendString(dst, r.Title)
	dst = append(dst, `,"digital":`...)
	dst = strconv.AppendBool(dst, r.Digital)
	dst = append(dst, `,"categories":[`...)
	for i, c := range r.Categories {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, c)
	}
	dst = append(dst, `],"flags":[`...)
	for i, f := range r.Flags {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"id":`...)
		dst = appendString(dst, f.ID)
		dst = append(dst, `,"reason":`...)
		dst = appendString(dst, f.Reason)
		dst = append(dst, `,"path":`...)
		dst = appendString(dst, f.Path)
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	if len(r.Evidence) > 0 {
		dst = append(dst, `,"evidence":[`...)
		for i, e := range r.Evidence {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"path":`...)
			dst = appendString(dst, e.Path)
			dst = append(dst, `,"kind":`...)
			dst = appendString(dst, e.Kind)
			dst = append(dst, `,"match":`...)
			dst = appendString(dst, e.Match)
			dst = append(dst, `,"category":`...)
			dst = appendString(dst, e.Category)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if explain && r.Explain != nil {
		dst = r.Explain.appendJSON(append(dst, `,"explain":`...))
	}
	dst = append(dst, `,"file":`...)
	dst = appendString(dst, it.File)
	dst = append(dst, `,"line":`...)
	dst = strconv.AppendInt(dst, int64(it.Line), 10)
	if it.Path != "" {
		dst = append(dst, `,"path":`...)
		dst = appendString(dst, it.Path)
	}
	return append(dst, "}\n"...)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Quotes, backslashes and control
// characters are escaped; invalid UTF-8 (possible only in file names)
// becomes U+FFFD so the output is always valid JSON.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += n
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		default:
			dst = append(dst, `\u00`...)
			dst = append(dst, hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func (e *Explanation) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"language":`...)
	dst = appendString(dst, e.Language)
	dst = append(dst, `,"language_from":`...)
	dst = appendString(dst, e.LanguageFrom)
	dst = append(dst, `,"rule":`...)
	dst = appendString(dst, e.Rule)
	dst = append(dst, `,"codes":`...)
	dst = strconv.AppendInt(dst, int64(e.Codes), 10)
	dst = append(dst, `,"digital_codes":`...)
	dst = strconv.AppendInt(dst, int64(e.DigitalCodes), 10)
	dst = append(dst, `,"signals":[`...)
	for i, s := range e.Signals {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"kind":`...)
		dst = appendString(dst, s.Kind)
		dst = append(dst, `,"match":`...)
		dst = appendString(dst, s.Match)
		for _, f := range [...]struct{ k, v string }{
			{"value", s.Value}, {"path", s.Path}, {"lang", s.Lang}, {"strength", s.Strength},
			{"category", s.Category}, {"use", s.Use}, {"why", s.Why},
		} {
			if f.v == "" && f.k != "path" && f.k != "use" {
				continue
			}
			dst = append(dst, ',', '"')
			dst = append(dst, f.k...)
			dst = append(dst, '"', ':')
			dst = appendString(dst, f.v)
		}
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	if e.Omitted > 0 {
		dst = append(dst, `,"omitted":`...)
		dst = strconv.AppendInt(dst, int64(e.Omitted), 10)
	}
	return append(dst, '}')
}

// Text is the explanation on one line, for CSV output.
func (e *Explanation) Text() string {
	var b strings.Builder
	b.WriteString("rule: " + e.Rule + "; language: ")
	if e.Language == "" {
		b.WriteString("unknown (keywords of every language applied)")
	} else {
		b.WriteString(e.Language + " (from " + e.LanguageFrom + ")")
	}
	b.WriteString("; codes: " + strconv.Itoa(e.DigitalCodes) + " digital of " + strconv.Itoa(e.Codes))
	for _, s := range e.Signals {
		b.WriteString("; " + s.Kind + " " + strconv.Quote(s.Match))
		if s.Value != "" {
			b.WriteString(" (" + s.Value + ")")
		}
		if s.Lang != "" {
			b.WriteString(" [" + s.Lang + ", " + s.Strength + "]")
		} else {
			b.WriteString(" [" + s.Strength + "]")
		}
		b.WriteString(" at " + s.Path + ": " + s.Use)
		if s.Why != "" {
			b.WriteString(", " + s.Why)
		}
	}
	if e.Omitted > 0 {
		b.WriteString("; " + strconv.Itoa(e.Omitted) + " more signals")
	}
	return b.String()
}
