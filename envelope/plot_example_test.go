//go:build !doseplan_noplot

package envelope_test

import (
	"bytes"
	"fmt"
	"image/png"

	"github.com/doseplan/doseplan/envelope"
	"github.com/doseplan/doseplan/examples/protocols"
)

// A status map of the IV example's first level, as a PNG.
func ExampleEnvelope_Plot() {
	p, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		fmt.Println(err)
		return
	}
	env, err := envelope.Evaluate(p, envelope.Options{Weights: axis("40 kg", "200 kg", "5 kg"), Heights: axis("140 cm", "210 cm", "5 cm"), Levels: []int{1}})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := env.Plot(&b, envelope.PlotOptions{Format: envelope.PNG}); err != nil {
		fmt.Println(err)
		return
	}
	img, err := png.Decode(&b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Dx(), "×", img.Bounds().Dy(), "pixels")
	// Output:
	// 1126 × 650 pixels
}
