package dosing_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// jsonNames lists the JSON names of a struct's fields, in order.
func jsonNames(t *testing.T, v any) []string {
	t.Helper()
	var out []string
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name == "" {
			t.Fatalf("%s.%s has no JSON name", rt.Name(), rt.Field(i).Name)
		}
		out = append(out, name)
	}
	return out
}

// The table of fields is the structs: one descriptor per field of Order and
// of Tolerances, named as the JSON names them, in the order of the struct.
// A field added to the structs without its row fails here.
func TestOrderFieldsAreTheStructs(t *testing.T) {
	var names []string
	for _, f := range dosing.OrderFields() {
		names = append(names, f.Name())
	}
	if diff := cmp.Diff(jsonNames(t, dosing.Order{}), names); diff != "" {
		t.Errorf("OrderFields against the fields of Order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(jsonNames(t, dosing.Tolerances{}), names); diff != "" {
		t.Errorf("OrderFields against the fields of Tolerances (-want +got):\n%s", diff)
	}
}

// Each descriptor reads and sets its own field and no other: Set on an empty
// order changes exactly the struct field of the descriptor's JSON name, and
// Get reads it back; likewise for the tolerances.
func TestOrderFieldAccessors(t *testing.T) {
	q := units.MustParse("7 mg")
	pct := units.MustParse("3 %")
	for i, f := range dosing.OrderFields() {
		t.Run(f.Name(), func(t *testing.T) {
			var o dosing.Order
			f.Set(&o, q)
			if got := f.Get(o); !got.Equal(q) {
				t.Errorf("Get after Set = %v, want %v", got, q)
			}
			if got := reflect.ValueOf(o).Field(i).Interface().(units.Quantity); !got.Equal(q) {
				t.Errorf("Set wrote %v to field %d, want %v", got, i, q)
			}
			if diff := cmp.Diff(jsonNames(t, o)[i:i+1], setFields(o)); diff != "" {
				t.Errorf("fields set (-want +got):\n%s", diff)
			}
			var tol dosing.Tolerances
			f.SetTolerance(&tol, pct)
			if got := f.Tolerance(tol); !got.Equal(pct) {
				t.Errorf("Tolerance after SetTolerance = %v, want %v", got, pct)
			}
			if diff := cmp.Diff(jsonNames(t, tol)[i:i+1], setFields(tol)); diff != "" {
				t.Errorf("tolerances set (-want +got):\n%s", diff)
			}
		})
	}
}

// setFields names the valid quantities of a struct by their JSON names.
func setFields(v any) []string {
	var out []string
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		if rv.Field(i).Interface().(units.Quantity).IsValid() {
			name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("json"), ",")
			out = append(out, name)
		}
	}
	return out
}

// The default tolerances are the package's documented ones (Tolerances): 0 %
// for what is read off a product (the stock, the drop factor, the number of
// dose forms), 5 % for every calculated value, and they are what Check uses.
func TestOrderFieldDefaultTolerance(t *testing.T) {
	readOff := map[string]bool{"stock": true, "drop_factor": true, "count": true}
	res, err := dosing.Check(dosing.Order{Dose: units.MustParse("40 mg")}, standardPatient(), standardIV(), dosing.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range dosing.OrderFields() {
		want := units.MustParse("5 %")
		if readOff[f.Name()] {
			want = units.MustParse("0 %")
		}
		if got := f.DefaultTolerance(); !got.Equal(want) {
			t.Errorf("%s: DefaultTolerance() = %v, want %v", f.Name(), got, want)
		}
		if got := f.Tolerance(res.Tolerances); !got.Equal(want) {
			t.Errorf("%s: Check used %v, want %v", f.Name(), got, want)
		}
	}
}

// Dimensions is what Check accepts: an order stating one field in a unit of
// one of its dimensions has no dimension error, and in any other unit it has
// one; a field per day takes only a unit per day (mg/day, not mg/h, though
// both are drug mass / time), and no other field takes one.
func TestOrderFieldDimensionsAreValidated(t *testing.T) {
	candidates := []units.Unit{units.Milligram, units.Microgram, units.MgPerKg, units.Kilogram, units.Pound, units.MgPerML,
		units.Milliliter, units.MLPerHour, units.Minute, units.Hour, units.MgPerHour, units.MgPerKgPerHour, units.McgPerKgPerMin,
		units.DropsPerMin, units.DropsPerML, units.Device, units.Spray, units.Troche, units.Tablet, units.Percent, units.Centimeter,
		units.MgPerDay, units.MgPerKgPerDay}
	for _, f := range dosing.OrderFields() {
		accepted := 0
		for _, u := range candidates {
			var o dosing.Order
			f.Set(&o, units.NewInt(1, u))
			want := !containsDim(f.Dimensions(), u.Dimension()) || u.PerDay() != strings.HasSuffix(f.Name(), "_per_day")
			_, err := dosing.Check(o, standardPatient(), standardIV(), dosing.CheckOptions{})
			if got := errors.Is(err, dosing.ErrDimension); got != want {
				t.Errorf("%s in %s: a dimension error is %v, want %v (%v)", f.Name(), u, got, want, err)
			}
			if !want {
				accepted++
			}
		}
		if accepted == 0 {
			t.Errorf("%s: no candidate unit accepted; Dimensions() = %v", f.Name(), f.Dimensions())
		}
	}
}

func containsDim(ds []units.Dimension, d units.Dimension) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// The slices OrderFields and Dimensions return are the caller's: changing
// them changes nothing the package holds.
func TestOrderFieldsAreCopies(t *testing.T) {
	fs := dosing.OrderFields()
	fs[0], fs[1] = fs[1], fs[0]
	if got := dosing.OrderFields()[0].Name(); got != "dose" {
		t.Errorf("after swapping a returned slice, OrderFields()[0] is %q, want dose", got)
	}
	count := dosing.OrderFields()[len(fs)-1]
	ds := count.Dimensions()
	if len(ds) != 4 { // devices, sprays, troches, tablets
		t.Fatalf("count: %d dimensions, want 4", len(ds))
	}
	ds[0] = units.Milligram.Dimension()
	if got := count.Dimensions()[0]; got != units.Device.Dimension() {
		t.Errorf("after writing into a returned slice, count's first dimension is %v, want a device", got)
	}
}

// A program that builds an order from its own input (here a map, in the CLI
// its flags) reads the fields and their default tolerances from the table.
func ExampleOrderFields() {
	given := map[string]string{"dose": "40 mg", "pump_rate": "156 mL/h"}
	var order dosing.Order
	for _, f := range dosing.OrderFields() {
		if s, ok := given[f.Name()]; ok {
			f.Set(&order, units.MustParse(s))
		}
	}
	fmt.Println(order.Dose, order.PumpRate)
	for _, f := range dosing.OrderFields()[:6] {
		fmt.Println(f.Name(), f.DefaultTolerance())
	}
	// Output:
	// 40 mg 156 mL/h
	// dose 5 %
	// dose_per_kg 5 %
	// dose_per_day 5 %
	// dose_per_kg_per_day 5 %
	// weight 5 %
	// stock 0 %
}
