package units_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
)

// unitFact is what a unit is, written down by hand from its definition: the
// display symbol (ISMP), the UCUM code, the dimension, and the exact factor to
// the base unit of its dimension as a rational number. The base units are mg
// (drug mass), kg (body mass), mL, s, cm, m² (body surface), one device,
// spray, troche, tablet or drop, mmHg, one unit of activity, and the pure
// number 1 (so % is 1/100). These are the oracle of the conversion and
// arithmetic laws; none of it is read from the package.
type unitFact struct {
	unit   units.Unit
	sym    string
	ucum   string
	dim    units.Dimension
	factor string // big.Rat syntax: "0.45359237", "1/3600"
}

var unitFacts = []unitFact{
	{units.Microgram, "mcg", "ug", units.Dimension{Mass: 1}, "1/1000"},
	{units.Milligram, "mg", "mg", units.Dimension{Mass: 1}, "1"},
	{units.Gram, "g", "g", units.Dimension{Mass: 1}, "1000"},
	{units.Nanogram, "ng", "ng", units.Dimension{Mass: 1}, "1/1000000"},

	{units.Kilogram, "kg", "kg", units.Dimension{BodyMass: 1}, "1"},
	{units.Pound, "lb", "[lb_av]", units.Dimension{BodyMass: 1}, "0.45359237"},          // international avoirdupois pound, exact
	{units.Ounce, "oz", "[oz_av]", units.Dimension{BodyMass: 1}, "45359237/1600000000"}, // avoirdupois ounce: 0.45359237 kg / 16

	{units.Milliliter, "mL", "mL", units.Dimension{Volume: 1}, "1"},
	{units.Liter, "L", "L", units.Dimension{Volume: 1}, "1000"},

	{units.Second, "s", "s", units.Dimension{Time: 1}, "1"},
	{units.Minute, "min", "min", units.Dimension{Time: 1}, "60"},
	{units.Hour, "h", "h", units.Dimension{Time: 1}, "3600"},
	{units.Day, "day", "d", units.Dimension{Time: 1}, "86400"},
	{units.Week, "week", "wk", units.Dimension{Time: 1}, "604800"},

	{units.Centimeter, "cm", "cm", units.Dimension{Length: 1}, "1"},
	{units.Millimeter, "mm", "mm", units.Dimension{Length: 1}, "1/10"},
	{units.Meter, "m", "m", units.Dimension{Length: 1}, "100"},
	{units.Inch, "in", "[in_i]", units.Dimension{Length: 1}, "2.54"},  // international inch, exact
	{units.Foot, "ft", "[ft_i]", units.Dimension{Length: 1}, "30.48"}, // 12 in

	{units.SquareMeter, "m²", "m2", units.Dimension{BSA: 1}, "1"},

	{units.Device, "device", "{device}", units.Dimension{Device: 1}, "1"},
	{units.Spray, "spray", "{spray}", units.Dimension{Spray: 1}, "1"},
	{units.Troche, "troche", "{troche}", units.Dimension{Troche: 1}, "1"},
	{units.Tablet, "tablet", "{tablet}", units.Dimension{Tablet: 1}, "1"},
	{units.Drop, "gtt", "{drop}", units.Dimension{Drop: 1}, "1"},

	// BMI: body mass over height squared (m × m = 10000 cm²), not over BSA.
	{units.KgPerM2, "kg/m²", "kg/m2", units.Dimension{BodyMass: 1, Length: -2}, "1/10000"},

	{units.MmHg, "mmHg", "mm[Hg]", units.Dimension{Pressure: 1}, "1"},
	{units.PerMinute, "/min", "/min", units.Dimension{Time: -1}, "1/60"},
	{units.TimesPerDay, "/day", "/d", units.Dimension{Time: -1}, "1/86400"},
	{units.Percent, "%", "%", units.Dimension{}, "1/100"},

	{units.ActivityUnit, "units", "[iU]", units.Dimension{Activity: 1}, "1"},

	{units.MgPerML, "mg/mL", "mg/mL", units.Dimension{Mass: 1, Volume: -1}, "1"},
	{units.McgPerML, "mcg/mL", "ug/mL", units.Dimension{Mass: 1, Volume: -1}, "1/1000"},
	{units.MgPerL, "mg/L", "mg/L", units.Dimension{Mass: 1, Volume: -1}, "1/1000"},
	{units.NgPerML, "ng/mL", "ng/mL", units.Dimension{Mass: 1, Volume: -1}, "1/1000000"},
	{units.UnitsPerML, "units/mL", "[iU]/mL", units.Dimension{Activity: 1, Volume: -1}, "1"},

	{units.MgPerKg, "mg/kg", "mg/kg", units.Dimension{Mass: 1, BodyMass: -1}, "1"},
	{units.McgPerKg, "mcg/kg", "ug/kg", units.Dimension{Mass: 1, BodyMass: -1}, "1/1000"},
	{units.MgPerM2, "mg/m²", "mg/m2", units.Dimension{Mass: 1, BSA: -1}, "1"},
	{units.UnitsPerKg, "units/kg", "[iU]/kg", units.Dimension{Activity: 1, BodyMass: -1}, "1"},
	{units.UnitsPerM2, "units/m²", "[iU]/m2", units.Dimension{Activity: 1, BSA: -1}, "1"},

	{units.MgPerDevice, "mg/device", "mg/{device}", units.Dimension{Mass: 1, Device: -1}, "1"},
	{units.MgPerSpray, "mg/spray", "mg/{spray}", units.Dimension{Mass: 1, Spray: -1}, "1"},
	{units.MgPerTroche, "mg/troche", "mg/{troche}", units.Dimension{Mass: 1, Troche: -1}, "1"},
	{units.MgPerTablet, "mg/tablet", "mg/{tablet}", units.Dimension{Mass: 1, Tablet: -1}, "1"},

	{units.MgPerHour, "mg/h", "mg/h", units.Dimension{Mass: 1, Time: -1}, "1/3600"},
	{units.MgPerMin, "mg/min", "mg/min", units.Dimension{Mass: 1, Time: -1}, "1/60"},
	{units.McgPerMin, "mcg/min", "ug/min", units.Dimension{Mass: 1, Time: -1}, "1/60000"},
	{units.McgPerHour, "mcg/h", "ug/h", units.Dimension{Mass: 1, Time: -1}, "1/3600000"},
	{units.MgPerKgPerHour, "mg/kg/h", "mg/kg/h", units.Dimension{Mass: 1, BodyMass: -1, Time: -1}, "1/3600"},
	{units.MgPerKgPerMin, "mg/kg/min", "mg/kg/min", units.Dimension{Mass: 1, BodyMass: -1, Time: -1}, "1/60"},
	{units.McgPerKgPerMin, "mcg/kg/min", "ug/kg/min", units.Dimension{Mass: 1, BodyMass: -1, Time: -1}, "1/60000"},
	{units.McgPerKgPerHour, "mcg/kg/h", "ug/kg/h", units.Dimension{Mass: 1, BodyMass: -1, Time: -1}, "1/3600000"},
	{units.UnitsPerHour, "units/h", "[iU]/h", units.Dimension{Activity: 1, Time: -1}, "1/3600"},
	{units.UnitsPerKgPerHour, "units/kg/h", "[iU]/kg/h", units.Dimension{Activity: 1, BodyMass: -1, Time: -1}, "1/3600"},

	// A day is 86400 s; UCUM writes it "d".
	{units.MgPerDay, "mg/day", "mg/d", units.Dimension{Mass: 1, Time: -1}, "1/86400"},
	{units.McgPerDay, "mcg/day", "ug/d", units.Dimension{Mass: 1, Time: -1}, "1/86400000"},
	{units.MgPerKgPerDay, "mg/kg/day", "mg/kg/d", units.Dimension{Mass: 1, BodyMass: -1, Time: -1}, "1/86400"},
	{units.McgPerKgPerDay, "mcg/kg/day", "ug/kg/d", units.Dimension{Mass: 1, BodyMass: -1, Time: -1}, "1/86400000"},
	{units.UnitsPerDay, "units/day", "[iU]/d", units.Dimension{Activity: 1, Time: -1}, "1/86400"},
	{units.UnitsPerKgPerDay, "units/kg/day", "[iU]/kg/d", units.Dimension{Activity: 1, BodyMass: -1, Time: -1}, "1/86400"},

	{units.MLPerHour, "mL/h", "mL/h", units.Dimension{Volume: 1, Time: -1}, "1/3600"},
	{units.MLPerMin, "mL/min", "mL/min", units.Dimension{Volume: 1, Time: -1}, "1/60"},
	{units.DropsPerMin, "gtt/min", "{drop}/min", units.Dimension{Drop: 1, Time: -1}, "1/60"},
	{units.DropsPerML, "gtt/mL", "{drop}/mL", units.Dimension{Drop: 1, Volume: -1}, "1"},
}

