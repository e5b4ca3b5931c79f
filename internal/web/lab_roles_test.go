package web_test

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// addPerson adds someone to the world who is not in its usual cast, for
// the cases the cast does not cover (a supplier's administrator).
func (w *world) addPerson(name, org string, role model.Role) *model.User {
	w.t.Helper()
	hash, _ := cheap.Hash(password)
	u := &model.User{OrgID: w.orgs[org].ID, Email: name + "@test.example", Name: name, Role: role}
	if err := w.db.CreateUser(ctx, store.System, u, hash); err != nil {
		w.t.Fatal(err)
	}
	u.Org = w.orgs[org]
	w.users[name] = u
	return u
}

// proposeAnswer posts a law answer for Portugal through the form and
// returns the stored draft.
func (w *world) proposeAnswer(name, question, explanation string) *store.LawAnswer {
	w.t.Helper()
	w.post(name, "/lab/propose/answer", url.Values{"lab_jurisdiction": {"PT"}, "lab_question": {question}, "lab_answer": {"no"},
		"lab_explanation": {explanation}, "lab_as_of": {"2025-01-01"}, "lab_cite_instrument": {"Act 12/2099"}}, 303)
	drafts, err := w.db.UnpublishedLawAnswers(ctx, w.users[name].OrgID)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, a := range drafts {
		if a.Explanation == explanation {
			return a
		}
	}
	w.t.Fatalf("no draft %q", explanation)
	return nil
}

// proposePractice posts a practice through the form and returns its draft.
func (w *world) proposePractice(name, title, hub string) *store.Practice {
	w.t.Helper()
	w.post(name, "/lab/propose/practice", url.Values{"lab_title": {title}, "lab_body": {"A body"}, "lab_jurisdiction": {"PT"},
		"lab_stage": {"contract"}, "lab_hub": {hub}, "lab_what_done": {"Did"}, "lab_what_changed": {"Changed"}, "lab_sources": {"A report"}}, 303)
	ps, err := w.db.UnpublishedPractices(ctx, w.users[name].OrgID)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, p := range ps {
		if p.Title == title {
			return p
		}
	}
	w.t.Fatalf("no draft practice %q", title)
	return nil
}

// tryToApprove does what someone probing the server would: press every
// button the review page offers them for the object (but "send back"),
// then post the approve and publish addresses directly.
func (w *world) tryToApprove(name, kind string, id int64) {
	w.t.Helper()
	_, body, _ := w.do(name, "GET", "/lab/review", nil)
	re := regexp.MustCompile(`action="(/lab/review/` + kind + `/` + fmt.Sprint(id) + `(?:/[a-z]+)?)"`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		if !strings.HasSuffix(m[1], "/return") {
			w.do(name, "POST", m[1], url.Values{})
		}
	}
	for _, suffix := range []string{"", "/approve", "/publish"} {
		w.do(name, "POST", fmt.Sprintf("/lab/review/%s/%d%s", kind, id, suffix), url.Values{})
	}
}

// ptBuyerPage is the page of a Portuguese city's purchase in planning,
// where the law answers for Portugal are shown.
func (w *world) ptBuyerPage() string {
	w.t.Helper()
	p := w.purchase(fmt.Sprintf("Benefits scoring %d", time.Now().UnixNano()))
	return w.page("city_officer", fmt.Sprintf("/purchases/%d", p.ID))
}

