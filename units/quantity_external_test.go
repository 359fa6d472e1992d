package units_test

import (
	"errors"
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

var one = decimal.NewFromInt(1)

// dec reads a decimal literal of a test table.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// Expected values below are worked by hand from the exact factors (1 lb =
// 0.45359237 kg, 1 in = 2.54 cm, 1 h = 60 min …). Results that do not
// terminate were rounded half away from zero at 30 places with exact
// rational arithmetic outside Go (Python fractions), never taken from the
// code under test.

func TestConvert(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		to   units.Unit
		want string // exact decimal value in the unit to
	}{
		// Drug mass.
		{"mg to mcg", "1 mg", units.Microgram, "1000"},
		{"mcg to mg", "12.5 mcg", units.Milligram, "0.0125"},
		{"g to mg", "1.5 g", units.Milligram, "1500"},
		{"mg to g", "250 mg", units.Gram, "0.25"},
		{"mcg to g", "1 mcg", units.Gram, "0.000001"},
		{"g to mcg", "0.001 g", units.Microgram, "1000"},
		{"ng to mcg", "500 ng", units.Microgram, "0.5"},
		// Body mass: 1 lb = 0.45359237 kg exactly.
		{"lb to kg", "1 lb", units.Kilogram, "0.45359237"},
		{"176 lb to kg", "176 lb", units.Kilogram, "79.83225712"},
		{"kg to lb exact", "0.45359237 kg", units.Pound, "1"},
		{"kg to lb rounded at 30 places", "1 kg", units.Pound, "2.204622621848775807229738013450"},
		{"80 kg to lb", "80 kg", units.Pound, "176.369809747902064578379041076022"},
		// 1 oz = 0.45359237 / 16 kg = 0.028349523125 kg exactly; 16 oz = 1 lb.
		{"oz to kg", "1 oz", units.Kilogram, "0.028349523125"},
		{"lb to oz", "7 lb", units.Ounce, "112"},
		{"oz to lb", "245 oz", units.Pound, "15.3125"},
		// 116 oz = 7 lb 4 oz = 116 × 0.028349523125 = 3.2885446825 kg.
		{"116 oz to kg", "116 oz", units.Kilogram, "3.2885446825"},
		// Length: 1 in = 2.54 cm, 1 ft = 12 in.
		{"in to cm", "1 in", units.Centimeter, "2.54"},
		{"70 in to cm", "70 in", units.Centimeter, "177.8"},
		{"cm to in exact", "177.8 cm", units.Inch, "70"},
		{"cm to in rounded", "1 cm", units.Inch, "0.393700787401574803149606299213"},
		{"ft to in", "6 ft", units.Inch, "72"},
		{"ft to m", "10 ft", units.Meter, "3.048"},
		{"m to cm", "1.75 m", units.Centimeter, "175"},
		{"mm to cm", "1755 mm", units.Centimeter, "175.5"},
		{"in to mm", "1 in", units.Millimeter, "25.4"},
		// Volume.
		{"mL to L", "500 mL", units.Liter, "0.5"},
		{"L to mL", "1 L", units.Milliliter, "1000"},
		// Time.
		{"h to min", "1 h", units.Minute, "60"},
		{"min to h exact", "90 min", units.Hour, "1.5"},
		{"min to h rounded", "40 min", units.Hour, "0.666666666666666666666666666667"},
		{"s to min", "30 s", units.Minute, "0.5"},
		{"s to min rounded", "1 s", units.Minute, "0.016666666666666666666666666667"},
		{"day to h", "1 day", units.Hour, "24"},
		{"week to day", "2 weeks", units.Day, "14"},
		{"week to h", "1 week", units.Hour, "168"},
		// Dose rates.
		{"mg/kg/h to mcg/kg/min", "0.75 mg/kg/h", units.McgPerKgPerMin, "12.5"},
		{"mcg/kg/min to mg/kg/h", "12.5 mcg/kg/min", units.MgPerKgPerHour, "0.75"},
		{"mg/kg/h to mcg/kg/min rounded", "1 mg/kg/h", units.McgPerKgPerMin, "16.666666666666666666666666666667"},
		{"mg/kg/min to mcg/kg/min", "0.0125 mg/kg/min", units.McgPerKgPerMin, "12.5"},
		{"mcg/kg/h to mcg/kg/min", "750 mcg/kg/h", units.McgPerKgPerMin, "12.5"},
		{"mg/h to mg/min", "60 mg/h", units.MgPerMin, "1"},
		{"mcg/min to mg/h", "1000 mcg/min", units.MgPerHour, "60"},
		{"mcg/h to mcg/min rounded", "25 mcg/h", units.McgPerMin, "0.416666666666666666666666666667"},
		{"units/kg/h stays", "18 units/kg/h", units.UnitsPerKgPerHour, "18"},
		// Per day: a day is 24 h, 1440 min.
		{"mg/kg/day to mg/kg/h", "30 mg/kg/day", units.MgPerKgPerHour, "1.25"},
		{"mg/kg/h to mg/kg/day", "0.35 mg/kg/h", units.MgPerKgPerDay, "8.4"},
		{"mcg/kg/min to mcg/kg/day", "1 mcg/kg/min", units.McgPerKgPerDay, "1440"},
		{"mg/day to mcg/day", "4 mg/day", units.McgPerDay, "4000"},
		{"mg/day to mg/h rounded", "100 mg/day", units.MgPerHour, "4.166666666666666666666666666667"},
		{"units/kg/day to units/kg/h", "24 units/kg/day", units.UnitsPerKgPerHour, "1"},
		{"units/day to units/h", "48 units/day", units.UnitsPerHour, "2"},
		// Pump rates.
		{"mL/h to mL/min", "156 mL/h", units.MLPerMin, "2.6"},
		{"mL/min to mL/h", "2.6 mL/min", units.MLPerHour, "156"},
		{"mL/h to mL/min rounded", "100 mL/h", units.MLPerMin, "1.666666666666666666666666666667"},
		// Concentrations and per-kg doses.
		{"mg/mL to mcg/mL", "10 mg/mL", units.McgPerML, "10000"},
		{"mg/L to mg/mL", "1 mg/L", units.MgPerML, "0.001"},
		{"mg/L to mcg/mL", "1 mg/L", units.McgPerML, "1"},
		{"ng/mL to mcg/mL", "150 ng/mL", units.McgPerML, "0.15"},
		{"mg/kg to mcg/kg", "0.5 mg/kg", units.McgPerKg, "500"},
		// Same unit.
		{"same unit", "0.50 mg", units.Milligram, "0.5"},
		{"per minute to itself", "72 /min", units.PerMinute, "72"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := units.MustParse(tt.in)
			got, err := q.Convert(tt.to)
			if err != nil {
				t.Fatalf("%v.Convert(%v): %v", q, tt.to, err)
			}
			want := units.New(dec(tt.want), tt.to)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%v.Convert(%v) mismatch (-want +got):\n%s", q, tt.to, diff)
			}
		})
	}
}

func TestConvertRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		to      units.Unit
		wantErr error
	}{
		{"mg to mL needs a concentration", "40 mg", units.Milliliter, units.ErrDimension},
		{"mg/kg to mg needs a weight", "0.5 mg/kg", units.Milligram, units.ErrDimension},
		{"mL/h to gtt/min needs a drop factor", "120 mL/h", units.DropsPerMin, units.ErrDimension},
		{"drug mass is not body mass", "80 mg", units.Kilogram, units.ErrDimension},
		{"body surface is not length squared", "1.8 m²", units.Centimeter, units.ErrDimension},
		{"BMI is not per body surface", "25 kg/m²", units.MgPerM2, units.ErrDimension},
		{"a tablet is not a device", "2 tablets", units.Device, units.ErrDimension},
		{"units of activity are not mass", "5000 units", units.Milligram, units.ErrDimension},
		{"percent is not per minute", "98 %", units.PerMinute, units.ErrDimension},
		{"invalid target unit", "5 mg", units.Unit(0), units.ErrUnknownUnit},
		{"out of range target unit", "5 mg", units.Unit(250), units.ErrUnknownUnit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := units.MustParse(tt.in)
			got, err := q.Convert(tt.to)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("%v.Convert(%v) = %v, %v; want an error wrapping %v", q, tt.to, got, err, tt.wantErr)
			}
			if got.IsValid() {
				t.Errorf("Convert returned the valid %v with its error", got)
			}
			var de *units.DimensionError
			if errors.Is(tt.wantErr, units.ErrDimension) {
				if !errors.As(err, &de) {
					t.Fatalf("error %T is not a *DimensionError", err)
				}
				if de.X != q.String() || de.Y != tt.to.String() || de.XDim != q.Dimension() || de.YDim != tt.to.Dimension() {
					t.Errorf("DimensionError sides = %q %v, %q %v; want %q %v, %q %v",
						de.X, de.XDim, de.Y, de.YDim, q, q.Dimension(), tt.to, tt.to.Dimension())
				}
			}
		})
	}
}

