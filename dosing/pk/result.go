package pk

import (
	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// FromResult returns the administrations a calculated dose describes, as the
// pump will run them: a loading dose (if any) over its duration from time 0,
// then the rest of the dose over the run time at the programmed pump rate
// (the volume ÷ the rounded rate, which is what the pump really does, rather
// than the planned duration). The built-in models describe intravenous
// administration, so a result without an infusion is refused rather than
// guessed into a bolus: give such administrations explicitly.
func FromResult(r dosing.Result) ([]Administration, error) {
	in := r.Infusion
	if in == nil {
		return nil, fieldError("result.infusion", "", "a result with an infusion (the models are for IV administration)", ErrMissing)
	}
	if !r.Dose.IsValid() || !in.RunTime.IsValid() {
		return nil, fieldError("result.dose", r.Dose.String(), "a calculated dose and run time", ErrMissing)
	}
	zero := units.NewInt(0, units.Minute)
	if l := in.Loading; l != nil {
		rest, err := r.Dose.Sub(l.Dose)
		if err != nil {
			return nil, fieldError("result.infusion.loading.dose", l.Dose.String(), "a drug mass of the dose's dimension", ErrDimension)
		}
		return []Administration{
			{Start: zero, Amount: l.Dose, Duration: l.Duration},
			{Start: l.Duration, Amount: rest, Duration: in.RunTime},
		}, nil
	}
	return []Administration{{Start: zero, Amount: r.Dose, Duration: in.RunTime}}, nil
}
