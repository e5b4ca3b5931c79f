// Package demo fills an empty database with fictional organisations, people
// and purchases written for buyright, so a newcomer can try every stage.
// Every name is invented; the situations are typical of real ones.
package demo

import (
	"context"
	"fmt"

	"buyright/internal/auth"
	"buyright/internal/model"
	"buyright/internal/store"
)

// Account is a demo sign-in to print for the newcomer.
type Account struct {
	Email, Password, Role, Org, What string
}

type orgSpec struct {
	slug, name string
	kind       model.OrgKind
	juris      string
}

var orgs = []orgSpec{
	{"portavera", "Portavera City Council", model.OrgPublicBody, "PT"},
	{"health-agency", "National Health Data Agency", model.OrgPublicBody, "PT"},
	{"border-agency", "Border and Migration Service", model.OrgPublicBody, "PT"},
	{"courts", "Courts Administration Service", model.OrgPublicBody, "PT"},
	{"nhri", "National Human Rights Institution", model.OrgOversight, "PT"},
	{"civitas", "Civitas Analytics Ltd", model.OrgSupplier, "NL"},
	{"northwind", "Northwind Biometrics SA", model.OrgSupplier, "FR"},
	{"claimants", "Claimants' Rights Association", model.OrgCivilSociety, "PT"},
	{"institute", "Institute for Procurement and Rights Research", model.OrgCivilSociety, "PT"},
	// The site's operators belong to no organisation of the story: the
	// site administrator must not read as staff of the human rights
	// institution (or of any body it oversees).
	{"operators", "buyright site operations", model.OrgCivilSociety, "PT"},
}

type userSpec struct {
	org, email, name string
	role             model.Role
	siteAdmin        bool
	what             string
}

var users = []userSpec{
	{"portavera", "ana@portavera.example", "Ana Sousa", model.RoleOfficer, false, "procurement officer: registers and moves purchases"},
	{"portavera", "rui@portavera.example", "Rui Matos", model.RoleApprover, false, "approver: may override a failed gate with a reason"},
	{"portavera", "ines@portavera.example", "Inês Faria", model.RoleAssessor, false, "assessor: writes and edits the human-rights impact assessment, reviews suppliers' due-diligence answers and comments; may not edit, move or sign off the purchase"},
	{"portavera", "admin@portavera.example", "Marta Lopes", model.RoleAdmin, false, "administrator of the city council's people"},
	{"portavera", "sara@portavera.example", "Sara Neves", model.RoleComplaints, false, "complaints handler: the only person at the council who may read a named complainant's identity (each reading is audited)"},
	{"health-agency", "joao@health.example", "João Pires", model.RoleOfficer, false, "officer at another public body: sees none of the city's purchases"},
	{"health-agency", "carla@health.example", "Carla Dias", model.RoleApprover, false, "approver at the health data agency"},
	{"border-agency", "lena@border.example", "Lena Costa", model.RoleApprover, false, "approver at the border service"},
	{"courts", "paulo@courts.example", "Paulo Reis", model.RoleOfficer, false, "officer at the courts service"},
	{"nhri", "bruno@nhri.example", "Bruno Almeida", model.RoleOversight, false, "oversight body: reads and comments on every public body in its remit; also a Lab reviewer"},
	{"civitas", "chen@civitas.example", "Chen Wei", model.RoleSupplier, false, "supplier: sees only the purchases it is invited to; holds the contract of the front-desk booking service"},
	{"operators", "operator@buyright.example", "Site operator", model.RoleAdmin, true, "site administrator: organisations, remits, catalogues and Learning Lab membership; appoints the Lab's network roles"},
	{"institute", "sofia@research.example", "Sofia Mendes", model.RoleViewer, false, "researcher: proposes law-map answers and practices in the Learning Lab"},
	{"institute", "helena@research.example", "Helena Rocha", model.RoleViewer, false, "Lab reviewer and lead of the digital public services hub (may not review her colleague Sofia's work)"},
	{"claimants", "teresa@claimants.example", "Teresa Nunes", model.RoleViewer, false, "Lab editor and network lead: publishes what reviewers approved, keeps jurisdictions and questions"},
}

