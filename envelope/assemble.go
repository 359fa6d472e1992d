package envelope

import (
	"cmp"
	"slices"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// keyInfo is a condition of the envelope.
type keyInfo struct {
	key      string
	severity Severity
	status   Status
}

// setInfo is a distinct set of conditions some patients share.
type setInfo struct {
	keys     []int // ids into Envelope.keys, ascending
	severity Severity
	status   Status
}

// keyStats gathers a condition's bounds and first message over a level.
type keyStats struct {
	seen       bool
	bmin, bmax units.Quantity
	text       string
	example    string
}

// assemble merges the rows, in grid order, into the envelope: the
// outcome does not depend on which goroutine computed which row.
func (ev *evaluator) assemble(rows []rowOut) *Envelope {
	r := ev.rule
	env := &Envelope{Notice: dosing.Notice, Provenance: dosing.Provenance{Name: r.Name, Version: r.Version, Source: r.Source},
		Drug: r.Drug, Route: r.Route, Grid: ev.grid, output: ev.outputs}
	ns, na, nh, nw := ev.dims()
	perLevel := ns * na * nh * nw
	rowsPerLevel := ns * na * nh
	env.Patients = perLevel * len(ev.levels)
	keyID := map[string]int{}
	setID := map[string]uint32{}
	var buf []byte
	for li, lv := range ev.levels {
		L := Level{Number: lv.number, Dose: lv.dose, Patients: perLevel, cells: make([]uint32, perLevel)}
		type levelExtremes struct {
			n        int
			min, max levelExtreme
		}
		ext := make([]levelExtremes, len(ev.outputs))
		var stats []keyStats
		for k, keep := range ev.keep {
			if keep {
				if L.kept == nil {
					L.kept = map[string][]float64{}
				}
				L.kept[ev.outputs[k].id] = make([]float64, 0, perLevel)
			}
		}
		for rr := range rowsPerLevel {
			row := &rows[li*rowsPerLevel+rr]
			gk := make([]int, len(row.keys))
			for i, c := range row.keys {
				id, ok := keyID[c.key]
				if !ok {
					id = len(env.keys)
					keyID[c.key] = id
					env.keys = append(env.keys, keyInfo{key: c.key, severity: c.severity, status: statusOf(c.key, c.severity)})
				}
				gk[i] = id
				for len(stats) <= id {
					stats = append(stats, keyStats{})
				}
				st := &stats[id]
				if !st.seen {
					st.seen, st.text, st.example = true, c.text, c.message
				}
				if b := row.bmin[i]; b.IsValid() && (!st.bmin.IsValid() || below(b, st.bmin)) {
					st.bmin = b
				}
				if b := row.bmax[i]; b.IsValid() && (!st.bmax.IsValid() || above(b, st.bmax)) {
					st.bmax = b
				}
			}
			gs := make([]uint32, len(row.sets))
			for i, set := range row.sets {
				ids := make([]int, len(set))
				for j, l := range set {
					ids[j] = gk[l]
				}
				slices.Sort(ids)
				buf = buf[:0]
				for _, id := range ids {
					buf = append(buf, byte(id>>24), byte(id>>16), byte(id>>8), byte(id))
				}
				s, ok := setID[string(buf)]
				if !ok {
					s = uint32(len(env.sets))
					setID[string(buf)] = s
					env.sets = append(env.sets, env.newSet(ids))
				}
				gs[i] = s
			}
			for w, s := range row.cell {
				L.cells[rr*nw+w] = gs[s]
			}
			for k := range ext {
				ext[k].n += row.ext[k].n
				ext[k].min.merge(row.ext[k].min, rr, -1)
				ext[k].max.merge(row.ext[k].max, rr, 1)
			}
			for k, v := range row.kept {
				if v != nil {
					id := ev.outputs[k].id
					L.kept[id] = append(L.kept[id], v...)
				}
			}
		}
		for k, o := range ev.outputs {
			e := ext[k]
			if e.n == 0 {
				continue
			}
			L.Ranges = append(L.Ranges, Range{Output: o.id, Name: o.name, Patients: e.n,
				Min: env.extreme(e.min, nw), Max: env.extreme(e.max, nw)})
		}
		env.regions(&L, stats)
		env.Levels = append(env.Levels, L)
	}
	return env
}

func (env *Envelope) newSet(ids []int) setInfo {
	s := setInfo{keys: ids, severity: Within}
	for _, id := range ids {
		k := env.keys[id]
		switch {
		case k.severity == Refused:
			s.severity = Refused
		case k.severity == Review && s.severity != Refused:
			s.severity = Review
		}
		s.status = max(s.status, k.status)
	}
	return s
}

// extreme describes where in the level an extreme value is.
func (env *Envelope) extreme(e levelExtreme, nw int) Extreme {
	in := make([]bool, len(env.Grid.Sexes)*len(env.Grid.Ages)*len(env.Grid.heights)*nw)
	n := 0
	for i, rr := range e.rows {
		for w := range nw {
			if e.at[i][w/64]&(1<<(w%64)) != 0 {
				in[rr*nw+w] = true
				n++
			}
		}
	}
	return Extreme{Value: e.value, Patients: n, Where: env.parts(func(c int) bool { return in[c] })}
}

// regions counts the level's outcomes and describes the region of each
// condition that occurs, and of the patients within the limits.
func (env *Envelope) regions(L *Level, stats []keyStats) {
	setCount := make([]int, len(env.sets))
	for _, s := range L.cells {
		setCount[s]++
	}
	keyCount := make([]int, len(env.keys))
	for s, n := range setCount {
		if n == 0 {
			continue
		}
		switch env.sets[s].severity {
		case Refused:
			L.Refused += n
		case Review:
			L.Review += n
		default:
			L.Within += n
		}
		for _, k := range env.sets[s].keys {
			keyCount[k] += n
		}
	}
	member := make([]bool, len(env.sets))
	if L.Within > 0 {
		for s, set := range env.sets {
			member[s] = set.severity == Within
		}
		L.Regions = append(L.Regions, Region{Key: keyWithin, Severity: Within, What: what(keyWithin, Within, ""),
			Patients: L.Within, Parts: env.parts(func(c int) bool { return member[L.cells[c]] })})
	}
	var found []int
	for k, n := range keyCount {
		if n > 0 {
			found = append(found, k)
		}
	}
	slices.SortFunc(found, func(a, b int) int {
		ka, kb := env.keys[a], env.keys[b]
		return cmp.Or(cmp.Compare(kb.status, ka.status), cmp.Compare(rank(ka.severity), rank(kb.severity)), cmp.Compare(ka.key, kb.key))
	})
	for _, k := range found {
		for s, set := range env.sets {
			member[s] = slices.Contains(set.keys, k)
		}
		ki, st := env.keys[k], stats[k]
		reg := Region{Key: ki.key, Severity: ki.severity, Patients: keyCount[k], BoundMin: st.bmin, BoundMax: st.bmax, Bound: st.text,
			Example: st.example, Parts: env.parts(func(c int) bool { return member[L.cells[c]] })}
		reg.What = what(ki.key, ki.severity, boundText(reg))
		if strings.HasPrefix(ki.key, prefixRefused+"input.") {
			reg.Bound = "" // the text was the message, the same for every patient
		}
		L.Regions = append(L.Regions, reg)
	}
}

func rank(s Severity) int {
	switch s {
	case Refused:
		return 0
	case Review:
		return 1
	case Info:
		return 2
	}
	return 3
}

// boundText is the region's bound for its description: "100 mg", or
// "60 mg to 100 mg" where it differs between patients.
func boundText(r Region) string {
	switch {
	case r.Bound != "":
		return r.Bound
	case !r.BoundMin.IsValid():
		return ""
	case r.BoundMin.Equal(r.BoundMax):
		return show(r.BoundMin)
	}
	return show(r.BoundMin) + " to " + show(r.BoundMax)
}

// parts describes the patients of a level for which in (of the patient's
// index within the level) is true, slice by slice, slices with the same
// plane together.
func (env *Envelope) parts(in func(cell int) bool) []Part {
	g := env.Grid
	nh, nw := len(g.heights), len(g.weights)
	var parts []Part
	var masks []mask
	for s, sex := range g.Sexes {
		for a, age := range g.Ages {
			m := newMask(nh, nw)
			off := (s*len(g.Ages) + a) * nh * nw
			for h := range nh {
				for w := range nw {
					if in(off + h*nw + w) {
						m.set(h, w)
					}
				}
			}
			n := m.count()
			if n == 0 {
				continue
			}
			sl := Slice{Sex: sex, Age: age}
			if i := slices.IndexFunc(masks, m.equal); i >= 0 {
				parts[i].Slices = append(parts[i].Slices, sl)
				parts[i].Patients += n
				continue
			}
			pt := Part{Slices: []Slice{sl}, Patients: n, Every: m.full()}
			if !pt.Every {
				pt.By, pt.Bands = describePlane(m, g.heights, g.weights)
			}
			parts = append(parts, pt)
			masks = append(masks, m)
		}
	}
	return parts
}
