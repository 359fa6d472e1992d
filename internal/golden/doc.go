// Package golden compares rendered output with golden files under testdata,
// for the example programs' tests. Run the package's tests with -update to
// rewrite the files; review the diff before committing it.
package golden
