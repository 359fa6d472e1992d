package units_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

// A weight-based dose, its volume and its draw, step by step.
func Example() {
	dosePerKg := units.MustParse("0.5 mg/kg")
	weight := units.MustParse("176 lb")
	stock := units.MustParse("10 mg/mL")

	kg, _ := weight.Convert(units.Kilogram)
	dose, _ := dosePerKg.Mul(kg)
	volume, _ := dose.Div(stock)
	draw, changed, _ := volume.RoundTo(units.MustParse("0.1 mL"), units.RoundHalfUp)

	fmt.Println("weight:", kg)
	fmt.Println("dose:  ", dose)
	fmt.Println("volume:", volume)
	fmt.Println("draw:  ", draw, "rounded:", changed)
	// Output:
	// weight: 79.83225712 kg
	// dose:   39.91612856 mg
	// volume: 3.991612856 mL
	// draw:   4 mL rounded: true
}

func ExampleParse() {
	for _, s := range []string{"0.5 mg/kg", "12.5 \u00b5g/kg/min", "156 ml/hr", "2 device", "0.50 mg"} {
		q, err := units.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-20q %v\n", s, q)
	}
	// Output:
	// "0.5 mg/kg"          0.5 mg/kg
	// "12.5 µg/kg/min"     12.5 mcg/kg/min
	// "156 ml/hr"          156 mL/h
	// "2 device"           2 devices
	// "0.50 mg"            0.5 mg
}

// Parse refuses what the ISMP and Joint Commission lists forbid, and says
// what to write instead.
func ExampleParse_refused() {
	for _, s := range []string{".5 mg", "5.0. mg", "5 cc", "10 U", "1e3 mg", "1,000,000 mg", "1,500 mg", "-5 mg", "0.5 mg/kg/d"} {
		_, err := units.Parse(s)
		fmt.Println(err)
	}
	// Output:
	// units: parsing ".5 mg": naked decimal; write "0.5 mg"
	// units: parsing "5.0. mg": more than one decimal point
	// units: parsing "5 cc": ambiguous unit "cc"; write "5 mL"
	// units: parsing "10 U": ambiguous unit "U"; write "10 units"
	// units: parsing "1e3 mg": scientific notation; write "1000 mg"
	// units: parsing "1,000,000 mg": thousands separator; write "1000000 mg"
	// units: parsing "1,500 mg": ambiguous comma (thousands separator or decimal comma); write "1500 mg" or "1.5 mg"
	// units: parsing "-5 mg": negative quantity; doses, volumes, rates, weights and durations cannot be negative
	// units: parsing "0.5 mg/kg/d": ambiguous unit "d" in "mg/kg/d" (per day or per dose?); write "mg/kg/day" for a dose per day
}

func ExampleMustParse() {
	maxDose := units.MustParse("100 mg")
	fmt.Println(maxDose)
	// Output:
	// 100 mg
}

func ExampleNew() {
	rate := units.New(decimal.RequireFromString("0.75"), units.MgPerKgPerHour)
	fmt.Println(rate)
	fmt.Println(units.New(decimal.NewFromInt(1), units.Unit(0)).IsValid())
	// Output:
	// 0.75 mg/kg/h
	// false
}

func ExampleNewInt() {
	fmt.Println(units.NewInt(2, units.Device))
	fmt.Println(units.NewInt(1, units.Device))
	fmt.Println(units.NewInt(5000, units.ActivityUnit))
	// Output:
	// 2 devices
	// 1 device
	// 5,000 units
}

func ExampleParseUnit() {
	for _, s := range []string{"ml/hr", "\u03bcg/kg/min", "m^2", "cc"} {
		u, err := units.ParseUnit(s)
		fmt.Println(u, err)
	}
	// Output:
	// mL/h <nil>
	// mcg/kg/min <nil>
	// m² <nil>
	// invalid unit units: parsing "cc": ambiguous unit "cc"; write "mL"
}

func ExampleParseUCUM() {
	for _, code := range []string{"[lb_av]", "ug/kg/min", "m2", "[drp]"} {
		u, err := units.ParseUCUM(code)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(code, "→", u)
	}
	// Output:
	// [lb_av] → lb
	// ug/kg/min → mcg/kg/min
	// m2 → m²
	// units: parsing "[drp]": unknown or unsupported UCUM code "[drp]"
}