// The outside probe's finding: a supplier's employee proposed an answer for
// Portugal, the supplier's own administrator approved it, and it reached
// the public law map and Portuguese buyers' purchase pages. (On the code
// before network roles, the administrator's review page offered an Approve
// button and the answer went public.)
func TestLabSupplierAdministratorCannotApproveItsOwnAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		w.addPerson("vendor_admin", "vendor", model.RoleAdmin)
		bogus := w.proposeAnswer("vendor_supplier", "LM-EXCL-HR", "Suppliers may never be excluded, per Act 12/2099.")
		w.tryToApprove("vendor_admin", "answers", bogus.ID)
		if s, body, _ := w.do("vendor_admin", "POST", fmt.Sprintf("/lab/review/answers/%d/approve", bogus.ID), nil); s != 403 {
			t.Errorf("the supplier's administrator approves: %d\n%.500s", s, body)
		}
		for _, path := range []string{"/lab/law/PT", "/lab/law?j=PT", "/lab/law.csv?j=PT", "/lab/law.json"} {
			if _, body, _ := w.do("", "GET", path, nil); strings.Contains(body, "Act 12/2099") {
				t.Errorf("%s shows the supplier's unreviewed answer", path)
			}
		}
		if strings.Contains(w.ptBuyerPage(), "Act 12/2099") {
			t.Error("a Portuguese buyer's purchase page shows the supplier's unreviewed answer")
		}
		// Nor does any other organisation's administrator, or the site's.
		for _, name := range []string{"city_admin", "site_admin"} {
			w.tryToApprove(name, "answers", bogus.ID)
		}
		if a, _ := db.LawAnswerByID(ctx, bogus.ID); a.Status != store.LawDraft {
			t.Errorf("status after administrators tried: %s", a.Status)
		}
		// The network's reviewer sends it back; the supplier reads why.
		w.post("lab_reviewer", fmt.Sprintf("/lab/review/answers/%d/return", bogus.ID), url.Values{"note": {"Act 12/2099 does not exist."}}, 303)
		if body := w.page("vendor_admin", "/lab/review"); !strings.Contains(body, "Act 12/2099 does not exist.") || !strings.Contains(body, "sent back to its author") {
			t.Error("the supplier does not see why its answer came back")
		}
	})
}

// Nobody approves their own contribution, and nobody approves one from
// their own organisation: not an organisation's administrator (who could
// before), not a Lab reviewer or hub lead. The refusal says why.
func TestLabNoSelfOrColleagueReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		// Self-review, by whoever could approve.
		for _, name := range []string{"city_admin", "site_admin", "lab_reviewer"} {
			a := w.proposeAnswer(name, "LM-AWARD", "Own answer of "+name)
			w.tryToApprove(name, "answers", a.ID)
			if got, _ := db.LawAnswerByID(ctx, a.ID); got.Status != store.LawDraft {
				t.Errorf("%s approved their own answer: %s", name, got.Status)
			}
		}
		own := w.proposeAnswer("lab_reviewer", "LM-SELECTION", "The reviewer's own answer")
		s, body, _ := w.do("lab_reviewer", "POST", fmt.Sprintf("/lab/review/answers/%d/approve", own.ID), nil)
		if s != 403 || !strings.Contains(body, "You cannot review your own contribution") {
			t.Errorf("self-review: %d, reason missing\n%.3000s", s, body)
		}
		// A colleague: the city's administrator for its officer; the
		// institute's hub lead for its reviewer's practice.
		officers := w.proposeAnswer("city_officer", "LM-PERFORMANCE", "The officer's answer")
		w.tryToApprove("city_admin", "answers", officers.ID)
		if got, _ := db.LawAnswerByID(ctx, officers.ID); got.Status != store.LawDraft {
			t.Errorf("a colleague approved: %s", got.Status)
		}
		pr := w.proposePractice("lab_reviewer", "Factory lists in the contract", "electronics")
		s, body, _ = w.do("lab_hublead", "POST", fmt.Sprintf("/lab/review/practices/%d/approve", pr.ID), nil)
		if s != 403 || !strings.Contains(body, "from your own organisation") {
			t.Errorf("a colleague's review: %d, reason missing\n%.3000s", s, body)
		}
		w.tryToApprove("lab_hublead", "practices", pr.ID)
		if got, _ := db.PracticeByID(ctx, pr.ID, true); got.Status != store.PracticeDraft {
			t.Errorf("a colleague approved the practice: %s", got.Status)
		}
		// The queue says so instead of offering the button.
		body = w.page("lab_hublead", "/lab/review")
		if strings.Contains(body, fmt.Sprintf(`action="/lab/review/practices/%d/approve"`, pr.ID)) || !strings.Contains(body, "from your own organisation") {
			t.Error("the hub lead's queue offers to approve a colleague's practice")
		}
		// Someone from another organisation may: the hub lead approves the
		// city's practice, the editor publishes it.
		city := w.proposePractice("city_officer", "Repairable laptops", "electronics")
		if !strings.Contains(w.page("lab_hublead", "/lab/review"), fmt.Sprintf(`action="/lab/review/practices/%d/approve"`, city.ID)) {
			t.Fatal("the hub lead is not offered the city's practice")
		}
		w.post("lab_hublead", fmt.Sprintf("/lab/review/practices/%d/approve", city.ID), nil, 303)
		w.post("lab_editor", fmt.Sprintf("/lab/review/practices/%d/publish", city.ID), nil, 303)
		body = w.page("", fmt.Sprintf("/lab/practices/%d", city.ID))
		if !strings.Contains(body, "Proposed by Org city; reviewed by lab_hublead (Org institute) on ") {
			t.Errorf("the practice does not name who proposed and who reviewed it\n%.3000s", body)
		}
	})
}

