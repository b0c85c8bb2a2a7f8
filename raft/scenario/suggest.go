package scenario

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// suggest returns the known word that word was most likely meant to be:
// the nearest one within edit distance 2 (and nearer than the word is
// long, so that "x" suggests nothing), else the first one that word is a
// prefix of (for words of 3 or more letters). It returns "" if none fits.
func suggest(word string, known []string) string {
	if word == "" || len(word) > 64 {
		return ""
	}
	n := utf8.RuneCountInString(word)
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(word, k, bestD); d < bestD && d < n {
			best, bestD = k, d
		}
	}
	if best != "" {
		return best
	}
	if n >= 3 {
		for _, k := range known {
			if strings.HasPrefix(k, word) {
				return k
			}
		}
	}
	return ""
}

// didYouMean returns ` (did you mean "x"?)` for suggest's answer, or "".
func didYouMean(word string, known []string) string {
	if s := suggest(word, known); s != "" {
		return " (did you mean " + strconv.Quote(s) + "?)"
	}
	return ""
}

// orList returns a suggestion for word if there is one, else the whole
// list: ` (did you mean "x"?)` or ` (roles: a, b, c)`.
func orList(word string, known []string, what string) string {
	if s := didYouMean(word, known); s != "" {
		return s
	}
	return " (" + what + ": " + strings.Join(known, ", ") + ")"
}

// editDistance is the Levenshtein distance between a and b counted in
// runes. It gives up and returns limit once the distance reaches limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}
