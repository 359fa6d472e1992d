package units

// RoundingMode says which multiple of a step a value goes to. The zero
// RoundingMode is invalid: a protocol must say how it rounds.
type RoundingMode uint8

const (
	_             RoundingMode = iota
	RoundHalfUp                // to the nearest multiple; halves away from zero
	RoundHalfEven              // to the nearest multiple; halves to the even multiple
	RoundDown                  // toward zero (never larger in magnitude than the exact value)
	RoundUp                    // away from zero (never smaller in magnitude than the exact value)
	numModes
)

var modeNames = [numModes]string{"", "half_up", "half_even", "down", "up"}

// String returns the mode's name as protocol files write it ("half_up").
func (m RoundingMode) String() string {
	if m == 0 || m >= numModes {
		return "invalid rounding mode"
	}
	return modeNames[m]
}

// ParseRoundingMode parses "half_up", "half_even", "down" or "up".
func ParseRoundingMode(s string) (RoundingMode, error) {
	for m := RoundingMode(1); m < numModes; m++ {
		if modeNames[m] == s {
			return m, nil
		}
	}
	return 0, &ParseError{Func: "ParseRoundingMode", Input: s, Elem: s,
		Msg: "unknown rounding mode (allowed: half_up, half_even, down, up)", Err: ErrSyntax}
}

// MarshalText implements encoding.TextMarshaler.
func (m RoundingMode) MarshalText() ([]byte, error) {
	if m == 0 || m >= numModes {
		return nil, &OpError{Op: "marshal", X: m.String(), Msg: "invalid rounding mode", Err: ErrInvalid}
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *RoundingMode) UnmarshalText(b []byte) error {
	p, err := ParseRoundingMode(string(b))
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// RoundTo rounds q to a multiple of step (0.1 mL, 0.1 mL/h, 28 mg, 12.5 mg)
// in the given mode and returns it in step's unit, with changed reporting
// whether the value moved. The step must be positive and of q's dimension;
// an invalid mode is an error, never a silent default.
func (q Quantity) RoundTo(step Quantity, mode RoundingMode) (rounded Quantity, changed bool, err error) {
	if !q.IsValid() || !step.IsValid() {
		return Quantity{}, false, invalidOp("round", q, step)
	}
	if mode == 0 || mode >= numModes {
		return Quantity{}, false, &OpError{Op: "round", X: q.String(), Y: step.String(), Msg: "rounding mode not set (allowed: half_up, half_even, down, up)", Err: ErrInvalid}
	}
	if step.v.sign() <= 0 {
		return Quantity{}, false, &OpError{Op: "round", X: q.String(), Y: step.String(), Msg: "step must be greater than 0", Err: ErrRange}
	}
	if tab.dim[q.v.u] != tab.dim[step.v.u] {
		return Quantity{}, false, &DimensionError{Op: "round", X: q.String(), Y: step.String(), XDim: q.Dimension(), YDim: step.Dimension()}
	}
	// q in step's unit, divided by the step, is exactly a / b (b > 0). The
	// decision is taken on that exact quotient, never on a conversion rounded
	// at Places, so a value a hair above a multiple still rounds up.
	a, b := q.v, step.v
	if q.v.u != step.v.u {
		a = decProduct(q.v, tab.numD[q.v.u], tab.denD[step.v.u])
		b = decProduct(step.v, tab.denD[q.v.u], tab.numD[step.v.u])
	}
	rounded = mk(roundToStep(a, b, step.v, mode), step.v.u)
	c, _ := rounded.Cmp(q)
	return rounded, c != 0, nil
}
