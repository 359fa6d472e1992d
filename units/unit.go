package units

import (
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// Unit is one unit of the closed table of clinical units this package knows.
// It is a small comparable handle: == and map keys work. The zero Unit is
// invalid. The set is closed on purpose: a unit that is not in the table,
// such as L/h, is refused when parsed rather than guessed.
type Unit uint8

// The supported units. Compound units read left to right: MgPerKgPerHour is
// mg/kg/h.
const (
	invalidUnit Unit = iota

	// Drug mass.
	Microgram // mcg
	Milligram // mg
	Gram      // g
	Nanogram  // ng

	// Patient body mass.
	Kilogram // kg
	Pound    // lb (exactly 0.45359237 kg)
	Ounce    // oz (avoirdupois: exactly 1/16 lb = 0.028349523125 kg)

	// Volume.
	Milliliter // mL
	Liter      // L

	// Time.
	Second // s
	Minute // min
	Hour   // h
	Day    // day
	Week   // week

	// Length (height).
	Centimeter // cm
	Millimeter // mm
	Meter      // m
	Inch       // in (exactly 2.54 cm)
	Foot       // ft (exactly 30.48 cm)

	// Body surface area.
	SquareMeter // m²

	// Counts of dose forms and drops.
	Device // device
	Spray  // spray
	Troche // troche
	Tablet // tablet
	Drop   // gtt

	// Body mass index.
	KgPerM2 // kg/m² (body mass over height squared; not per body surface area)

	// Vital signs.
	MmHg        // mmHg
	PerMinute   // /min (heart rate, respiratory rate)
	TimesPerDay // /day (how many doses a day: "3 /day")
	Percent     // % (SpO2, bioavailability, deviations)

	// Activity.
	ActivityUnit // units

	// Concentrations.
	MgPerML    // mg/mL
	McgPerML   // mcg/mL
	MgPerL     // mg/L
	NgPerML    // ng/mL
	UnitsPerML // units/mL

	// Per body size.
	MgPerKg    // mg/kg
	McgPerKg   // mcg/kg
	MgPerM2    // mg/m²
	UnitsPerKg // units/kg
	UnitsPerM2 // units/m²

	// Strength of one dose form.
	MgPerDevice // mg/device
	MgPerSpray  // mg/spray
	MgPerTroche // mg/troche
	MgPerTablet // mg/tablet

	// Dose rates.
	MgPerHour         // mg/h
	MgPerMin          // mg/min
	McgPerMin         // mcg/min
	McgPerHour        // mcg/h
	MgPerKgPerHour    // mg/kg/h
	MgPerKgPerMin     // mg/kg/min
	McgPerKgPerMin    // mcg/kg/min
	McgPerKgPerHour   // mcg/kg/h
	UnitsPerHour      // units/h
	UnitsPerKgPerHour // units/kg/h

	// Doses per day (spelled out: "mg/kg/d" is refused, since "d" is read as
	// dose as well as day).
	MgPerDay         // mg/day
	McgPerDay        // mcg/day
	MgPerKgPerDay    // mg/kg/day
	McgPerKgPerDay   // mcg/kg/day
	UnitsPerDay      // units/day
	UnitsPerKgPerDay // units/kg/day

	// Pump and gravity rates.
	MLPerHour   // mL/h
	MLPerMin    // mL/min
	DropsPerMin // gtt/min
	DropsPerML  // gtt/mL (a drop factor: a property of the IV set)

	numUnits
)

// atom is a base symbol from which every unit of the table is composed.
type atom uint8

const (
	aMcg atom = iota
	aMg
	aG
	aNg
	aKg
	aLb
	aOz
	aML
	aL
	aS
	aMin
	aH
	aDay
	aWeek
	aCm
	aMm
	aM
	aIn
	aFt
	aM2
	aDevice
	aSpray
	aTroche
	aTablet
	aDrop
	aMmHg
	aPercent
	aUnits
	numAtoms
)

type atomInfo struct {
	dim    Dimension
	factor string // exact factor to the base unit of its dimension
	sym    string // display symbol in compounds
	ucum   string
	spell  []string // accepted spellings in Parse (case-sensitive)
}

// atoms is a read-only table.
var atoms = [numAtoms]atomInfo{
	aMcg:     {Dimension{Mass: 1}, "0.001", "mcg", "ug", []string{"mcg", "ug", "µg", "μg"}},
	aMg:      {Dimension{Mass: 1}, "1", "mg", "mg", []string{"mg"}},
	aG:       {Dimension{Mass: 1}, "1000", "g", "g", []string{"g"}},
	aNg:      {Dimension{Mass: 1}, "0.000001", "ng", "ng", []string{"ng"}},
	aKg:      {Dimension{BodyMass: 1}, "1", "kg", "kg", []string{"kg"}},
	aLb:      {Dimension{BodyMass: 1}, "0.45359237", "lb", "[lb_av]", []string{"lb", "lbs"}},
	aOz:      {Dimension{BodyMass: 1}, "0.028349523125", "oz", "[oz_av]", []string{"oz"}},
	aML:      {Dimension{Volume: 1}, "1", "mL", "mL", []string{"mL", "ml"}},
	aL:       {Dimension{Volume: 1}, "1000", "L", "L", []string{"L"}},
	aS:       {Dimension{Time: 1}, "1", "s", "s", []string{"s", "sec"}},
	aMin:     {Dimension{Time: 1}, "60", "min", "min", []string{"min", "mins", "minute", "minutes"}},
	aH:       {Dimension{Time: 1}, "3600", "h", "h", []string{"h", "hr", "hrs", "hour", "hours"}},
	aDay:     {Dimension{Time: 1}, "86400", "day", "d", []string{"d", "day", "days"}},
	aWeek:    {Dimension{Time: 1}, "604800", "week", "wk", []string{"wk", "week", "weeks"}},
	aCm:      {Dimension{Length: 1}, "1", "cm", "cm", []string{"cm"}},
	aMm:      {Dimension{Length: 1}, "0.1", "mm", "mm", []string{"mm"}},
	aM:       {Dimension{Length: 1}, "100", "m", "m", []string{"m"}},
	aIn:      {Dimension{Length: 1}, "2.54", "in", "[in_i]", []string{"in"}},
	aFt:      {Dimension{Length: 1}, "30.48", "ft", "[ft_i]", []string{"ft"}},
	aM2:      {Dimension{BSA: 1}, "1", "m²", "m2", []string{"m²", "m2", "m^2"}},
	aDevice:  {Dimension{Device: 1}, "1", "device", "{device}", []string{"device", "devices"}},
	aSpray:   {Dimension{Spray: 1}, "1", "spray", "{spray}", []string{"spray", "sprays"}},
	aTroche:  {Dimension{Troche: 1}, "1", "troche", "{troche}", []string{"troche", "troches"}},
	aTablet:  {Dimension{Tablet: 1}, "1", "tablet", "{tablet}", []string{"tablet", "tablets"}},
	aDrop:    {Dimension{Drop: 1}, "1", "gtt", "{drop}", []string{"gtt", "drop", "drops"}},
	aMmHg:    {Dimension{Pressure: 1}, "1", "mmHg", "mm[Hg]", []string{"mmHg"}},
	aPercent: {Dimension{}, "0.01", "%", "%", []string{"%"}},
	aUnits:   {Dimension{Activity: 1}, "1", "units", "[iU]", []string{"units", "unit"}},
}

// refusedAtoms are spellings that are dangerous rather than merely unknown:
// each maps to what to write instead (ISMP / Joint Commission "Do Not Use").
var refusedAtoms = map[string]string{
	"cc": "mL", "CC": "mL",
	"U": "units", "u": "units", "IU": "units", "iu": "units", "IE": "units",
	"l": "L", "mgs": "mg", "mcgs": "mcg", "kgs": "kg",
}

type unitInfo struct {
	expr   string   // composition of atoms, e.g. "mcg/kg/min"
	sym    string   // display symbol, when it is not expr
	ucum   string   // UCUM code, when it is not composed from the atoms
	alias  []string // whole-unit spellings, when the composition cannot be written
	plural string   // display symbol when the value is not 1 (dose forms, day, week)
	one    string   // display symbol when the value is 1, when it is not the symbol ("1 unit")
	pref   bool     // the unit Mul and Div choose for a result of this dimension
}

// table is a read-only table indexed by Unit.
var table = [numUnits]unitInfo{
	Microgram: {expr: "mcg"},
	Milligram: {expr: "mg", pref: true},
	Gram:      {expr: "g"},
	Nanogram:  {expr: "ng"},

	Kilogram: {expr: "kg", pref: true},
	Pound:    {expr: "lb"},
	Ounce:    {expr: "oz"},

	Milliliter: {expr: "mL", pref: true},
	Liter:      {expr: "L"},

	Second: {expr: "s"},
	Minute: {expr: "min", pref: true},
	Hour:   {expr: "h"},
	Day:    {expr: "day", plural: "days"},
	Week:   {expr: "week", plural: "weeks"},

	Centimeter: {expr: "cm", pref: true},
	Millimeter: {expr: "mm"},
	Meter:      {expr: "m"},
	Inch:       {expr: "in"},
	Foot:       {expr: "ft"},

	SquareMeter: {expr: "m²", pref: true},

	Device: {expr: "device", plural: "devices", pref: true},
	Spray:  {expr: "spray", plural: "sprays", pref: true},
	Troche: {expr: "troche", plural: "troches", pref: true},
	Tablet: {expr: "tablet", plural: "tablets", pref: true},
	Drop:   {expr: "gtt", pref: true},

	// BMI divides by height squared, a length², which is not the m² of body
	// surface area: hence the composition "kg/m/m" and the explicit spellings.
	KgPerM2: {expr: "kg/m/m", sym: "kg/m²", ucum: "kg/m2", alias: []string{"kg/m²", "kg/m2", "kg/m^2"}, pref: true},

	MmHg:        {expr: "mmHg", pref: true},
	PerMinute:   {expr: "/min", pref: true},
	TimesPerDay: {expr: "/day"},
	Percent:     {expr: "%", pref: true},

	ActivityUnit: {expr: "units", one: "unit", pref: true},

	MgPerML:    {expr: "mg/mL", pref: true},
	McgPerML:   {expr: "mcg/mL"},
	MgPerL:     {expr: "mg/L"},
	NgPerML:    {expr: "ng/mL"},
	UnitsPerML: {expr: "units/mL", pref: true},

	MgPerKg:    {expr: "mg/kg", pref: true},
	McgPerKg:   {expr: "mcg/kg"},
	MgPerM2:    {expr: "mg/m²", pref: true},
	UnitsPerKg: {expr: "units/kg", pref: true},
	UnitsPerM2: {expr: "units/m²", pref: true},

	MgPerDevice: {expr: "mg/device", pref: true},
	MgPerSpray:  {expr: "mg/spray", pref: true},
	MgPerTroche: {expr: "mg/troche", pref: true},
	MgPerTablet: {expr: "mg/tablet", pref: true},

	MgPerHour:         {expr: "mg/h", pref: true},
	MgPerMin:          {expr: "mg/min"},
	McgPerMin:         {expr: "mcg/min"},
	McgPerHour:        {expr: "mcg/h"},
	MgPerKgPerHour:    {expr: "mg/kg/h", pref: true},
	MgPerKgPerMin:     {expr: "mg/kg/min"},
	McgPerKgPerMin:    {expr: "mcg/kg/min"},
	McgPerKgPerHour:   {expr: "mcg/kg/h"},
	UnitsPerHour:      {expr: "units/h", pref: true},
	UnitsPerKgPerHour: {expr: "units/kg/h", pref: true},

	MgPerDay:         {expr: "mg/day"},
	McgPerDay:        {expr: "mcg/day"},
	MgPerKgPerDay:    {expr: "mg/kg/day"},
	McgPerKgPerDay:   {expr: "mcg/kg/day"},
	UnitsPerDay:      {expr: "units/day"},
	UnitsPerKgPerDay: {expr: "units/kg/day"},

	MLPerHour:   {expr: "mL/h", pref: true},
	MLPerMin:    {expr: "mL/min"},
	DropsPerMin: {expr: "gtt/min", pref: true},
	DropsPerML:  {expr: "gtt/mL", pref: true},
}

// terms is a unit's composition: the exponent of each atom.
type terms [numAtoms]int8

// derived holds what the package computes once from the tables above. It is
// built by init and never written afterwards.
type derived struct {
	terms   [numUnits]terms
	dim     [numUnits]Dimension
	num     [numUnits]decimal.Decimal // factor to the base unit = num / den
	den     [numUnits]decimal.Decimal
	numD    [numUnits]dec // num and den as the package's values hold them
	denD    [numUnits]dec
	conv    [numUnits][numUnits]*convFactor // between units of one dimension
	sym     [numUnits]string
	ucum    [numUnits]string
	mul     [numUnits][numUnits]result // the unit of a product, a quotient
	div     [numUnits][numUnits]result
	byTerms map[terms]Unit
	byDim   map[Dimension]Unit
	byUCUM  map[string]Unit
	alias   map[string]Unit
	spell   map[string]atom
	ucumAt  map[string]atom
}

var tab = build()

func build() *derived {
	d := &derived{
		byTerms: make(map[terms]Unit),
		byDim:   make(map[Dimension]Unit),
		byUCUM:  make(map[string]Unit),
		alias:   make(map[string]Unit),
		spell:   make(map[string]atom),
		ucumAt:  make(map[string]atom),
	}
	for a := atom(0); a < numAtoms; a++ {
		for _, s := range atoms[a].spell {
			if _, dup := d.spell[s]; dup {
				panic("units: duplicate spelling " + s) // programmer error in the table
			}
			d.spell[s] = a
		}
		d.ucumAt[atoms[a].ucum] = a
	}
	for u := Unit(1); u < numUnits; u++ {
		info := table[u]
		t, ok := d.compose(info.expr, d.spell)
		if !ok {
			panic("units: bad table expression " + info.expr)
		}
		if _, dup := d.byTerms[t]; dup {
			panic("units: duplicate unit " + info.expr)
		}
		d.terms[u] = t
		d.byTerms[t] = u
		num, den := decimal.NewFromInt(1), decimal.NewFromInt(1)
		var dim Dimension
		var ucum []string
		for a, e := range t {
			if e == 0 {
				continue
			}
			f := tableDecimal(atoms[a].factor)
			dim = dim.add(atoms[a].dim, e)
			for i := int8(0); i < abs8(e); i++ {
				if e > 0 {
					num = num.Mul(f)
				} else {
					den = den.Mul(f)
				}
			}
		}
		for i, part := range strings.Split(info.expr, "/") {
			if part == "" && i == 0 {
				continue
			}
			ucum = append(ucum, atoms[d.spell[part]].ucum)
		}
		code := strings.Join(ucum, "/")
		if strings.HasPrefix(info.expr, "/") {
			code = "/" + code
		}
		if info.ucum != "" {
			code = info.ucum
		}
		d.dim[u], d.num[u], d.den[u] = dim, num, den
		d.numD[u], d.denD[u] = decOf(num), decOf(den)
		d.sym[u] = info.expr
		if info.sym != "" {
			d.sym[u] = info.sym
		}
		for _, a := range info.alias {
			d.alias[a] = u
		}
		d.ucum[u] = code
		d.byUCUM[code] = u
		if prev, ok := d.byDim[dim]; !ok || (info.pref && !table[prev].pref) {
			d.byDim[dim] = u
		}
	}
	d.results()
	for from := Unit(1); from < numUnits; from++ {
		for to := Unit(1); to < numUnits; to++ {
			if d.dim[from] == d.dim[to] {
				d.conv[from][to] = newConvFactor(d.num[from].Mul(d.den[to]), d.den[from].Mul(d.num[to]))
			}
		}
	}
	return d
}

// result is the unit of a product or quotient of two units: the unit the
// terms leave where they cancel term by term, else the preferred unit of
// the result's dimension (and the value is scaled by the unit factors).
type result struct {
	u   Unit
	how uint8 // cancels, scaled or none (no unit has the dimension)
}

const (
	none uint8 = iota
	cancels
	scaled
)

// results fills mul and div. The units' dimensions are few, so the unit of
// each product and quotient of two dimensions is looked up once per pair
// of dimensions; the terms only where a unit has that dimension.
func (d *derived) results() {
	var dims []Dimension
	id := map[Dimension]int{}
	var dimOf [numUnits]int
	for u := Unit(1); u < numUnits; u++ {
		i, ok := id[d.dim[u]]
		if !ok {
			i = len(dims)
			id[d.dim[u]] = i
			dims = append(dims, d.dim[u])
		}
		dimOf[u] = i
	}
	byDims := func(sign int8) [][]Unit {
		t := make([][]Unit, len(dims))
		for i := range dims {
			t[i] = make([]Unit, len(dims))
			for j := range dims {
				t[i][j] = d.byDim[dims[i].add(dims[j], sign)] // invalidUnit where none has it
			}
		}
		return t
	}
	mulDims, divDims := byDims(1), byDims(-1)
	for a := Unit(1); a < numUnits; a++ {
		for b := Unit(1); b < numUnits; b++ {
			d.mul[a][b] = d.result(a, b, 1, mulDims[dimOf[a]][dimOf[b]])
			d.div[a][b] = d.result(a, b, -1, divDims[dimOf[a]][dimOf[b]])
		}
	}
}

// result is the result of a × b (sign 1) or a ÷ b (sign −1), whose
// dimension's preferred unit is pref (invalidUnit: none).
func (d *derived) result(a, b Unit, sign int8, pref Unit) result {
	if !pref.IsValid() { // no unit has the dimension, so none has the terms
		return result{}
	}
	var t terms
	for i := range t {
		t[i] = d.terms[a][i] + sign*d.terms[b][i]
	}
	if c, ok := d.byTerms[t]; ok {
		return result{c, cancels}
	}
	return result{pref, scaled}
}

// convFactor converts a value between two units of one dimension: the value
// times num/den, in lowest terms. When num/den is a terminating decimal it is
// kept as that decimal (exact) and den is one.
type convFactor struct {
	num, den dec  // integers
	exact    bool // den is one: the factor is num
}

func newConvFactor(num, den decimal.Decimal) *convFactor {
	r := new(big.Rat).Quo(num.Rat(), den.Rat())
	n, q := new(big.Int).Set(r.Num()), new(big.Int).Set(r.Denom())
	// q = 2^a·5^b means num/den = n·10^k / 10^k·q terminates: write it out.
	rest, places := new(big.Int).Set(q), int32(0)
	for _, p := range []int64{2, 5} {
		bp := big.NewInt(p)
		for new(big.Int).Rem(rest, bp).Sign() == 0 {
			rest.Quo(rest, bp)
		}
	}
	if rest.Cmp(big.NewInt(1)) == 0 {
		for new(big.Int).Rem(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil), q).Sign() != 0 {
			places++
		}
		f := decimal.NewFromBigRat(r, places)
		return &convFactor{num: decOf(f), den: decOne, exact: true}
	}
	return &convFactor{num: decOfBig(n, 0), den: decOfBig(q, 0)}
}