func TestMul(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		x, y string
		want units.Quantity
	}{
		{"dose per kg times weight", "0.5 mg/kg", "80 kg", qty(40, 0, units.Milligram)},
		{"weight times dose per kg", "80 kg", "0.5 mg/kg", qty(40, 0, units.Milligram)},
		{"dose per kg times weight in lb", "0.5 mg/kg", "176 lb", qty(3991612856, -8, units.Milligram)},
		{"mcg/kg/min times kg", "12.5 mcg/kg/min", "80 kg", qty(1000, 0, units.McgPerMin)},
		{"mg/kg/h times kg", "0.75 mg/kg/h", "80 kg", qty(60, 0, units.MgPerHour)},
		{"units/kg/h times kg", "18 units/kg/h", "80 kg", qty(1440, 0, units.UnitsPerHour)},
		{"pump rate times concentration", "156 mL/h", "0.25 mg/mL", qty(39, 0, units.MgPerHour)},
		{"pump rate times drop factor", "120 mL/h", "20 gtt/mL", qty(40, 0, units.DropsPerMin)},
		{"mL/min times min", "2.6 mL/min", "40 min", qty(104, 0, units.Milliliter)},
		{"rate times duration in another unit", "156 mL/h", "40 min", qty(104, 0, units.Milliliter)},
		{"devices times strength", "2 devices", "28 mg/device", qty(56, 0, units.Milligram)},
		{"tablets times strength", "1.5 tablets", "12.5 mg/tablet", qty(1875, -2, units.Milligram)},
		{"per m² times body surface", "100 mg/m²", "1.8 m²", qty(180, 0, units.Milligram)},
		{"percent of a dose", "50 %", "80 mg", qty(40, 0, units.Milligram)},
		{"percent of percent", "50 %", "50 %", qty(25, 0, units.Percent)},
		{"per minute times minutes is a pure number", "1 /min", "1 min", qty(100, 0, units.Percent)},
		{"zero", "0 mg/kg", "80 kg", qty(0, 0, units.Milligram)},
		{"negative deviation", "-2 %", "50 mg", qty(-1, 0, units.Milligram)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			x, y := mustUnmarshal(t, tt.x), mustUnmarshal(t, tt.y)
			got, err := x.Mul(y)
			if err != nil {
				t.Fatalf("%v × %v: %v", x, y, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%v × %v mismatch (-want +got):\n%s", x, y, diff)
			}
		})
	}
}

func TestDiv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		x, y string
		want units.Quantity
	}{
		{"dose over concentration is a volume", "40 mg", "10 mg/mL", qty(4, 0, units.Milliliter)},
		{"volume over duration is a rate", "104 mL", "40 min", qty(26, -1, units.MLPerMin)},
		{"volume over hours", "120 mL", "1 h", qty(120, 0, units.MLPerHour)},
		{"dose rate over concentration is a pump rate", "39 mg/h", "0.25 mg/mL", qty(156, 0, units.MLPerHour)},
		{"dose over weight", "40 mg", "80 kg", qty(5, -1, units.MgPerKg)},
		{"dose per kg over duration", "0.5 mg/kg", "40 min", qty(125, -4, units.MgPerKgPerMin)},
		{"drip rate over drop factor", "40 gtt/min", "20 gtt/mL", qty(2, 0, units.MLPerMin)},
		{"mL over seconds goes to mL/h", "1 mL", "1 s", qty(3600, 0, units.MLPerHour)},
		{"dose over weight in lb", "40 mg", "176 lb", units.New(dec("0.501050595874721774370395003057"), units.MgPerKg)},
		{"does not terminate", "1 mg", "3 mL", units.New(dec("0.333333333333333333333333333333"), units.MgPerML)},
		{"ratio of doses is a percent", "36.5 mg", "36.7 mg", units.New(dec("99.455040871934604904632152588556"), units.Percent)},
		{"ratio across units", "1 mg", "500 mcg", qty(200, 0, units.Percent)},
		{"zero dividend", "0 mg", "5 mL", qty(0, 0, units.MgPerML)},
		{"negative dividend", "-2 mg", "8 mL", qty(-25, -2, units.MgPerML)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			x, y := mustUnmarshal(t, tt.x), mustUnmarshal(t, tt.y)
			got, err := x.Div(y)
			if err != nil {
				t.Fatalf("%v ÷ %v: %v", x, y, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%v ÷ %v mismatch (-want +got):\n%s", x, y, diff)
			}
		})
	}
}

