package pk_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
)

// neg returns the quantity −s, which Parse refuses but a decoded protocol
// file (UnmarshalText) or a computation can produce.
func neg(s string) units.Quantity {
	var x units.Quantity
	if err := x.UnmarshalText([]byte("-" + s)); err != nil {
		panic(err)
	}
	return x
}

// twoCompartments is a valid rate-constant set for the tests to break.
func twoCompartments() pk.Parameters {
	return pk.Parameters{Name: "test", Drug: "test drug", Citation: "test", Scaling: pk.ScaleLinear, ReferenceWeight: q("70 kg"),
		V1: q("10 L"), K10: q("0.1 /min"), K12: q("0.05 /min"), K21: q("0.02 /min"), Ke0: q("1 /min")}
}

// inputError is what a test expects of one bad field.
type inputError struct {
	Field string
	Err   error
}

// fieldsOf lists every *FieldError inside err (errors.Join included).
func fieldsOf(err error) []inputError {
	var out []inputError
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var ie *pk.FieldError
		if errors.As(err, &ie) {
			for _, s := range []error{pk.ErrMissing, pk.ErrRange, pk.ErrDimension, pk.ErrConflict} {
				if errors.Is(ie, s) {
					out = append(out, inputError{ie.Field, s})
				}
			}
		}
	}
	walk(err)
	return out
}

func errorsEqual(x, y error) bool { return x == y }

