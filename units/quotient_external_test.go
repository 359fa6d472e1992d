package units_test

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/units"
)

// TestQuotient: the quotient at 30 places, exact exactly when it
// terminates there. Each row by hand: 104 ÷ 2.6 = 40; 1 ÷ 3 = 0.333…
// (30 threes, not exact); 1 ÷ 2^25 = 5^25 ÷ 10^25 = 0.0000000298023223876953125
// (25 places: exact, though it has digits beyond the 20th); 2 ÷ 3 rounds
// half away from zero to …667; 1 ÷ 2^31 needs 31 places, one more than
// kept: not exact.
func TestQuotient(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name      string
		n, d      string
		want      string
		wantExact bool
	}{
		{"terminates", "104", "2.6", "40", true},
		{"a third", "1", "3", "0.333333333333333333333333333333", false},
		{"exact beyond 20 places", "1", "33554432", "0.0000000298023223876953125", true},
		{"rounded half away from zero", "2", "3", "0.666666666666666666666666666667", false},
		{"terminates one place too late", "1", "2147483648", "0.000000000465661287307739257813", false},
		{"negative", "-1", "8", "-0.125", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, exact := units.Quotient(d(tt.n), d(tt.d))
			if !q.Equal(d(tt.want)) || exact != tt.wantExact {
				t.Errorf("Quotient(%s, %s) = %s, %v; want %s, %v", tt.n, tt.d, q, exact, tt.want, tt.wantExact)
			}
		})
	}
}

// TestPropQuotientExactIffTerminates: Quotient says exact exactly when the
// rational n/d, in lowest terms, has a denominator 2^a·5^b with max(a, b) ≤
// Places (so that it terminates within Places), and then the quotient is
// n/d itself.
func TestPropQuotientExactIffTerminates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := decimal.New(rapid.Int64Range(-1e9, 1e9).Draw(t, "n"), -rapid.Int32Range(0, 6).Draw(t, "n_places"))
		d := decimal.New(rapid.Int64Range(1, 1e9).Draw(t, "d"), -rapid.Int32Range(0, 6).Draw(t, "d_places"))
		q, exact := units.Quotient(n, d)
		r := new(big.Rat).Quo(n.Rat(), d.Rat())
		den := new(big.Int).Set(r.Denom())
		a, b := 0, 0
		for two := big.NewInt(2); new(big.Int).Rem(den, two).Sign() == 0; a++ {
			den.Quo(den, two)
		}
		for five := big.NewInt(5); new(big.Int).Rem(den, five).Sign() == 0; b++ {
			den.Quo(den, five)
		}
		terminates := den.Cmp(big.NewInt(1)) == 0 && max(a, b) <= units.Places
		if exact != terminates {
			t.Fatalf("Quotient(%s, %s): exact %v, but n/d = %s terminates within %d places: %v", n, d, exact, r.RatString(), units.Places, terminates)
		}
		if exact && q.Rat().Cmp(r) != 0 {
			t.Fatalf("Quotient(%s, %s) = %s, exact, but n/d = %s", n, d, q, r.RatString())
		}
	})
}