func TestMulDivRefuse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		op      string
		x, y    string
		wantErr error
	}{
		{"mg/kg times mg is not a dose", "mul", "0.5 mg/kg", "500 mg", units.ErrDimension},
		{"mass squared", "mul", "5 mg", "2 mg", units.ErrDimension},
		{"mass times volume", "mul", "5 mg", "2 mL", units.ErrDimension},
		{"length squared has no unit", "mul", "1.8 m", "1.8 m", units.ErrDimension},
		{"mg over mL/h", "div", "5 mg", "2 mL/h", units.ErrDimension},
		{"kg over mg", "div", "80 kg", "40 mg", units.ErrDimension},
		{"divide by zero", "div", "100 mg", "0 mL", units.ErrDivideByZero},
		{"divide by zero with places", "div", "100 mg", "0.000 mg/mL", units.ErrDivideByZero},
		{"divide zero by zero", "div", "0 mg", "0 mg", units.ErrDivideByZero},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			x, y := units.MustParse(tt.x), units.MustParse(tt.y)
			var got units.Quantity
			var err error
			if tt.op == "mul" {
				got, err = x.Mul(y)
			} else {
				got, err = x.Div(y)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("%v %s %v = %v, %v; want an error wrapping %v", x, tt.op, y, got, err, tt.wantErr)
			}
			if got.IsValid() {
				t.Errorf("returned the valid %v with its error", got)
			}
			switch tt.wantErr {
			case units.ErrDimension:
				var de *units.DimensionError
				if !errors.As(err, &de) || de.Op != tt.op || de.X != x.String() || de.Y != y.String() {
					t.Errorf("error %#v, want a *DimensionError for %s %q %q", err, tt.op, x, y)
				}
			case units.ErrDivideByZero:
				var oe *units.OpError
				if !errors.As(err, &oe) || oe.Op != "div" {
					t.Errorf("error %#v, want an *OpError for div", err)
				}
			}
		})
	}
}

func TestAddSub(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		op   string
		x, y string
		want units.Quantity
	}{
		{"same unit", "add", "0.5 mg", "0.25 mg", qty(75, -2, units.Milligram)},
		{"result in the first unit", "add", "1 mg", "500 mcg", qty(15, -1, units.Milligram)},
		{"other order, other unit", "add", "500 mcg", "1 mg", qty(1500, 0, units.Microgram)},
		{"time", "add", "1 h", "30 min", qty(15, -1, units.Hour)},
		{"kg plus lb", "add", "1 kg", "176 lb", qty(8083225712, -8, units.Kilogram)},
		{"lb plus kg rounds at 30 places", "add", "176 lb", "1 kg", units.New(dec("178.204622621848775807229738013450"), units.Pound)},
		{"deviation", "sub", "40 mg", "39.91612856 mg", qty(8387144, -8, units.Milligram)},
		{"negative result", "sub", "1 mg", "2 mg", qty(-1, 0, units.Milligram)},
		{"sub across units", "sub", "1 g", "1 mg", qty(999, -3, units.Gram)},
		{"zero", "sub", "2.5 mL", "2.50 mL", qty(0, 0, units.Milliliter)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			x, y := units.MustParse(tt.x), units.MustParse(tt.y)
			var got units.Quantity
			var err error
			if tt.op == "add" {
				got, err = x.Add(y)
			} else {
				got, err = x.Sub(y)
			}
			if err != nil {
				t.Fatalf("%v %s %v: %v", x, tt.op, y, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%v %s %v mismatch (-want +got):\n%s", x, tt.op, y, diff)
			}
		})
	}
	for _, op := range []string{"add", "sub"} {
		t.Run(op+" refuses a dose per kg and a dose", func(t *testing.T) {
			x, y := units.MustParse("40 mg"), units.MustParse("0.5 mg/kg")
			var err error
			if op == "add" {
				_, err = x.Add(y)
			} else {
				_, err = x.Sub(y)
			}
			var de *units.DimensionError
			if !errors.As(err, &de) || de.Op != op {
				t.Errorf("%s: error %v, want a *DimensionError", op, err)
			}
		})
	}
}

