package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func seedGen(words func(i int) string) func(i int) store.RegisterSeed {
	return func(i int) store.RegisterSeed {
		return store.RegisterSeed{
			Title: fmt.Sprintf("Entry %d %s", i, words(i)), Summary: "What the system does.",
			Sector: model.Sectors[i%len(model.Sectors)], Technologies: []model.Technology{model.Technologies[i%len(model.Technologies)], model.Technologies[(i+3)%len(model.Technologies)]},
			Stage: model.Stages[i%len(model.Stages)], Level: i % 5, Year: 2020 + i%4,
		}
	}
}

// The register page without a search reads counts kept by triggers; after
// seeding, publishing, re-publishing and withdrawing they equal the counts
// made by reading every matching entry (a search for a word every entry has).
func TestRegisterCountsFollowEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := storetest.Org(t, db, "zebracity", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		if err := db.SeedRegister(ctx, org, 40, seedGen(func(int) string { return "" })); err != nil {
			t.Fatal(err)
		}
		a := storetest.Purchase(t, db, ana, "Cameras")
		b := storetest.Purchase(t, db, ana, "Chatbot")
		actor := store.ActorOf(ana)
		for _, step := range []struct {
			p       *model.Purchase
			publish bool
		}{{a, true}, {b, true}, {a, true}, {b, false}} {
			if err := db.Publish(ctx, actor, step.p, step.publish, "Summary.", nil); err != nil {
				t.Fatal(err)
			}
		}
		all, err := db.SearchRegister(ctx, store.RegisterQuery{})
		if err != nil {
			t.Fatal(err)
		}
		scanned, err := db.SearchRegister(ctx, store.RegisterQuery{Text: "zebracity"})
		if err != nil {
			t.Fatal(err)
		}
		if all.Total != 41 || scanned.Total != 41 || all.Approx || scanned.Approx {
			t.Fatalf("totals %d %d (approx %v %v), want 41", all.Total, scanned.Total, all.Approx, scanned.Approx)
		}
		if !reflect.DeepEqual(all.Facets, scanned.Facets) {
			t.Fatalf("counts table %v\nscanned %v", all.Facets, scanned.Facets)
		}
	})
}

// A word in more entries than the sample shows an estimate, said to be
// one; a rare word and a narrow search are counted exactly; a search on one
// facet has its exact total from the counts table.
func TestRegisterEstimatesAboveTheSample(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		if err := db.SeedRegister(ctx, org, 5000, seedGen(func(i int) string {
			if i%100 == 0 {
				return "common rareword"
			}
			return "common"
		})); err != nil {
			t.Fatal(err)
		}
		res, err := db.SearchRegister(ctx, store.RegisterQuery{Text: "common"})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Approx || res.Total < 4000 || res.Total > 6000 || len(res.Cards) != 20 {
			t.Fatalf("common: total %d approx %v cards %d", res.Total, res.Approx, len(res.Cards))
		}
		res, err = db.SearchRegister(ctx, store.RegisterQuery{Text: "rareword"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Approx || res.Total != 50 {
			t.Fatalf("rare: total %d approx %v", res.Total, res.Approx)
		}
		// Words and two facets: 1 entry in 24, about 209.
		res, err = db.SearchRegister(ctx, store.RegisterQuery{Text: "common", Sector: string(model.Sectors[0]), Stage: string(model.Stages[0])})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total < 150 || res.Total > 270 || len(res.Cards) != 20 || res.Cards[0].Sector != string(model.Sectors[0]) || res.Cards[0].Stage != model.Stages[0] {
			t.Fatalf("words and facets: total %d, %d cards, first %+v", res.Total, len(res.Cards), res.Cards[0])
		}
		sector := model.Sectors[0]
		want := (5000 + len(model.Sectors) - 1) / len(model.Sectors)
		res, err = db.SearchRegister(ctx, store.RegisterQuery{Sector: string(sector)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want {
			t.Fatalf("sector %s: total %d, want %d", sector, res.Total, want)
		}
	})
}

// A word longer than the longest prefix SQLite indexes still finds every
// entry with a word beginning with it, and only those; accents are folded
// on both databases.
func TestRegisterLongWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		words := []string{"allocation", "allocations", "allocated", "Ação Zéfiro", "allocationism"}
		if err := db.SeedRegister(ctx, org, len(words), seedGen(func(i int) string { return words[i] })); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int{"allocatio": 3, "allocations": 1, "allocation": 3, "allocationz": 0, "allocat": 4, "zefiro": 1, "ZÉFIRO acao": 1} {
			res, err := db.SearchRegister(ctx, store.RegisterQuery{Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != want || len(res.Cards) != want {
				t.Errorf("%q: total %d, %d cards, want %d", q, res.Total, len(res.Cards), want)
			}
		}
	})
}

// On PostgreSQL a search also finds other forms of a word through the
// reader's language's stemmer.
func TestRegisterStemsInTheReadersLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			t.Skip("stemming is PostgreSQL's")
		}
		ctx := context.Background()
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		words := []string{"privacy policy", "políticas de privacidade", "the"}
		if err := db.SeedRegister(ctx, org, len(words), seedGen(func(i int) string { return words[i] })); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			lang, q string
			want    int
		}{{"en", "policies", 1}, {"", "policies", 0}, {"pt", "politica", 1}, {"en", "the", 3}, {"fr", "policy", 1}} {
			res, err := db.SearchRegister(ctx, store.RegisterQuery{Text: c.q, Lang: c.lang})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != c.want {
				t.Errorf("%s %q: %d, want %d", c.lang, c.q, res.Total, c.want)
			}
		}
	})
}

