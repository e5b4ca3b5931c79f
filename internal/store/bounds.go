package store

// maxPage is the last page number a list reads. Beyond it a list is empty
// anyway (a million pages of the largest page size is 200 million rows),
// and keeping (page-1) × size small stops it overflowing into the negative
// OFFSET that PostgreSQL refuses and SQLite reads as zero.
const maxPage = 1_000_000

// boundPage brings a requested page number into 1..maxPage.
func boundPage(page int) int {
	switch {
	case page < 1:
		return 1
	case page > maxPage:
		return maxPage
	}
	return page
}