// apply returns v in the target unit: exact, or rounded half away from zero
// at Places when the result does not terminate.
func (c *convFactor) apply(v dec) dec {
	if c.exact {
		return decMul(v, c.num)
	}
	return decMulDiv(v, c.num, c.den)
}

// tableDecimal reads a factor of the atom table ("0.45359237") exactly,
// without decimal.NewFromString, which depends on decimal's package settings.
func tableDecimal(s string) decimal.Decimal {
	i, f, _ := strings.Cut(s, ".")
	if i == "" || !allDigits(i) || !allDigits(f) {
		panic("units: bad table factor " + s) // programmer error in the table
	}
	return digitsDec(i+f, len(f)).decimal()
}

func abs8(e int8) int8 {
	if e < 0 {
		return -e
	}
	return e
}

// compose turns "mcg/kg/min" into its terms, looking each part up in spell.
// The first part is the numerator (it may be empty, as in "/min"); every
// further part divides.
func (d *derived) compose(expr string, spell map[string]atom) (terms, bool) {
	var t terms
	rest, first := expr, true
	for {
		part, tail, more := strings.Cut(rest, "/")
		switch {
		case part == "" && first && more:
			// "/min": no numerator
		default:
			a, ok := spell[part]
			if !ok {
				return t, false
			}
			if first {
				t[a]++
			} else {
				t[a]--
			}
		}
		first = false
		if !more {
			return t, true
		}
		rest = tail
	}
}

