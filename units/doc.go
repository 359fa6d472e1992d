// Package units provides exact clinical quantities: a decimal value with a
// unit from a closed table of clinical units, dimension-checked arithmetic,
// exact conversion, declared rounding to a measurable step, and display that
// follows the ISMP and Joint Commission rules.
//
// # Quantities
//
// A [Quantity] is immutable. Its zero value is invalid ([Quantity.IsValid]),
// and every operation refuses an invalid operand with an error, so a missing
// weight can never be read as 0 kg. Values are shopspring/decimal decimals
// behind the API ([Quantity.Value]); the package never reads or sets
// decimal's package-level settings, and never panics on data. A value whose
// coefficient fits in 128 bits (every clinical value, and every quotient kept
// at [Places] places below 10^8) is held in two machine words and computed
// with fixed-width integers, without allocating; every result has the
// coefficient and exponent decimal's own operations give, which the tests
// check over random operands. Larger values go through decimal.
//
// Drug mass (mcg, mg, g) and patient body mass (kg, lb) are different
// [Dimension]s, so 0.5 mg/kg × 80 kg is 40 mg while 0.5 mg/kg × 500 mg is a
// [*DimensionError]. Body surface area, each dose form (device, spray,
// troche, tablet), drops, pressure and activity units are dimensions of their
// own. A drop factor (gtt/mL) is a property of an IV set and enters a
// calculation as a quantity; it is never a fixed conversion factor.
//
// # Grammar
//
// [Parse] reads:
//
//	quantity = number [ " " ] unit
//	number   = ( "0" / %x31-39 *DIGIT ) [ "." 1*DIGIT ]
//	unit     = [ term ] *( "/" term )        ; "mg/kg/h", "/min"
//	term     = a spelling from the unit table
//
// at most [MaxInputLen] bytes and [MaxDigits] digits, with at most [Places]
// decimal places. White space around the quantity is ignored; between number
// and unit there is one space or none. Spellings are case-sensitive. Accepted aliases: mcg, ug,
// µg (U+00B5) and μg (U+03BC) for microgram (displayed "mcg"); ml for mL;
// hr, hrs, hour, hours for h; min, mins, minute, minutes; d, day, days;
// wk, week, weeks; sec for s; lbs for lb; m2, m^2 and m² for square metre of
// body surface; plurals of the dose forms; drop, drops for gtt; unit for
// units. A compound unit must be one of the table ([Units]). Doses per day
// are spelled out ("mg/kg/day"): "d" after a slash ("mg/kg/d") is refused,
// because it is read as per dose as well as per day; "7 d" alone is a
// duration. Body weight may be in kg, lb or oz (avoirdupois, 1/16 lb), height
// in cm, mm, m, in or ft.
//
// Refused, each with an error that says what to write instead: a naked
// decimal (".5 mg" → "0.5 mg"), a trailing decimal point ("5. mg"), a second
// decimal point, scientific notation ("1e3 mg"), thousands separators and
// decimal commas ("1,000,000 mg", "0,5 mg"), leading zeros, a sign ("+5 mg",
// "-5 mg"), other white space between number and unit, "cc" (write mL), "U"
// and "IU" (write units), "l" (write L), unknown units, empty text and text
// over the bounds above. The hint ([ParseError].Fix) is given only if it
// parses itself, and in canonical form. A single comma before exactly three
// digits ("1,500 mg") is a thousands separator in one locale and a decimal
// comma in another, a factor of 1000 apart: the error names both readings
// ("1500 mg" or "1.5 mg") and gives no Fix, so the writer must choose.
//
// [ParseEntry] reads what people type into a form or a command line:
// everything Parse reads, the compounds "5ft10in", "7 lb 4 oz" and
// "4h30min", an amount in a volume ("250 mg in 500 mL"), and percent ("1 %
// w/v") and ratio ("1:1000") strength as the grams in mL they stand for. It
// refuses a decimal number of feet or hours that also reads as feet and
// inches or hours and minutes ("5.10 ft", "1.30 h"), naming both readings.
// Parse reads those, since it reads back what Text writes.
//
// [Quantity.String] writes the display form with thousands separators
// ("1,000 mg"), which Parse refuses as input; [Quantity.Text] and
// MarshalText write the canonical form without them ("1000 mg"), which Parse
// and UnmarshalText read back exactly.
//
// # Arithmetic and precision
//
// Cmp is always exact. Convert, Mul, Div, MulDiv and DivTo give the exact
// result whenever it terminates within [Places] decimal places (mg ↔ mcg,
// lb → kg, 0.5 mg/kg × 80 kg, 156 mL/h → 2.6 mL/min) and otherwise round it
// once, half away from zero, at Places (1 mg ÷ 3 mL, 1 kg → lb). Add and Sub
// convert the second operand to the first's unit that way, then add exactly. [Quantity.RoundTo] rounds to
// a multiple of a step in an explicit [RoundingMode] and reports whether the
// value changed, so a caller can declare the rounding and its deviation.
//
// [Quantity.ConvertWith] converts through outside numbers ([Factor]: a
// weight, a concentration, a drop factor, a duration, a rate), finding from
// the dimensions alone which to multiply or divide by (5 mcg/kg/min × 50 kg
// ÷ 0.8 mg/mL × 60 gtt/mL = 18.75 gtt/min; 500 mL ÷ 125 mL/h = 4 h). It
// computes in exact rationals, so no intermediate is rounded or needs a
// unit, states each step and why, and reports Exact only for a result that
// terminates within Places. It lives here, not in package dosing, because
// it is unit algebra: the caller names the factors, and nothing clinical is
// decided.
//
// # Errors
//
// Errors wrap the sentinels [ErrSyntax], [ErrUnknownUnit], [ErrDimension],
// [ErrDivideByZero], [ErrRange] and [ErrInvalid], and are typed
// ([*ParseError], [*DimensionError], [*OpError]) for errors.As. Messages
// start with "units: " and quote the offending value:
//
//	units: parsing ".5 mg": naked decimal; write "0.5 mg"
package units
