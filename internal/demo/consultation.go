package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/auth"
	"buyright/internal/catalog"
	"buyright/internal/consultation"
	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The fraud-scoring purchase's consultation, run in Portuguese and English
// some weeks ago: the Claimants' Rights Association responded from its
// account with its opinion attached, two people responded through the
// public form (one response hidden for naming a neighbour), the city
// answered each point and published its report, which now shows on the
// register entry and in the assessment's engagement record. Marta, of the
// association, follows the purchase.

var marta = userSpec{"claimants", "marta@claimants.example", "Marta Ferreira", model.RoleViewer, false,
	"civil society: responds to the city's consultation, follows purchases, reads what her association sent"}

var consultationTexts = []consultation.Text{
	{Lang: "pt", Title: "Pontuação de risco nos pedidos de prestações",
		Summary:   "A câmara quer usar um modelo estatístico para decidir que pedidos de apoio à habitação e de complemento de rendimento são verificados primeiro. Cerca de 40 000 agregados pedem estas prestações todos os anos, muitos deles sem poupanças.",
		Deciding:  "Se o modelo é comprado e com que salvaguardas: se uma pontuação alta pode suspender um pagamento, que dados entram no modelo, como as pessoas são avisadas e como podem contestar. A necessidade de verificar os pedidos não está em consulta.",
		Questions: []string{"Que riscos vê para as pessoas que pedem estas prestações?", "Que salvaguardas devem ser exigidas ao fornecedor e à câmara?", "Como devem as pessoas ser informadas de uma verificação e dos seus motivos?"},
		Use:       "Lemos todas as participações. No relatório respondemos a cada ponto: o que mudámos, ou porque não. As conclusões entram na avaliação de impacto nos direitos humanos antes de o concurso ser preparado.",
		Access:    "Peça uma versão em leitura fácil, em papel ou com interpretação em língua gestual pelo 800 200 300 ou no balcão de ação social. Pode também responder por telefone ou marcar uma reunião."},
	{Lang: "en", Title: "Risk scoring of benefit claims",
		Summary:   "The city wants to use a statistical model to decide which claims for housing benefit and the income supplement are checked first. About 40,000 households claim these benefits every year, many of them with no savings.",
		Deciding:  "Whether the model is bought, and with which safeguards: whether a high score may suspend a payment, which data go into the model, how people are told and how they can challenge it. The need to check claims is not under consultation.",
		Questions: []string{"What risks do you see for the people who claim these benefits?", "Which safeguards should be required of the supplier and of the city?", "How should people be told of a check and of its reasons?"},
		Use:       "We read every response. In the report we answer each point: what we changed, or why not. The conclusions go into the human-rights impact assessment before the tender is designed.",
		Access:    "Ask for an easy-read, paper or sign-language version on 800 200 300 or at the social services desk. You can also respond by telephone or ask for a meeting."},
}

