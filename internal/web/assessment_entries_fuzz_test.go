package web

import (
	"net/url"
	"strings"
	"testing"

	"buyright/internal/assessment"
)

// FuzzStepEntries feeds arbitrary posted step forms: reading them never
// panics, every entry read has a slot that is its number or new, new2…
// (so its fields' names and ids on a refused page are its own), no slot
// twice, and applying an entry read to a document never panics either.
func FuzzStepEntries(f *testing.F) {
	f.Add("misuse", "entry=1&entry=new&m_how-1=a&m_how-new=b&remove-1=yes&seen-1=x")
	f.Add("engagement", "entry=new2&e_participants-new2=3&e_participants-new2=-1&e_who-new2=x")
	f.Add("impact", "entry=2&i_scale-2=9&i_right-2=R-PRIV")
	f.Add("mitigation", "entry=new&g_impact_id-new=abc")
	f.Add("misuse", "entry=01&entry=new1&entry=%3Cb%3E&entry=99999999999999999999")
	f.Fuzz(func(t *testing.T, section, body string) {
		if !listSection(section) {
			section = "misuse"
		}
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		entries, err := postedEntries(section, form)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, e := range entries {
			if seen[e.Slot] {
				t.Fatalf("slot %q read twice", e.Slot)
			}
			seen[e.Slot] = true
			id, ok := validSlot(e.Slot)
			if !ok || id != e.ID || (id == 0) != strings.HasPrefix(e.Slot, "new") {
				t.Fatalf("entry %+v has a slot that is not its own", e)
			}
			d := &assessment.Doc{}
			applySection(d, section, 0, false, e.Fields)
			_ = blankEntry(section, e.Fields)
			_ = fingerprint(typedForm(section, e.ID, e.Fields))
		}
	})
}
