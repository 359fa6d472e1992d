package units_test

import (
	"encoding/json"
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// TestFormat lists the display form (String, ISMP / Joint Commission) and the
// canonical form (Text, what MarshalText writes) of quantities built without
// parsing.
func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		q         units.Quantity
		str, text string
	}{
		{"leading zero", qty(5, -1, units.Milligram), "0.5 mg", "0.5 mg"},
		{"no trailing zero", qty(50, -2, units.Milligram), "0.5 mg", "0.5 mg"},
		{"integer with zero places", qty(50, -1, units.Milligram), "5 mg", "5 mg"},
		{"zero", qty(0, -3, units.Milliliter), "0 mL", "0 mL"},
		{"small", qty(1, -6, units.Milligram), "0.000001 mg", "0.000001 mg"},
		{"30 places", qty(1, -30, units.Milligram), "0.000000000000000000000000000001 mg", "0.000000000000000000000000000001 mg"},
		{"below 1,000", qty(999, 0, units.Milligram), "999 mg", "999 mg"},
		{"1,000", qty(1000, 0, units.Milligram), "1,000 mg", "1000 mg"},
		{"1,000 with a fraction", qty(10005, -1, units.Milligram), "1,000.5 mg", "1000.5 mg"},
		{"fraction is not grouped", qty(12345678, -4, units.Milligram), "1,234.5678 mg", "1234.5678 mg"},
		{"100,000 units", qty(100000, 0, units.ActivityUnit), "100,000 units", "100000 units"},
		{"1,000,000", qty(1000000, 0, units.Milligram), "1,000,000 mg", "1000000 mg"},
		{"positive exponent", decimalQty(decimal.New(5, 3), units.Milligram), "5,000 mg", "5000 mg"},
		{"negative", qty(-8387144, -8, units.Milligram), "-0.08387144 mg", "-0.08387144 mg"},
		{"negative 1,000", qty(-1000, 0, units.Milligram), "-1,000 mg", "-1000 mg"},
		{"mcg", qty(12, 0, units.Microgram), "12 mcg", "12 mcg"},
		{"units", qty(5000, 0, units.ActivityUnit), "5,000 units", "5000 units"},
		{"one unit", qty(1, 0, units.ActivityUnit), "1 unit", "1 unit"},
		{"two units", qty(2, 0, units.ActivityUnit), "2 units", "2 units"},
		{"units per kg stay plural", qty(1, 0, units.UnitsPerKg), "1 units/kg", "1 units/kg"},
		{"mL", qty(25, -1, units.Milliliter), "2.5 mL", "2.5 mL"},
		{"1 device", qty(1, 0, units.Device), "1 device", "1 device"},
		{"1.0 device", qty(10, -1, units.Device), "1 device", "1 device"},
		{"2 devices", qty(2, 0, units.Device), "2 devices", "2 devices"},
		{"0 devices", qty(0, 0, units.Device), "0 devices", "0 devices"},
		{"1.5 tablets", qty(15, -1, units.Tablet), "1.5 tablets", "1.5 tablets"},
		{"2 sprays", qty(2, 0, units.Spray), "2 sprays", "2 sprays"},
		{"3 troches", qty(3, 0, units.Troche), "3 troches", "3 troches"},
		{"1 day", qty(1, 0, units.Day), "1 day", "1 day"},
		{"2 days", qty(2, 0, units.Day), "2 days", "2 days"},
		{"3 weeks", qty(3, 0, units.Week), "3 weeks", "3 weeks"},
		{"drops are not pluralised", qty(20, 0, units.Drop), "20 gtt", "20 gtt"},
		{"heart rate", qty(110, 0, units.PerMinute), "110 /min", "110 /min"},
		{"SpO2", qty(98, 0, units.Percent), "98 %", "98 %"},
		{"blood pressure", qty(120, 0, units.MmHg), "120 mmHg", "120 mmHg"},
		{"body surface", qty(18, -1, units.SquareMeter), "1.8 m²", "1.8 m²"},
		{"BMI", qty(247, -1, units.KgPerM2), "24.7 kg/m²", "24.7 kg/m²"},
		{"per m²", qty(100, 0, units.MgPerM2), "100 mg/m²", "100 mg/m²"},
		{"dose rate", qty(125, -1, units.McgPerKgPerMin), "12.5 mcg/kg/min", "12.5 mcg/kg/min"},
		{"pump rate", qty(1250, 0, units.MLPerHour), "1,250 mL/h", "1250 mL/h"},
		{"invalid", units.Quantity{}, "invalid quantity", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.q.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
			if got := tt.q.Text(); got != tt.text {
				t.Errorf("Text() = %q, want %q", got, tt.text)
			}
			b, err := tt.q.MarshalText()
			if err != nil || string(b) != tt.text {
				t.Errorf("MarshalText() = %q, %v; want %q (Text)", b, err, tt.text)
			}
		})
	}
}

func decimalQty(d decimal.Decimal, u units.Unit) units.Quantity { return units.New(d, u) }

type order struct {
	Dose     units.Quantity `json:"dose"`
	Max      units.Quantity `json:"max,omitzero"`
	Rounding units.RoundingMode
}

func TestJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   order
		want string
	}{
		{"canonical text, no grouping", order{Dose: qty(1000, 0, units.Milligram), Max: qty(15, -1, units.Gram), Rounding: units.RoundHalfEven},
			`{"dose":"1000 mg","max":"1.5 g","Rounding":"half_even"}`},
		{"zero Quantity is empty, and omitted by omitzero", order{Rounding: units.RoundDown},
			`{"dose":"","Rounding":"down"}`},
		{"0 mg is a value, not absent", order{Dose: qty(5, -1, units.Milligram), Max: qty(0, 0, units.Milligram), Rounding: units.RoundUp},
			`{"dose":"0.5 mg","max":"0 mg","Rounding":"up"}`},
		{"negative deviation", order{Dose: qty(-8387144, -8, units.Milligram), Rounding: units.RoundHalfUp},
			`{"dose":"-0.08387144 mg","Rounding":"half_up"}`},
		{"display symbols", order{Dose: qty(125, -1, units.McgPerKgPerMin), Max: qty(2, 0, units.Device), Rounding: units.RoundHalfUp},
			`{"dose":"12.5 mcg/kg/min","max":"2 devices","Rounding":"half_up"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(b)); diff != "" {
				t.Errorf("json.Marshal mismatch (-want +got):\n%s", diff)
			}
			var back order
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("json.Unmarshal(%s): %v", b, err)
			}
			if diff := cmp.Diff(tt.in, back); diff != "" {
				t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("refuses what Parse refuses", func(t *testing.T) {
		t.Parallel()
		var o order
		if err := json.Unmarshal([]byte(`{"dose":".5 mg"}`), &o); err == nil {
			t.Errorf("json.Unmarshal of a naked decimal succeeded: %+v", o)
		}
		if err := json.Unmarshal([]byte(`{"dose":0.5}`), &o); err == nil {
			t.Errorf("json.Unmarshal of a bare number succeeded: %+v", o)
		}
	})
}
