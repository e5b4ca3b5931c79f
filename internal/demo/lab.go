package demo

import (
	"context"
	"fmt"

	"buyright/internal/lawmap"
	"buyright/internal/model"
	"buyright/internal/store"
)

// seedLab loads the law map's starting answers (approved, marked as
// starting content to be reviewed) and a handful of effective practices.
// Practices that describe a documented initiative name their public source;
// the others are marked as illustrative examples written by us.
func seedLab(ctx context.Context, db *store.DB) error {
	q, err := lawmap.Load()
	if err != nil {
		return err
	}
	s, err := lawmap.LoadSeed(q, db.Now())
	if err != nil {
		return err
	}
	if _, err := db.SeedLawmap(ctx, store.System, s); err != nil {
		return err
	}
	for _, p := range labPractices() {
		if err := db.CreatePractice(ctx, store.System, p, true); err != nil {
			return fmt.Errorf("practice %q: %w", p.Title, err)
		}
	}
	return nil
}

func labPractices() []*store.Practice {
	return []*store.Practice{
		{
			Title: "Public buyers join an independent monitoring organisation for electronics factories", Body: "Public sector buyers affiliated to Electronics Watch",
			Jurisdiction: "EU", Stage: model.StageImplementation, Hub: "electronics",
			WhatDone:    "Contracting authorities affiliate to Electronics Watch and put its contract conditions in their ICT contracts, so that workers' conditions in the factories making the goods are monitored by organisations close to the workers, during the life of the contract.",
			WhatChanged: "Monitoring findings are raised with the brands and suppliers through the buyers' contracts rather than left to industry audits; the organisation publishes its compliance reports.",
			Evidence:    "See the organisation's published compliance reports for the factories concerned.",
			Tools:       "https://electronicswatch.org/en/contract-conditions_2442215",
			Sources:     "https://electronicswatch.org/",
			Rights:      []string{"forced_labour", "health_safety", "freedom_association", "wages"}, Technologies: []string{"hardware"},
		},
		{
			Title: "Contract conditions require suppliers to disclose the factories making the goods", Body: "Illustrative city council",
			Jurisdiction: "NL", Stage: model.StageContract, Hub: "electronics", Illustrative: true,
			WhatDone:    "The laptop framework contract obliges the supplier to disclose the final assembly factories, to allow independent monitoring there, and to agree a remediation plan when breaches of the ILO core conventions are found.",
			WhatChanged: "The buyer knows where its devices are made and has a contractual route to remediation instead of only terminating the contract.",
			Sources:     "Directive 2014/24/EU, Art. 70 (contract performance conditions)",
			Rights:      []string{"forced_labour", "child_labour"}, Technologies: []string{"hardware"},
		},
		{
			Title: "Market consultation on supply-chain transparency before an electronics tender", Body: "Illustrative regional purchasing consortium",
			Jurisdiction: "UK", Stage: model.StageMarketEngagement, Hub: "electronics", Illustrative: true,
			WhatDone:    "Before tendering, the consortium asked suppliers in an open consultation which factories they could disclose and which monitoring they could accept, and published the questions and a summary of the answers.",
			WhatChanged: "Tender requirements were set at a level the market could meet, and the disclosure clause was accepted by every bidder.",
			Sources:     "Directive 2014/24/EU, Art. 40 (preliminary market consultations)",
			Rights:      []string{"forced_labour"}, Technologies: []string{"hardware"},
		},
		{
			Title: "Security tenders require membership of the International Code of Conduct Association", Body: "Illustrative ministry",
			Jurisdiction: "UK", Stage: model.StageTenderDesign, Hub: "private_security", Illustrative: true,
			WhatDone:    "The tender for guarding services at a reception centre made membership of the International Code of Conduct Association (ICoCA), or equivalent independent certification, a selection requirement, and asked for the bidder's complaints procedure.",
			WhatChanged: "Only bidders bound to the Code and its complaints mechanism could be selected.",
			Sources:     "https://icoca.ch/\nMontreux Document on private military and security companies (2008)",
			Rights:      []string{"security_of_person", "remedy"}, Technologies: []string{"none"},
		},
		{
			Title: "Uniform supplier maps its spinning mills and weaving sites", Body: "Illustrative national police service",
			Jurisdiction: "FR", Stage: model.StageAward, Hub: "apparel", Illustrative: true,
			WhatDone:    "The award criteria gave points for the depth of supply-chain mapping of the uniform fabric, down to spinning, and for a credible plan to address forced-labour risk in cotton sourcing.",
			WhatChanged: "The winning bidder disclosed its mills, which the buyer could then cover in monitoring.",
			Sources:     "Directive 2014/24/EU, Art. 67 (award criteria)",
			Rights:      []string{"forced_labour", "child_labour"}, Technologies: []string{"none"},
		},
		{
			Title: "Development bank project requires a grievance mechanism for affected communities", Body: "Illustrative borrower agency",
			Jurisdiction: "EU", Stage: model.StagePlanning, Hub: "ifi", Illustrative: true,
			WhatDone:    "The project's procurement plan, financed by an international financial institution, budgeted for a grievance mechanism open to workers and communities and made its design part of the works contracts.",
			WhatChanged: "Complaints from workers on site were received and answered during construction.",
			Sources:     "UN Guiding Principles on Business and Human Rights, Principle 31",
			Rights:      []string{"remedy", "health_safety"}, Technologies: []string{"none"},
		},
		{
			Title: "Municipalities publish their algorithms in the national Algorithm Register", Body: "Dutch municipalities and central government bodies",
			Jurisdiction: "NL", Stage: model.StageImplementation, Hub: "digital_public_services",
			WhatDone:    "Government organisations describe the algorithms they use with an impact on people in a public register, following a common publication standard with fields for purpose, responsible use and operation.",
			WhatChanged: "People and journalists can see which algorithms a body uses and whom to contact; the standard makes records comparable across bodies.",
			Tools:       "https://github.com/MinBZK/Algoritmeregister-Publicatiestandaard",
			Sources:     "https://algoritmes.overheid.nl/",
			Rights:      []string{"privacy", "non_discrimination", "remedy"}, Technologies: []string{"automated_decisions"},
		},
		{
			Title: "Federal institutions publish algorithmic impact assessments before deployment", Body: "Government of Canada institutions",
			Jurisdiction: "CA", Stage: model.StagePlanning, Hub: "digital_public_services",
			WhatDone:    "Before using an automated decision system, an institution completes the Algorithmic Impact Assessment; the level it gives sets the safeguards the directive requires, and completed assessments are published on the open government portal.",
			WhatChanged: "Safeguards such as notice, explanation and human involvement are fixed before the system is bought or built, not after complaints.",
			Tools:       "https://www.canada.ca/en/government/system/digital-government/digital-government-innovations/responsible-use-ai/algorithmic-impact-assessment.html",
			Sources:     "https://www.tbs-sct.canada.ca/pol/doc-eng.aspx?id=32592",
			Rights:      []string{"social_security", "non_discrimination", "privacy"}, Technologies: []string{"automated_decisions"},
		},
	}
}