// Drafts are read by their author's organisation and by the network's
// reviewers and editors only: not by a supplier, not by another body.
// (On the code before network roles, every signed-in account read them.)
func TestLabSupplierCannotReadDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		w.addPerson("vendor_admin", "vendor", model.RoleAdmin)
		a := w.proposeAnswer("city_officer", "LM-AWARD", "Unpublished answer about award criteria")
		p := w.proposePractice("city_officer", "Unpublished practice about cobalt", "electronics")
		for _, name := range []string{"vendor_supplier", "vendor_admin", "rival_supplier", "town_officer", "nhri_oversight", "cso_viewer", "site_admin", "lab_lead"} {
			body := w.page(name, "/lab/review")
			if strings.Contains(body, "Unpublished answer") || strings.Contains(body, "Unpublished practice") {
				t.Errorf("%s reads another organisation's drafts", name)
			}
			if s, _, _ := w.do(name, "GET", fmt.Sprintf("/lab/propose/practice?edit=%d", p.ID), nil); s != 404 {
				t.Errorf("%s opens the draft practice: %d", name, s)
			}
		}
		if s, _, _ := w.do("", "GET", fmt.Sprintf("/lab/practices/%d", p.ID), nil); s != 404 {
			t.Errorf("the public reads the draft practice: %d", s)
		}
		for _, name := range []string{"city_viewer", "lab_reviewer", "lab_editor"} {
			if body := w.page(name, "/lab/review"); !strings.Contains(body, "Unpublished answer") || !strings.Contains(body, "Unpublished practice") {
				t.Errorf("%s does not see the draft", name)
			}
		}
		// The electronics hub lead sees the practice of the hub, not the answer.
		body := w.page("lab_hublead", "/lab/review")
		if !strings.Contains(body, "Unpublished practice") || strings.Contains(body, "Unpublished answer") {
			t.Error("the hub lead's queue is not their hub's")
		}
		// A reviewer reads the draft but does not edit it.
		if s, _, _ := w.do("lab_reviewer", "GET", fmt.Sprintf("/lab/propose/practice?edit=%d", p.ID), nil); s != 404 {
			t.Errorf("a reviewer edits the city's draft: %d", s)
		}
		_ = a
	})
}

