package demo

import (
	"context"
	"fmt"
	"strings"

	"buyright/internal/access"
	"buyright/internal/lawmap"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The Lab's network in the demo: the site operator appoints a reviewer at
// the human rights institution, a reviewer at the research institute who
// also leads the digital public services hub, and an editor (and network
// lead) at the claimants' association. Every review below goes through
// the same store calls as the pages, so the rules hold here too: nobody
// reviews their own organisation's work, and only the editor publishes.

// seedLabRoles appoints the demo's network roles and returns, per e-mail
// address, the roles to print beside the person's sign-in.
func seedLabRoles(ctx context.Context, db *store.DB, people map[string]*model.User) (map[string]string, error) {
	op := store.ActorOf(people["operator@buyright.example"])
	appoint := []struct {
		email string
		role  access.LabRole
		hub   string
	}{
		{"bruno@nhri.example", access.LabReviewer, ""},
		{"helena@research.example", access.LabReviewer, ""},
		{"helena@research.example", access.LabHubLead, "digital_public_services"},
		{"teresa@claimants.example", access.LabEditor, ""},
		{"teresa@claimants.example", access.LabLead, ""},
	}
	names := map[access.LabRole]string{access.LabReviewer: "Lab reviewer", access.LabHubLead: "hub lead", access.LabEditor: "Lab editor", access.LabLead: "network lead"}
	held := map[string][]string{}
	for _, x := range appoint {
		if _, err := db.AppointLabRole(ctx, op, x.email, x.role, x.hub); err != nil {
			return nil, fmt.Errorf("appointing %s as %s: %w", x.email, x.role, err)
		}
		held[x.email] = append(held[x.email], names[x.role])
	}
	out := map[string]string{}
	for e, rs := range held {
		out[e] = strings.Join(rs, ", ")
	}
	return out, nil
}

// seedLabReviews has the researcher propose two law answers and a
// practice, and walks some of it through review: one answer reviewed by
// the human rights institution and published by the editor (the public map
// names both), one left waiting; the city's practice approved by the hub
// lead and waiting for the editor; the researcher's practice waiting for a
// reviewer from outside her institute. The institution's reviewer also
// checks one starting answer for Portugal.
func seedLabReviews(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	sofia, bruno, helena, teresa, ana := people["sofia@research.example"], people["bruno@nhri.example"], people["helena@research.example"],
		people["teresa@claimants.example"], people["ana@portavera.example"]
	today := db.Now().UTC().Format("2006-01-02")
	directive := lawmap.Citation{Instrument: "Directive 2014/24/EU on public procurement", URL: "https://eur-lex.europa.eu/eli/dir/2014/24/oj"}
	code := lawmap.Citation{Instrument: "Código dos Contratos Públicos (Decreto-Lei n.º 18/2008)", URL: "https://diariodarepublica.pt/"}
	award := &store.LawAnswer{Respondent: sofia.Name, Answer: lawmap.Answer{Jurisdiction: "PT", Question: "LM-AWARD", Answer: "yes", Judgement: true, AsOf: today,
		Explanation: "The public contracts code was revised to transpose the 2014 directive, which lets a buyer weigh social aspects linked to what is bought, including how it is produced. In our judgement the code allows the same; a respondent should add the code's article.",
		Citations:   []lawmap.Citation{withArticle(directive, "Art. 67"), code}}}
	perf := &store.LawAnswer{Respondent: sofia.Name, Answer: lawmap.Answer{Jurisdiction: "PT", Question: "LM-PERFORMANCE", Answer: "yes", Judgement: true, AsOf: today,
		Explanation: "As for award criteria, the directive the code transposes allows conditions for performing the contract that concern social and employment matters, announced in the procurement documents. In our judgement the code follows it; to be confirmed against the code's text.",
		Citations:   []lawmap.Citation{withArticle(directive, "Art. 70"), code}}}
	for _, a := range []*store.LawAnswer{award, perf} {
		if err := db.CreateLawAnswer(ctx, store.ActorOf(sofia), a); err != nil {
			return err
		}
	}
	if err := db.ReviewLawAnswer(ctx, store.ActorOf(bruno), award.ID); err != nil {
		return err
	}
	if err := db.PublishLawAnswer(ctx, store.ActorOf(teresa), award.ID); err != nil {
		return err
	}
	all, err := db.ApprovedLawAnswersIn(ctx, []string{"PT"})
	if err != nil {
		return err
	}
	for _, a := range all {
		if a.Starting && a.Question == "LM-DPA" {
			if err := db.ConfirmSeedAnswer(ctx, store.ActorOf(bruno), a.ID); err != nil {
				return err
			}
		}
	}

	research := &store.Practice{Title: "Plain-language notices for automated benefit decisions, tested with claimants", Body: "Institute for Procurement and Rights Research with a city council",
		Jurisdiction: "PT", Stage: model.StageImplementation, Hub: "digital_public_services",
		WhatDone:    "Researchers and the council's benefits team rewrote the decision letters of a scoring system with claimants, saying what the system weighed, that a person decided, and how to ask for a review.",
		WhatChanged: "In the pilot, more claimants asked for a review within the time limit, and fewer calls asked what the letter meant.",
		Sources:     "Pilot report of the institute (demo)",
		Rights:      []string{"social_security", "remedy"}, Technologies: []string{"automated_decisions"}}
	if err := db.CreatePractice(ctx, store.ActorOf(sofia), research, false); err != nil {
		return err
	}
	city := &store.Practice{Title: "A screening before the tender for a benefits portal", Body: "Portavera City Council",
		Jurisdiction: "PT", Stage: model.StagePlanning, Hub: "digital_public_services",
		WhatDone:    "The council screened the portal for its impact on the people applying before writing the tender, and asked an accessibility organisation to test the prototype.",
		WhatChanged: "Accessibility and a paper route for applicants without internet access became mandatory requirements of the tender.",
		Sources:     "Council screening record (demo)",
		Rights:      []string{"accessibility", "social_security"}, Technologies: []string{"data_platform"}}
	if err := db.CreatePractice(ctx, store.ActorOf(ana), city, false); err != nil {
		return err
	}
	return db.ReviewPractice(ctx, store.ActorOf(helena), city.ID)
}

func withArticle(c lawmap.Citation, article string) lawmap.Citation {
	c.Article = article
	return c
}
