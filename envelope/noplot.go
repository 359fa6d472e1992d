//go:build doseplan_noplot

package envelope

import (
	"errors"
	"io"
)

// Plot is not built in with the build tag doseplan_noplot, which leaves out
// the plotting library and its fonts (the browser calculator draws no
// maps), as package pk does.
func (env *Envelope) Plot(w io.Writer, opt PlotOptions) error {
	return errors.New("envelope: maps are not built into this program (build tag doseplan_noplot)")
}