// The public law map, its downloads and a Portuguese buyer's purchase page
// name who gave each answer and who reviewed it, and call starting content
// what it is.
func TestLabPublicAnswersNameContributorAndReviewer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		a := w.proposeAnswer("cso_viewer", "LM-ADM-AI", "Automated decisions need a legal basis, per Act 12/2099.")
		w.post("lab_reviewer", fmt.Sprintf("/lab/review/answers/%d/approve", a.ID), nil, 303)
		w.post("lab_editor", fmt.Sprintf("/lab/review/answers/%d/publish", a.ID), nil, 303)
		today := time.Now().UTC().Format("2006-01-02")
		source := "Given by Org cso; reviewed by lab_reviewer (Org institute) on " + today
		seedSource := "Seed data written by the buyright team, not reviewed by a network member"
		for _, path := range []string{"/lab/law/PT", "/lab/law?j=PT"} {
			body := w.page("", path)
			if !strings.Contains(body, source) || !strings.Contains(body, seedSource) {
				t.Errorf("%s does not name the contributor and the reviewer, or the seed's source\n%.5000s", path, body)
			}
		}
		if body := w.ptBuyerPage(); !strings.Contains(body, source) || !strings.Contains(body, seedSource) {
			t.Error("the purchase page does not say who gave the answers")
		}
		_, body, _ := w.do("", "GET", "/lab/law.csv?j=PT", nil)
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		head := strings.Join(rows[0], ",")
		if !strings.HasSuffix(head, "source,contributor,reviewer,reviewer_organisation,reviewed_on") {
			t.Fatalf("CSV header %s", head)
		}
		var sawOurs, sawSeed bool
		for _, r := range rows[1:] {
			switch {
			case r[1] == "LM-ADM-AI":
				sawOurs = r[9] == "contribution" && r[10] == "Org cso" && r[11] == "lab_reviewer" && r[12] == "Org institute" && r[13] == today
			case r[9] == "seed":
				sawSeed = r[10] == "buyright" && r[11] == "" && r[13] == ""
			}
		}
		if !sawOurs || !sawSeed {
			t.Errorf("CSV rows do not name contributor and reviewer: ours %v, seed %v", sawOurs, sawSeed)
		}
		// A reviewer records that they checked a seed answer; the map then names them.
		all, _ := db.ApprovedLawAnswersIn(ctx, []string{"PT"})
		var seedID int64
		for _, x := range all {
			if x.Starting && x.Question == "LM-DPA" {
				seedID = x.ID
			}
		}
		if !strings.Contains(w.page("lab_reviewer", "/lab/law/PT"), fmt.Sprintf(`action="/lab/review/answers/%d/confirm"`, seedID)) {
			t.Fatal("the reviewer is not offered to confirm the seed answer")
		}
		if strings.Contains(w.page("lab_editor", "/lab/law/PT"), "/confirm\"") {
			t.Error("an editor is offered to confirm a seed answer")
		}
		w.post("lab_reviewer", fmt.Sprintf("/lab/review/answers/%d/confirm", seedID), nil, 303)
		if body := w.page("", "/lab/law/PT"); !strings.Contains(body, "Seed data written by the buyright team, reviewed by lab_reviewer (Org institute) on "+today) {
			t.Error("the confirmed seed answer does not name its reviewer")
		}
		// In Portuguese too.
		if _, body, _ := w.doLang("pt", "/lab/law/PT"); !strings.Contains(body, "Resposta de Org cso; revista por lab_reviewer (Org institute) em "+today) {
			t.Error("the Portuguese page does not name contributor and reviewer")
		}
	})
}

