// Package layers holds the test that keeps the module's imports pointing
// down, and the table of layers it checks them against; it has no code of
// its own. From the bottom:
//
//	units                       imports no package of the module
//	dosing                      units
//	dosing/pk, schedule         units, dosing (not each other)
//	fhir, envelope              units, dosing, dosing/pk, schedule (not each other)
//	examples/protocols          units, dosing, schedule: the embedded example
//	                            protocols, for programs and tests
//	cmd/..., internal/cli,      anything
//	web/..., examples/...
//
// internal/golden, internal/fuzzcheck and internal/tooltest are test
// helpers: they import no package of the module, and only tests import
// them. A test may import what its package may, the package itself, the
// test helpers and examples/protocols (real protocols to test with). A
// package the table does not name fails the test until it is given a layer.
package layers
