package dosing

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/units"
)

// The quick paths of arith.go compute a few frequent unit triples without
// the unit table's factor arithmetic. They must give exactly what units
// gives, for every entry and any values.

func genValue(t *rapid.T, label string) decimal.Decimal {
	return decimal.New(rapid.Int64Range(1, 9_999_999_999).Draw(t, label), -rapid.Int32Range(0, 12).Draw(t, label+"_places"))
}

func TestQuickDivToAgreesWithUnits(t *testing.T) {
	for key := range quickQuotients {
		t.Run(key[0].String()+" ÷ "+key[1].String()+" in "+key[2].String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				a, b := units.New(genValue(t, "a"), key[0]), units.New(genValue(t, "b"), key[1])
				got, ok := quickDivTo(a, b, key[2])
				if !ok {
					t.Fatalf("quickDivTo(%s, %s, %s) declined a triple of its table", a, b, key[2])
				}
				want, err := a.DivTo(b, key[2])
				if err != nil {
					t.Fatal(err)
				}
				if !got.Equal(want) {
					t.Fatalf("quickDivTo(%s, %s) = %s, DivTo = %s", a, b, got, want)
				}
			})
		})
	}
}

func TestQuickMulDivAgreesWithUnits(t *testing.T) {
	for key, unit := range quickMulDivs {
		t.Run(key[0].String()+" × "+key[1].String()+" ÷ "+key[2].String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				a, m, d := units.New(genValue(t, "a"), key[0]), units.New(genValue(t, "m"), key[1]), units.New(genValue(t, "d"), key[2])
				got, ok := quickMulDiv(a, m, d)
				if !ok {
					t.Fatalf("quickMulDiv declined a triple of its table")
				}
				want, err := a.MulDiv(m, d)
				if err != nil {
					t.Fatal(err)
				}
				if got.Unit() != unit || !got.Equal(want) {
					t.Fatalf("quickMulDiv(%s, %s, %s) = %s, MulDiv = %s", a, m, d, got, want)
				}
			})
		})
	}
}

// TestQuickPathsDecline: other triples and zero divisors go to units, which
// reports the error.
func TestQuickPathsDecline(t *testing.T) {
	mg, kg := units.NewInt(40, units.Milligram), units.NewInt(80, units.Kilogram)
	if _, ok := quickDivTo(mg, units.NewInt(0, units.MgPerML), units.Milliliter); ok {
		t.Error("quickDivTo took a zero divisor")
	}
	if _, ok := quickDivTo(mg, kg, units.McgPerKg); ok {
		t.Error("quickDivTo took a triple outside its table")
	}
	if _, ok := quickMulDiv(units.NewInt(1, units.MLPerHour), mg, units.NewInt(0, units.Milliliter)); ok {
		t.Error("quickMulDiv took a zero divisor")
	}
}

// TestZeroBeyond checks the digit test behind isInexact and show against
// decimal's own rounding.
func TestZeroBeyond(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := decimal.New(rapid.Int64Range(-1_000_000_000_000, 1_000_000_000_000).Draw(t, "coef")*rapid.Int64Range(1, 1000).Draw(t, "mult"),
			-rapid.Int32Range(0, 40).Draw(t, "places"))
		places := rapid.Int32Range(0, 35).Draw(t, "keep")
		want := v.Equal(v.Truncate(places))
		if got := zeroBeyond(v, places); got != want {
			t.Fatalf("zeroBeyond(%s, %d) = %v, want %v", v, places, got, want)
		}
	})
}