func ExampleParseRoundingMode() {
	m, err := units.ParseRoundingMode("half_even")
	fmt.Println(m, err)
	_, err = units.ParseRoundingMode("nearest")
	fmt.Println(err)
	// Output:
	// half_even <nil>
	// units: parsing "nearest": unknown rounding mode (allowed: half_up, half_even, down, up)
}

func ExampleUnits() {
	for _, u := range units.Units() {
		if u.Dimension() == (units.Dimension{Mass: 1, BodyMass: -1, Time: -1}) {
			fmt.Println(u, u.UCUM())
		}
	}
	// Output:
	// mg/kg/h mg/kg/h
	// mg/kg/min mg/kg/min
	// mcg/kg/min ug/kg/min
	// mcg/kg/h ug/kg/h
	// mg/kg/day mg/kg/d
	// mcg/kg/day ug/kg/d
}

func ExampleUnit_String() {
	fmt.Println(units.Microgram, units.Milliliter, units.ActivityUnit, units.McgPerKgPerMin, units.SquareMeter)
	// Output:
	// mcg mL units mcg/kg/min m²
}

func ExampleUnit_UCUM() {
	for _, u := range []units.Unit{units.Microgram, units.Pound, units.Inch, units.SquareMeter, units.MLPerHour, units.Device} {
		fmt.Printf("%-7v %s\n", u, u.UCUM())
	}
	// Output:
	// mcg     ug
	// lb      [lb_av]
	// in      [in_i]
	// m²      m2
	// mL/h    mL/h
	// device  {device}
}

func ExampleUnit_Dimension() {
	fmt.Println(units.MgPerKg.Dimension())
	fmt.Println(units.Pound.Dimension() == units.Kilogram.Dimension())
	fmt.Println(units.Milligram.Dimension() == units.Kilogram.Dimension())
	// Output:
	// drug mass / body mass
	// true
	// false
}

// mg/day and mg/h are both drug mass / time, but only mg/day is a dose
// per day.
func ExampleUnit_PerDay() {
	fmt.Println(units.MgPerKgPerDay.PerDay(), units.MgPerHour.PerDay())
	fmt.Println(units.MgPerDay.Dimension() == units.MgPerHour.Dimension())
	// Output:
	// true false
	// true
}

func ExampleUnit_IsValid() {
	var u units.Unit
	fmt.Println(u.IsValid(), units.Milligram.IsValid())
	// Output:
	// false true
}

func ExampleDimension_String() {
	fmt.Println(units.McgPerKgPerMin.Dimension())
	fmt.Println(units.PerMinute.Dimension())
	fmt.Println(units.Percent.Dimension())
	fmt.Println(units.Dimension{Mass: 2, BodyMass: -1})
	// Output:
	// drug mass / body mass / time
	// 1 / time
	// dimensionless
	// drug mass^2 / body mass
}

func ExampleQuantity_Convert() {
	for _, c := range []struct {
		q  string
		to units.Unit
	}{
		{"176 lb", units.Kilogram},
		{"0.75 mg/kg/h", units.McgPerKgPerMin},
		{"156 mL/h", units.MLPerMin},
		{"40 min", units.Hour},
	} {
		got, _ := units.MustParse(c.q).Convert(c.to)
		fmt.Printf("%s = %v\n", c.q, got)
	}
	// Output:
	// 176 lb = 79.83225712 kg
	// 0.75 mg/kg/h = 12.5 mcg/kg/min
	// 156 mL/h = 2.6 mL/min
	// 40 min = 0.666666666666666666666666666667 h
}

// Convert never supplies an outside number: mg to mL needs a concentration.
func ExampleQuantity_Convert_dimension() {
	_, err := units.MustParse("40 mg").Convert(units.Milliliter)
	fmt.Println(errors.Is(err, units.ErrDimension))
	// Output:
	// true
}

