package dosing_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// genCloneInputs draws a rule and a patient whose result has every part a
// Result can have, each part present or not: a dose form with its
// timeline, a preparation, an infusion with a loading dose and a drip, roundings
// and warnings, which are all acknowledged.
func genCloneInputs(t *rapid.T) (dosing.Rule, dosing.Patient) {
	if rapid.Bool().Draw(t, "dose_forms") {
		return esketamineRule(), genPatient(t)
	}
	r := genIVRule(t)
	if in := r.Infusion; in != nil {
		if rapid.Bool().Draw(t, "loading") {
			in.Loading = &dosing.Loading{Dose: mq("0.05 mg/kg"), Duration: mq("5 min")}
		}
		if rapid.Bool().Draw(t, "drip") {
			in.DropFactor, in.DripRounding = mq("20 gtt/mL"), units.RoundHalfUp
		}
	}
	if rapid.Bool().Draw(t, "soft_limit") { // a warning to acknowledge
		r.Limits.DosePerKg = dosing.Bound{SoftMax: mq("0.1 mg/kg")}
	}
	return r, genPatient(t)
}

// calculateAcked calculates, acknowledging every warning, so that the
// warnings carry their Ack pointers.
func calculateAcked(t *rapid.T, r dosing.Rule, p dosing.Patient) (dosing.Result, bool) {
	res, err := dosing.Calculate(r, p, dosing.Options{})
	if err != nil {
		return dosing.Result{}, false // a generated rule the patient cannot be dosed on
	}
	var acks []dosing.Ack
	for _, w := range res.Warnings {
		acks = append(acks, dosing.Ack{Key: w.Key, Reason: "reviewed"})
	}
	res, err = dosing.Calculate(r, p, dosing.Options{Acks: acks})
	if err != nil {
		t.Fatalf("with acknowledgements: %v", err)
	}
	return res, true
}

// poison overwrites, in place, everything reachable from v through a slice
// or a pointer, and what it points to: each element and each pointee is set
// to its zero value after its own contents are poisoned. What v holds
// directly is left alone, as a copy of a struct owns it anyway. If a clone
// shares any of that memory with the original, the original changes.
func poison(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			poison(v.Elem())
			v.Elem().Set(reflect.Zero(v.Elem().Type()))
		}
	case reflect.Slice:
		for i := range v.Len() {
			poison(v.Index(i))
			v.Index(i).Set(reflect.Zero(v.Index(i).Type()))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() { // a Quantity is immutable: its insides are not poisoned
				poison(v.Field(i))
			}
		}
	}
}

// Changing a clone through any of its slices and pointers never changes the
// original, and the clone equals the original until then.
func TestPropCloneIsDeep(t *testing.T) {
	var parts struct{ form, prep, infusion, loading, drip, acks, rounded int }
	rapid.Check(t, func(t *rapid.T) {
		r, p := genCloneInputs(t)
		orig, ok := calculateAcked(t, r, p)
		if !ok {
			t.Skip("no result")
		}
		want, _ := calculateAcked(t, r, p) // the same calculation again: what orig must stay
		c := orig.Clone()
		if diff := cmp.Diff(orig, c); diff != "" {
			t.Fatalf("the clone differs from the original (-orig +clone):\n%s", diff)
		}
		poison(reflect.ValueOf(&c).Elem())
		if diff := cmp.Diff(want, orig); diff != "" {
			t.Fatalf("changing the clone changed the original (-want +got):\n%s", diff)
		}
		count := func(n *int, present bool) {
			if present {
				*n++
			}
		}
		count(&parts.form, orig.Form != nil)
		count(&parts.prep, orig.Preparation != nil)
		count(&parts.infusion, orig.Infusion != nil)
		count(&parts.loading, orig.Infusion != nil && orig.Infusion.Loading != nil)
		count(&parts.drip, orig.Infusion != nil && orig.Infusion.Drip != nil)
		count(&parts.acks, len(orig.Warnings) > 0 && orig.Warnings[0].Ack != nil)
		count(&parts.rounded, len(orig.Rounded) > 0)
	})
	// The property said something only if the generator reached every part.
	for name, n := range map[string]int{"form": parts.form, "preparation": parts.prep, "infusion": parts.infusion,
		"loading": parts.loading, "drip": parts.drip, "acknowledged warnings": parts.acks, "rounded values": parts.rounded} {
		if n == 0 {
			t.Errorf("no generated result had a %s", name)
		}
	}
}

// The poisoning does find sharing: a plain copy of a result, which shares
// its slices and pointers, changes the original.
func TestPoisonFindsSharing(t *testing.T) {
	orig, err := dosing.Calculate(standardIV(), standardPatient(), dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	shallow := orig
	poison(reflect.ValueOf(&shallow).Elem())
	if orig.Preparation.Draw.IsValid() || orig.Steps[0].ID != "" {
		t.Errorf("poisoning a plain copy left the original's preparation and steps as they were: the check could not fail")
	}
}

// Clone copies a result so that one can be changed without the other.
func ExampleResult_Clone() {
	patient := dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm"), Sex: dosing.Male}
	res, err := dosing.Calculate(exampleIVRule(), patient, dosing.Options{})
	if err != nil {
		panic(err)
	}
	c := res.Clone()
	c.Preparation.Draw = units.MustParse("5 mL")
	c.Steps[0].Note = "changed"
	fmt.Println(res.Preparation.Draw, c.Preparation.Draw)
	fmt.Println(res.Steps[0].Note == "", c.Steps[0].Note)
	// Output:
	// 4 mL 5 mL
	// true changed
}