// newRefusalTests are changes to twoCompartments that New refuses, with
// the field errors each gives.
var newRefusalTests = []struct {
	name   string
	change func(*pk.Parameters)
	want   []inputError
}{
	{"zero_v1", func(p *pk.Parameters) { p.V1 = q("0 L") }, []inputError{{"v1", pk.ErrRange}}},
	{"negative_v1", func(p *pk.Parameters) { p.V1 = neg("4 L") }, []inputError{{"v1", pk.ErrRange}}},
	{"v1_a_mass_not_a_volume", func(p *pk.Parameters) { p.V1 = q("10 mg") }, []inputError{{"v1", pk.ErrDimension}}},
	{"missing_v1", func(p *pk.Parameters) { p.V1 = units.Quantity{} }, []inputError{{"v1", pk.ErrMissing}}},
	{"zero_k10", func(p *pk.Parameters) { p.K10 = q("0 /min") }, []inputError{{"k10", pk.ErrRange}}},
	{"negative_k12", func(p *pk.Parameters) { p.K12 = neg("0.05 /min") }, []inputError{{"k12", pk.ErrRange}}},
	{"zero_k21", func(p *pk.Parameters) { p.K21 = q("0 /min") }, []inputError{{"k21", pk.ErrRange}}},
	{"rate_constant_a_clearance", func(p *pk.Parameters) { p.K10 = q("100 mL/min") }, []inputError{{"k10", pk.ErrDimension}}},
	{"implausible_rate_constant", func(p *pk.Parameters) { p.K10 = q("5000 /min") }, []inputError{{"k10", pk.ErrRange}}},
	{"k12_without_k21", func(p *pk.Parameters) { p.K21 = units.Quantity{} }, []inputError{{"k21", pk.ErrMissing}}},
	{"third_compartment_without_second", func(p *pk.Parameters) {
		p.K12, p.K21, p.K13, p.K31 = units.Quantity{}, units.Quantity{}, q("0.1 /min"), q("0.01 /min")
	}, []inputError{{"k13", pk.ErrConflict}}},
	{"both_forms", func(p *pk.Parameters) { p.CL = q("1000 mL/min") }, []inputError{{"cl", pk.ErrConflict}}},
	{"neither_form", func(p *pk.Parameters) { p.K10, p.K12, p.K21 = units.Quantity{}, units.Quantity{}, units.Quantity{} },
		[]inputError{{"k10", pk.ErrMissing}}},
	{"clearance_form_zero_q2", func(p *pk.Parameters) {
		p.K10, p.K12, p.K21 = units.Quantity{}, units.Quantity{}, units.Quantity{}
		p.CL, p.V2, p.Q2 = q("1000 mL/min"), q("20 L"), q("0 mL/min")
	}, []inputError{{"q2", pk.ErrRange}}},
	{"clearance_form_negative_v2_and_cl_per_time_unit", func(p *pk.Parameters) {
		p.K10, p.K12, p.K21 = units.Quantity{}, units.Quantity{}, units.Quantity{}
		p.CL, p.V2, p.Q2 = q("1 /min"), neg("20 L"), q("500 mL/min")
	}, []inputError{{"cl", pk.ErrDimension}, {"v2", pk.ErrRange}}},
	{"zero_ke0", func(p *pk.Parameters) { p.Ke0 = q("0 /min") }, []inputError{{"ke0", pk.ErrRange}}},
	{"scaling_not_set", func(p *pk.Parameters) { p.Scaling = 0 }, []inputError{{"scaling", pk.ErrMissing}}},
	{"linear_without_reference_weight", func(p *pk.Parameters) { p.ReferenceWeight = units.Quantity{} },
		[]inputError{{"reference_weight", pk.ErrMissing}}},
	{"reference_weight_a_drug_mass", func(p *pk.Parameters) { p.ReferenceWeight = q("70 mg") },
		[]inputError{{"reference_weight", pk.ErrDimension}}},
	{"exponent_with_linear_scaling", func(p *pk.Parameters) { p.Exponent = decimal.RequireFromString("0.75") },
		[]inputError{{"exponent", pk.ErrConflict}}},
	{"allometric_without_exponent", func(p *pk.Parameters) { p.Scaling = pk.ScaleAllometric },
		[]inputError{{"exponent", pk.ErrMissing}}},
	{"allometric_exponent_2", func(p *pk.Parameters) { p.Scaling, p.Exponent = pk.ScaleAllometric, decimal.NewFromInt(2) },
		[]inputError{{"exponent", pk.ErrRange}}},
	{"reference_weight_without_scaling", func(p *pk.Parameters) { p.Scaling = pk.ScaleNone },
		[]inputError{{"reference_weight", pk.ErrConflict}}},
	{"no_name_no_citation", func(p *pk.Parameters) { p.Name, p.Citation = "", " " },
		[]inputError{{"name", pk.ErrMissing}, {"citation", pk.ErrMissing}}},
	{"validity_min_weight_above_max", func(p *pk.Parameters) {
		p.Validity = pk.Validity{MinWeight: q("100 kg"), MaxWeight: q("40 kg")}
	}, []inputError{{"validity.max_weight", pk.ErrRange}}},
	{"validity_negative_age", func(p *pk.Parameters) { p.Validity.MinAgeYears = -1 },
		[]inputError{{"validity.min_age_years", pk.ErrRange}}},
	{"every_bad_field_at_once", func(p *pk.Parameters) { p.V1, p.K10, p.K21, p.Name = q("0 L"), q("0 /min"), neg("1 /min"), "" },
		[]inputError{{"name", pk.ErrMissing}, {"v1", pk.ErrRange}, {"k10", pk.ErrRange}, {"k21", pk.ErrRange}}},
}

