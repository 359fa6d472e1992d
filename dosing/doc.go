// Package dosing computes one dose from a clinic's rule and a patient, the
// way a pharmacist would on paper, and shows the work.
//
// The two entry points are [Calculate] and [Check].
//
// [Calculate]: from a [Rule] (usually loaded from a
// protocol file by package schedule) and a [Patient] it computes body size,
// the dosing weight the rule asks for, the dose, caps, dose-form
// quantization, the preparation (volume to draw, bag or syringe, final
// volume and concentration), the pump rate and the dose rates that pump
// rate really delivers, then checks every limit on the final, rounded values.
// The [Result] carries an ordered trail of [Step]s (formula, inputs with
// their source, exact and rounded value, deviation, flags), the warnings and
// acknowledgements, the rule's provenance and the notice "For clinician
// verification — not a prescription". [Result.WriteWorksheet] renders it for
// a pharmacist; the JSON encoding keeps every digit and every unit.
//
// [Check]: a pharmacist's independent double check of an [Order] as
// written. It recomputes the dose with Calculate, compares every value the
// order states with the expected one within its [Tolerances], tests the
// order's own arithmetic (volume × concentration = dose, …), works out what
// the order as written gives the patient against the rule's caps and
// limits, and names the likely cause of a mismatch (a tenfold error, mg ↔
// mcg, pounds as kilograms, the wrong vial). [OrderFields] describes the
// fields of an order, for a program that builds one from its own input.
//
// # Principles
//
//   - Every quantity is an exact [units.Quantity]; float64 appears only inside
//     the power-law BSA formulas, whose values are kept at six decimal
//     places and flagged inexact.
//   - No hidden clinical defaults: the weight basis, IBW formula, adjustment
//     factor, rounding steps and modes, pump limits and every limit come from
//     the rule. The only defaults are the patient plausibility bounds of
//     [DefaultPlausibility], which warn and which a rule may change. They
//     are adult ranges: applied to a patient known to be under 18 they
//     raise the review warning patient.adult_bounds.
//   - Rounding is declared and reported (exact, rounded, deviation). It never
//     carries a dose across a cap or a hard limit on the dose or dose per
//     kg, nor a pump rate across the pump's range or a hard limit on the pump
//     rate or dose rate: where rounding in the declared mode would, the value
//     is rounded the other way and the step's note names the limit. Hard
//     limits on the final volume and concentration are checked afterwards.
//     Every value rounding changed is listed in [Result.Rounded], requested
//     → given; a change beyond the rule's [RoundingTolerance] for it is a
//     review warning "<value>.rounding_tolerance". The rule declares the
//     tolerances; there is no default.
//   - Hard limits refuse with a [*LimitError] and no result, whether the
//     final value or the value before rounding crosses them; soft limits and
//     plausibility concerns are review [Warning]s that need an [Ack] with a
//     reason. A soft-limit warning is raised if either the exact or the
//     rounded value crosses, so rounding never hides one. Each limit checked
//     is a step of the trail.
//   - A rule may state the [Population] it was written for (age, weight,
//     height, BMI). A patient outside a hard bound is refused with a
//     [*PopulationError] and no result; outside a soft bound, warned; a
//     bound on an age or height the patient lacks makes it required (hard)
//     or warns that it is missing (soft).
//   - A dosing weight above the patient's actual weight (the ideal,
//     adjusted or lean weight of a small or short patient) is a review
//     warning, dosing_weight.above_actual, quoting both weights.
//   - A rule's doses are a drug mass (mg) or an activity (units, as heparin
//     is dosed), never both: the calculation is the same with units in
//     place of mg, a value in the other kind of amount is refused by name
//     (mass and activity never convert), and [Rule.AmountUnit] says which.
//   - Dose rate (mg/h, mg/kg/h, mcg/kg/min) and pump rate (mL/h) are separate
//     fields; the dose rate is back-calculated from the programmed pump rate
//     and compared with the intended one.
//   - Bad input is a [*FieldError] naming the field and quoting the value;
//     all bad fields are reported at once with errors.Join.
//   - The worksheet shows values rounded to four decimal places and marked
//     "≈", except a value about to be rounded, which is cut at four places
//     and marked "…" so that the rounding can be judged from the digits
//     shown; JSON keeps every digit, each quantity a string with its unit.
package dosing
