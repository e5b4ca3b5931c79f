package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// The register's results are drawn once per kept page, but what the page
// draws from outside the page (here, whether a measure is past its sunset
// today) shows at once when it changes, in every language.
func TestRegisterResultsRedrawnWhenTheirInputsChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := &clock{t: time.Now()}
		db.Now = c.now
		w := newWorldWith(t, db, func(cfg *web.Config) { cfg.Now = c.now })
		w.emergencyPublished("Emergency contact tracing", 1)
		inLang := func(lang string) string {
			t.Helper()
			req, _ := http.NewRequest("GET", w.srv.URL+"/register?q=tracing", nil)
			req.Header.Set("Accept-Language", lang)
			resp, err := client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}
		marked := func(want bool) {
			t.Helper()
			for range 2 { // the second time from the kept drawing
				en, fr := inLang("en"), inLang("fr")
				if strings.Contains(en, "past sunset") != want || strings.Contains(fr, "éteinte") != want || strings.Contains(fr, "past sunset") {
					t.Fatalf("past sunset marked: want %t in each reader's language", want)
				}
			}
		}
		marked(false)
		// Days pass; nothing in the register changes, the mark comes.
		c.add(72 * time.Hour)
		marked(true)
	})
}