func TestCmp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		x, y string
		want int
	}{
		{"equal across units", "1 mg", "1000 mcg", 0},
		{"pound is exactly 0.45359237 kg", "1 lb", "0.45359237 kg", 0},
		{"one digit more", "1 lb", "0.45359238 kg", -1},
		{"one digit less", "1 lb", "0.45359236 kg", 1},
		{"rates", "12.5 mcg/kg/min", "0.75 mg/kg/h", 0},
		{"rates that do not terminate are still exact", "1 mg/kg/h", "16.666666666666666666666666666667 mcg/kg/min", -1},
		{"hour and minutes", "1 h", "59 min", 1},
		{"trailing zeros", "1.50 mL", "1.5 mL", 0},
		{"cm and in", "177.8 cm", "70 in", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			x, y := units.MustParse(tt.x), units.MustParse(tt.y)
			got, err := x.Cmp(y)
			if err != nil {
				t.Fatalf("%v.Cmp(%v): %v", x, y, err)
			}
			if got != tt.want {
				t.Errorf("%v.Cmp(%v) = %d, want %d", x, y, got, tt.want)
			}
			back, err := y.Cmp(x)
			if err != nil || back != -tt.want {
				t.Errorf("%v.Cmp(%v) = %d, %v; want %d", y, x, back, err, -tt.want)
			}
		})
	}
	t.Run("dimension mismatch", func(t *testing.T) {
		t.Parallel()
		_, err := units.MustParse("5 mg").Cmp(units.MustParse("5 mL"))
		var de *units.DimensionError
		if !errors.As(err, &de) || de.Op != "cmp" {
			t.Errorf("error %v, want a *DimensionError", err)
		}
	})
}

func TestEqual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		x, y units.Quantity
		want bool
	}{
		{"trailing zeros do not matter", units.MustParse("1.50 mg"), units.MustParse("1.5 mg"), true},
		{"different units are not equal", units.MustParse("1 mg"), units.MustParse("1000 mcg"), false},
		{"different values", units.MustParse("1 mg"), units.MustParse("2 mg"), false},
		{"same number, other unit", units.MustParse("1 mg"), units.MustParse("1 mL"), false},
		{"invalid equals invalid", units.Quantity{}, units.Quantity{}, true},
		{"invalid is not zero", units.Quantity{}, units.MustParse("0 mg"), false},
		{"New with an invalid unit is the zero Quantity", units.New(one, units.Unit(0)), units.Quantity{}, true},
		{"NewInt", units.NewInt(80, units.Kilogram), units.MustParse("80 kg"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.x.Equal(tt.y); got != tt.want {
				t.Errorf("%v.Equal(%v) = %t, want %t", tt.x, tt.y, got, tt.want)
			}
			if got := tt.y.Equal(tt.x); got != tt.want {
				t.Errorf("%v.Equal(%v) = %t, want %t", tt.y, tt.x, got, tt.want)
			}
		})
	}
}

func TestAccessors(t *testing.T) {
	t.Parallel()
	q := units.MustParse("0.75 mg/kg/h")
	if !q.Value().Equal(dec("0.75")) || q.Unit() != units.MgPerKgPerHour {
		t.Errorf("Value, Unit = %v, %v; want 0.75, mg/kg/h", q.Value(), q.Unit())
	}
	if diff := cmp.Diff(units.Dimension{Mass: 1, BodyMass: -1, Time: -1}, q.Dimension()); diff != "" {
		t.Errorf("Dimension mismatch (-want +got):\n%s", diff)
	}
	tests := []struct {
		in   string
		sign int
	}{{"-0.5 mg", -1}, {"0 mg", 0}, {"-0 mg", 0}, {"0.000001 mg", 1}}
	for _, tt := range tests {
		if got := mustUnmarshal(t, tt.in).Sign(); got != tt.sign {
			t.Errorf("%s: Sign() = %d, want %d", tt.in, got, tt.sign)
		}
	}
	var zero units.Quantity
	if zero.IsValid() || zero.Sign() != 0 || zero.Unit().IsValid() || zero.Dimension() != (units.Dimension{}) {
		t.Errorf("zero Quantity: IsValid %t, Sign %d, Unit %v, Dimension %v", zero.IsValid(), zero.Sign(), zero.Unit(), zero.Dimension())
	}
	if got := units.New(decimal.New(1, -31), units.Milligram); !got.Value().Equal(decimal.New(0, 0)) {
		t.Errorf("New keeps %v, want the value rounded at Places = 30", got.Value())
	}
	if got := units.New(decimal.New(5, -31), units.Milligram); !got.Value().Equal(decimal.New(1, -30)) {
		t.Errorf("New(5e-31) = %v, want 1e-30 (half away from zero)", got.Value())
	}
}

