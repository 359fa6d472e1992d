package envelope

import "math/bits"

// mask is a set of cells of one weight × height slice of the grid, row by
// row: bit r*cols+c is the cell of row r and column c.
type mask struct {
	rows, cols int
	bits       []uint64
}

func newMask(rows, cols int) mask {
	return mask{rows: rows, cols: cols, bits: make([]uint64, (rows*cols+63)/64)}
}

func (m mask) set(r, c int) {
	i := r*m.cols + c
	m.bits[i/64] |= 1 << (i % 64)
}

func (m mask) has(r, c int) bool {
	i := r*m.cols + c
	return m.bits[i/64]&(1<<(i%64)) != 0
}

func (m mask) count() int {
	n := 0
	for _, w := range m.bits {
		n += bits.OnesCount64(w)
	}
	return n
}

func (m mask) full() bool { return m.count() == m.rows*m.cols }

func (m mask) equal(o mask) bool {
	if m.rows != o.rows || m.cols != o.cols {
		return false
	}
	for i, w := range m.bits {
		if o.bits[i] != w {
			return false
		}
	}
	return true
}

// transpose returns the same set with rows and columns swapped.
func (m mask) transpose() mask {
	t := newMask(m.cols, m.rows)
	for r := 0; r < m.rows; r++ {
		for c := 0; c < m.cols; c++ {
			if m.has(r, c) {
				t.set(c, r)
			}
		}
	}
	return t
}

// runs returns the maximal runs of set cells in row r, as column index
// pairs [lo, hi], both included. It skips and measures runs a word at a
// time: the envelope describes dozens of sets of every slice.
func (m mask) runs(r int) [][2]int {
	var out [][2]int
	base := r * m.cols
	for c := 0; c < m.cols; {
		i := base + c
		w := m.bits[i/64] >> (i % 64)
		if w == 0 { // no set cell in the rest of this word
			c += 64 - i%64
			continue
		}
		c += bits.TrailingZeros64(w)
		if c >= m.cols {
			break
		}
		lo := c
		for c < m.cols { // count the set cells, word by word
			i = base + c
			avail := 64 - i%64
			n := min(bits.TrailingZeros64(^(m.bits[i/64] >> (i % 64))), avail)
			c += n
			if n < avail {
				break
			}
		}
		out = append(out, [2]int{lo, min(c, m.cols) - 1})
	}
	return out
}
