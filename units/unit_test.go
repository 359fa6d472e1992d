package units

import "testing"

// White-box invariants of the unit tables: what a new row must respect. The
// black-box tests check each unit's behaviour; these check the rules that
// make the table's lookups unambiguous.

func TestTableOnePreferredUnitPerDimension(t *testing.T) {
	pref := map[Dimension]Unit{}
	for u := Unit(1); u < numUnits; u++ {
		if !table[u].pref {
			continue
		}
		if prev, dup := pref[tab.dim[u]]; dup {
			t.Errorf("%v and %v are both preferred for %v: Mul and Div would pick one silently", prev, u, tab.dim[u])
		}
		pref[tab.dim[u]] = u
	}
	for u := Unit(1); u < numUnits; u++ {
		if got := tab.byDim[tab.dim[u]]; tab.dim[got] != tab.dim[u] {
			t.Errorf("byDim[%v] = %v", tab.dim[u], got)
		}
	}
}

func TestTableFactorsArePositive(t *testing.T) {
	for a := atom(0); a < numAtoms; a++ {
		if f := tableDecimal(atoms[a].factor); f.Sign() <= 0 {
			t.Errorf("atom %q: factor %v is not positive", atoms[a].sym, f)
		}
	}
	for u := Unit(1); u < numUnits; u++ {
		if tab.num[u].Sign() <= 0 || tab.den[u].Sign() <= 0 {
			t.Errorf("%v: factor %v / %v is not positive", u, tab.num[u], tab.den[u])
		}
	}
}

func TestTableRefusedSpellingsAreNotUnits(t *testing.T) {
	for bad, fix := range refusedAtoms {
		if _, ok := tab.spell[bad]; ok {
			t.Errorf("refused spelling %q is also an accepted spelling", bad)
		}
		if _, ok := tab.spell[fix]; !ok {
			t.Errorf("refused spelling %q: its replacement %q is not a spelling", bad, fix)
		}
	}
}

func TestTableAliasesDoNotShadowCompositions(t *testing.T) {
	for u := Unit(1); u < numUnits; u++ {
		for _, a := range table[u].alias {
			if got := tab.alias[a]; got != u {
				t.Errorf("alias %q of %v resolves to %v", a, u, got)
			}
			if terms, ok := tab.compose(a, tab.spell); ok {
				if other, ok := tab.byTerms[terms]; ok && other != u {
					t.Errorf("alias %q of %v shadows the composition %v", a, u, other)
				}
			}
		}
	}
}

// TestDimensionAddCoversEveryField: add is written field by field; it
// must agree with the exponent list for every field (a field added to
// Dimension and missed in add would fail here).
func TestDimensionAddCoversEveryField(t *testing.T) {
	for i := range dimNames {
		var e [len(dimNames)]int8
		e[i] = 1
		d := dimFromExps(e)
		if got := d.add(d, 1).exps(); got[i] != 2 {
			t.Errorf("add drops %s", dimNames[i])
		}
		if got := d.add(d, -1); got != (Dimension{}) {
			t.Errorf("add of %s: %v", dimNames[i], got)
		}
	}
}