func TestScaleAbs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		k    string
		want units.Quantity
	}{
		{"adjusted weight factor", "25 kg", "0.4", qty(10, 0, units.Kilogram)},
		{"count", "28 mg", "3", qty(84, 0, units.Milligram)},
		{"zero", "28 mg", "0", qty(0, 0, units.Milligram)},
		{"negative", "28 mg", "-0.5", qty(-14, 0, units.Milligram)},
		{"more than 30 places are rounded", "1 mg", "0.0000000000000000000000000000005", qty(1, -30, units.Milligram)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := units.MustParse(tt.in).Scale(dec(tt.k))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Scale mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for _, tt := range []struct{ in, want string }{{"-0.5 mg", "0.5 mg"}, {"0.5 mg", "0.5 mg"}, {"0 mL", "0 mL"}} {
		if got := mustUnmarshal(t, tt.in).Abs(); !got.Equal(units.MustParse(tt.want)) {
			t.Errorf("Abs(%s) = %v, want %s", tt.in, got, tt.want)
		}
	}
	if got := (units.Quantity{}).Abs(); got.IsValid() {
		t.Errorf("Abs of the zero Quantity = %v, want the zero Quantity", got)
	}
}

// TestInvalidOperands checks that every operation refuses the zero Quantity,
// on either side, with an error wrapping ErrInvalid and an invalid result.
func TestInvalidOperands(t *testing.T) {
	t.Parallel()
	valid := units.MustParse("5 mg")
	var invalid units.Quantity
	ops := []struct {
		name string
		do   func(x, y units.Quantity) (units.Quantity, error)
	}{
		{"Add", units.Quantity.Add},
		{"Sub", units.Quantity.Sub},
		{"Mul", units.Quantity.Mul},
		{"Div", units.Quantity.Div},
		{"Cmp", func(x, y units.Quantity) (units.Quantity, error) { _, err := x.Cmp(y); return units.Quantity{}, err }},
		{"RoundTo", func(x, y units.Quantity) (units.Quantity, error) {
			r, changed, err := x.RoundTo(y, units.RoundHalfUp)
			if changed {
				return valid, errors.New("changed reported with an error")
			}
			return r, err
		}},
	}
	for _, op := range ops {
		for _, side := range []struct {
			name string
			x, y units.Quantity
		}{{"receiver", invalid, valid}, {"argument", valid, invalid}, {"both", invalid, invalid}} {
			t.Run(op.name+" "+side.name, func(t *testing.T) {
				t.Parallel()
				got, err := op.do(side.x, side.y)
				if !errors.Is(err, units.ErrInvalid) {
					t.Fatalf("error %v, want one wrapping ErrInvalid", err)
				}
				var oe *units.OpError
				if !errors.As(err, &oe) {
					t.Errorf("error %T is not an *OpError", err)
				}
				if got.IsValid() {
					t.Errorf("result %v, want the zero Quantity", got)
				}
			})
		}
	}
	t.Run("Convert", func(t *testing.T) {
		t.Parallel()
		if _, err := invalid.Convert(units.Milligram); !errors.Is(err, units.ErrInvalid) {
			t.Errorf("error %v, want one wrapping ErrInvalid", err)
		}
	})
	t.Run("Scale", func(t *testing.T) {
		t.Parallel()
		if _, err := invalid.Scale(one); !errors.Is(err, units.ErrInvalid) {
			t.Errorf("error %v, want one wrapping ErrInvalid", err)
		}
	})
}

// mustUnmarshal reads a quantity that may be negative (Parse refuses signs).
func mustUnmarshal(t testing.TB, s string) units.Quantity {
	t.Helper()
	var q units.Quantity
	if err := q.UnmarshalText([]byte(s)); err != nil {
		t.Fatalf("UnmarshalText(%q): %v", s, err)
	}
	return q
}

func TestMulDiv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		q, m, d string
		want    units.Quantity
		wantErr error
	}{
		{"pump rate × dose ÷ volume", "156 mL/h", "40 mg", "104 mL", qty(60, 0, units.MgPerHour), nil},
		{"dose per kg × weight ÷ concentration", "0.5 mg/kg", "80 kg", "10 mg/mL", qty(4, 0, units.Milliliter), nil},
		{"weight in lb", "0.5 mg/kg", "176 lb", "10 mg/mL", qty(3991612856, -9, units.Milliliter), nil},
		{"exact where the intermediate does not terminate", "3 mL", "1 mg", "3 mL", qty(1, 0, units.Milligram), nil},
		{"rounded once at 30 places", "1 mg", "1 mL", "3 mL", units.New(dec("0.333333333333333333333333333333"), units.Milligram), nil},
		{"no unit for the result", "0.5 mg/kg", "500 mg", "1 mL", units.Quantity{}, units.ErrDimension},
		{"division by zero", "156 mL/h", "40 mg", "0 mL", units.Quantity{}, units.ErrDivideByZero},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, m, d := units.MustParse(tt.q), units.MustParse(tt.m), units.MustParse(tt.d)
			got, err := q.MulDiv(m, d)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("%v × %v ÷ %v: error %v, want %v", q, m, d, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%v × %v ÷ %v mismatch (-want +got):\n%s", q, m, d, diff)
			}
		})
	}
	t.Run("invalid operands", func(t *testing.T) {
		t.Parallel()
		v := units.MustParse("1 mL")
		for _, args := range [][3]units.Quantity{{{}, v, v}, {v, {}, v}, {v, v, {}}} {
			if got, err := args[0].MulDiv(args[1], args[2]); !errors.Is(err, units.ErrInvalid) || got.IsValid() {
				t.Errorf("MulDiv(%v, %v, %v) = %v, %v; want an error wrapping ErrInvalid", args[0], args[1], args[2], got, err)
			}
		}
	})
}