func ExampleQuantity_Mul() {
	dose, _ := units.MustParse("0.5 mg/kg").Mul(units.MustParse("80 kg"))
	fmt.Println(dose)
	drip, _ := units.MustParse("120 mL/h").Mul(units.MustParse("20 gtt/mL"))
	fmt.Println(drip)
	_, err := units.MustParse("0.5 mg/kg").Mul(units.MustParse("500 mg"))
	fmt.Println(err)
	// Output:
	// 40 mg
	// 40 gtt/min
	// units: mul "0.5 mg/kg" and "500 mg": dimension mismatch (drug mass / body mass vs drug mass): no unit for the product's dimension drug mass^2 / body mass
}

func ExampleQuantity_Div() {
	volume, _ := units.MustParse("40 mg").Div(units.MustParse("10 mg/mL"))
	fmt.Println(volume)
	rate, _ := units.MustParse("104 mL").Div(units.MustParse("40 min"))
	fmt.Println(rate)
	_, err := units.MustParse("40 mg").Div(units.MustParse("0 mg/mL"))
	fmt.Println(err, errors.Is(err, units.ErrDivideByZero))
	// Output:
	// 4 mL
	// 2.6 mL/min
	// units: div "40 mg" and "0 mg/mL": division by zero true
}

func ExampleQuantity_MulDiv() {
	// Dose rate of a pump running 156 mL/h of 40 mg in 104 mL.
	rate, _ := units.MustParse("156 mL/h").MulDiv(units.MustParse("40 mg"), units.MustParse("104 mL"))
	fmt.Println(rate)
	// Output:
	// 60 mg/h
}

func ExampleQuantity_DivTo() {
	// How long 104 mL takes at 156 mL/h, in minutes.
	d, _ := units.MustParse("104 mL").DivTo(units.MustParse("156 mL/h"), units.Minute)
	fmt.Println(d)
	// Output:
	// 40 min
}

func ExampleQuantity_Add() {
	total, _ := units.MustParse("1 mg").Add(units.MustParse("500 mcg"))
	fmt.Println(total)
	_, err := units.MustParse("40 mg").Add(units.MustParse("0.5 mg/kg"))
	fmt.Println(errors.Is(err, units.ErrDimension))
	// Output:
	// 1.5 mg
	// true
}

func ExampleQuantity_Sub() {
	deviation, _ := units.MustParse("39.91612856 mg").Sub(units.MustParse("40 mg"))
	fmt.Println(deviation)
	// Output:
	// -0.08387144 mg
}

func ExampleQuantity_Scale() {
	excess, _ := units.MustParse("25 kg").Scale(decimal.RequireFromString("0.4"))
	fmt.Println(excess)
	// Output:
	// 10 kg
}

func ExampleQuantity_Abs() {
	deviation, _ := units.MustParse("39.9 mg").Sub(units.MustParse("40 mg"))
	fmt.Println(deviation, deviation.Abs())
	// Output:
	// -0.1 mg 0.1 mg
}

func ExampleQuantity_Sign() {
	deviation, _ := units.MustParse("39.9 mg").Sub(units.MustParse("40 mg"))
	fmt.Println(deviation.Sign(), units.MustParse("0 mg").Sign(), units.MustParse("5 mg").Sign())
	// Output:
	// -1 0 1
}

func ExampleQuantity_IsValid() {
	var missing units.Quantity
	fmt.Println(missing.IsValid(), missing)
	_, err := missing.Mul(units.MustParse("0.5 mg/kg"))
	fmt.Println(errors.Is(err, units.ErrInvalid))
	// Output:
	// false invalid quantity
	// true
}

func ExampleQuantity_Value() {
	q := units.MustParse("12.50 mg")
	fmt.Println(q.Value().StringFixed(2), q.Unit())
	// Output:
	// 12.50 mg
}

func ExampleQuantity_Unit() {
	fmt.Println(units.MustParse("12 ug").Unit() == units.Microgram)
	// Output:
	// true
}

func ExampleQuantity_Dimension() {
	fmt.Println(units.MustParse("12.5 mcg/kg/min").Dimension())
	// Output:
	// drug mass / body mass / time
}

func ExampleQuantity_Equal() {
	fmt.Println(units.MustParse("1.50 mg").Equal(units.MustParse("1.5 mg")))
	fmt.Println(units.MustParse("1 mg").Equal(units.MustParse("1000 mcg")))
	// Output:
	// true
	// false
}