func TestNewRefusesBadParameters(t *testing.T) {
	t.Parallel()
	for _, tt := range newRefusalTests {
		t.Run(tt.name, func(t *testing.T) {
			p := twoCompartments()
			tt.change(&p)
			m, err := pk.New(p)
			if m != nil {
				t.Errorf("New returned a model with the error %v", err)
			}
			if diff := cmp.Diff(tt.want, fieldsOf(err), cmp.Comparer(errorsEqual)); diff != "" {
				t.Errorf("New errors mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestLookupUnknownModel(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"propofol", "", "clements 250", "domino1982"} {
		t.Run("name_"+name, func(t *testing.T) {
			m, err := pk.Lookup(name)
			var ue *pk.UnknownModelError
			if m != nil || !errors.Is(err, pk.ErrUnknownModel) || !errors.As(err, &ue) {
				t.Fatalf("Lookup(%q) = %v, %v; want *UnknownModelError", name, m, err)
			}
			if diff := cmp.Diff([]string{"domino", "clements250", "hijazi"}, ue.Known); diff != "" {
				t.Errorf("Known mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := pk.Lookup("Domino"); err != nil {
		t.Errorf("Lookup is case-insensitive: %v", err)
	}
}

func TestPredictRefusesBadInput(t *testing.T) {
	t.Parallel()
	infusion := pk.Infusion(q("0.5 mg/kg"), q("40 min"))
	tests := []struct {
		name    string
		patient dosing.Patient
		admins  []pk.Administration
		want    []inputError
	}{
		{"missing_weight", dosing.Patient{}, []pk.Administration{infusion},
			[]inputError{{"weight", pk.ErrMissing}}},
		{"zero_weight", dosing.Patient{Weight: q("0 kg")}, []pk.Administration{infusion},
			[]inputError{{"weight", pk.ErrRange}}},
		{"weight_a_drug_mass", dosing.Patient{Weight: q("70 mg")}, []pk.Administration{pk.Bolus(q("10 mg"))},
			[]inputError{{"weight", pk.ErrDimension}}},
		{"implausible_weight", dosing.Patient{Weight: q("1200 kg")}, []pk.Administration{pk.Bolus(q("10 mg"))},
			[]inputError{{"weight", pk.ErrRange}}},
		{"negative_age", dosing.Patient{Weight: q("70 kg"), AgeYears: -3}, []pk.Administration{infusion},
			[]inputError{{"age_years", pk.ErrRange}}},
		{"no_administrations", dosing.Patient{Weight: q("70 kg")}, nil,
			[]inputError{{"administrations", pk.ErrMissing}}},
		{"missing_start", dosing.Patient{Weight: q("70 kg")}, []pk.Administration{{Amount: q("10 mg")}},
			[]inputError{{"administrations[0].start", pk.ErrMissing}}},
		{"negative_start", dosing.Patient{Weight: q("70 kg")}, []pk.Administration{{Start: neg("5 min"), Amount: q("10 mg")}},
			[]inputError{{"administrations[0].start", pk.ErrRange}}},
		{"start_not_a_time", dosing.Patient{Weight: q("70 kg")}, []pk.Administration{{Start: q("5 mL"), Amount: q("10 mg")}},
			[]inputError{{"administrations[0].start", pk.ErrDimension}}},
		{"zero_amount", dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Bolus(q("0 mg"))},
			[]inputError{{"administrations[0].amount", pk.ErrRange}}},
		{"amount_a_volume", dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Bolus(q("4 mL"))},
			[]inputError{{"administrations[0].amount", pk.ErrDimension}}},
		{"amount_a_rate", dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Infusion(q("0.75 mg/kg/h"), q("40 min"))},
			[]inputError{{"administrations[0].amount", pk.ErrDimension}}},
		{"negative_duration", dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Infusion(q("35 mg"), neg("40 min"))},
			[]inputError{{"administrations[0].duration", pk.ErrRange}}},
		{"amount_beyond_the_arithmetic_bound", dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Bolus(q("20000 mg/kg"))},
			[]inputError{{"administrations[0].amount", pk.ErrRange}}},
		{"duration_beyond_a_year", dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Infusion(q("35 mg"), q("400 days"))},
			[]inputError{{"administrations[0].duration", pk.ErrRange}}},
		{"every_bad_administration_at_once", dosing.Patient{Weight: q("70 kg")},
			[]pk.Administration{pk.Bolus(q("10 mg")), {Amount: q("1 mg")}, pk.Infusion(q("4 mL"), q("1 h"))},
			[]inputError{{"administrations[1].start", pk.ErrMissing}, {"administrations[2].amount", pk.ErrDimension}}},
	}
	m, err := pk.Lookup("domino")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Predict(tt.patient, tt.admins)
			if p != nil {
				t.Errorf("Predict returned a prediction with the error %v", err)
			}
			if diff := cmp.Diff(tt.want, fieldsOf(err), cmp.Comparer(errorsEqual)); diff != "" {
				t.Errorf("Predict errors mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestQueriesRefuseBadInput(t *testing.T) {
	t.Parallel()
	m, err := pk.New(func() pk.Parameters { p := twoCompartments(); p.Ke0 = units.Quantity{}; return p }())
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Predict(dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Infusion(q("35 mg"), q("40 min"))})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
		want []inputError
	}{
		{"at_missing_time", func() error { _, err := p.At(units.Quantity{}); return err }, []inputError{{"time", pk.ErrMissing}}},
		{"at_negative_time", func() error { _, err := p.At(neg("1 min")); return err }, []inputError{{"time", pk.ErrRange}}},
		{"at_a_dose", func() error { _, err := p.At(q("1 mg")); return err }, []inputError{{"time", pk.ErrDimension}}},
		{"curve_zero_step", func() error { _, err := p.Curve(q("0 min"), q("1 h"), q("0 s")); return err }, []inputError{{"step", pk.ErrRange}}},
		{"curve_backwards", func() error { _, err := p.Curve(q("2 h"), q("1 h"), q("1 min")); return err }, []inputError{{"to", pk.ErrRange}}},
		{"curve_too_many_points", func() error { _, err := p.Curve(q("0 min"), q("30 days"), q("1 s")); return err },
			[]inputError{{"step", pk.ErrRange}}},
		{"threshold_a_dose", func() error { _, _, err := p.TimeBelow(pk.Plasma, q("50 mg")); return err },
			[]inputError{{"threshold", pk.ErrDimension}}},
		{"threshold_zero", func() error { _, _, err := p.TimeBelow(pk.Plasma, q("0 ng/mL")); return err },
			[]inputError{{"threshold", pk.ErrRange}}},
		{"site_not_set", func() error { _, err := p.Peak(0); return err }, []inputError{{"site", pk.ErrRange}}},
		{"plot_format_not_set", func() error { return p.Plot(&bytes.Buffer{}, pk.PlotOptions{To: q("1 h")}) }, []inputError{{"format", pk.ErrRange}}},
		{"plot_to_zero", func() error { return p.Plot(&bytes.Buffer{}, pk.PlotOptions{Format: pk.SVG, To: q("0 h")}) }, []inputError{{"to", pk.ErrRange}}},
		{"plot_threshold_a_dose", func() error {
			return p.Plot(&bytes.Buffer{}, pk.PlotOptions{Format: pk.SVG, To: q("1 h"), Threshold: q("50 mg")})
		}, []inputError{{"threshold", pk.ErrDimension}}},
		{"level_missing_time", func() error { _, err := p.Level(pk.Plasma, units.Quantity{}); return err }, []inputError{{"time", pk.ErrMissing}}},
		{"level_beyond_a_year", func() error { _, err := p.Level(pk.Plasma, q("366 day")); return err }, []inputError{{"time", pk.ErrRange}}},
		{"level_site_not_set", func() error { _, err := p.Level(0, q("1 min")); return err }, []inputError{{"site", pk.ErrRange}}},
		{"levels_zero_step", func() error { _, err := p.Levels(pk.Plasma, q("0 min"), q("1 h"), q("0 s")); return err }, []inputError{{"step", pk.ErrRange}}},
		{"levels_backwards", func() error { _, err := p.Levels(pk.Plasma, q("2 h"), q("1 h"), q("1 min")); return err }, []inputError{{"to", pk.ErrRange}}},
		{"levels_too_many_points", func() error { _, err := p.Levels(pk.Plasma, q("0 min"), q("30 days"), q("1 s")); return err },
			[]inputError{{"step", pk.ErrRange}}},
		{"levels_bad_times_all_at_once", func() error { _, err := p.Levels(pk.Plasma, q("1 mg"), neg("1 h"), units.Quantity{}); return err },
			[]inputError{{"from", pk.ErrDimension}, {"to", pk.ErrRange}, {"step", pk.ErrMissing}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, fieldsOf(tt.run()), cmp.Comparer(errorsEqual)); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("effect_site_without_ke0", func(t *testing.T) {
		if _, err := p.Peak(pk.EffectSite); !errors.Is(err, pk.ErrNoEffectSite) {
			t.Errorf("Peak(EffectSite) error = %v, want ErrNoEffectSite", err)
		}
		if _, _, err := p.TimeBelow(pk.EffectSite, q("50 ng/mL")); !errors.Is(err, pk.ErrNoEffectSite) {
			t.Errorf("TimeBelow(EffectSite) error = %v, want ErrNoEffectSite", err)
		}
		if _, err := p.PeakLevel(pk.EffectSite); !errors.Is(err, pk.ErrNoEffectSite) {
			t.Errorf("PeakLevel(EffectSite) error = %v, want ErrNoEffectSite", err)
		}
		if _, err := p.Level(pk.EffectSite, q("10 min")); !errors.Is(err, pk.ErrNoEffectSite) {
			t.Errorf("Level(EffectSite) error = %v, want ErrNoEffectSite", err)
		}
		if _, err := p.Levels(pk.EffectSite, q("0 min"), q("1 h"), q("1 min")); !errors.Is(err, pk.ErrNoEffectSite) {
			t.Errorf("Levels(EffectSite) error = %v, want ErrNoEffectSite", err)
		}
		s, err := p.At(q("10 min"))
		if err != nil || s.Ce.IsValid() {
			t.Errorf("At without ke0 = %+v, %v; want Ce unset", s, err)
		}
	})
}

// Covariates outside a model's validity range give a prediction and a
// warning, never an error.
func TestCovariatesOutsideValidityAreWarned(t *testing.T) {
	t.Parallel()
	hijazi, err := pk.Lookup("hijazi")
	if err != nil {
		t.Fatal(err)
	}
	bounded := twoCompartments()
	bounded.Name = "bounded"
	bounded.Validity = pk.Validity{MinWeight: q("40 kg"), MaxWeight: q("100 kg"), MinAgeYears: 18, MaxAgeYears: 65}
	withRange, err := pk.New(bounded)
	if err != nil {
		t.Fatal(err)
	}
	bounded.Name = "upper-bounded"
	bounded.Validity = pk.Validity{MaxWeight: q("50 kg"), MaxAgeYears: 14}
	upperOnly, err := pk.New(bounded)
	if err != nil {
		t.Fatal(err)
	}
	bounded.Name = "lower-bounded"
	bounded.Validity = pk.Validity{MinWeight: q("40 kg")}
	lowerOnly, err := pk.New(bounded)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		model   *pk.Model
		patient dosing.Patient
		want    []pk.Warning
	}{
		{"hijazi_adult", hijazi, dosing.Patient{Weight: q("70 kg"), AgeYears: 40}, nil},
		{"hijazi_age_16", hijazi, dosing.Patient{Weight: q("70 kg"), AgeYears: 16}, []pk.Warning{{Key: pk.WarnAgeOutOfRange,
			Message: "age 16 years is outside the Hijazi model's validity range (from 18 years)"}}},
		{"hijazi_age_not_given", hijazi, dosing.Patient{Weight: q("70 kg")}, []pk.Warning{{Key: pk.WarnAgeNotGiven,
			Message: "age not given: the Hijazi model's validity range (from 18 years) was not checked"}}},
		{"weight_above_range", withRange, dosing.Patient{Weight: q("120 kg"), AgeYears: 40}, []pk.Warning{{Key: pk.WarnWeightOutOfRange,
			Message: "weight 120 kg is outside the bounded model's validity range (40 kg to 100 kg)"}}},
		{"weight_below_range_in_pounds_and_age_above", withRange, dosing.Patient{Weight: q("80 lb"), AgeYears: 70}, []pk.Warning{
			{Key: pk.WarnWeightOutOfRange, Message: "weight 80 lb is outside the bounded model's validity range (40 kg to 100 kg)"},
			{Key: pk.WarnAgeOutOfRange, Message: "age 70 years is outside the bounded model's validity range (18 to 65 years)"}}},
		{"weight_at_the_bound", withRange, dosing.Patient{Weight: q("100 kg"), AgeYears: 65}, nil},
		{"adult_on_a_paediatric_set", upperOnly, dosing.Patient{Weight: q("70 kg"), AgeYears: 30}, []pk.Warning{
			{Key: pk.WarnWeightOutOfRange, Message: "weight 70 kg is outside the upper-bounded model's validity range (up to 50 kg)"},
			{Key: pk.WarnAgeOutOfRange, Message: "age 30 years is outside the upper-bounded model's validity range (up to 14 years)"}}},
		{"under_a_lower_bound_age_unchecked", lowerOnly, dosing.Patient{Weight: q("35 kg")}, []pk.Warning{
			{Key: pk.WarnWeightOutOfRange, Message: "weight 35 kg is outside the lower-bounded model's validity range (from 40 kg)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.model.Predict(tt.patient, []pk.Administration{pk.Infusion(q("35 mg"), q("40 min"))})
			if err != nil {
				t.Fatalf("Predict: %v", err)
			}
			if diff := cmp.Diff(tt.want, p.Warnings, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Warnings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// An infusion of zero duration is predicted as a bolus, exactly, and the
// prediction says so.
func TestZeroDurationInfusionIsABolus(t *testing.T) {
	t.Parallel()
	m, err := pk.Lookup("domino")
	if err != nil {
		t.Fatal(err)
	}
	pt := dosing.Patient{Weight: q("70 kg")}
	zero := pk.Administration{Start: q("5 min"), Amount: q("0.5 mg/kg"), Duration: q("0 min")}
	bolus := pk.Administration{Start: q("5 min"), Amount: q("35 mg")}
	pz, err := m.Predict(pt, []pk.Administration{zero})
	if err != nil {
		t.Fatal(err)
	}
	pb, err := m.Predict(pt, []pk.Administration{bolus})
	if err != nil {
		t.Fatal(err)
	}
	want := []pk.Warning{{Key: pk.WarnZeroDuration, Message: "administrations[0]: an infusion over 0 min is predicted as a bolus at 5 min"}}
	if diff := cmp.Diff(want, pz.Warnings); diff != "" {
		t.Errorf("Warnings mismatch (-want +got):\n%s", diff)
	}
	if len(pb.Warnings) != 0 {
		t.Errorf("a bolus has warnings: %v", pb.Warnings)
	}
	z, err := pz.Curve(q("0 min"), q("2 h"), q("1 min"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := pb.Curve(q("0 min"), q("2 h"), q("1 min"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, z); diff != "" {
		t.Errorf("zero-duration infusion vs bolus curve mismatch (-want +got):\n%s", diff)
	}
}

// The messages themselves, checked once.
func TestErrorMessages(t *testing.T) {
	t.Parallel()
	p := twoCompartments()
	p.K10 = q("0 /min")
	p.V1 = q("10 mg")
	_, err := pk.New(p)
	want := `pk: v1 "10 mg": wrong kind of quantity (allowed: a volume in mL, L)` + "\n" +
		`pk: k10 "0 /min": value out of range (allowed: greater than 0 /min and at most 1,000 /min)`
	if err == nil || err.Error() != want {
		t.Errorf("New error =\n%v\nwant\n%s", err, want)
	}
	_, err = pk.Lookup("propofol")
	if got, want := err.Error(), `pk: unknown model "propofol" (allowed: domino, clements250, hijazi)`; got != want {
		t.Errorf("Lookup error = %s, want %s", got, want)
	}
	m, _ := pk.Lookup("domino")
	_, err = m.Predict(dosing.Patient{}, []pk.Administration{pk.Bolus(q("10 mg"))})
	if got, want := err.Error(), `pk: weight: missing value (allowed: a body weight greater than 0 kg)`; got != want {
		t.Errorf("Predict error = %s, want %s", got, want)
	}
}

// TestFieldErrorShape checks the one shape of the project's field errors
// (strconv.NumError's order): the package, the field, the quoted value when
// there is one, then what is wrong and what is allowed.
func TestFieldErrorShape(t *testing.T) {
	_, bad := pk.New(pk.Parameters{})
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"with a value", &pk.FieldError{Field: "k10", Value: "0 /min", Msg: "value out of range (allowed: greater than 0 /min)", Err: pk.ErrRange},
			`pk: k10 "0 /min": value out of range (allowed: greater than 0 /min)`},
		{"without one", &pk.FieldError{Field: "scaling", Msg: "missing value (allowed: none, linear or allometric)", Err: pk.ErrMissing},
			"pk: scaling: missing value (allowed: none, linear or allometric)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", tt.name, got, tt.want)
		}
		if !errors.Is(tt.err, tt.err.(*pk.FieldError).Err) {
			t.Errorf("%s: does not unwrap to its sentinel", tt.name)
		}
	}
	// The package's own errors read the same way: an empty parameter set
	// lacks its scaling, among other fields.
	var fe *pk.FieldError
	if !errors.As(bad, &fe) || fe.Error() != "pk: "+fe.Field+": "+fe.Msg {
		t.Errorf("New(Parameters{}) = %v: want FieldErrors of the shape pk: <field>: <msg>", bad)
	}
}
