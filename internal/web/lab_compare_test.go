package web_test

import (
	"encoding/json"
	"html"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A researcher comparing two jurisdictions reads each answer's own words
// and the instruments it cites in the table, side by side, not only "Yes"
// and a count of citations.
func TestLabComparisonShowsAnswersText(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	seedLab(t, w)
	const q = "?j=EU&j=UK&group=LM-G-CRITERIA"
	_, raw, _ := w.do("", "GET", "/lab/law.json"+q, nil)
	var cells []struct {
		Jurisdiction string `json:"jurisdiction"`
		Explanation  string `json:"explanation"`
		Citations    []struct {
			Instrument string `json:"instrument"`
		} `json:"citations"`
	}
	if err := json.Unmarshal([]byte(raw), &cells); err != nil {
		// The download may wrap its cells; read them from "answers".
		var wrapped map[string]json.RawMessage
		if json.Unmarshal([]byte(raw), &wrapped) != nil || json.Unmarshal(wrapped["answers"], &cells) != nil {
			t.Fatalf("law.json: %v\n%.300s", err, raw)
		}
	}
	_, page, _ := w.do("", "GET", "/lab/law"+q, nil)
	seen := map[string]bool{}
	for _, c := range cells {
		if c.Explanation == "" {
			continue
		}
		seen[c.Jurisdiction] = true
		if !strings.Contains(page, html.EscapeString(c.Explanation)) {
			t.Errorf("%s: the explanation is not in the comparison: %.80s", c.Jurisdiction, c.Explanation)
		}
		for _, ci := range c.Citations {
			if !strings.Contains(page, ">"+html.EscapeString(ci.Instrument)+"<") {
				t.Errorf("%s: cited instrument %q is not named in the comparison", c.Jurisdiction, ci.Instrument)
			}
		}
	}
	if !seen["EU"] || !seen["UK"] {
		t.Fatalf("the comparison has no explained answers for both jurisdictions: %v", seen)
	}
}
