// Package pk predicts the plasma (Cp) and effect-site (Ce) concentrations
// that a planned set of intravenous boluses and infusions is expected to
// produce, from published or user-supplied compartment models.
//
// Every concentration this package returns is a population model's
// estimate for a typical patient of the given weight: [Estimate], "model
// estimate, not a measured level". Models differ widely (for 0.5 mg/kg of
// ketamine over 40 min at 70 kg the built-in sets predict 177 to 240 ng/mL
// at the end of the infusion), venous and arterial levels differ, and
// metabolites are not modelled. No built-in set was validated for
// psychiatric outpatients receiving 40-minute infusions.
//
// # Models
//
// A [Parameters] value describes a linear mammillary model with one, two or
// three compartments, as rate constants (V1, k10, k12, k21, k13, k31) or as
// volumes and clearances (V1, V2, V3, CL, Q2, Q3), scaled by body weight
// linearly or allometrically ([Scaling]), with an optional ke0 for the
// effect site and the covariate range it is valid for ([Validity]). [New]
// validates it into a [Model]; its fields are units.Quantity values, so it
// decodes from a protocol file's JSON or YAML. The units package has no
// L/kg, so a per-kilogram set is written at a 1 kg reference weight
// ("v1: 0.063 L", "reference_weight: 1 kg", "scaling: linear").
//
// [Lookup] and [Models] give the built-in sets for racemic ketamine: Domino
// ("domino", 3 compartments), Clements 250 ("clements250") and Hijazi
// ("hijazi"), with their citations and the uncertainties about them in
// Parameters.Notes. A patient outside a model's validity range gets a
// prediction with a [Warning], not an error.
//
// # Predictions
//
// [Model.Predict] takes a [Patient] and a list of [Administration] values
// (start, amount in mg or mg/kg, duration) and returns a [Prediction]:
// [Prediction.At] one time, [Prediction.Curve] a window at a chosen step,
// [Prediction.Peak] Cmax and tmax, [Prediction.EndOfInfusion] the level when
// the input stops, [Prediction.TimeBelow] when the level falls below a
// threshold for good, and [Prediction.Plot] a PNG or SVG chart.
//
// An administration without a Duration is a bolus. An infusion whose
// Duration is 0 is also predicted as a bolus at its start, and the
// prediction carries a [WarnZeroDuration] warning saying so.
//
// # Mathematics
//
// The solution is exact, not stepped. The rate matrix of a mammillary model
// is similar to a symmetric matrix, whose eigen-decomposition (gonum/mat) is
// computed once per prediction. Each administration then contributes a sum
// of exponentials in closed form: d·exp(−α·τ) for a bolus, the integral of
// that for an infusion, and the convolution with ke0·exp(−ke0·τ) for the
// effect site. Administrations add up (superposition). The tests check the
// result against an independent fine-step Runge–Kutta integration, the
// published table of clinical.md §8.2, and the laws of linear kinetics.
//
// # Precision
//
// The arithmetic is float64 (design principle 1 allows it for exponentials).
// Results cross into units.Quantity at declared precisions, half away from
// zero unless stated:
//
//   - concentrations in ng/mL at 0.01 ng/mL;
//   - tmax at 0.1 min; TimeBelow rounded up to 0.1 min, so the level is
//     below the threshold at the time shown;
//   - curve times exact, in the finest unit of the request;
//   - volumes at 0.001 L, clearances at 0.1 mL/min, half-lives at 0.01 min.
//
// Peaks and crossings during the administrations are found on a grid of
// about 512 points (at least 8 between two events) refined by golden-section
// search and bisection to 1e−7 min; after the last administration Cp only
// falls and Ce has one maximum at most, so there the search cannot miss.
//
// # Errors
//
// Bad input is refused, never guessed: every bad field is an [*InputError]
// naming the field, quoting the value and stating what is allowed, all of
// them joined with errors.Join, and each wraps a sentinel ([ErrMissing],
// [ErrRange], [ErrDimension], [ErrConflict]) for errors.Is. Messages read
//
//	pk: k10 "0 /min": value out of range (allowed: greater than 0 /min and at most 1,000 /min)
package pk
