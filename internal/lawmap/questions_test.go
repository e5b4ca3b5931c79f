package lawmap

import (
	"strings"
	"testing"
	"unicode/utf8"

	"buyright/internal/catalog"
)

func TestQuestionsAddedAndReworded(t *testing.T) {
	q, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	award, _ := q.Def("LM-AWARD")
	award.Title["pt"] = "Nova redação"
	award.Help = "New guidance."
	added := QuestionDef{ID: "LM-NEW", Group: "LM-G-OVERSIGHT", Title: catalog.Text{"en": "A new question?"}}
	got := q.With([]QuestionDef{added, award})
	if len(got.Questions) != len(q.Questions)+1 || got.Questions[len(got.Questions)-1].ID != "LM-NEW" {
		t.Fatalf("questions: %d", len(got.Questions))
	}
	it, _ := got.Question("LM-AWARD")
	if it.Title.In("pt") != "Nova redação" || it.Title.In("fr") == "" || it.Help.In("en") != "New guidance." {
		t.Errorf("reworded: %+v %+v", it.Title, it.Help)
	}
	if orig, _ := q.Question("LM-AWARD"); orig.Title.In("pt") == "Nova redação" {
		t.Error("the built-in questionnaire was changed")
	}
	n, _ := got.Question("LM-NEW")
	if n.Title.In("es") != "A new question?" || len(n.Options) != 4 {
		t.Errorf("new question: %+v", n)
	}
	if _, ok := n.Option("not_regulated"); !ok {
		t.Error("the new question does not take the usual answers")
	}
	if len(got.InGroup("LM-G-OVERSIGHT")) != len(q.InGroup("LM-G-OVERSIGHT"))+1 {
		t.Error("the new question is not in its group")
	}
	for _, c := range []struct {
		d     QuestionDef
		isNew bool
		field string
	}{
		{QuestionDef{ID: "LM-AWARD", Group: "LM-G-CRITERIA", Title: catalog.Text{"en": "x"}}, true, "lab_code"},
		{QuestionDef{ID: "LM-G-CRITERIA", Group: "LM-G-CRITERIA", Title: catalog.Text{"en": "x"}}, true, "lab_code"},
		{QuestionDef{ID: "lm-lower", Group: "LM-G-CRITERIA", Title: catalog.Text{"en": "x"}}, true, "lab_code"},
		{QuestionDef{ID: "LM-NONE", Group: "LM-G-CRITERIA", Title: catalog.Text{"en": "x"}}, false, "lab_code"},
		{QuestionDef{ID: "LM-OK", Group: "LM-AWARD", Title: catalog.Text{"en": "x"}}, true, "lab_group"},
		{QuestionDef{ID: "LM-OK", Group: "LM-G-CRITERIA", Title: catalog.Text{"pt": "só"}}, true, "lab_title_en"},
		{QuestionDef{ID: "LM-OK", Group: "LM-G-CRITERIA", Title: catalog.Text{"en": "x", "fr": strings.Repeat("é", 301)}}, true, "lab_title_fr"},
	} {
		if fe := CheckQuestion(q, &c.d, c.isNew); fe[c.field] == "" {
			t.Errorf("%+v (new %v): no problem on %s: %v", c.d, c.isNew, c.field, fe)
		}
	}
	ok := QuestionDef{ID: "LM-OK-2", Group: "LM-G-CRITERIA", Title: catalog.Text{"en": "Fine?"}}
	if fe := CheckQuestion(q, &ok, true); len(fe) != 0 {
		t.Errorf("a good question refused: %v", fe)
	}
}

// FuzzCheckQuestion feeds the question form's fields to the checks: they
// never panic, and whatever they accept has a valid identifier, a known
// group and an English title within bounds.
func FuzzCheckQuestion(f *testing.F) {
	q, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("LM-NEW", "LM-G-OVERSIGHT", "A question?", "", "help", true)
	f.Add("LM-AWARD", "LM-G-CRITERIA", "Reworded", "Nova", "", false)
	f.Add("LM-\x00", "", "", "\xff", "<script>", true)
	f.Fuzz(func(t *testing.T, id, group, en, pt, help string, isNew bool) {
		d := QuestionDef{ID: id, Group: group, Title: catalog.Text{"en": en, "pt": pt}, Help: help}
		if len(CheckQuestion(q, &d, isNew)) > 0 {
			return
		}
		if !ValidQuestionID(id) || !q.IsGroup(group) || strings.TrimSpace(en) == "" || utf8.RuneCountInString(en) > 300 {
			t.Fatalf("accepted %+v", d)
		}
		if _, ok := q.With([]QuestionDef{d}).Question(id); !ok {
			t.Fatalf("accepted question %q missing from the questionnaire", id)
		}
	})
}