func ExampleQuantity_Cmp() {
	c, _ := units.MustParse("1 mg").Cmp(units.MustParse("1000 mcg"))
	fmt.Println(c)
	c, _ = units.MustParse("12.5 mcg/kg/min").Cmp(units.MustParse("0.8 mg/kg/h"))
	fmt.Println(c)
	_, err := units.MustParse("1 mg").Cmp(units.MustParse("1 mL"))
	fmt.Println(errors.Is(err, units.ErrDimension))
	// Output:
	// 0
	// -1
	// true
}

func ExampleQuantity_RoundTo() {
	for _, c := range []struct{ q, step string }{{"2.25 mL", "0.1 mL"}, {"70 mg", "28 mg"}} {
		q, step := units.MustParse(c.q), units.MustParse(c.step)
		for _, mode := range []units.RoundingMode{units.RoundHalfUp, units.RoundHalfEven, units.RoundDown, units.RoundUp} {
			r, changed, _ := q.RoundTo(step, mode)
			fmt.Printf("%v to %v %-9v %v (changed: %t)\n", q, step, mode, r, changed)
		}
	}
	// Output:
	// 2.25 mL to 0.1 mL half_up   2.3 mL (changed: true)
	// 2.25 mL to 0.1 mL half_even 2.2 mL (changed: true)
	// 2.25 mL to 0.1 mL down      2.2 mL (changed: true)
	// 2.25 mL to 0.1 mL up        2.3 mL (changed: true)
	// 70 mg to 28 mg half_up   84 mg (changed: true)
	// 70 mg to 28 mg half_even 56 mg (changed: true)
	// 70 mg to 28 mg down      56 mg (changed: true)
	// 70 mg to 28 mg up        84 mg (changed: true)
}

func ExampleQuantity_String() {
	for _, s := range []string{"0.50 mg", "5.0 mg", "1000 mg", "1234567.5 mcg", "12 ug", "1 device", "3 tablets", "110 /min", "1 unit"} {
		fmt.Println(units.MustParse(s))
	}
	// Output:
	// 0.5 mg
	// 5 mg
	// 1,000 mg
	// 1,234,567.5 mcg
	// 12 mcg
	// 1 device
	// 3 tablets
	// 110 /min
	// 1 unit
}

func ExampleQuantity_Text() {
	q := units.MustParse("1000.50 mg")
	fmt.Println(q.String())
	fmt.Println(q.Text())
	back, _ := units.Parse(q.Text())
	fmt.Println(back.Equal(q))
	// Output:
	// 1,000.5 mg
	// 1000.5 mg
	// true
}

func ExampleQuantity_MarshalText() {
	type order struct {
		Dose units.Quantity `json:"dose"`
		Rate units.Quantity `json:"rate"`
		Max  units.Quantity `json:"max,omitzero"`
	}
	b, _ := json.Marshal(order{Dose: units.MustParse("1000 mg"), Rate: units.MustParse("12.5 ug/kg/min")})
	fmt.Println(string(b))
	// Output:
	// {"dose":"1000 mg","rate":"12.5 mcg/kg/min"}
}

func ExampleQuantity_UnmarshalText() {
	var r struct {
		Weight    units.Quantity `json:"weight"`
		Deviation units.Quantity `json:"deviation"`
	}
	err := json.Unmarshal([]byte(`{"weight":"176 lbs","deviation":"-0.08387144 mg"}`), &r)
	fmt.Println(r.Weight, r.Deviation, err)
	err = json.Unmarshal([]byte(`{"weight":".5 kg"}`), &r)
	fmt.Println(err)
	// Output:
	// 176 lb -0.08387144 mg <nil>
	// units: parsing ".5 kg": naked decimal; write "0.5 kg"
}

func ExampleRoundingMode_String() {
	fmt.Println(units.RoundHalfUp, units.RoundHalfEven, units.RoundDown, units.RoundUp, units.RoundingMode(0))
	// Output:
	// half_up half_even down up invalid rounding mode
}

func ExampleRoundingMode_MarshalText() {
	b, _ := json.Marshal(map[string]units.RoundingMode{"rounding": units.RoundDown})
	fmt.Println(string(b))
	_, err := units.RoundingMode(0).MarshalText()
	fmt.Println(err)
	// Output:
	// {"rounding":"down"}
	// units: marshal "invalid rounding mode": invalid rounding mode
}

