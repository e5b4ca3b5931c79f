package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/i18n"
	"buyright/internal/model"
)

// Every key the interface can ask for exists in English, the reference
// catalogue: keys written in templates and Go code, and keys built from
// the domain's enumerations.
func TestEveryKeyInEnglish(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := b.Catalog("en")
	need := map[string]string{}
	tmplKey := regexp.MustCompile(`(?:\bt|"Label"|"Hint") "([a-z_]+\.[a-z_.]+)"`)
	countKey := regexp.MustCompile(`(?:\btn "|\.N\(")([a-z_]+\.[a-z_.]+)"`)
	fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		src, _ := templateFS.ReadFile(p)
		for _, m := range tmplKey.FindAllStringSubmatch(string(src), -1) {
			need[m[1]] = p
		}
		for _, m := range countKey.FindAllStringSubmatch(string(src), -1) {
			need[m[1]+".one"], need[m[1]+".other"] = p, p
		}
		return nil
	})
	goKey := regexp.MustCompile(`"((?:invalid|error|gate|transition|notice|signin|account|users|purchase|orgs|dashboard)\.[a-z_.]+)"`)
	filepath.WalkDir("../", func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		src, _ := os.ReadFile(p)
		for _, m := range goKey.FindAllStringSubmatch(string(src), -1) {
			need[m[1]] = p
		}
		for _, m := range countKey.FindAllStringSubmatch(string(src), -1) {
			need[m[1]+".one"], need[m[1]+".other"] = p, p
		}
		return nil
	})
	for _, s := range model.AllStages {
		need["stage."+string(s)] = "model.AllStages"
	}
	for _, s := range model.Sectors {
		need["sector."+string(s)] = "model.Sectors"
	}
	for _, x := range model.Technologies {
		need["tech."+string(x)] = "model.Technologies"
	}
	for _, x := range model.Fundings {
		need["funding."+string(x)] = "model.Fundings"
	}
	for _, x := range model.Roles {
		need["role."+string(x)] = "model.Roles"
	}
	for _, x := range model.OrgKinds {
		need["orgkind."+string(x)] = "model.OrgKinds"
	}
	for _, a := range []string{"create", "update", "transition", "comment", "invite_supplier"} {
		need["audit."+a] = "purchase audit actions"
	}
	for _, d := range []string{"created", "saved", "moved", "commented", "invited", "password", "token_revoked", "user_created", "user_saved", "org_created", "remit_saved"} {
		if noticeKey(d) == "" {
			t.Errorf("notice %s not mapped", d)
		}
		need["notice."+d] = "noticeKey"
	}
	for key, where := range need {
		if strings.HasSuffix(key, ".") || key == "style.css" {
			continue
		}
		if !en.Has(key) {
			t.Errorf("key %q (used in %s) is missing from en.json", key, where)
		}
	}
}

func TestLanguageFromHeader(t *testing.T) {
	b, _ := i18n.Load()
	r := newRequest("fr-CA,fr;q=0.9,en;q=0.5")
	got := b.Match(r, "")
	want := "en"
	for _, l := range b.Langs() {
		if l == "fr" {
			want = "fr"
		}
	}
	if got != want {
		t.Fatalf("Match = %q, want %q", got, want)
	}
	if b.Match(r, "xx") != want || b.Match(newRequest("tlh"), "") != "en" {
		t.Fatal("unknown choices should fall back")
	}
}