// doLang fetches a public page asking for a language, as a browser set
// to that language would.
func (w *world) doLang(lang, path string) (int, string, error) {
	w.t.Helper()
	req, err := http.NewRequest("GET", w.srv.URL+path, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Accept-Language", lang)
	resp, err := client().Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func TestLabRolesPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		body := w.page("vendor_supplier", "/lab/roles")
		for _, want := range []string{"lab_reviewer", "Org institute", "Lab reviewer", "Hub lead: Electronics", "by site_admin on "} {
			if !strings.Contains(body, want) {
				t.Errorf("the roles page lacks %q", want)
			}
		}
		if strings.Contains(body, `action="/lab/roles"`) {
			t.Error("a supplier is offered the appointment form")
		}
		// An organisation's administrator appoints nobody.
		if s, _, _ := w.do("city_admin", "POST", "/lab/roles", url.Values{"email": {"city_officer@test.example"}, "lab_role": {"reviewer"}}); s != 403 {
			t.Errorf("an organisation's administrator appoints: %d", s)
		}
		// The network lead appoints a reviewer; a supplier's employee is refused with the reason.
		body = w.post("lab_lead", "/lab/roles", url.Values{"email": {"vendor_supplier@test.example"}, "lab_role": {"reviewer"}}, 422)
		if !strings.Contains(body, "People at suppliers cannot hold a Lab role") || !strings.Contains(body, `value="vendor_supplier@test.example"`) {
			t.Errorf("refusal without its reason or the typed address\n%.3000s", body)
		}
		if body := w.post("lab_lead", "/lab/roles", url.Values{"email": {"cso_viewer@test.example"}, "lab_role": {"lead"}}, 403); !strings.Contains(body, "Only a site administrator appoints or removes network leads") {
			t.Error("a lead appointing a lead is not told why")
		}
		w.post("lab_lead", "/lab/roles", url.Values{"email": {"nhri_oversight@test.example"}, "lab_role": {"reviewer"}}, 303)
		recs, _ := db.LabRoleRecords(ctx)
		var id int64
		for _, r := range recs {
			if r.Person == "nhri_oversight" && r.RemovedAt == nil {
				id = r.ID
			}
		}
		if id == 0 {
			t.Fatal("appointment not recorded")
		}
		a := w.proposeAnswerIn("city_officer")
		w.post("nhri_oversight", fmt.Sprintf("/lab/review/answers/%d/approve", a), nil, 303)
		w.post("lab_lead", fmt.Sprintf("/lab/roles/%d/remove", id), nil, 303)
		body = w.page("city_viewer", "/lab/roles")
		ended := body[strings.Index(body, `id="ended-h"`):]
		if !strings.Contains(ended, "nhri_oversight") || !strings.Contains(ended, "removed by lab_lead on ") {
			t.Errorf("the ended role is not in the history\n%.2000s", ended)
		}
		b := w.proposeAnswerIn("city_viewer")
		if s, _, _ := w.do("nhri_oversight", "POST", fmt.Sprintf("/lab/review/answers/%d/approve", b), nil); s != 403 {
			t.Errorf("a removed reviewer approves: %d", s)
		}
	})
}

// proposeAnswerIn proposes a Portuguese answer with a fresh explanation and
// returns its id.
func (w *world) proposeAnswerIn(name string) int64 {
	w.t.Helper()
	return w.proposeAnswer(name, "LM-NAP", fmt.Sprintf("Answer %d", time.Now().UnixNano())).ID
}

