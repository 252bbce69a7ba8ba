package csvsource

import (
	"bytes"
	"strings"
)

// candidateDelims are the delimiters detected, in order of preference on a tie.
var candidateDelims = []byte{',', ';', '\t', '|'}

// Sample bounds: the delimiter and the header are decided from the first rows.
const (
	sampleRecords = 20
	sampleBytes   = 64 << 10
)

// detectDelimiter chooses the delimiter from the first rows of a file (each a
// logical record, line breaks inside quotes joined). It returns -1 for a file
// with a single column.
//
// The delimiter must appear in the first row (the header, or the first data
// row), outside quotes; among those that do, the one found the same number of
// times in most rows wins. A file whose rows all read whole as numbers is a
// single column of Excel-formatted IDs ("1,234,567" or "1234567,00"), not a
// comma-separated one.
func detectDelimiter(rows [][]byte) int {
	if len(rows) == 0 {
		return -1
	}
	first := countOutsideQuotes(rows[0])
	best, bestScore, bestCount := -1, -1, 0
	for i, d := range candidateDelims {
		if first[i] == 0 {
			continue
		}
		score := 0
		for _, row := range rows {
			if countOutsideQuotes(row)[i] == first[i] {
				score++
			}
		}
		if score > bestScore || score == bestScore && first[i] > bestCount {
			best, bestScore, bestCount = int(d), score, first[i]
		}
	}
	if best == ',' && allNumbers(rows) {
		return -1
	}
	return best
}

// countOutsideQuotes counts each candidate delimiter outside double quotes.
// A doubled quote toggles twice, which leaves the count right.
func countOutsideQuotes(row []byte) [4]int {
	var counts [4]int
	quoted := false
	for _, c := range row {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if i := bytes.IndexByte(candidateDelims, c); i >= 0 {
			counts[i]++
		}
	}
	return counts
}

func allNumbers(rows [][]byte) bool {
	for _, row := range rows {
		cell := trimCell(strings.Trim(trimCell(string(row)), `"`))
		if !looksNumeric(cell) {
			return false
		}
		if res := parseUserID(cell); res.err != "" && !res.lost {
			return false
		}
	}
	return true
}

// quoteOpenAtEnd reports whether a line leaves a quote open, so that the next
// line continues the same record.
func quoteOpenAtEnd(line []byte, open bool) bool {
	return open != (bytes.Count(line, []byte{'"'})%2 == 1)
}

// sepDirective reads Excel's "sep=;" first line, which names the delimiter.
func sepDirective(line []byte) (int, bool) {
	t := bytes.Trim(line, " ")
	if len(t) == 5 && strings.EqualFold(string(t[:4]), "sep=") && t[4] != '"' && (t[4] > ' ' || t[4] == '\t') {
		return int(t[4]), true
	}
	return 0, false
}