// IsValid reports whether u is one of the units of the table.
func (u Unit) IsValid() bool { return u > invalidUnit && u < numUnits }

// String returns the ISMP display symbol ("mcg", "mL", "units", "mg/kg/h").
// Dose forms and days read in the singular here; a Quantity uses the plural
// where its value is not 1.
func (u Unit) String() string {
	if !u.IsValid() {
		return "invalid unit"
	}
	return tab.sym[u]
}

// UCUM returns the unit's code in the Unified Code for Units of Measure
// ("ug/kg/min", "[lb_av]", "m2"). Dose forms and drops are UCUM annotations
// ("{device}", "{drop}") because they are counts of a product, not physical
// units; in particular a drop here is never UCUM's [drp], a fixed 1/20 mL.
func (u Unit) UCUM() string {
	if !u.IsValid() {
		return ""
	}
	return tab.ucum[u]
}

// Dimension returns the dimension of u.
func (u Unit) Dimension() Dimension {
	if !u.IsValid() {
		return Dimension{}
	}
	return tab.dim[u]
}

// PerDay reports a unit per day (mg/day, mg/kg/day, units/day): a dose per
// day, which has the dimension of a dose rate (mg/day and mg/h are both drug
// mass / time) but is counted by the day. Package dosing reads it as a daily
// dose divided into doses, never as a continuous rate.
func (u Unit) PerDay() bool { return u.IsValid() && tab.terms[u][aDay] == -1 }

