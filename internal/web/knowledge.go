package web

import (
	"context"
	"net/http"
	"slices"

	"buyright/internal/access"
	"buyright/internal/lawmap"
	"buyright/internal/model"
	"buyright/internal/store"
)

// From the Learning Lab to the purchase: the practices peers used at the
// purchase's stage in its sector hubs, and how the law of the buyer's
// jurisdiction answers the questions that matter at that stage.

// stageQuestions are the law-map questions a buyer needs at each stage.
var stageQuestions = map[model.Stage][]string{
	model.StagePlanning:         {"LM-ADM-AI", "LM-DPA", "LM-NAP", "LM-HRDD-LAW"},
	model.StageMarketEngagement: {"LM-HRDD-LAW", "LM-SELECTION", "LM-EXCL-FL"},
	model.StageTenderDesign:     {"LM-SELECTION", "LM-AWARD", "LM-PERFORMANCE", "LM-EXCL-HR", "LM-EXCL-FL"},
	model.StageAward:            {"LM-AWARD", "LM-EXCL-HR", "LM-EXCL-FL", "LM-CONTRACT-TRANSP"},
	model.StageContract:         {"LM-PERFORMANCE", "LM-CONTRACT-TRANSP", "LM-ADM-AI"},
	model.StageImplementation:   {"LM-REMEDY", "LM-DPA", "LM-NHRI", "LM-ADM-AI"},
	model.StageRenewalExit:      {"LM-CONTRACT-TRANSP", "LM-REMEDY", "LM-PERFORMANCE"},
}

// euMembers are the countries whose buyers are also bound by EU law.
var euMembers = []string{"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}

// hubsFor names the Lab's sector hubs a purchase belongs to: supply chains
// of goods and hardware (electronics), contracted-out services (private
// security), loans from international financial institutions, and digital
// technology in a public service.
func hubsFor(p *model.Purchase) []string {
	var hubs []string
	add := func(h string) {
		if !slices.Contains(hubs, h) {
			hubs = append(hubs, h)
		}
	}
	for _, t := range p.Technologies {
		switch t {
		case "hardware", "goods":
			add("electronics")
		case "services":
			add("private_security")
		default:
			add("digital_public_services")
		}
	}
	if p.Funding == "ifi" {
		add("ifi")
	}
	return hubs
}

type lawRow struct {
	A            *store.LawAnswer // who gave and who checked it
	Jurisdiction string
	Question     string
	Title        string
	Answer       string
	AsOf         string
	Judgement    bool
	Citations    []lawmap.Citation
}

type knowledgeData struct {
	Stage        model.Stage
	Hubs         []string
	Practices    []*store.Practice
	Jurisdiction string
	Law          []lawRow
	AIActDates   []dateView // when EU law binds the buyer (aiact_dates.go)
	CanShare     bool       // the owner may turn the finished purchase into a practice
}

// stageKnowledge gathers the practices and law for a purchase at a stage.
func (s *Server) stageKnowledge(r *http.Request, lang string, p *model.Purchase, stage model.Stage) (*knowledgeData, error) {
	b := s.db.NewBatch()
	build := s.queueStageKnowledge(r, lang, p, stage, b)
	if err := b.Run(r.Context()); err != nil {
		return nil, err
	}
	return build()
}

// queueStageKnowledge queues the reads of stageKnowledge in b; what it
// returns builds the panel once b has run.
func (s *Server) queueStageKnowledge(r *http.Request, lang string, p *model.Purchase, stage model.Stage, b *store.Batch) func() (*knowledgeData, error) {
	d := &knowledgeData{Stage: stage, Hubs: hubsFor(p)}
	b.StagePractices(stage, d.Hubs, 5, &d.Practices)
	var law []*store.LawAnswer
	var defs []lawmap.QuestionDef
	var jurs []string
	lawOf := func(org *model.Organisation) {
		d.Jurisdiction = org.Jurisdiction
		if org.Jurisdiction == "" {
			return
		}
		jurs = []string{org.Jurisdiction}
		if slices.Contains(euMembers, org.Jurisdiction) {
			jurs = append(jurs, "EU")
		}
		b.ApprovedLawAnswersIn(jurs, &law)
		b.LabQuestionDefs(&defs)
	}
	// The buyer is usually the signed-in user's own organisation, already
	// loaded with the session; otherwise its law waits for it to be read.
	if u := currentUser(r); u != nil && u.Org != nil && u.Org.ID == p.OrgID {
		lawOf(u.Org)
	} else {
		var org *model.Organisation
		b.Org(p.OrgID, &org)
		b.Then(func(context.Context) error {
			if org == nil {
				return model.NotFound("organisation")
			}
			lawOf(org)
			return nil
		})
	}
	return func() (*knowledgeData, error) {
		if d.Jurisdiction == "" {
			return d, nil
		}
		if appliesEULaw(d.Jurisdiction) {
			set, _ := s.dd.current()
			d.AIActDates = aiActDates(set, lang)
		}
		q, err := labBuiltin()
		if err != nil {
			return nil, err
		}
		q = q.With(defs)
		cur := store.LawCurrent(law, "")
		for _, qid := range stageQuestions[stage] {
			for _, j := range jurs {
				a, ok := cur[j+"|"+qid]
				if !ok {
					continue
				}
				row := lawRow{A: a, Jurisdiction: j, Question: qid, Answer: labOption(q, qid, a.Answer.Answer, lang), AsOf: a.AsOf, Judgement: a.Judgement, Citations: a.Citations}
				if it, ok := q.Question(qid); ok {
					row.Title = it.Title.In(lang)
				}
				d.Law = append(d.Law, row)
			}
		}
		return d, nil
	}
}

// knowledgePanel is what the purchase page shows from the Learning Lab.
// Suppliers do not see it: it is the buyer's guidance.
func (s *Server) knowledgePanel(r *http.Request, p *model.Purchase, rel access.Relation, b *store.Batch) panelBuild {
	if rel != access.Owner && rel != access.Oversight {
		return noPanel
	}
	stage := p.Stage
	if !stage.Open() {
		stage = model.StageRenewalExit
	}
	build := s.queueStageKnowledge(r, langOf(r, s), p, stage, b)
	return func() (any, error) {
		d, err := build()
		if err != nil {
			return nil, err
		}
		d.CanShare = access.Can(currentUser(r), rel, access.Edit) && (p.Stage == model.StageRenewalExit || p.Stage == model.StageClosed || p.Stage == model.StageImplementation)
		return d, nil
	}
}
