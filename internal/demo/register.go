package demo

import (
	"context"
	"fmt"

	"buyright/internal/auth"
	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
)

// publications are the demo purchases their bodies chose to publish, with
// the plain-language words a resident reads in the register, in English and
// in the other languages of the public site.
var publications = map[string]map[string]string{
	"Fraud-risk scoring for housing and income benefits": {
		"en": "The city plans to use a statistical model to choose which benefit applications staff check first. The model would not decide on anyone's benefit by itself; claimants' and disability organisations are being consulted before the tender.",
		"pt": "A câmara pretende usar um modelo estatístico para escolher que pedidos de prestações sociais e de apoio à habitação os serviços verificam primeiro. O modelo não decidiria sozinho sobre a prestação de ninguém; as associações de beneficiários e de pessoas com deficiência estão a ser ouvidas antes do concurso.",
		"es": "El ayuntamiento quiere usar un modelo estadístico para decidir qué solicitudes de prestaciones revisa primero el personal. El modelo no decidiría por sí solo sobre la prestación de nadie; se está consultando a las asociaciones de beneficiarios y de personas con discapacidad antes de la licitación.",
		"fr": "La ville prévoit un modèle statistique pour choisir les demandes d’allocations que le personnel vérifie en premier. Le modèle ne déciderait seul de l’allocation de personne ; les associations d’allocataires et de personnes handicapées sont consultées avant l’appel d’offres.",
	},
	"Learning platform for the city's primary schools": {
		"en": "One online platform for homework, messages and learning materials in the city's primary schools. It does not grade pupils, and families without a computer can use the school's devices.",
		"pt": "Uma plataforma online para trabalhos de casa, mensagens e materiais de aprendizagem nas escolas básicas da cidade. Não avalia os alunos, e as famílias sem computador podem usar os equipamentos da escola.",
		"es": "Una plataforma en línea para deberes, mensajes y materiales de aprendizaje en los colegios de primaria de la ciudad. No califica al alumnado, y las familias sin ordenador pueden usar los equipos del colegio.",
		"fr": "Une plateforme en ligne pour les devoirs, les messages et les supports de cours des écoles primaires de la ville. Elle ne note pas les élèves, et les familles sans ordinateur peuvent utiliser les appareils de l’école.",
	},
	"Automated border gates at the international airport": {
		"en": "Gates at passport control compare a traveller's face with the photo in their passport. A border guard checks every mismatch, and anyone can ask to see a guard instead.",
		"pt": "Portas no controlo de passaportes comparam o rosto de quem viaja com a fotografia do passaporte. Um guarda de fronteira verifica cada discrepância, e qualquer pessoa pode pedir para ser atendida por um guarda.",
		"es": "Unas puertas en el control de pasaportes comparan la cara de la persona viajera con la foto de su pasaporte. Un agente de fronteras revisa cada discrepancia, y cualquiera puede pedir que le atienda un agente.",
		"fr": "Des portiques au contrôle des passeports comparent le visage du voyageur avec la photo de son passeport. Un garde-frontière vérifie chaque écart, et chacun peut demander à passer devant un garde.",
	},
	"Emergency contact-tracing app": {
		"en": "A voluntary phone app that warned people who had been near a confirmed case during the epidemic. The decree that allowed it has expired and the app is being switched off.",
		"pt": "Uma aplicação voluntária para telemóvel que avisava quem tinha estado perto de um caso confirmado durante a epidemia. O decreto que a permitia caducou e a aplicação está a ser desativada.",
		"es": "Una aplicación voluntaria para el móvil que avisaba a quien había estado cerca de un caso confirmado durante la epidemia. El decreto que la permitía ha expirado y la aplicación se está desactivando.",
		"fr": "Une application mobile facultative qui prévenait les personnes ayant été près d’un cas confirmé pendant l’épidémie. Le décret qui l’autorisait a expiré et l’application est en cours d’arrêt.",
	},
}

