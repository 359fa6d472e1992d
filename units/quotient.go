package units

import "github.com/shopspring/decimal"

// Quotient returns n ÷ d as this package divides (rounded once, half away
// from zero, at Places decimal places) and whether that is the exact
// quotient: whether it terminates within Places, the notion of
// Conversion.Exact. A caller that computes a formula on decimals (a body
// mass index, a height in inches) and says whether its value is exact asks
// this rather than guessing from the digits: 1 ÷ 2^25 terminates at the
// 25th place, and a quotient that does not terminate may still show zeros
// at some places. d must not be zero.
func Quotient(n, d decimal.Decimal) (decimal.Decimal, bool) {
	q := n.DivRound(d, Places)
	return q, q.Mul(d).Equal(n)
}