// Whatever a reader types, with words of any length, a search answers
// without an error on each database (word expansions build FTS5 and
// tsquery syntax).
func FuzzRegisterSearchText(f *testing.F) {
	for _, s := range []string{"allocationism", `"allocation" OR x*`, "NEAR(a b)", "ação " + strings.Repeat("z", 70), "a b c d e f g h i j k l m n", "o neil", "back", "www", "a'b"} {
		f.Add(s)
	}
	// Words whose lexemes carry quotes, backslashes and dots, which the
	// PostgreSQL query quotes when a search word expands to them.
	words := []string{"allocation", "allocations", "allocationism", "ação", "O'Neil's", `back\slash`, "www.example.org/a'b"}
	ctx := context.Background()
	var dbs []*store.DB
	for _, d := range storetest.Dialects() {
		db := storetest.Open(f, d)
		org := storetest.Org(f, db, "city", model.OrgPublicBody)
		if err := db.SeedRegister(ctx, org, len(words), seedGen(func(i int) string { return words[i] })); err != nil {
			f.Fatal(err)
		}
		dbs = append(dbs, db)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, db := range dbs {
			for _, lang := range []string{"", "en", "pt"} {
				if _, err := db.SearchRegister(ctx, store.RegisterQuery{Text: q, Lang: lang, Sector: "health"}); err != nil {
					t.Fatalf("%s %s %q: %v", db.Dialect(), lang, q, err)
				}
			}
		}
	})
}

// A word that begins many words finds every entry holding one of them; a
// word first published after a search is found by the next search (on
// PostgreSQL the vocabulary the search expands words through is kept by
// triggers); facets narrow a word search on both databases.
func TestRegisterWordsFollowTheVocabulary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		if err := db.SeedRegister(ctx, city, 50, seedGen(func(i int) string { return fmt.Sprintf("parcel%c%c", 'a'+i%26, 'a'+i/26) })); err != nil {
			t.Fatal(err)
		}
		count := func(q store.RegisterQuery) int {
			t.Helper()
			res, err := db.SearchRegister(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		if n := count(store.RegisterQuery{Text: "parcel", Lang: "en"}); n != 50 {
			t.Errorf("a word beginning 50 words: %d entries, want 50", n)
		}
		if n := count(store.RegisterQuery{Text: "zebracross", Lang: "en"}); n != 0 {
			t.Errorf("before publication: %d", n)
		}
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		p := storetest.Purchase(t, db, off, "Zebracrossings near schools")
		if err := db.Publish(ctx, store.ActorOf(off), p, true, "Cameras at zebracrossings.", nil); err != nil {
			t.Fatal(err)
		}
		if n := count(store.RegisterQuery{Text: "zebracross", Lang: "en"}); n != 1 {
			t.Errorf("after publication: %d, want 1", n)
		}
		if n := count(store.RegisterQuery{Text: "zebracross", Lang: "pt", Sector: string(p.Sector)}); n != 1 {
			t.Errorf("with its sector: %d, want 1", n)
		}
		other := model.Sectors[0]
		if other == p.Sector {
			other = model.Sectors[1]
		}
		if n := count(store.RegisterQuery{Text: "zebracross", Sector: string(other)}); n != 0 {
			t.Errorf("with another sector: %d, want 0", n)
		}
		sector, stage := model.Sectors[7%len(model.Sectors)], model.Stages[7%len(model.Stages)]
		want := 0
		for i := range 50 {
			if model.Sectors[i%len(model.Sectors)] == sector && model.Stages[i%len(model.Stages)] == stage {
				want++
			}
		}
		if n := count(store.RegisterQuery{Text: "parcel", Sector: string(sector), Stage: string(stage)}); n != want || want == 50 {
			t.Errorf("a word with two facets: %d, want %d", n, want)
		}
	})
}