// seedRegister publishes some purchases and files one complaint that the
// city answered and escalated, so the public register, the complaints list
// and the oversight workspace all have something to show.
func seedRegister(ctx context.Context, db *store.DB, people map[string]*model.User, h auth.Hasher) error {
	officer := people["ana@portavera.example"]
	for _, u := range []*model.User{officer, people["lena@border.example"], people["joao@health.example"]} {
		list, err := db.Purchases(ctx, u, store.PurchaseFilter{PerPage: 100})
		if err != nil {
			return err
		}
		for _, p := range list.Items {
			words, ok := publications[p.Title]
			if !ok {
				continue
			}
			other := map[string]string{"pt": words["pt"], "es": words["es"], "fr": words["fr"]}
			if err := db.Publish(ctx, store.ActorOf(u), p, true, words["en"], other); err != nil {
				return fmt.Errorf("publishing %q: %w", p.Title, err)
			}
			if p.Title == "Fraud-risk scoring for housing and income benefits" {
				if err := seedComplaint(ctx, db, officer, p, h); err != nil {
					return err
				}
			}
			if p.Title == "Learning platform for the city's primary schools" {
				if err := seedDecidedComplaint(ctx, db, officer, people["bruno@nhri.example"], p, h); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// seedDecidedComplaint is a parent's complaint the city sent to the
// national human rights institution itself, which heard the city's account
// and upheld it: the decision opens a task on the purchase and its public
// version shows on the register entry.
func seedDecidedComplaint(ctx context.Context, db *store.DB, officer, overseer *model.User, p *model.Purchase, h auth.Hasher) error {
	code := grievance.NewCode()
	hash, err := h.Hash(code)
	if err != nil {
		return err
	}
	c := &store.Complaint{OrgID: p.OrgID, PurchaseID: p.ID, Lookup: grievance.Lookup(code), CodeHash: hash,
		Body: "The platform showed my son's learning-support plan to every parent in his class. The school says it was a setting of the supplier."}
	if err := db.CreateComplaint(ctx, c, nil); err != nil {
		return err
	}
	a := store.ActorOf(officer)
	if err := db.MoveComplaint(ctx, a, c, grievance.Acknowledged, ""); err != nil {
		return err
	}
	c.Status = grievance.Acknowledged
	if err := db.MoveComplaint(ctx, a, c, grievance.Escalated, ""); err != nil {
		return err
	}
	c.Status = grievance.Escalated
	if err := db.AnswerEscalation(ctx, a, c, "The supplier's default made class pages show attachments to all parents; it was changed the day we learned of it, and the school wrote to the family."); err != nil {
		return err
	}
	return db.DecideEscalation(ctx, store.ActorOf(overseer), overseer, c, store.EscalationDecision{Decision: grievance.DecisionUpheld,
		Text:   "A child's learning-support plan was shown to other parents because of a default setting the city had not checked. The city must check every sharing setting of the platform with the supplier, tell the families concerned, and report to us within 30 days.",
		Public: "A default setting of the school platform showed a pupil's support plan to other parents. The city must check every sharing setting with the supplier and tell the families concerned."})
}

func seedComplaint(ctx context.Context, db *store.DB, officer *model.User, p *model.Purchase, h auth.Hasher) error {
	code := grievance.NewCode() // thrown away: the demo person "lost" it
	hash, err := h.Hash(code)
	if err != nil {
		return err
	}
	c := &store.Complaint{OrgID: p.OrgID, PurchaseID: p.ID, Lookup: grievance.Lookup(code), CodeHash: hash,
		Body: "My housing benefit was stopped for two months while my file was 'under check'. Nobody told me why or how long it would take, and I had to borrow money for the rent."}
	if err := db.CreateComplaint(ctx, c, nil); err != nil {
		return err
	}
	a := store.ActorOf(officer)
	if err := db.MoveComplaint(ctx, a, c, grievance.Acknowledged, ""); err != nil {
		return err
	}
	c.Status = grievance.Acknowledged
	if err := db.AddComplaintMessage(ctx, a, c, true, officer.Org.Name, "We have received your complaint and restored your payments while we review what happened. We will write again within 30 days."); err != nil {
		return err
	}
	return db.MoveComplaint(ctx, a, c, grievance.Escalated, "")
}
