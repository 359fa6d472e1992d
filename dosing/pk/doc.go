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
// [Model.Predict] takes a dosing.Patient (its weight, and its age for the
// validity range) and a list of [Administration] values (start, amount in
// mg or mg/kg, duration) and returns a [Prediction]. Its float64 methods
// give full-precision levels in ng/mL, for programs:
// [Prediction.Level] one time, [Prediction.Levels] a curve at a chosen step
// (a slice of float64 with its unit stated once), [Prediction.PeakLevel]
// Cmax and tmax. Its Quantity methods round them for display:
// [Prediction.At], [Prediction.Curve], [Prediction.Peak],
// [Prediction.EndOfInfusion], [Prediction.TimeBelow] (when the level falls
// below a threshold for good); [Prediction.Plot] draws a PNG or SVG chart
// with the dose, an optional threshold line and the verification notice
// (the build tag doseplan_noplot leaves the plotting library out: the
// browser calculator draws no plots, and Plot then returns an error).
// Only the site asked for is computed.
//
// An administration without a Duration is a bolus. An infusion whose
// Duration is 0 is also predicted as a bolus at its start, and the
// prediction carries a [WarnZeroDuration] warning saying so.
//
// The built-in models are validated and decomposed once, when the package
// is initialized, and shared: a Model is immutable. A prediction costs a
// few microseconds and a point of a float64 curve a few nanoseconds (see
// the benchmarks, which run a plain float64 floor beside the package).
//
// # Mathematics
//
// The solution is exact, not stepped by an integrator. A central dose
// splits into modes, one per disposition rate α; the rates are the roots
// of the secular function of the rate matrix (an arrowhead matrix), found
// to full float64 precision by safeguarded Newton iteration measured from
// the nearer pole, and each mode's weight is 1/s′(α). Each administration
// then contributes a sum of exponentials in closed form: d·exp(−α·τ) for a
// bolus, its integral for an infusion, and the convolution with
// ke0·exp(−ke0·τ) for the effect site, written as products of positive
// factors (expm1, and a second divided difference of exp by its series
// where its points are close) so that nothing cancels. Administrations add
// up (superposition). Cp and Ce are sums of non-negative terms.
//
// Level evaluates the closed form at its time. Levels steps each mode from
// one time to the next by its exact one-step propagator (exp(−α·step),
// computed once), and restarts from the closed form at every
// administration's start and end and every 256 steps. The times of a curve
// are the float64 nearest their exact values, as Level reads them, so a
// curve's point and Level at its time are the same instant even next to a
// bolus.
//
// # Accuracy
//
// Every float64 level (Level, Levels, PeakLevel's value) is within 1e−12
// relative of the exact solution of the model as given (its decimal
// parameters, weight, doses and times), for the built-in models and the
// ordinary forms of user models, for infusions, boluses and multi-dose
// regimens, over the whole curve. Before the first administration (and at
// the instant an infusion starts) the level is exactly 0; the bound is
// relative wherever the exact level is not 0, however small (Ce rises as t²
// at the start of an infusion). Levels below float64's normal range,
// 2.2e−308 ng/mL, are 0 or carry an absolute error below 1e−300 ng/mL.
//
// The tests check this against an independent reference at 256 bits — the
// equations integrated by exact matrix exponentials from their Taylor
// series, with exact rational times, sharing no code with the package —
// over 0 to 6 h every 10 s for every built-in model and four more forms,
// and over 3 days for a slow one: the largest relative error found is
// 1.4e−14. Also against an independent fine-step Runge–Kutta integration,
// the published table of clinical.md §8.2, and the laws of linear kinetics.
//
// A peak's time is found to 1e−7 min by golden-section search; a crossing
// of TimeBelow by bisection to the same tolerance.
//
// # Precision of display
//
// The Quantity methods round at declared precisions, half away from zero
// unless stated; a curve rounds exactly as At does at each time:
//
//   - concentrations in ng/mL at 0.01 ng/mL;
//   - tmax at 0.1 min, or finer (0.01, 0.001, … 0.0000001 min) where
//     needed for the level at the time shown to round to Cmax; the sample
//     is evaluated at the time it shows, so Peak equals At(tmax);
//   - TimeBelow rounded up to 0.1 min, so the level is below the threshold
//     at the time shown;
//   - curve times exact, in the finest unit of the request;
//   - volumes at 0.001 L, clearances at 0.1 mL/min, half-lives at 0.01 min.
//
// Peaks and crossings during the administrations are found on a grid of
// about 512 points (at least 8 between two events), with the slope from the
// model's equations at each, refined by golden-section search and
// bisection; after the last administration Cp only falls and Ce has one
// maximum at most, so there the search cannot miss.
//
// # Errors
//
// Bad input is refused, never guessed: every bad field is an [*FieldError]
// naming the field, quoting the value and stating what is allowed, all of
// them joined with errors.Join, and each wraps a sentinel ([ErrMissing],
// [ErrRange], [ErrDimension], [ErrConflict]) for errors.Is. Messages read
//
//	pk: k10 "0 /min": value out of range (allowed: greater than 0 /min and at most 1,000 /min)
package pk
