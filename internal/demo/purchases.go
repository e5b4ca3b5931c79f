package demo

import "buyright/internal/model"

func techs(ts ...model.Technology) []model.Technology { return ts }

// purchases are the demo purchases, dated relative to today so that the
// dashboard always has something due.
func purchases(today model.Date) []purchaseSpec {
	d := today.AddDays
	return []purchaseSpec{
		{
			org: "portavera", lead: "ana@portavera.example", approver: "rui@portavera.example",
			stage: model.StageMarketEngagement, invite: "civitas",
			p: model.Purchase{
				Title:   "Fraud-risk scoring for housing and income benefits",
				Need:    "Benefit staff check about 40,000 applications a year by hand and find overpayments late, which then have to be clawed back from households with little money.",
				Purpose: "A statistical model would score each new application for the risk of error or fraud, so that staff check the highest-scoring ones first. The supplier has proposed that a high score suspends payment automatically until a check is done.",
				Sector:  "social_protection", Technologies: techs("automated_decisions", "data_platform"),
				AffectedPeople:   "All applicants for housing benefit and the municipal income supplement, about 40,000 households, and the staff who handle their files.",
				VulnerableGroups: "Single parents, people with disabilities, older people living alone, migrants with limited Portuguese, people in debt or at risk of eviction.",
				LegalBasis:       "Municipal Social Assistance Regulation, art. 14 (verification of eligibility); processing of personal data under GDPR art. 6(1)(e). Whether the regulation allows profiling across other registers is not yet settled.",
				ValueMinor:       85000000, Currency: "EUR", Funding: "own_budget",
				TenderDate: d(60), ReviewDate: d(30),
			},
			comments: []comment{
				{"bruno@nhri.example", "Please record how claimants' organisations will be involved before the tender is designed, and whether automatic suspension of payments is still on the table. Suspension without a human decision would raise serious concerns under the right to social security."},
				{"ines@portavera.example", "The disability organisation has asked for a meeting in an accessible venue; I will propose two dates."},
			},
		},
		{
			org: "portavera", lead: "ana@portavera.example", approver: "rui@portavera.example",
			stage: model.StageImplementation, overrideReason: "The council's security committee required the cameras to run before the summer festival; a review date will be set after the first month of operation.",
			p: model.Purchase{
				Title:   "City-centre CCTV with video analytics",
				Need:    "Residents and shop owners report theft and violence around the night-time district and the central station.",
				Purpose: "Forty cameras with software that detects crowding, falls and abandoned objects and alerts the municipal police control room. The supplier's software also offers face matching, which the council has not asked for.",
				Sector:  "policing", Technologies: techs("surveillance", "automated_decisions", "hardware"),
				AffectedPeople:   "Everyone who passes through the city centre: residents, workers, visitors, people attending demonstrations.",
				VulnerableGroups: "People experiencing homelessness who sleep in the station area, young people, sex workers, protesters.",
				LegalBasis:       "Law on video surveillance in public places by security forces; authorisation by the ministry required per camera.",
				ValueMinor:       132000000, Currency: "EUR", Funding: "national", Funder: "Urban Security Programme",
				TenderDate: d(-200), AwardDate: d(-120), ContractStart: d(-90), ContractEnd: d(1000),
			},
		},
		{
			org: "portavera", lead: "ana@portavera.example", approver: "rui@portavera.example",
			stage: model.StageImplementation,
			p: model.Purchase{
				Title:   "Learning platform for the city's primary schools",
				Need:    "Teachers and families need one place for homework, messages and learning materials; today each school uses different free tools.",
				Purpose: "A hosted learning platform with accounts for 9,000 pupils, their parents and 700 teachers; no automated grading.",
				Sector:  "education", Technologies: techs("apps", "data_platform"),
				AffectedPeople:   "Pupils aged 6 to 10, their parents or guardians, and teachers.",
				VulnerableGroups: "Children; families without a computer or stable internet at home; pupils with special educational needs.",
				LegalBasis:       "Education Act, duties of municipalities for primary schools; GDPR art. 6(1)(e) and art. 8 for children's data.",
				ValueMinor:       31000000, Currency: "EUR", Funding: "eu_funds", Funder: "Recovery and Resilience Facility",
				TenderDate: d(-400), AwardDate: d(-330), ContractStart: d(-300), ContractEnd: d(800), ReviewDate: d(45),
			},
		},
		{
			org: "portavera", lead: "ana@portavera.example", approver: "rui@portavera.example",
			stage: model.StageTenderDesign,
			p: model.Purchase{
				Title:   "Laptops for teachers and pupils",
				Need:    "Replace 3,000 laptops that no longer receive security updates.",
				Purpose: "Buy laptops with a five-year repair and parts guarantee; the electronics supply chain carries known risks of forced labour and unsafe work in component and assembly factories.",
				Sector:  "education", Technologies: techs("hardware", "goods"),
				AffectedPeople:   "Teachers and pupils who use the laptops; workers in the supply chain who make them.",
				VulnerableGroups: "Migrant and student workers in assembly factories; children using the devices.",
				LegalBasis:       "Public Procurement Code; the council's sustainable procurement policy.",
				ValueMinor:       195000000, Currency: "EUR", Funding: "own_budget", TenderDate: d(20),
			},
		},
		{
			org: "health-agency", lead: "joao@health.example", approver: "joao@health.example",
			stage: model.StageAward, overrideReason: "",
			p: model.Purchase{
				Title:   "Moving national health records to a cloud provider",
				Need:    "The agency's own data centre reaches end of life in 18 months and cannot be expanded.",
				Purpose: "Host the electronic health records of the national health service with a commercial cloud provider, including backups and analytics tools.",
				Sector:  "health", Technologies: techs("data_platform"),
				AffectedPeople:   "Every patient of the national health service, about 10 million people, and health professionals.",
				VulnerableGroups: "People with stigmatised conditions (HIV, mental health, addiction), undocumented migrants who fear data sharing, children.",
				LegalBasis:       "Health Data Act, art. 9 (central health record); GDPR art. 9(2)(h) for health data.",
				ValueMinor:       2400000000, Currency: "EUR", Funding: "national",
				TenderDate: d(-100), AwardDate: d(10),
			},
		},
		{
			org: "courts", lead: "paulo@courts.example", approver: "paulo@courts.example",
			stage: model.StagePlanning,
			p: model.Purchase{
				Title:   "Algorithm to allocate cases among judges",
				Need:    "Case loads differ widely between judges; manual allocation is slow and sometimes questioned.",
				Purpose: "Software that assigns new cases to judges by weighted random draw, taking complexity and current load into account.",
				Sector:  "justice", Technologies: techs("automated_decisions"),
				VulnerableGroups: "Parties to proceedings, including people without a lawyer.",
				ValueMinor:       12000000, Currency: "EUR",
			},
		},
		{
			org: "health-agency", lead: "joao@health.example", approver: "joao@health.example",
			stage: model.StageRenewalExit,
			p: model.Purchase{
				Title:   "Emergency contact-tracing app",
				Need:    "During an epidemic wave, manual contact tracing could not keep up.",
				Purpose: "A phone app that records proximity to other phones by Bluetooth and warns people who were near a confirmed case. Use is voluntary.",
				Sector:  "health", Technologies: techs("apps", "data_platform"),
				AffectedPeople:   "Everyone who installs the app and the people they meet.",
				VulnerableGroups: "People without a smartphone, older people, people for whom quarantine means lost income.",
				LegalBasis:       "Temporary decree on epidemic measures, art. 5, valid until its sunset date.",
				ValueMinor:       4500000, Currency: "EUR", Funding: "national", Emergency: true,
				TenderDate: d(-700), AwardDate: d(-690), ContractStart: d(-685), ContractEnd: d(-5),
				ReviewDate: d(-30), SunsetDate: d(-5),
			},
		},
		{
			org: "border-agency", lead: "lena@border.example", approver: "lena@border.example",
			stage: model.StageImplementation, invite: "northwind",
			p: model.Purchase{
				Title:   "Automated border gates at the international airport",
				Need:    "Queues at passport control exceed two hours in summer.",
				Purpose: "Twenty gates that compare the traveller's face with the passport chip photo; a border guard reviews every mismatch.",
				Sector:  "migration", Technologies: techs("biometrics", "automated_decisions", "hardware"),
				AffectedPeople:   "Adult travellers holding biometric passports of eligible countries, and border guards.",
				VulnerableGroups: "People whose faces current systems match less accurately, people with disabilities, asylum seekers (who must be able to reach a guard).",
				LegalBasis:       "Schengen Borders Code, art. 8a-8g (automated border control); national border law.",
				ValueMinor:       760000000, Currency: "EUR", Funding: "eu_funds", Funder: "Border Management and Visa Instrument",
				TenderDate: d(-500), AwardDate: d(-420), ContractStart: d(-400), ContractEnd: d(1400), ReviewDate: d(75),
			},
		},
		{
			org: "border-agency", lead: "lena@border.example", approver: "lena@border.example",
			stage: model.StageMarketEngagement,
			p: model.Purchase{
				Title:   "Biometric enrolment for a cash-transfer programme",
				Need:    "A social-protection programme for refugees and host families must confirm who receives monthly transfers.",
				Purpose: "Enrol fingerprints and iris scans of adult beneficiaries, issue cards and check identity at payout points.",
				Sector:  "social_protection", Technologies: techs("biometrics", "digital_identity", "data_platform"),
				AffectedPeople:   "About 60,000 beneficiaries of the programme and the staff at payout points.",
				VulnerableGroups: "Refugees and asylum seekers, older people and manual workers whose fingerprints read poorly, women who need their own card.",
				LegalBasis:       "Programme agreement with the lender; national social protection law, art. 22.",
				ValueMinor:       540000000, Currency: "EUR", Funding: "ifi", Funder: "Regional development bank loan",
				TenderDate: d(120),
			},
		},
		{
			// The level III purchase a newcomer can take from the tender pack
			// to the exit (README, "Follow a purchase to the exit").
			org: "portavera", lead: "ana@portavera.example", approver: "rui@portavera.example",
			stage: model.StageTenderDesign,
			p: model.Purchase{
				Title:   portalTitle,
				Need:    "Housing-benefit applications arrive on paper and by e-mail; staff retype them and applicants wait weeks to hear what is missing.",
				Purpose: "A hosted web portal where people apply, upload documents and follow their application; staff still decide every application. The council plans to close the paper route once the portal works.",
				Sector:  "social_protection", Technologies: techs("apps", "data_platform"),
				AffectedPeople:   "About 8,000 households applying for housing benefit each year, and the benefit staff.",
				VulnerableGroups: "Older people, people on low incomes without a computer or reliable internet, people with disabilities, people with limited Portuguese.",
				LegalBasis:       "Municipal Social Assistance Regulation, art. 9 (applications); GDPR art. 6(1)(e).",
				ValueMinor:       42000000, Currency: "EUR", Funding: "own_budget",
				TenderDate: d(30), ReviewDate: d(400),
			},
		},
		{
			org: "portavera", lead: "ana@portavera.example", approver: "rui@portavera.example",
			stage: model.StageCancelled, overrideReason: "The council chose to run the shelters' reception with its own staff after consulting residents.",
			p: model.Purchase{
				Title:   "Private security guarding for homeless shelters",
				Need:    "Night-time incidents at two shelters.",
				Purpose: "Contract a private security company for night-time guarding; guards' labour conditions and their conduct towards residents are the main risks.",
				Sector:  "housing", Technologies: techs("services"),
				AffectedPeople:   "Shelter residents, shelter staff and the guards.",
				VulnerableGroups: "People experiencing homelessness, including people with mental-health conditions and migrants.",
				LegalBasis:       "Private Security Act; municipal social services regulation.",
				ValueMinor:       48000000, Currency: "EUR", Funding: "own_budget",
			},
		},
	}
}