func TestLabEditorKeepsJurisdictionsAndQuestions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		for _, name := range []string{"site_admin", "city_admin", "lab_reviewer", "vendor_supplier"} {
			if s, _, _ := w.do(name, "POST", "/lab/map/jurisdictions", url.Values{"jur_code": {"ES"}, "jur_name": {"Spain"}, "jur_kind": {"country"}}); s != 403 {
				t.Errorf("%s adds a jurisdiction: %d", name, s)
			}
		}
		body := w.post("lab_editor", "/lab/map/jurisdictions", url.Values{"jur_code": {"es!"}, "jur_name": {"<b>Spain</b>"}, "jur_kind": {"country"}}, 422)
		if !strings.Contains(body, "Use two to eight capital letters") || !strings.Contains(body, `value="&lt;b&gt;Spain&lt;/b&gt;"`) {
			t.Errorf("refused jurisdiction: reason or typed name missing\n%.3000s", body)
		}
		w.post("lab_editor", "/lab/map/jurisdictions", url.Values{"jur_code": {"ES"}, "jur_name": {"Spain"}, "jur_kind": {"country"}}, 303)
		w.post("lab_editor", "/lab/map/jurisdictions", url.Values{"jur_code": {"ES"}, "jur_name": {"Kingdom of Spain"}, "jur_kind": {"country"}}, 303)
		if body := w.page("", "/lab/law/ES"); !strings.Contains(body, "Kingdom of Spain") {
			t.Error("the new jurisdiction has no page")
		}
		// A new question, then an answer to it through the usual form.
		body = w.post("lab_editor", "/lab/map/questions", url.Values{"lab_code": {"LM-AWARD"}, "lab_group": {"LM-G-OVERSIGHT"}, "lab_title_en": {"Twice?"}}, 422)
		if !strings.Contains(body, "already used by a question or a group") {
			t.Error("a taken identifier is not refused with its reason")
		}
		w.post("lab_editor", "/lab/map/questions", url.Values{"lab_code": {"LM-WHISTLE"}, "lab_group": {"LM-G-OVERSIGHT"},
			"lab_title_en": {"Are whistleblowers in suppliers protected?"}, "lab_title_pt": {"Os denunciantes nos fornecedores estão protegidos?"}, "lab_help": {"Look for a law."}}, 303)
		form := w.page("cso_viewer", "/lab/propose/answer")
		if !strings.Contains(form, "Are whistleblowers in suppliers protected?") {
			t.Error("the new question is not offered to respondents")
		}
		w.post("cso_viewer", "/lab/propose/answer", url.Values{"lab_jurisdiction": {"ES"}, "lab_question": {"LM-WHISTLE"}, "lab_answer": {"yes"},
			"lab_explanation": {"A 2023 law protects them."}, "lab_as_of": {"2024-01-01"}, "lab_judgement": {"yes"}}, 303)
		if body := w.page("", "/lab/law?j=ES"); !strings.Contains(body, "Are whistleblowers in suppliers protected?") {
			t.Error("the matrix does not list the new question")
		}
		// Rewording a built-in question keeps the other languages.
		edit := w.page("lab_editor", "/lab/map/questions/LM-AWARD")
		if !strings.Contains(edit, `name="edit" value="LM-AWARD"`) || !strings.Contains(edit, "A lei permite") {
			t.Fatal("the edit form is not prefilled")
		}
		w.post("lab_editor", "/lab/map/questions", url.Values{"edit": {"LM-AWARD"}, "lab_group": {"LM-G-CRITERIA"},
			"lab_title_en": {"May award criteria weigh human rights or social aspects?"}, "lab_title_pt": {"A lei permite critérios sociais ou de direitos humanos na adjudicação?"},
			"lab_title_es": {"¿Permite la ley criterios sociales o de derechos humanos en la adjudicación?"}, "lab_title_fr": {"La loi permet-elle des critères sociaux ou de droits humains pour l'attribution ?"}}, 303)
		if body := w.page("", "/lab/law?group=LM-G-CRITERIA"); !strings.Contains(body, "May award criteria weigh human rights or social aspects?") {
			t.Error("the reworded question is not on the map")
		}
		// The history says who changed what, and when.
		body = w.page("lab_editor", "/lab/map")
		for _, want := range []string{"lab_editor@test.example", "“Spain” → “Kingdom of Spain”", "LM-WHISTLE", "title_en: “Does the law allow human-rights or social criteria in the award of contracts?” → “May award criteria weigh human rights or social aspects?”"} {
			if !strings.Contains(body, want) {
				t.Errorf("history lacks %q", want)
			}
		}
		if body := w.page("lab_editor", "/lab/map/questions/LM-AWARD"); !strings.Contains(body, "May award criteria weigh") || strings.Contains(body, "LM-WHISTLE") {
			t.Error("the question's own history is wrong")
		}
	})
}

// Hostile strings typed into the editors' and appointers' forms come back as text.
func TestLabRoleAndMapFormsEscapeHostileStrings(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	seedLab(t, w)
	for i, h := range hostileStrings(t) {
		code := fmt.Sprintf("LM-H%d", i)
		s, body, _ := w.do("lab_editor", "POST", "/lab/map/questions", url.Values{"lab_code": {code}, "lab_group": {"LM-G-OVERSIGHT"}, "lab_title_en": {"Q " + h.Value}, "lab_help": {h.Value}})
		if s != 303 && s != 422 {
			t.Errorf("%s: question status %d", h.Name, s)
		}
		for _, page := range []string{body, w.page("lab_editor", "/lab/map"), w.page("", "/lab/law")} {
			for _, bad := range []string{"<script>alert", "<img src=x", "<svg/onload", `" autofocus onfocus`} {
				if strings.Contains(h.Value, strings.TrimPrefix(bad, `" `)) && strings.Contains(page, bad) {
					t.Errorf("%s: page contains raw %q", h.Name, bad)
				}
			}
		}
		_, body, _ = w.do("lab_lead", "POST", "/lab/roles", url.Values{"email": {h.Value}, "lab_role": {"reviewer"}})
		if strings.Contains(body, "<script>alert") && strings.Contains(h.Value, "<script>alert") {
			t.Errorf("%s: roles page echoes raw markup", h.Name)
		}
	}
}