// minimalPDF is a small valid PDF for the association's opinion.
var minimalPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// seedConsultation adds Marta to the demo people and runs the consultation.
func seedConsultation(ctx context.Context, db *store.DB, h auth.Hasher, orgs map[string]*model.Organisation, people map[string]*model.User, accounts *[]Account) error {
	pw := auth.NewPassword()
	hash, err := h.Hash(pw)
	if err != nil {
		return err
	}
	org := orgs[marta.org]
	m := &model.User{OrgID: org.ID, Email: marta.email, Name: marta.name, Role: marta.role}
	if err := db.CreateUser(ctx, store.System, m, hash); err != nil {
		return fmt.Errorf("demo user %s: %w", marta.email, err)
	}
	m.Org = org
	people[marta.email] = m
	*accounts = append(*accounts, Account{Email: marta.email, Password: pw, Role: string(marta.role), Org: org.Name, What: marta.what})

	ana := people["ana@portavera.example"]
	p, err := findPurchase(ctx, db, ana, welfareTitle)
	if err != nil {
		return err
	}
	a := store.ActorOf(ana)
	// What happened weeks ago is recorded on the days it happened: the
	// database's clock is set back while it is written, then restored.
	now := db.Now
	defer func() { db.Now = now }()
	at := func(days int) { db.Now = func() time.Time { return now().AddDate(0, 0, days) } }

	at(-40)
	c := &consultation.Consultation{Deadline: model.DateOf(now()).AddDays(-19), Texts: consultationTexts,
		Formats: []consultation.Format{"easy_read", "sign_language", "paper", "meeting", "phone"}}
	if err := db.CreateConsultation(ctx, a, p, c); err != nil {
		return err
	}
	if err := db.OpenConsultation(ctx, a, c); err != nil {
		return err
	}
	if err := db.InviteToConsultation(ctx, a, c, org.ID); err != nil {
		return err
	}
	at(-33)
	assoc, err := db.AddConsultationResponse(ctx, c, store.ResponseInput{Kind: consultation.Organisation, OrgID: org.ID, UserID: m.ID, Lang: "pt",
		Answers: []string{
			"As famílias que acompanhamos não têm poupanças: uma suspensão de duas semanas significa rendas em atraso e dívidas. Verificações passadas visaram sobretudo alguns bairros.",
			"Nenhuma pontuação pode suspender ou atrasar um pagamento. O bairro e a nacionalidade não podem entrar no modelo. Revisão por uma pessoa, com decisão escrita e fundamentada.",
			"Uma carta em linguagem simples antes da verificação, com os motivos e um contacto, e a possibilidade de pedir a pontuação e as suas razões.",
			"Juntamos o parecer aprovado pela direção da associação.",
		},
		Files: []consultation.File{{Name: "parecer-associacao.pdf", CType: "application/pdf", Data: minimalPDF}}})
	if err != nil {
		return err
	}
	at(-28)
	person, err := publicResponse(ctx, db, h, c, "en", []string{
		"",
		"A person should look at my file before anything happens to my payments.",
		"The letter I got last year said my claim was “under check” and nothing else. I did not know what they wanted or how long it would take.",
		"I am a single mother working part-time; my income changes every month, which already looks suspicious to the office.",
	})
	if err != nil {
		return err
	}
	at(-24)
	hidden, err := publicResponse(ctx, db, h, c, "pt", []string{
		"A minha vizinha, que vive no segundo andar do número 14 da rua do Mercado, recebe prestações sem ter direito.", "", "", ""})
	if err != nil {
		return err
	}
	if err := db.HideResponse(ctx, a, c, hidden, "personal_data", "Identifica uma vizinha e a sua morada; o resto da participação não trata da consulta."); err != nil {
		return err
	}
	db.Now = now

	answers := []struct {
		a        consultation.Answer
		response int64
	}{
		{consultation.Answer{Said: "A score must never suspend or delay a payment: the families concerned have no savings, and past checks fell on some neighbourhoods more than others.",
			Outcome: consultation.Changed,
			Did:     "Automatic suspension is taken out of the specification: the score only orders the queue of checks, and every decision is a caseworker's, in writing and with reasons. Neighbourhood and nationality are excluded from the model's data."}, assoc},
		{consultation.Answer{Said: "People must be told of a check in words they understand, with its reasons and a contact, and someone must look at their file before anything happens.",
			Outcome: consultation.Partly,
			Did:     "An easy-read letter with the reasons for the check and a free phone line go out before any check; a caseworker reviews every file that is checked.",
			WhyNot:  "Irregular income will still be one of the model's inputs, because it is linked to most overpayments; care allowances are left out of it, and the assessment rates the risk for single parents as high."}, person},
	}
	for _, x := range answers {
		ans := x.a
		if err := db.SaveAnswer(ctx, a, c, &ans, []int64{x.response}); err != nil {
			return err
		}
	}
	words := map[string]string{
		"pt": "Recebemos três participações: uma da Associação de Defesa dos Beneficiários e duas de pessoas a título individual, uma das quais ocultada por identificar uma vizinha. A pontuação não vai suspender pagamentos: ordenará apenas a fila de verificações, e cada decisão será tomada por um técnico, por escrito e com fundamentação. O bairro e a nacionalidade ficam fora do modelo, e as cartas passam a ser em leitura fácil, com os motivos e uma linha telefónica gratuita. Estas alterações entram no caderno de encargos e na avaliação de impacto.",
		"en": "We received three responses: one from the Claimants' Rights Association and two from members of the public, one of them hidden because it named a neighbour. The score will not suspend payments: it will only order the queue of checks, and every decision will be a caseworker's, in writing and with reasons. Neighbourhood and nationality stay out of the model, and letters will be in easy-read language with the reasons and a free phone line. These changes go into the specification and the impact assessment.",
	}
	if err := db.SaveReportWords(ctx, a, c, words); err != nil {
		return err
	}
	set, err := catalog.Load("")
	if err != nil {
		return err
	}
	var said, did []string
	for _, x := range answers {
		said = append(said, "- "+x.a.Said)
		d := "- " + x.a.Did
		if x.a.WhyNot != "" {
			d += " (Why not: " + x.a.WhyNot + ")"
		}
		did = append(did, d)
	}
	e := assessment.Engagement{Who: "Public consultation: " + c.Title("en"),
		How:  fmt.Sprintf("Public consultation on buyright, open from %s to %s, in Português and English: 3 responses (1 from organisations, 2 from the public, 1 hidden under the moderation rules).", c.OpenedOn, c.Deadline),
		When: model.DateOf(now()).String(), Raised: strings.Join(said, "\n"), Answer: strings.Join(did, "\n"),
		Attachments: fmt.Sprintf("/consultations/%d", c.ID), Participants: []int64{org.ID}}
	if err := db.PublishConsultationReport(ctx, a, p, c, e, set.Hash()); err != nil {
		return err
	}
	// The association is named in the meeting it held with the city.
	if _, err := db.EditAssessment(ctx, a, p, "engagement", set.Hash(), func(d *assessment.Doc) error {
		for i := range d.Engagements {
			if d.Engagements[i].Who == orgs["claimants"].Name {
				d.Engagements[i].Participants = []int64{org.ID}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := db.Follow(ctx, store.ActorOf(m), m, p.ID); err != nil {
		return err
	}
	return seedOpenConsultation(ctx, db, a, ana)
}

// seedOpenConsultation opens a consultation that still takes responses,
// on the school platform in use, so a newcomer can respond to one.
func seedOpenConsultation(ctx context.Context, db *store.DB, a store.Actor, ana *model.User) error {
	p, err := findPurchase(ctx, db, ana, "Learning platform for the city's primary schools")
	if err != nil {
		return err
	}
	c := &consultation.Consultation{Deadline: model.DateOf(db.Now()).AddDays(30), Formats: []consultation.Format{"easy_read", "paper", "meeting"},
		Texts: []consultation.Text{
			{Lang: "en", Title: "The school platform after its first year",
				Summary:   "Since last year pupils, parents and teachers of the city's primary schools use one online platform for homework, messages and learning materials. Before its first review we want to hear how it works for families, above all those without a computer at home or whose children have special educational needs.",
				Deciding:  "What the review asks the supplier to change, and whether the contract is renewed as it is. Using one platform is not under consultation.",
				Questions: []string{"What works, and what does not, for your family?", "What stops some families from using it?"},
				Use:       "We answer every point in a report published here after the deadline, and the review of the contract takes it into account."},
			{Lang: "pt", Title: "A plataforma escolar depois do primeiro ano",
				Summary:   "Desde o ano passado, alunos, pais e professores das escolas básicas da cidade usam uma única plataforma online para trabalhos de casa, mensagens e materiais. Antes da primeira revisão queremos saber como funciona para as famílias, sobretudo as que não têm computador em casa ou cujos filhos têm necessidades educativas especiais.",
				Deciding:  "O que a revisão pede ao fornecedor que mude, e se o contrato é renovado tal como está. O uso de uma só plataforma não está em consulta.",
				Questions: []string{"O que funciona, e o que não funciona, para a sua família?", "O que impede algumas famílias de a usar?"},
				Use:       "Respondemos a cada ponto num relatório publicado aqui depois do prazo, e a revisão do contrato tem-no em conta."},
		}}
	if err := db.CreateConsultation(ctx, a, p, c); err != nil {
		return err
	}
	return db.OpenConsultation(ctx, a, c)
}

// publicResponse files a response through the public channel as a person
// would, without a name; the receipt code is thrown away (the demo person
// did not keep it).
func publicResponse(ctx context.Context, db *store.DB, h auth.Hasher, c *consultation.Consultation, lang string, answers []string) (int64, error) {
	code := grievance.NewCode()
	hash, err := h.Hash(code)
	if err != nil {
		return 0, err
	}
	return db.AddConsultationResponse(ctx, c, store.ResponseInput{Kind: consultation.Public, Lang: lang, Answers: answers,
		Lookup: grievance.Lookup(code), CodeHash: hash})
}
