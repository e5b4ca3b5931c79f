package model

import "time"

// Stage is where a purchase is in its lifecycle.
type Stage string

const (
	StagePlanning         Stage = "planning"
	StageMarketEngagement Stage = "market_engagement"
	StageTenderDesign     Stage = "tender_design"
	StageAward            Stage = "award"
	StageContract         Stage = "contract"
	StageImplementation   Stage = "implementation"
	StageRenewalExit      Stage = "renewal_exit"
	StageClosed           Stage = "closed"
	StageCancelled        Stage = "cancelled"
)

// Stages lists the lifecycle in order; cancelled is outside the order.
var Stages = []Stage{
	StagePlanning, StageMarketEngagement, StageTenderDesign, StageAward,
	StageContract, StageImplementation, StageRenewalExit, StageClosed,
}

// AllStages is Stages plus cancelled, for filters and validation.
var AllStages = append(append([]Stage{}, Stages...), StageCancelled)

// Index is the position of s in the lifecycle, or -1 for cancelled and
// unknown stages.
func (s Stage) Index() int {
	for i, x := range Stages {
		if x == s {
			return i
		}
	}
	return -1
}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool { return s == StageCancelled || s.Index() >= 0 }

// Open reports whether work can still happen on a purchase in this stage.
func (s Stage) Open() bool { return s != StageClosed && s != StageCancelled }

// Next is the stage after s, or "" at the end.
func (s Stage) Next() Stage {
	i := s.Index()
	if i < 0 || i+1 >= len(Stages) {
		return ""
	}
	return Stages[i+1]
}

// GateFailure is one gate rule that did not pass, as recorded with an
// override.
type GateFailure struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// StageChange is one move of a purchase between stages.
type StageChange struct {
	ID         int64
	PurchaseID int64
	From, To   Stage
	UserName   string
	Reason     string
	At         time.Time
	Override   *GateOverride
}

// GateOverride is a move made although gate rules failed.
type GateOverride struct {
	ID            int64
	PurchaseID    int64
	PurchaseTitle string
	OrgName       string
	From, To      Stage
	Failed        []GateFailure
	Reason        string
	UserName      string
	At            time.Time
}

// Comment is a remark on a purchase by its owner or an oversight body.
type Comment struct {
	ID         int64
	PurchaseID int64
	UserName   string
	OrgName    string
	Body       string
	At         time.Time
}
