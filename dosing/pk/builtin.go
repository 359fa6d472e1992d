package pk

import (
	"strings"

	"github.com/doseplan/doseplan/units"
)

// The built-in parameter sets for racemic ketamine, as opentiva
// (opentiva/ketamine.py) carries them, with the uncertainties recorded in
// doseplan's clinical reference (§8.1), in a stable order.
func builtins() []Parameters { return []Parameters{domino(), clements250(), hijazi()} }

// builtin holds the built-in models, validated and decomposed once when the
// package is initialized. It is never written after that, and a Model is
// immutable (unexported fields, no method that changes one; the Quantity
// values of its Parameters are immutable too), so handing the same *Model
// to every caller and every goroutine is safe. Models and Lookup return
// fresh slices and errors, never this array.
var builtin = func() [3]*Model {
	var ms [3]*Model
	for i, p := range builtins() {
		ms[i] = mustBuiltin(p)
	}
	return ms
}()

const ketamine = "ketamine (racemic)"

// domino is the three-compartment set widely used in TCI simulators.
//
// Citation uncertainty: opentiva cites PMID 7198883 (Domino 1982, Anesth
// Analg), while another simulator labels the same set "Domino 1984" (Clin
// Pharmacol Ther 1984); neither was checked against the paper. That it is the
// original STANPUMP ketamine set is also unverified.
func domino() Parameters {
	q := units.MustParse
	return Parameters{
		ID:   "domino",
		Name: "Domino",
		Drug: ketamine,
		Citation: "Domino EF et al. PMID 7198883 (Anesth Analg 1982) as cited by opentiva; " +
			"also labelled \"Domino 1984\" (Clin Pharmacol Ther 1984) — see notes",
		Notes: "Citation conflict, unverified: opentiva gives PMID 7198883 (Domino 1982, Anesth Analg); " +
			"another open-source TCI simulator labels this set \"Domino 1984\" (Clin Pharmacol Ther 1984). " +
			"Widely described as the STANPUMP ketamine set (unverified). " +
			"ke0 is opentiva's, derived from an assumed time to peak effect of 1 min. " +
			"The source gives no validity range; none is invented here.",
		Scaling:         ScaleLinear,
		ReferenceWeight: q("1 kg"),
		V1:              q("0.063 L"),
		K10:             q("0.4381 /min"),
		K12:             q("0.5921 /min"),
		K21:             q("0.247 /min"),
		K13:             q("0.59 /min"),
		K31:             q("0.0146 /min"),
		Ke0:             q("0.652 /min"),
	}
}

// clements250 is the two-compartment set from the 250 mcg/kg bolus data.
// A clearance form found in another simulator (V1 1.70 L/kg, V2 2.40 L/kg,
// CL 0.0191 L/min/kg, Q 0.0317 L/min/kg) differs slightly from these rate
// constants; the rate constants are used.
func clements250() Parameters {
	q := units.MustParse
	return Parameters{
		ID:   "clements250",
		Name: "Clements 250",
		Drug: ketamine,
		Citation: "Clements JA, Nimmo WS. Br J Anaesth 1981;53:27. PMID 7459184, doi:10.1093/bja/53.1.27 " +
			"(250 mcg/kg bolus data), as in opentiva",
		Notes: "ke0 is opentiva's, derived from an assumed time to peak effect of 1 min. " +
			"A clearance form in another simulator (V1 1.70 L/kg, V2 2.40 L/kg, CL 0.0191 L/min/kg, " +
			"Q 0.0317 L/min/kg) differs slightly; these are opentiva's rate constants. " +
			"The source gives no validity range; none is invented here.",
		Scaling:         ScaleLinear,
		ReferenceWeight: q("1 kg"),
		V1:              q("1.7522 L"),
		K10:             q("0.0109 /min"),
		K12:             q("0.0186 /min"),
		K21:             q("0.0137 /min"),
		Ke0:             q("5.2 /min"),
	}
}

// hijazi is the two-compartment set from intensive-care patients with brain
// or spinal cord injury. opentiva bounds it at 18 years from above, which
// looks wrong for an adult ICU study; the bound is not adopted, and the
// adult study population sets the lower bound instead (the paper's exact age
// range was not retrieved).
func hijazi() Parameters {
	q := units.MustParse
	return Parameters{
		ID:   "hijazi",
		Name: "Hijazi",
		Drug: ketamine,
		Citation: "Hijazi Y et al. Br J Anaesth 2003;90:155. PMID 12538370, doi:10.1093/bja/aeg028, " +
			"as in opentiva",
		Notes: "Adult intensive-care patients with brain or spinal cord injury: not representative of outpatients. " +
			"Cross-check: the abstract reports CL 36.0 (SD 13.3) mL/min/kg and t½ 4.9 h; this set gives " +
			"35.96 mL/min/kg and 4.95 h. opentiva's upper age bound of 18 years looks wrong for an adult ICU study " +
			"and is not adopted (unverified); the lower bound of 18 years reflects the adult study population. " +
			"ke0 is opentiva's, derived from an assumed time to peak effect of 1 min.",
		Scaling:         ScaleLinear,
		ReferenceWeight: q("1 kg"),
		V1:              q("1.08 L"),
		K10:             q("0.0333 /min"),
		K12:             q("0.0088 /min"),
		K21:             q("0.003 /min"),
		Ke0:             q("4.773 /min"),
		Validity:        Validity{MinAgeYears: 18},
	}
}

// Models returns the built-in models for racemic ketamine, in a stable
// order. Their sources are recorded in Parameters.Citation and .Notes:
//
//   - domino: 3 compartments, per kg. The citation is uncertain: opentiva
//     gives PMID 7198883 (Anesth Analg 1982), another simulator "Domino 1984"
//     (Clin Pharmacol Ther); that it is the STANPUMP set is unverified.
//   - clements250: 2 compartments, per kg, from 250 mcg/kg bolus data
//     (Br J Anaesth 1981;53:27).
//   - hijazi: 2 compartments, per kg, from adult intensive-care patients with
//     brain or spinal cord injury (Br J Anaesth 2003;90:155): not
//     representative of outpatients. Valid from 18 years.
//
// Every ke0 is opentiva's, derived from an assumed 1 min time to peak effect.
func Models() []*Model { return append([]*Model(nil), builtin[:]...) }

// Lookup returns the built-in model with the given ID, ignoring case:
// "domino", "clements250" or "hijazi". Any other name is an
// *UnknownModelError listing the IDs.
// The model is built once, when the package is initialized, and shared: a
// Model is immutable.
func Lookup(id string) (*Model, error) {
	id = strings.TrimSpace(id)
	for _, m := range builtin {
		if strings.EqualFold(m.p.ID, id) {
			return m, nil
		}
	}
	known := make([]string, len(builtin))
	for i, m := range builtin {
		known[i] = m.p.ID
	}
	return nil, &UnknownModelError{Name: id, Known: known}
}

// mustBuiltin validates a built-in set. A failure is a bug in the table
// above, which the tests cover, never a data problem.
func mustBuiltin(p Parameters) *Model {
	m, err := New(p)
	if err != nil {
		panic(err)
	}
	return m
}
