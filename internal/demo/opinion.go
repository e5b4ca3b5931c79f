package demo

import (
	"context"
	"fmt"

	"buyright/internal/model"
	"buyright/internal/opinion"
	"buyright/internal/store"
)

// cctvTitle is the purchase on which the demo shows an unfavourable
// opinion and the accountable head's public decision to go on.
const cctvTitle = "City-centre CCTV with video analytics"

// seedOpinions gives the national human rights institution opinions that
// count: its rules (every level IV purchase before tender design, every
// biometric system before tender design), its opinion with two conditions
// on the welfare fraud-scoring purchase for the purchase's next gate, a
// comment on one of that assessment's impacts and a note of its own; the
// city designates its approver as accountable head, who decides in public
// to go on after an unfavourable opinion on the city-centre cameras, and
// gives Northwind Biometrics, whose software the cameras' analytics run
// on, access to that purchase: the institution then follows one supplier
// (under contract at the border service) across two bodies. Each
// opinion is given for the purchase's next gate, whatever stage the demo
// left it in, and skipped when the purchase is closed.
func seedOpinions(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	bruno, marta, rui := people["bruno@nhri.example"], people["admin@portavera.example"], people["rui@portavera.example"]
	for _, r := range []*opinion.Rule{
		{MinLevel: 4, Before: model.StageTenderDesign, Days: 30},
		{Technology: "biometrics", Before: model.StageTenderDesign, Days: 45},
	} {
		if err := db.AddOpinionRule(ctx, store.ActorOf(bruno), bruno, r); err != nil {
			return fmt.Errorf("opinion rule: %w", err)
		}
	}
	if err := db.DesignateHead(ctx, store.ActorOf(marta), marta, rui.ID, true); err != nil {
		return fmt.Errorf("accountable head: %w", err)
	}

	p, err := findPurchase(ctx, db, bruno, welfareTitle)
	if err != nil {
		return err
	}
	if next := p.Stage.Next(); p.Stage.Open() && next != "" {
		o := &opinion.Opinion{Before: next, Verdict: opinion.Conditional,
			Reasons: "The institution met the council's team and read the draft assessment. Ordering checks by a risk score can be compatible with the right to social security " +
				"only if the score never stops or reduces a payment by itself, and if its errors do not fall harder on people with disabilities or on particular neighbourhoods. " +
				"The council has said it will not suspend payments automatically; the tender must bind the supplier to that, and the error rates must be known before the market is asked.",
			References: "International Covenant on Economic, Social and Cultural Rights, art. 9\nCommittee on Economic, Social and Cultural Rights, General Comment No. 19, paras. 77-78\n" +
				"UN Guiding Principles on Business and Human Rights, principle 5\nGDPR, art. 22",
			Conditions: []opinion.Condition{
				{Text: "The tender documents forbid any suspension, reduction or refusal of a payment on the score alone: a caseworker decides every payment and the claimant receives a notice with reasons.", Before: next},
				{Text: "Error rates of the model, by disability status and by neighbourhood, are measured on past applications and published with the assessment before the tender is designed.", Before: next},
			}}
		if err := db.IssueOpinion(ctx, store.ActorOf(bruno), bruno, p, o); err != nil {
			return fmt.Errorf("opinion on %q: %w", welfareTitle, err)
		}
	}
	if err := seedOversightNotes(ctx, db, bruno, p); err != nil {
		return err
	}

	cctv, err := findPurchase(ctx, db, bruno, cctvTitle)
	if err != nil {
		return err
	}
	ana := people["ana@portavera.example"]
	orgs, err := db.Orgs(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.Slug == "northwind" {
			if err := db.InviteSupplier(ctx, store.ActorOf(ana), cctv, o.ID); err != nil {
				return fmt.Errorf("invitation to %q: %w", cctvTitle, err)
			}
		}
	}
	if next := cctv.Stage.Next(); cctv.Stage.Open() && next != "" && next != model.StageClosed {
		bad := &opinion.Opinion{Before: next, Verdict: opinion.Unfavourable,
			Reasons: "The cameras were switched on before any assessment, by an override, and the analytics software includes face matching that the council did not ask for and has not switched off in writing. " +
				"Renewing or extending the system on that footing would keep everyone in the city centre, including people attending demonstrations, under a capability that no law authorises.",
			References: "European Convention on Human Rights, art. 8 and 11\nEU AI Act, art. 5(1)(h)"}
		if err := db.IssueOpinion(ctx, store.ActorOf(bruno), bruno, cctv, bad); err != nil {
			return fmt.Errorf("opinion on %q: %w", cctvTitle, err)
		}
		if _, err := db.DecideToProceed(ctx, store.ActorOf(rui), rui, cctv, bad.ID,
			"The supplier removed the face-matching module on the council's written instruction, confirmed by the municipal police's technical report. "+
				"The council goes on to the renewal review so that the review itself, with the institution's findings, decides whether the cameras stay; it will be published."); err != nil {
			return fmt.Errorf("decision on %q: %w", cctvTitle, err)
		}
	}
	return nil
}

// seedOversightNotes writes the institution's comment on the disability
// impact of the welfare assessment (shared with the council) and its own
// working assessment (kept to itself).
func seedOversightNotes(ctx context.Context, db *store.DB, bruno *model.User, p *model.Purchase) error {
	v, err := db.Assessment(ctx, p.ID)
	if err != nil {
		return err
	}
	if v != nil {
		for _, im := range v.Doc.Impacts {
			if im.Right != "R-EQ" {
				continue
			}
			n := &opinion.Note{Kind: opinion.KindNote, Part: opinion.Impact, PartID: im.ID, Shared: true,
				Body: "A likelihood of 3 seems low for claimants whose income comes from care allowances: the model was trained on past checks that treated irregular income as a warning sign. Please show how the residual rating was reached."}
			if err := db.AddOversightNote(ctx, store.ActorOf(bruno), bruno, p, n); err != nil {
				return fmt.Errorf("oversight comment: %w", err)
			}
		}
	}
	own := &opinion.Note{Kind: opinion.KindAssessment, Title: "Working assessment: welfare fraud scoring",
		Body: "High risk to the right to social security and to equality. Priority: follow the bias test by group and the wording of the tender on human decisions. Review again at award."}
	return db.AddOversightNote(ctx, store.ActorOf(bruno), bruno, p, own)
}
