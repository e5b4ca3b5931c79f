package web

import (
	"net/url"
	"testing"

	"buyright/internal/catalog"
	"buyright/internal/screening"
)

// FuzzReadAnswers feeds arbitrary posted screening forms: reading them
// never panics, and every answer it accepts is one the questionnaire takes.
func FuzzReadAnswers(f *testing.F) {
	set, err := catalog.Load("")
	if err != nil {
		f.Fatal(err)
	}
	q := screening.New(set)
	f.Add("shown=personal_data&q_personal_data=yes")
	f.Add("shown=people_count&q_people_count=1,200")
	f.Add("shown=data_categories&q_data_categories=none&q_data_categories=special")
	f.Add("shown=nope&q_nope=1&shown=purpose&q_purpose=%00")
	f.Add("shown=art5_social_scoring&q_art5_social_scoring=possibly&shown=staff_powers&q_staff_powers=detention&q_staff_powers=none")
	f.Add("shown=units&q_units=-3&shown=transfer_adequacy&q_transfer_adequacy=maybe")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		raw, _ := readAnswers(q, form)
		if _, err := q.Normalize(raw); err != nil {
			t.Fatalf("accepted answers do not normalise: %v (%v)", err, raw)
		}
	})
}
