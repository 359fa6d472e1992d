package schedule_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/internal/fuzzcheck"
	"github.com/doseplan/doseplan/schedule"
)

// FuzzLoadRecord feeds the record loader YAML and JSON documents, seeded
// from the strict-loading and round-trip tables. Whatever the input: no
// panic; an error comes without a record and names its fields; a record
// that loads validates again, writes (Encode) a document that reads back to
// the same record and writes the same bytes again, reads back the same
// from its JSON form, and takes an entry appended to what doseplan wrote,
// leaving those bytes as they were.
//
// go test -run=^$ -fuzz=FuzzLoadRecord -fuzztime=20s ./schedule
func FuzzLoadRecord(f *testing.F) {
	f.Add([]byte(recordYAML))
	for _, c := range badRecords(f) {
		f.Add([]byte(c.doc))
	}
	for _, r := range recordCases(f) {
		doc, err := r.Encode()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(doc)
		j, err := json.Marshal(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(j)
	}
	for _, s := range []string{"", "~", "[", "{}", "doseplan_record: 1", "a: &a [*a]", billionLaughs()} {
		f.Add([]byte(s))
	}
	next := schedule.RecordEntry{Session: 1, Outcome: schedule.Missed, RecordedBy: "fuzz"}
	f.Fuzz(func(t *testing.T, data []byte) {
		type res struct {
			r   *schedule.Record
			err error
		}
		got := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { r, err := schedule.LoadRecord(data); return res{r, err} })
		r, err := got.r, got.err
		if err != nil {
			if r != nil {
				t.Fatal("a record with an error")
			}
			fes := fieldErrors(err)
			if len(fes) == 0 {
				t.Fatalf("error without a field: %v", err)
			}
			for _, fe := range fes {
				if fe.Field == "" || fe.Msg == "" {
					t.Fatalf("field error without a field or a message: %#v", fe)
				}
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("a loaded record does not validate: %v", err)
		}
		doc, err := r.Encode()
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		back, err := schedule.LoadRecord(doc)
		if err != nil {
			t.Fatalf("the written record does not load: %v\n%s", err, doc)
		}
		if diff := cmp.Diff(r, back); diff != "" {
			t.Fatalf("write and read (-loaded +written):\n%s\n%s", diff, doc)
		}
		if again, err := back.Encode(); err != nil || !bytes.Equal(doc, again) {
			t.Fatalf("writing again changed the bytes (%v):\n%s\n---\n%s", err, doc, again)
		}
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		if fromJSON, err := schedule.LoadRecord(j); err != nil || !cmp.Equal(r, fromJSON) {
			t.Fatalf("the JSON form reads back otherwise (%v):\n%s", err, j)
		}
		out, err := schedule.AppendEntry(doc, next)
		if err != nil {
			t.Fatalf("AppendEntry to what doseplan wrote: %v\n%s", err, doc)
		}
		if !bytes.HasPrefix(out, doc) {
			t.Fatal("AppendEntry rewrote the document")
		}
	})
}