func ExampleRoundingMode_UnmarshalText() {
	var p struct {
		Rounding units.RoundingMode `json:"rounding"`
	}
	err := json.Unmarshal([]byte(`{"rounding":"half_even"}`), &p)
	fmt.Println(p.Rounding, err)
	// Output:
	// half_even <nil>
}

func ExampleParseError() {
	_, err := units.Parse("0.5 mgg/kg")
	var pe *units.ParseError
	if errors.As(err, &pe) {
		fmt.Printf("%s at offset %d: %q\n", pe.Input, pe.Offset, pe.Elem)
	}
	fmt.Println(errors.Is(err, units.ErrUnknownUnit))

	_, err = units.Parse(".5 mg")
	if errors.As(err, &pe) {
		fmt.Println("write", pe.Fix)
	}
	// Output:
	// 0.5 mgg/kg at offset 4: "mgg"
	// true
	// write 0.5 mg
}

func ExampleDimensionError() {
	_, err := units.MustParse("40 mg").Convert(units.Milliliter)
	var de *units.DimensionError
	if errors.As(err, &de) {
		fmt.Printf("%s %s (%v) to %s (%v)\n", de.Op, de.X, de.XDim, de.Y, de.YDim)
	}
	// Output:
	// convert 40 mg (drug mass) to mL (volume)
}

func ExampleOpError() {
	_, _, err := units.MustParse("2.5 mL").RoundTo(units.MustParse("0 mL"), units.RoundHalfUp)
	var oe *units.OpError
	if errors.As(err, &oe) {
		fmt.Println(oe.Op, oe.X, oe.Y, errors.Is(err, units.ErrRange))
	}
	// Output:
	// round 2.5 mL 0 mL true
}

// ParseEntry reads what people type into a form: compounds, an amount in a
// volume, percent and ratio strength, each with the parts it was read from.
func ExampleParseEntry() {
	for _, s := range []string{"5ft10in", "7 lb 4 oz", "4h30min", "250 mg in 500 mL", "1 % w/v", "1:1000", "0.5 mg/kg"} {
		e, err := units.ParseEntry(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-18q %-18s = %-10v parts %v\n", s, e.Text, e.Quantity, e.Parts)
	}
	// Output:
	// "5ft10in"          5 ft 10 in         = 70 in      parts [5 ft 10 in]
	// "7 lb 4 oz"        7 lb 4 oz          = 116 oz     parts [7 lb 4 oz]
	// "4h30min"          4 h 30 min         = 270 min    parts [4 h 30 min]
	// "250 mg in 500 mL" 250 mg in 500 mL   = 0.5 mg/mL  parts [250 mg 500 mL]
	// "1 % w/v"          1 % w/v            = 10 mg/mL   parts [1 g 100 mL]
	// "1:1000"           1:1000             = 1 mg/mL    parts [1 g 1,000 mL]
	// "0.5 mg/kg"        0.5 mg/kg          = 0.5 mg/kg  parts []
}

// A decimal number of feet or hours that also reads as feet and inches or
// hours and minutes is refused, with both readings.
func ExampleParseEntry_ambiguous() {
	for _, s := range []string{"5.10 ft", "1.30 h", "1.5 h", "5 % w/w", "1:10,000"} {
		if _, err := units.ParseEntry(s); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s, "is read")
	}
	// Output:
	// units: parsing "5.10 ft": ambiguous decimal feet: 5.1 ft (61.2 in) or 5 ft 10 in (70 in)? write "5ft10in", or inches ("70 in" or "61.2 in")
	// units: parsing "1.30 h": ambiguous decimal hours: 1.3 h (78 min) or 1 h 30 min (90 min)? write "1h30min", or minutes ("90 min" or "78 min")
	// 1.5 h is read
	// units: parsing "5 % w/w": a w/w percent strength is not an amount in a volume; give the concentration in mg/mL, or w/v strength (grams in 100 mL: "1 % w/v")
	// units: parsing "1:10,000": comma in a ratio strength (thousands separators are not read); write "1:10000"
}

