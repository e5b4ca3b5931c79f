package main

import (
	"slices"
	"strconv"
	"strings"

	"buyright/internal/ocds"
	"buyright/internal/ocdsio"
)

// csvReleaseColumns are the columns `screen --format csv` adds after the
// screening ones: what a journalist sorts and filters a spreadsheet by.
// Dates are written as the source wrote them; several suppliers are
// separated by ";".
const csvReleaseColumns = "buyer,value,currency,procurement_method,suppliers,release_date,tender_start,tender_end,award_date,contract_start,contract_end,language,language_from"

// appendReleaseCells adds the cells of csvReleaseColumns for release rel.
func appendReleaseCells(row []string, rel *ocds.Release, r *ocds.Result) []string {
	amount, currency := "", ""
	if v, ok := ocdsio.MainValue(rel); ok {
		amount, currency = strconv.FormatFloat(v.Amount, 'f', -1, 64), v.Currency
	}
	method, tenderStart, tenderEnd := "", "", ""
	if t := rel.Tender; t != nil {
		method, tenderStart, tenderEnd = t.ProcurementMethod, t.TenderPeriod.StartDate, t.TenderPeriod.EndDate
	}
	awardDate := ""
	for _, a := range rel.Awards {
		if a.Date != "" {
			awardDate = a.Date
			break
		}
	}
	contractStart, contractEnd := "", ""
	for _, c := range rel.Contracts {
		start := c.Period.StartDate
		if start == "" {
			start = c.DateSigned
		}
		if start != "" || c.Period.EndDate != "" {
			contractStart, contractEnd = start, c.Period.EndDate
			break
		}
	}
	lang, from := "", ""
	if r.Explain != nil {
		lang, from = r.Explain.Language, r.Explain.LanguageFrom
	}
	return append(row,
		safeCell(rel.BuyerName()), amount, safeCell(currency), safeCell(method), safeCell(strings.Join(supplierNames(rel), ";")),
		safeCell(rel.Date), safeCell(tenderStart), safeCell(tenderEnd), safeCell(awardDate),
		safeCell(contractStart), safeCell(contractEnd), safeCell(lang), from)
}

// supplierNames lists the suppliers of every award once each, in the
// order met.
func supplierNames(rel *ocds.Release) []string {
	var out []string
	for _, a := range rel.Awards {
		for _, n := range a.SupplierNames {
			if n = strings.TrimSpace(n); n != "" && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}
