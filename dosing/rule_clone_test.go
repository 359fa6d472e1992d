package dosing_test

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

var (
	cloneQuantityType = reflect.TypeFor[units.Quantity]()
	cloneDecimalType  = reflect.TypeFor[decimal.Decimal]()
)

// fillAll sets every field reachable from v: each pointer to a new value, each
// slice to two elements, each quantity and text to a value of its own (n
// counts them), so that a field added to Rule is filled without this test
// knowing its name.
func fillAll(v reflect.Value, n *int) {
	*n++
	switch {
	case v.Type() == cloneQuantityType:
		v.Set(reflect.ValueOf(units.NewInt(int64(*n), units.Milligram)))
		return
	case v.Type() == cloneDecimalType:
		v.Set(reflect.ValueOf(decimal.NewFromInt(int64(*n))))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range v.Len() {
			fillAll(v.Index(i), n)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i), n)
			}
		}
	case reflect.String:
		v.SetString("s" + strconv.Itoa(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n % 4)) // small enums (rounding modes, sexes)
	case reflect.Map, reflect.Func, reflect.Chan, reflect.Interface:
		panic("fill: a " + v.Kind().String() + " in a rule: teach Clone and this test about it")
	}
}

// shared returns the path of the first pointer or slice that a and b (of one
// type) share, or "". Quantities and decimals are immutable and may share.
func shared(a, b reflect.Value, path string) string {
	if a.Type() == cloneQuantityType || a.Type() == cloneDecimalType {
		return ""
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shared(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() > 0 && b.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := range min(a.Len(), b.Len()) {
			if s := shared(a.Index(i), b.Index(i), path+"["+strconv.Itoa(i)+"]"); s != "" {
				return s
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				if s := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); s != "" {
					return s
				}
			}
		}
	}
	return ""
}

// Clone copies every field and shares no pointer or slice with the rule,
// however many fields Rule gains: the rule is filled by reflection.
func TestRuleClone(t *testing.T) {
	var r dosing.Rule
	n := 0
	fillAll(reflect.ValueOf(&r).Elem(), &n)
	c := r.Clone()
	if diff := cmp.Diff(r, c); diff != "" {
		t.Fatalf("Clone (-rule +clone):\n%s", diff)
	}
	if s := shared(reflect.ValueOf(r), reflect.ValueOf(c), "Rule"); s != "" {
		t.Errorf("the clone shares %s with the rule", s)
	}
	// A change to the clone leaves the rule as it was.
	before := r.Form.Step
	c.Form.Step = units.NewInt(99, units.Milligram)
	if !r.Form.Step.Equal(before) {
		t.Errorf("changing the clone's form changed the rule's: %v", r.Form.Step)
	}

	// The checker itself: a plain copy shares the rule's form.
	if s := shared(reflect.ValueOf(r), reflect.ValueOf(r), "Rule"); s != "Rule.Bands" {
		t.Errorf("shared(rule, rule) = %q, want Rule.Bands (the first slice)", s)
	}
	if got := (dosing.Rule{}).Clone(); !cmp.Equal(got, dosing.Rule{}) {
		t.Errorf("Clone of the zero rule = %+v", got)
	}
}