// ConvertWith finds which outside numbers a conversion needs from their
// dimensions, and computes exactly: issue 15's drip rate.
func ExampleQuantity_ConvertWith() {
	rate := units.MustParse("5 mcg/kg/min")
	c, err := rate.ConvertWith(units.DropsPerMin,
		units.Factor{Name: "weight", Value: units.MustParse("50 kg")},
		units.Factor{Name: "concentration", Value: units.MustParse("0.8 mg/mL")},
		units.Factor{Name: "drop factor", Value: units.MustParse("60 gtt/mL")},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range c.Steps {
		fmt.Printf("%s %v (%s: %s) = %v\n", s.Op, s.By, s.Factor, s.Why, s.Result)
	}
	fmt.Println(c.Input, "=", c.Result, "exact:", c.Exact)
	// Output:
	// × 50 kg (weight: cancels per body mass) = 250 mcg/min
	// ÷ 0.8 mg/mL (concentration: drug mass becomes volume) = 18.75 mL/h
	// × 60 gtt/mL (drop factor: volume becomes drop) = 18.75 gtt/min
	// 5 mcg/kg/min = 18.75 gtt/min exact: true
}

// A conversion names the factors it needs and was not given, and those it
// was given and does not need; "exact" is never claimed for a value that was
// cut at Places.
func ExampleQuantity_ConvertWith_missing() {
	bag := units.MustParse("500 mL")
	_, err := bag.ConvertWith(units.MLPerHour,
		units.Factor{Name: "--duration", Dims: []units.Dimension{units.Hour.Dimension()}},
		units.Factor{Name: "--weight", Value: units.MustParse("80 kg")})
	fmt.Println(err)

	c, _ := bag.ConvertWith(units.MLPerHour, units.Factor{Name: "--duration", Value: units.MustParse("4.5 h")})
	fmt.Println(c.Result, "exact:", c.Exact)

	c, _ = bag.ConvertWith(units.Hour, units.Factor{Name: "--rate", Value: units.MustParse("125 mL/h")})
	fmt.Println(c.Result, "exact:", c.Exact)
	// Output:
	// units: convert "500 mL" and "mL/h": dimension mismatch (volume vs volume / time): needs --duration
	// 111.111111111111111111111111111111 mL/h exact: false
	// 4 h exact: true
}

// A quotient and whether it terminates: 1 ÷ 8 does; 1 ÷ 3 is rounded at
// the 30th place.
func ExampleQuotient() {
	q, exact := units.Quotient(decimal.NewFromInt(1), decimal.NewFromInt(8))
	fmt.Println(q, exact)
	q, exact = units.Quotient(decimal.NewFromInt(1), decimal.NewFromInt(3))
	fmt.Println(q, exact)
	// Output:
	// 0.125 true
	// 0.333333333333333333333333333333 false
}

// ExampleNumber computes on the values of quantities as decimal would: a
// body mass index, 80 kg ÷ (1.75 m)² = 26.1224489795918367346938775510204…
// kg/m², kept at 30 places (the 31st digit is 4: rounded down), and the
// Devine ideal weight of a man of 175 cm, 50 kg + 2.3 kg × (175 ÷ 2.54 −
// 60): 175 ÷ 2.54 = 68.8976377952755905511811023622047… in, kept at
// 68.897637795275590551181102362205 (the 31st digit is 0), then exactly
// 50 + 2.3 × 8.897637795275590551181102362205 = 70.4645669291338582677165354330715,
// kept at 30 places as a quantity: …433072 (the 31st digit is 5: away
// from zero).
func ExampleNumber() {
	kg := units.MustParse("80 kg").Number()
	m := units.MustParse("175 cm").Number().Shift(-2) // in metres, exactly
	bmi, exact := kg.Quotient(m.Mul(m))
	fmt.Println(bmi.Quantity(units.KgPerM2), exact)

	in, _ := units.MustParse("175 cm").Number().Quotient(units.NewNumber(254, -2))
	ibw := units.NewNumber(50, 0).Add(units.NewNumber(23, -1).Mul(in.Sub(units.NewNumber(60, 0))))
	fmt.Println(ibw, "→", ibw.Quantity(units.Kilogram))
	// Output:
	// 26.12244897959183673469387755102 kg/m² false
	// 70.4645669291338582677165354330715 → 70.464566929133858267716535433072 kg
}
