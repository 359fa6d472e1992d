package cli

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// batchOrders is a batch of n orders of the IV example for an 80 kg man:
// nine in ten as the protocol has them (40 mg, 4 mL, 104 mL, 156 mL/h over
// 40 min), one in ten a tenfold pump rate.
func batchOrders(n int) []byte {
	var b strings.Builder
	b.WriteString("id,weight,height,sex,age,dose,draw-volume,final-volume,pump-rate,duration\n")
	for i := range n {
		rate := "156mL/h"
		if i%10 == 7 {
			rate = "15.6mL/h"
		}
		fmt.Fprintf(&b, "O-%d,80kg,175cm,male,45,40mg,4mL,104mL,%s,40min\n", i, rate)
	}
	return []byte(b.String())
}

// batchPatients is a batch of n patients of 60 to 119 kg, 175 cm.
func batchPatients(n int) []byte {
	var b strings.Builder
	b.WriteString("id,weight,height,sex,age\n")
	for i := range n {
		fmt.Fprintf(&b, "P-%d,%dkg,175cm,male,45\n", i, 60+i%60)
	}
	return []byte(b.String())
}

func runBatchBench(b *testing.B, fsys fs.FS, args ...string) {
	b.Helper()
	var errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb,
		Open: func(name string) (io.ReadCloser, error) { return fsys.Open(name) }}
	b.ReportAllocs()
	for b.Loop() {
		errb.Reset()
		if code := env.Run(args); code > exitMismatch || code == exitUsage || code == exitInput {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

// BenchmarkCheckBatch10000 is "check --batch" of 10,000 orders of the IV
// example, text and JSON Lines: the bound is 1 s for the lot.
func BenchmarkCheckBatch10000(b *testing.B) {
	fsys := fstest.MapFS{"orders.csv": {Data: batchOrders(10000)}}
	b.Run("text", func(b *testing.B) {
		runBatchBench(b, fsys, "check", "--protocol", "example:iv-ketamine-trd", "--batch", "orders.csv")
	})
	b.Run("json", func(b *testing.B) {
		runBatchBench(b, fsys, "check", "--protocol", "example:iv-ketamine-trd", "--batch", "orders.csv", "--json")
	})
}

// BenchmarkDoseBatch10000 is "dose --batch" of 10,000 patients.
func BenchmarkDoseBatch10000(b *testing.B) {
	fsys := fstest.MapFS{"patients.csv": {Data: batchPatients(10000)}}
	runBatchBench(b, fsys, "dose", "--protocol", "example:iv-ketamine-trd", "--batch", "patients.csv")
}