// Units returns every unit of the table, in declaration order.
func Units() []Unit {
	us := make([]Unit, 0, numUnits-1)
	for u := Unit(1); u < numUnits; u++ {
		us = append(us, u)
	}
	return us
}

// ParseUnit parses a unit as written in a quantity ("mcg/kg/min", "ml/hr").
func ParseUnit(s string) (Unit, error) {
	u, err := parseUnit("ParseUnit", s, 0, s, "")
	if err != nil {
		// A hint is offered only if it is a unit itself ("l/h" → "L/h" is not).
		if pe, ok := err.(*ParseError); ok && pe.Fix != "" {
			u, ok := lookupUnit(pe.Fix)
			pe.Fix = ""
			if ok {
				pe.Fix = u.String()
			}
		}
		return invalidUnit, err
	}
	return u, nil
}

// lookupUnit returns the unit spelled s, if there is one.
func lookupUnit(s string) (Unit, bool) {
	if u, ok := tab.alias[s]; ok {
		return u, true
	}
	t, ok := tab.compose(s, tab.spell)
	if !ok {
		return invalidUnit, false
	}
	u, ok := tab.byTerms[t]
	return u, ok
}

// ParseUCUM parses the UCUM code of a supported unit ("ug/kg/min", "[lb_av]").
func ParseUCUM(code string) (Unit, error) {
	if u, ok := tab.byUCUM[code]; ok {
		return u, nil
	}
	t, ok := tab.compose(code, tab.ucumAt)
	if ok {
		if u, found := tab.byTerms[t]; found {
			return u, nil
		}
	}
	return invalidUnit, &ParseError{Func: "ParseUCUM", Input: code, Elem: code,
		Msg: "unknown or unsupported UCUM code " + quote(code), Err: ErrUnknownUnit}
}

