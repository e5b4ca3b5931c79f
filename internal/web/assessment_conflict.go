package web

import (
	"errors"
	"hash/fnv"
	"sort"
	"strconv"

	"buyright/internal/model"
)

// A step's form carries a fingerprint of the section as it was shown
// ("seen"). If someone else saved that section meanwhile, the save is
// refused and the page shows what this person typed, with the new
// fingerprint, so saving again is a deliberate choice to replace theirs.
// Nothing typed is lost either way.

// fingerprint sums a form's values as a person edits them: text as it is
// stored (trimmed, \n line ends), so a form posted back untouched has the
// fingerprint it was shown with; where an entry came from is not on the
// form and not summed.
func fingerprint(f *formState) string {
	keys := make([]string, 0, len(f.Values)+len(f.Multi))
	for k, v := range f.Values {
		if k == "e_source" || k == "i_source" || k == "remove" {
			continue
		}
		if v = model.CleanText(v); v != "" {
			keys = append(keys, k+"="+v)
		}
	}
	for k, on := range f.Multi {
		if on {
			keys = append(keys, "+"+k)
		}
	}
	sort.Strings(keys)
	h := fnv.New64a()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// Seen is the fingerprint the form posts back.
func (f *formState) Seen() string {
	if f.seen != "" {
		return f.seen
	}
	return fingerprint(f)
}

var errAssessmentConflict = errors.New("web: the section changed since it was shown")

// formByKey finds the stored form of a section or entry on the page.
func (d *assessmentData) formByKey(key string) *formState {
	if f, ok := d.Forms[key]; ok {
		return f
	}
	for _, list := range [][]entryView{d.Engagements, d.Misuses, d.Mitigations} {
		for _, e := range list {
			if e.Form.Key == key {
				return e.Form
			}
		}
	}
	for _, im := range d.Impacts {
		if im.Form.Key == key {
			return im.Form
		}
	}
	return nil
}
