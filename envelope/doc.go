// Package envelope evaluates a protocol over a grid of patients — every
// combination of a range of weights, heights, sexes and ages — at each
// level of its titration ladder, so that a clinic can see, before the
// first patient, every dose the protocol can give and every patient it
// refuses, warns about, caps or stretches.
//
// [Evaluate] calls dosing.Calculate for every patient of the grid, on all
// CPUs, and returns an [Envelope]: at each [Level], the range of every
// output (dosing weight, dose, volume to draw, final concentration, pump
// rate, dose rate per kg, rounding deviations, dose forms; with a PK model
// the predicted Cmax) with where in the grid its least and greatest values
// are, and a [Region] for each condition that occurs: a hard limit or a
// population bound refusing, a soft limit or plausibility bound needing
// review, a cap, a stretched duration, a dosing weight above the actual
// weight, the ideal weight chosen by a BMI threshold, and the patients
// within the limits. [Envelope.WriteText] writes it for people, its JSON
// encoding for machines, [Envelope.Plot] draws a weight × height map.
//
// # The grid
//
// Unless [Options] say otherwise, the grid spans the protocol's
// population: its weight and height bounds (the hard one, else the soft
// one). Where it states none, the weights span the plausibility soft
// bounds (the protocol's, else the library's 30–250 kg), and the heights
// run from where the lightest weight has the highest plausible BMI to
// where the heaviest has the lowest (60 and 15 kg/m² by default), within
// the library's 30–275 cm: the heights at which some weight of the grid
// is a plausible patient. Steps are 1 kg and 1 cm; ends are rounded
// outwards to them. The ages are either side of each of the population's
// age bounds and of 18 years where the library's adult plausibility
// defaults apply (17 and 18 years for the examples), and both sexes.
// Each end says where it came from ([AxisInfo].Why).
//
// # Regions
//
// A region is a set of grid patients, described exactly and compactly:
// slices (a sex and an age) with the same weight × height plane share a
// [Part]; a plane is every patient, or bands of consecutive heights (or
// weights, whichever reads shorter) with the same shape — the same weight
// spans at each height ("heights 150–175 cm: weight ≥ 92 kg"), or one span
// whose end moves with the height ("weight ≥ a threshold rising with
// height from 68 kg at 150 cm to 120 kg at 200 cm"), listed row by row.
// [Region.Contains] reads membership from the description alone; the
// tests check it against dosing.Calculate for every patient. A boundary
// lies within one grid step of where it is shown.
//
// # Exactness and determinism
//
// Every number comes from dosing.Calculate as an exact units.Quantity;
// the envelope compares, never recomputes, them. float64 appears only in
// the PK model's Cmax (as package pk rounds it) and in the copies of
// values a plot is coloured by. Rows of the grid are calculated in any
// order on [Options].Workers goroutines and merged in grid order, so the
// envelope is the same, byte for byte, whatever the number of workers.
//
// A protocol whose policy is on_dose_change: keep_rate recomputes the
// duration of a session whose dose differs from the first session's; the
// envelope evaluates each level as a session of its own (as "doseplan
// dose --level N" does), with the protocol's duration.
//
// Every output carries the notice "For clinician verification — not a
// prescription"; a Cmax is a model estimate, not a measured level.
package envelope