// parseUnit looks up the unit part of a quantity for the function fn; input
// and off locate it in the whole text for error messages.
func parseUnit(fn, s string, off int, input, number string) (Unit, error) {
	fail := func(elem string, at int, msg, fix string, err error) (Unit, error) {
		return invalidUnit, &ParseError{Func: fn, Input: input, Offset: at, Elem: elem, Msg: msg, Fix: fix, Err: err}
	}
	if s == "" {
		return fail("", off, "missing unit", "", ErrMissingUnit)
	}
	if u, ok := tab.alias[s]; ok {
		return u, nil
	}
	var t terms
	rest, first, pos := s, true, off
	for {
		part, tail, more := strings.Cut(rest, "/")
		switch {
		case part == "" && first && more:
		case part == "":
			return fail(s, off, "empty unit term in "+quote(s), "", ErrSyntax)
		case part == "d" && !first:
			// "/d" is read as per dose as well as per day: a factor of the
			// number of doses a day apart. "7 d" alone is a duration.
			return fail(part, pos, "ambiguous unit "+quote(part)+" in "+quote(s)+" (per day or per dose?); write "+
				quote(strings.TrimSuffix(s, "d")+"day")+" for a dose per day", "", ErrUnknownUnit)
		default:
			a, ok := tab.spell[part]
			if !ok {
				if fix, bad := refusedAtoms[part]; bad {
					return fail(part, pos, "ambiguous unit "+quote(part), fixUnit(number, s, part, fix), ErrUnknownUnit)
				}
				return fail(part, pos, "unknown unit "+quote(part), "", ErrUnknownUnit)
			}
			if first {
				t[a]++
			} else {
				t[a]--
			}
		}
		first = false
		pos += len(part) + 1
		if !more {
			break
		}
		rest = tail
	}
	u, ok := tab.byTerms[t]
	if !ok {
		return fail(s, off, "unsupported unit "+quote(s), "", ErrUnknownUnit)
	}
	return u, nil
}

// fixUnit writes the quantity again with the dangerous unit term replaced,
// for the hint of an error: ("5", "U/kg", "U", "units") → "5 units/kg".
func fixUnit(number, unit, bad, good string) string {
	parts := strings.Split(unit, "/")
	for i, p := range parts {
		if p == bad {
			parts[i] = good
		}
	}
	fixed := strings.Join(parts, "/")
	if number == "" {
		return fixed
	}
	return number + " " + fixed
}