func TestDivTo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		q, o    string
		to      units.Unit
		want    units.Quantity
		wantErr error
	}{
		{"volume ÷ pump rate in minutes", "104 mL", "156 mL/h", units.Minute, qty(40, 0, units.Minute), nil},
		{"volume ÷ pump rate in hours", "104 mL", "156 mL/h", units.Hour, units.New(dec("0.666666666666666666666666666667"), units.Hour), nil},
		{"dose ÷ concentration in L", "40 mg", "10 mg/mL", units.Liter, qty(4, -3, units.Liter), nil},
		{"dose ÷ dose in percent", "1 mg", "500 mcg", units.Percent, qty(200, 0, units.Percent), nil},
		{"dose per kg ÷ duration in mcg/kg/min", "0.5 mg/kg", "40 min", units.McgPerKgPerMin, qty(125, -1, units.McgPerKgPerMin), nil},
		{"wrong target dimension", "40 mg", "10 mg/mL", units.Milligram, units.Quantity{}, units.ErrDimension},
		{"invalid target unit", "40 mg", "10 mg/mL", units.Unit(0), units.Quantity{}, units.ErrUnknownUnit},
		{"division by zero", "40 mg", "0 mg/mL", units.Milliliter, units.Quantity{}, units.ErrDivideByZero},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, o := units.MustParse(tt.q), units.MustParse(tt.o)
			got, err := q.DivTo(o, tt.to)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("%v ÷ %v in %v: error %v, want %v", q, o, tt.to, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%v ÷ %v in %v mismatch (-want +got):\n%s", q, o, tt.to, diff)
			}
		})
	}
	t.Run("invalid operands", func(t *testing.T) {
		t.Parallel()
		v := units.MustParse("1 mL")
		for _, args := range [][2]units.Quantity{{{}, v}, {v, {}}} {
			if got, err := args[0].DivTo(args[1], units.Percent); !errors.Is(err, units.ErrInvalid) || got.IsValid() {
				t.Errorf("DivTo(%v, %v) = %v, %v; want an error wrapping ErrInvalid", args[0], args[1], got, err)
			}
		}
	})
}
