package units

import "strings"

// Dimension is the physical kind of a quantity, as small integer exponents of
// independent base dimensions. It is comparable, so == and map keys work.
//
// Drug mass and patient body mass are separate base dimensions on purpose:
// 0.5 mg/kg × 80 kg is a drug mass (40 mg), while 0.5 mg/kg × 500 mg has the
// dimension drug mass² / body mass, for which no unit exists, so the
// multiplication is refused. The same reasoning keeps body surface area apart
// from length², and each dose form (device, spray, troche, tablet) apart from
// the others: a device is not a tablet.
//
// The zero Dimension is dimensionless (the dimension of %).
type Dimension struct {
	Mass     int8 // drug mass (mcg, mg, g)
	BodyMass int8 // patient body mass (kg, lb)
	Volume   int8 // mL, L
	Time     int8 // s, min, h, day, week
	Length   int8 // cm, m, in, ft
	BSA      int8 // body surface area (m²)
	Device   int8 // nasal spray devices
	Spray    int8 // single sprays
	Troche   int8 // troches / lozenges
	Tablet   int8 // tablets
	Drop     int8 // drops (gtt) of a gravity set
	Pressure int8 // mmHg
	Activity int8 // units of activity (never converted to mass)
}

// dimNames gives the display name of each base dimension, in field order.
var dimNames = [...]string{
	"drug mass", "body mass", "volume", "time", "length", "body surface area",
	"device", "spray", "troche", "tablet", "drop", "pressure", "activity",
}

func (d Dimension) exps() [len(dimNames)]int8 {
	return [...]int8{d.Mass, d.BodyMass, d.Volume, d.Time, d.Length, d.BSA,
		d.Device, d.Spray, d.Troche, d.Tablet, d.Drop, d.Pressure, d.Activity}
}

func dimFromExps(e [len(dimNames)]int8) Dimension {
	return Dimension{e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8], e[9], e[10], e[11], e[12]}
}

func (d Dimension) add(o Dimension, sign int8) Dimension {
	return Dimension{d.Mass + sign*o.Mass, d.BodyMass + sign*o.BodyMass, d.Volume + sign*o.Volume, d.Time + sign*o.Time,
		d.Length + sign*o.Length, d.BSA + sign*o.BSA, d.Device + sign*o.Device, d.Spray + sign*o.Spray, d.Troche + sign*o.Troche,
		d.Tablet + sign*o.Tablet, d.Drop + sign*o.Drop, d.Pressure + sign*o.Pressure, d.Activity + sign*o.Activity}
}

// String describes the dimension in words, numerator first, for error
// messages: "drug mass / body mass / time". The zero Dimension is
// "dimensionless".
func (d Dimension) String() string {
	var num, den []string
	for i, e := range d.exps() {
		name := dimNames[i]
		switch {
		case e > 1:
			num = append(num, name+"^"+itoa(int(e)))
		case e == 1:
			num = append(num, name)
		case e == -1:
			den = append(den, name)
		case e < -1:
			den = append(den, name+"^"+itoa(int(-e)))
		}
	}
	if len(num) == 0 && len(den) == 0 {
		return "dimensionless"
	}
	s := strings.Join(num, " × ")
	if len(num) == 0 {
		s = "1"
	}
	for _, n := range den {
		s += " / " + n
	}
	return s
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