func TestUnitFactsCoverUnits(t *testing.T) {
	t.Parallel()
	var got, want []units.Unit
	for _, f := range unitFacts {
		want = append(want, f.unit)
	}
	got = units.Units()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Units() and the hand table unitFacts differ (-unitFacts +Units()):\n%s", diff)
	}
}

func TestUnitsReturnsAFreshSlice(t *testing.T) {
	t.Parallel()
	a := units.Units()
	a[0] = units.Unit(0)
	if b := units.Units(); b[0] != units.Microgram {
		t.Errorf("Units()[0] = %v after a caller changed its own copy; want mcg", b[0])
	}
}

func TestUnitString(t *testing.T) {
	t.Parallel()
	for _, f := range unitFacts {
		t.Run(f.sym, func(t *testing.T) {
			t.Parallel()
			if got := f.unit.String(); got != f.sym {
				t.Errorf("String() = %q, want %q", got, f.sym)
			}
		})
	}
}

func TestUnitDimension(t *testing.T) {
	t.Parallel()
	for _, f := range unitFacts {
		t.Run(f.sym, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(f.dim, f.unit.Dimension()); diff != "" {
				t.Errorf("Dimension() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnitUCUM(t *testing.T) {
	t.Parallel()
	for _, f := range unitFacts {
		t.Run(f.sym, func(t *testing.T) {
			t.Parallel()
			if got := f.unit.UCUM(); got != f.ucum {
				t.Errorf("UCUM() = %q, want %q", got, f.ucum)
			}
		})
	}
}

func TestParseUCUMOfEveryUnit(t *testing.T) {
	t.Parallel()
	for _, f := range unitFacts {
		t.Run(f.ucum, func(t *testing.T) {
			t.Parallel()
			got, err := units.ParseUCUM(f.ucum)
			if err != nil {
				t.Fatalf("ParseUCUM(%q): %v", f.ucum, err)
			}
			if got != f.unit {
				t.Errorf("ParseUCUM(%q) = %v, want %v", f.ucum, got, f.unit)
			}
		})
	}
}

// ucumOtherOrderTests are UCUM codes written in another order than the
// table's, which name the same unit.
var ucumOtherOrderTests = map[string]units.Unit{"mg/h/kg": units.MgPerKgPerHour, "ug/min/kg": units.McgPerKgPerMin, "kg/m/m": units.KgPerM2}

func TestParseUCUMOtherOrder(t *testing.T) {
	t.Parallel()
	for code, want := range ucumOtherOrderTests {
		if got, err := units.ParseUCUM(code); err != nil || got != want {
			t.Errorf("ParseUCUM(%q) = %v, %v; want %v", code, got, err, want)
		}
	}
}

// ucumRefusalTests are codes ParseUCUM refuses.
var ucumRefusalTests = []struct {
	name, code string
}{
	{"empty", ""},
	{"display symbol mcg is not UCUM", "mcg"},
	{"UCUM drop of 1/20 mL is not a set's drop", "[drp]"},
	{"per dose is not a UCUM unit", "mg/kg/{dose}"},
	{"unknown atom", "foo"},
	{"UCUM is case-sensitive", "MG"},
	{"trailing slash", "mg/"},
	{"international unit written U", "U"},
}

func TestParseUCUMRefuses(t *testing.T) {
	t.Parallel()
	for _, tt := range ucumRefusalTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := units.ParseUCUM(tt.code)
			if !errors.Is(err, units.ErrUnknownUnit) {
				t.Fatalf("ParseUCUM(%q) = %v, %v; want an error wrapping ErrUnknownUnit", tt.code, u, err)
			}
			if u.IsValid() {
				t.Errorf("ParseUCUM(%q) returned the valid unit %v with its error", tt.code, u)
			}
			var pe *units.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			want := &units.ParseError{Func: "ParseUCUM", Input: tt.code, Offset: 0, Elem: tt.code, Msg: pe.Msg, Err: units.ErrUnknownUnit}
			if diff := cmp.Diff(*want, *pe, cmpErrors); diff != "" {
				t.Errorf("*ParseError mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseUnitOfEveryString(t *testing.T) {
	t.Parallel()
	for _, f := range unitFacts {
		t.Run(f.sym, func(t *testing.T) {
			t.Parallel()
			got, err := units.ParseUnit(f.unit.String())
			if err != nil {
				t.Fatalf("ParseUnit(%q): %v", f.unit.String(), err)
			}
			if got != f.unit {
				t.Errorf("ParseUnit(%q) = %v, want %v", f.unit.String(), got, f.unit)
			}
		})
	}
}

// unitAliasTests are spellings ParseUnit accepts besides the display
// symbols.
var unitAliasTests = []struct {
	in   string
	want units.Unit
}{
	{"ug", units.Microgram},
	{"\u00b5g", units.Microgram}, // µ MICRO SIGN
	{"\u03bcg", units.Microgram}, // μ GREEK SMALL LETTER MU
	{"ml", units.Milliliter},
	{"ml/hr", units.MLPerHour},
	{"hr", units.Hour},
	{"hrs", units.Hour},
	{"hours", units.Hour},
	{"mins", units.Minute},
	{"sec", units.Second},
	{"d", units.Day},
	{"days", units.Day},
	{"wk", units.Week},
	{"weeks", units.Week},
	{"lbs", units.Pound},
	{"mg/kg/days", units.MgPerKgPerDay},
	{"units/kg/days", units.UnitsPerKgPerDay},
	{"ug/day", units.McgPerDay},
	{"m2", units.SquareMeter},
	{"m^2", units.SquareMeter},
	{"mg/m2", units.MgPerM2},
	{"kg/m2", units.KgPerM2},
	{"kg/m^2", units.KgPerM2},
	{"devices", units.Device},
	{"drops", units.Drop},
	{"unit", units.ActivityUnit},
	{"\u00b5g/kg/min", units.McgPerKgPerMin},
}

func TestParseUnitAliases(t *testing.T) {
	t.Parallel()
	for _, tt := range unitAliasTests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := units.ParseUnit(tt.in)
			if err != nil {
				t.Fatalf("ParseUnit(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseUnit(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// unitRefusalTests are units ParseUnit refuses, with the sentinel and the
// hint.
var unitRefusalTests = []struct {
	name    string
	in      string
	wantErr error
	wantFix string
}{
	{"empty", "", units.ErrMissingUnit, ""},
	{"cc means mL", "cc", units.ErrUnknownUnit, "mL"},
	{"U means units", "U/kg", units.ErrUnknownUnit, "units/kg"},
	{"IU means units", "IU", units.ErrUnknownUnit, "units"},
	{"l has no hint when L/h is not a unit", "l/h", units.ErrUnknownUnit, ""},
	{"hint through a whole-unit spelling", "kgs/m2", units.ErrUnknownUnit, "kg/m²"},
	{"no hint when a later term is unknown", "cc/xyz", units.ErrUnknownUnit, ""},
	{"unknown", "mgg", units.ErrUnknownUnit, ""},
	{"per d is per day or per dose", "mg/kg/d", units.ErrUnknownUnit, ""},
	{"per d without per kg", "mg/d", units.ErrUnknownUnit, ""},
	{"per d of units", "units/kg/d", units.ErrUnknownUnit, ""},
	{"fluid ounce is not a body weight", "fl oz", units.ErrUnknownUnit, ""},
	{"surrounding space is not trimmed", " mg", units.ErrUnknownUnit, ""},
}

func TestParseUnitRefuses(t *testing.T) {
	t.Parallel()
	for _, tt := range unitRefusalTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := units.ParseUnit(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseUnit(%q) = %v, %v; want an error wrapping %v", tt.in, u, err, tt.wantErr)
			}
			var pe *units.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if pe.Func != "ParseUnit" || pe.Input != tt.in || pe.Fix != tt.wantFix {
				t.Errorf("ParseError{Func: %q, Input: %q, Fix: %q}, want {%q, %q, %q}", pe.Func, pe.Input, pe.Fix, "ParseUnit", tt.in, tt.wantFix)
			}
		})
	}
}

func TestInvalidUnit(t *testing.T) {
	t.Parallel()
	for _, u := range []units.Unit{0, units.Unit(200), units.Unit(255)} {
		if u.IsValid() {
			t.Errorf("Unit(%d).IsValid() = true", u)
		}
		if got := u.String(); got != "invalid unit" {
			t.Errorf("Unit(%d).String() = %q, want %q", u, got, "invalid unit")
		}
		if got := u.UCUM(); got != "" {
			t.Errorf("Unit(%d).UCUM() = %q, want empty", u, got)
		}
		if got := u.Dimension(); got != (units.Dimension{}) {
			t.Errorf("Unit(%d).Dimension() = %v, want the zero Dimension", u, got)
		}
	}
	for _, f := range unitFacts {
		if !f.unit.IsValid() {
			t.Errorf("%v.IsValid() = false", f.unit)
		}
	}
}

func TestDimensionString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		dim  units.Dimension
		want string
	}{
		{"dimensionless", units.Dimension{}, "dimensionless"},
		{"drug mass", units.Dimension{Mass: 1}, "drug mass"},
		{"dose rate per kg", units.Dimension{Mass: 1, BodyMass: -1, Time: -1}, "drug mass / body mass / time"},
		{"frequency", units.Dimension{Time: -1}, "1 / time"},
		{"BMI", units.Dimension{BodyMass: 1, Length: -2}, "body mass / length^2"},
		{"mg per kg times mg", units.Dimension{Mass: 2, BodyMass: -1}, "drug mass^2 / body mass"},
		{"product in numerator", units.Dimension{Mass: 1, Volume: 1}, "drug mass × volume"},
		{"every base dimension", units.Dimension{Mass: 1, BodyMass: 1, Volume: 1, Time: 1, Length: 1, BSA: 1, Device: 1, Spray: 1, Troche: 1, Tablet: 1, Drop: 1, Pressure: 1, Activity: 1},
			"drug mass × body mass × volume × time × length × body surface area × device × spray × troche × tablet × drop × pressure × activity"},
		{"large exponents", units.Dimension{Time: 12, Volume: -10}, "time^12 / volume^10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.dim.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnitSymbolsAreDistinct(t *testing.T) {
	t.Parallel()
	seenSym, seenUCUM := map[string]units.Unit{}, map[string]units.Unit{}
	for _, u := range units.Units() {
		if prev, dup := seenSym[u.String()]; dup {
			t.Errorf("%v and %v share the display symbol %q", prev, u, u.String())
		}
		if prev, dup := seenUCUM[u.UCUM()]; dup {
			t.Errorf("%v and %v share the UCUM code %q", prev, u, u.UCUM())
		}
		seenSym[u.String()], seenUCUM[u.UCUM()] = u, u
	}
	if !slices.IsSortedFunc(units.Units(), func(a, b units.Unit) int { return int(a) - int(b) }) {
		t.Errorf("Units() is not in declaration order")
	}
}

// TestUnitPerDay: exactly the units whose time is per day are per day: the
// doses per day, and no dose rate, no duration and no unit without time.
func TestUnitPerDay(t *testing.T) {
	perDay := map[units.Unit]bool{
		units.MgPerDay: true, units.McgPerDay: true, units.MgPerKgPerDay: true,
		units.McgPerKgPerDay: true, units.UnitsPerDay: true, units.UnitsPerKgPerDay: true, units.TimesPerDay: true,
	}
	for _, u := range units.Units() {
		if got := u.PerDay(); got != perDay[u] {
			t.Errorf("%s.PerDay() = %v, want %v", u, got, perDay[u])
		}
	}
	if units.Unit(0).PerDay() {
		t.Error("the invalid unit is per day")
	}
}