// Seed loads the demo into an empty database and returns the sign-ins.
func Seed(ctx context.Context, db *store.DB, h auth.Hasher) ([]Account, error) {
	if n, err := db.CountUsers(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, fmt.Errorf("demo: the database already has people in it; use an empty database for --demo")
	}
	byslug := map[string]*model.Organisation{}
	for _, o := range orgs {
		org := &model.Organisation{Slug: o.slug, Name: o.name, Kind: o.kind, Jurisdiction: o.juris}
		if err := db.CreateOrg(ctx, store.System, org); err != nil {
			return nil, fmt.Errorf("demo organisation %s: %w", o.slug, err)
		}
		byslug[o.slug] = org
	}
	var publics []int64
	for _, o := range orgs {
		if o.kind == model.OrgPublicBody {
			publics = append(publics, byslug[o.slug].ID)
		}
	}
	if err := db.SetRemit(ctx, store.System, byslug["nhri"].ID, publics); err != nil {
		return nil, err
	}
	var accounts []Account
	people := map[string]*model.User{}
	for _, u := range users {
		pw := auth.NewPassword()
		hash, err := h.Hash(pw)
		if err != nil {
			return nil, err
		}
		org := byslug[u.org]
		nu := &model.User{OrgID: org.ID, Email: u.email, Name: u.name, Role: u.role, SiteAdmin: u.siteAdmin}
		if err := db.CreateUser(ctx, store.System, nu, hash); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.email, err)
		}
		nu.Org = org
		people[u.email] = nu
		accounts = append(accounts, Account{Email: u.email, Password: pw, Role: string(u.role), Org: org.Name, What: u.what})
	}
	// Every purchase is walked through the same gates the web pages use,
	// with its screening, assessment, evidence and any override's reason.
	e, err := newEnv(ctx, db, byslug, people)
	if err != nil {
		return nil, err
	}
	for _, spec := range purchases(model.DateOf(db.Now())) {
		if _, err := e.walk(spec); err != nil {
			return nil, fmt.Errorf("demo purchase %q: %w", spec.p.Title, err)
		}
	}
	if err := seedRegister(ctx, db, people, h); err != nil {
		return nil, fmt.Errorf("demo register: %w", err)
	}
	if err := seedLab(ctx, db); err != nil {
		return nil, fmt.Errorf("demo learning lab: %w", err)
	}
	// The supplier invited to the welfare purchase answers its
	// questionnaire; the Lab's members' space and network follow.
	if err := seedSupplierDD(ctx, db, people); err != nil {
		return nil, fmt.Errorf("demo supplier due diligence: %w", err)
	}
	if err := seedAfterAward(e); err != nil {
		return nil, fmt.Errorf("demo after award: %w", err)
	}
	roles, err := seedLabRoles(ctx, db, people)
	if err != nil {
		return nil, fmt.Errorf("demo lab roles: %w", err)
	}
	for i := range accounts {
		if r := roles[accounts[i].Email]; r != "" {
			accounts[i].Role += ", " + r
		}
	}
	if err := seedLabMembers(ctx, db, people); err != nil {
		return nil, fmt.Errorf("demo members' repository: %w", err)
	}
	if err := seedLabReviews(ctx, db, people); err != nil {
		return nil, fmt.Errorf("demo lab reviews: %w", err)
	}
	if err := seedConsultation(ctx, db, h, byslug, people, &accounts); err != nil {
		return nil, fmt.Errorf("demo consultation: %w", err)
	}
	if err := seedOpinions(ctx, db, people); err != nil {
		return nil, fmt.Errorf("demo oversight opinions: %w", err)
	}
	if accounts, err = seedNexus(ctx, db, h, byslug, people, accounts); err != nil {
		return nil, fmt.Errorf("demo licence, State requests and firewall: %w", err)
	}
	if err := seedImported(ctx, db); err != nil {
		return nil, fmt.Errorf("demo imported releases: %w", err)
	}
	if err := markLabMembers(ctx, db, accounts); err != nil {
		return nil, err
	}
	return accounts, nil
}

// markLabMembers adds "Learning Lab member" to the printed role of each
// person whose organisation is in the Lab's network, so a researcher knows
// which account proposes law answers and practices.
func markLabMembers(ctx context.Context, db *store.DB, accounts []Account) error {
	for i := range accounts {
		u, _, err := db.UserForSignIn(ctx, accounts[i].Email)
		if err != nil {
			return err
		}
		in, err := db.IsLabMember(ctx, u.OrgID)
		if err != nil {
			return err
		}
		if in {
			accounts[i].Role += ", Learning Lab member"
		}
	}
	return nil
}
