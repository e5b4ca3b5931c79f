package assessment

// Grid counts impacts per cell of the 4×4 severity × likelihood map. Cell
// [s-1][l-1] holds the impacts of severity s and likelihood l.
type Grid struct {
	Cells   [4][4][]int // impact ids
	Unrated int         // impacts with no rating (residual not yet assessed)
}

// Count is the number of impacts in a cell.
func (g *Grid) Count(sev, like int) int { return len(g.Cells[sev-1][like-1]) }

// Inherent places every impact by its rating before mitigation.
func Inherent(impacts []Impact) *Grid {
	g := &Grid{}
	for _, im := range impacts {
		s, l := im.Severity(), im.Likelihood
		if s < 1 || s > 4 || l < 1 || l > 4 {
			g.Unrated++
			continue
		}
		g.Cells[s-1][l-1] = append(g.Cells[s-1][l-1], im.ID)
	}
	return g
}

// ResidualGrid places every impact by its rating after mitigation.
func ResidualGrid(impacts []Impact) *Grid {
	g := &Grid{}
	for _, im := range impacts {
		if !im.Residual() || im.ResidualSeverity > 4 || im.ResidualLikelihood > 4 {
			g.Unrated++
			continue
		}
		g.Cells[im.ResidualSeverity-1][im.ResidualLikelihood-1] = append(g.Cells[im.ResidualSeverity-1][im.ResidualLikelihood-1], im.ID)
	}
	return g
}
