//go:build doseplan_noplot

package pk

import (
	"errors"
	"io"
)

// Plot is not built in with the build tag doseplan_noplot, which leaves out
// the plotting library and its fonts (about 8 MB of the browser
// calculator's WebAssembly, which draws no plots).
func (p *Prediction) Plot(w io.Writer, o PlotOptions) error {
	return errors.New("pk: plots are not built into this program (build tag doseplan_noplot)")
}
