package units

import (
	"errors"
	"strings"
	"unicode"
)

// Entry is a quantity as a person types it into a form or a command line,
// read by ParseEntry.
type Entry struct {
	// Text is the entry in canonical form, which ParseEntry reads back as
	// the same Entry: "5 ft 10 in", "250 mg in 500 mL", "1 % w/v", "1:1000",
	// or the quantity's Text.
	Text string
	// Quantity is what the entry stands for, in one unit: 70 in, 0.5 mg/mL.
	// A quotient that does not terminate ("1 g in 3 mL") is rounded at
	// Places; Parts keeps it exact.
	Quantity Quantity
	// Parts are what the entry was written as when that was not a single
	// quantity: the whole major unit and the minor rest, whose sum Quantity
	// is (5 ft and 10 in); or an amount and the volume it is in, whose
	// quotient Quantity is (250 mg and 500 mL; 1 g and 100 mL for "1 % w/v";
	// 1 g and 1000 mL for "1:1000"). Nil for a single quantity.
	Parts []Quantity
}

// compound is a pair of units written one after the other: 5 ft 10 in.
type compound struct {
	major, minor Unit
	per          int64  // minor units in one major unit
	majorName    string // "feet", for messages
	minorName    string
	example      string // "5ft10in"
}

func compounds() [3]compound {
	return [3]compound{
		{Foot, Inch, 12, "feet", "inches", "5ft10in"},
		{Pound, Ounce, 16, "pounds", "ounces", "15lb5oz"},
		{Hour, Minute, 60, "hours", "minutes", "4h30min"},
	}
}

// ParseEntry reads a quantity as a person writes it. It reads everything
// Parse reads, and also:
//
//	feet and inches     "5ft10in", "5 ft 10 in"   → 70 in
//	pounds and ounces   "15lb5oz", "7 lb 4 oz"    → 245 oz, 116 oz
//	hours and minutes   "4h30min", "1 h 5 min"    → 270 min, 65 min
//	amount in a volume  "250 mg in 500 mL"        → 0.5 mg/mL
//	percent strength    "1 % w/v"                 → 1 g in 100 mL = 10 mg/mL
//	ratio strength      "1:1000"                  → 1 g in 1000 mL = 1 mg/mL
//
// In a compound the major part is whole and the minor part below one major
// unit; each part follows Parse's grammar. Percent and ratio strength are
// weight in volume (grams per 100 mL; grams to mL), the pharmacy
// convention: "% w/w" and "% v/v" are refused, and a bare "1 %" stays a
// percentage, never a concentration.
//
// ParseEntry refuses a decimal number of feet or hours that reads two ways:
// "5.10 ft" as 5.1 ft or as 5 ft 10 in, "1.30 h" as 1.3 h or as 1 h 30 min.
// A fraction of feet is refused when its digits (as written, or without
// trailing zeros) are one digit, or two digits from 01 to 11: a number of
// inches. A fraction of hours is refused when those digits are two, from 01
// to 59: minutes as a clock writes them. Other fractions ("5.75 ft", "1.5 h",
// "0.75 h") have one reading and are read. Decimal pounds are read: they are
// what scales display. Parse itself reads all of these, since it must read
// back what Quantity.Text writes.
func ParseEntry(s string) (Entry, error) {
	if len(s) > MaxInputLen {
		return Entry{}, &ParseError{Func: "ParseEntry", Input: truncate(s, 20), Msg: "longer than " + itoa(MaxInputLen) + " bytes", Err: ErrRange}
	}
	r := entryReader{s: s}
	in := strings.TrimLeftFunc(s, unicode.IsSpace)
	off := len(s) - len(in)
	in = strings.TrimRightFunc(in, unicode.IsSpace)
	switch {
	case strings.Contains(in, ":"):
		return r.ratio(in, off)
	case strings.Contains(in, "%") && strings.ContainsAny(in, "wv/"):
		return r.percent(in, off)
	case strings.Contains(in, " in ") && !strings.HasSuffix(in, " in"):
		if e, err, ok := r.inVolume(in, off); ok {
			return e, err
		}
	case strings.ContainsAny(in, `'"′″`):
		return r.fail(off, in, `feet and inches are written "5ft10in", pounds and ounces "15lb5oz" (or give one unit: "70 in", "178 cm")`, "", ErrSyntax)
	}
	if e, err, ok := r.compound(in, off); ok {
		return e, err
	}
	q, err := parse(s, "ParseEntry", false, true)
	if err != nil {
		// A hint is offered only if ParseEntry reads it: ".5 ft" → "0.5 ft"
		// is itself ambiguous.
		if pe, ok := err.(*ParseError); ok && pe.Fix != "" {
			if fixed, ferr := parse(pe.Fix, "ParseEntry", false, false); ferr != nil || (entryReader{s: pe.Fix}).twoReadings(fixed, pe.Fix, 0) != nil {
				pe.Fix = ""
			}
		}
		return Entry{}, err
	}
	if err := r.twoReadings(q, in, off); err != nil {
		return Entry{}, err
	}
	return Entry{Text: q.Text(), Quantity: q}, nil
}

// entryReader reads one entry s and builds its errors.
type entryReader struct{ s string }

func (r entryReader) fail(at int, elem, msg, fix string, err error) (Entry, error) {
	return Entry{}, &ParseError{Func: "ParseEntry", Input: r.s, Offset: at, Elem: elem, Msg: msg, Fix: fix, Err: err}
}

// part parses the part text of the entry, which starts at byte off of it;
// an error names the part ("in the feet: …") and points into the whole
// entry. With hint, the error says what to write in the part.
func (r entryReader) part(text string, off int, name string, hint bool) (Quantity, error) {
	lead := len(text) - len(strings.TrimLeftFunc(text, unicode.IsSpace))
	q, err := parse(text, "ParseEntry", false, true)
	var pe *ParseError
	if errors.As(err, &pe) {
		at := off + pe.Offset
		if pe.Input != text { // an over-long part: point at its start
			at = off + lead
		}
		_, err = r.fail(at, pe.Elem, "in the "+name+": "+pe.Msg, "", pe.Err)
		if hint && pe.Fix != "" {
			err.(*ParseError).Msg += "; write " + quote(pe.Fix)
		}
	}
	return q, err
}

// compound reads "5ft10in", "7 lb 4 oz", "4h30min". ok is false when in is
// not written that way (no major unit of a compound followed by more text),
// so that Parse's grammar applies.
func (r entryReader) compound(in string, off int) (Entry, error, bool) {
	i := strings.IndexFunc(in, unicode.IsLetter)
	if i < 0 {
		return Entry{}, nil, false
	}
	j := i + strings.IndexFunc(in[i:], func(c rune) bool { return unicode.IsSpace(c) || '0' <= c && c <= '9' || c == '.' })
	if j < i {
		return Entry{}, nil, false
	}
	major, err := parse(in[:j], "ParseEntry", false, false)
	if err != nil {
		return Entry{}, nil, false
	}
	var c compound
	for _, k := range compounds() {
		if k.major == major.v.u {
			c = k
		}
	}
	if c.major == invalidUnit {
		return Entry{}, nil, false
	}
	restText := strings.TrimLeftFunc(in[j:], unicode.IsSpace)
	restOff := off + len(in) - len(restText)
	if isNumber(restText) {
		return withOK(r.fail(restOff, restText, c.minorName+" need their unit: write "+quote(strings.TrimSpace(in[:i])+major.v.u.String()+restText+c.minor.String()), "", ErrSyntax))
	}
	minor, err := r.part(restText, restOff, c.minorName, true)
	if err != nil {
		return Entry{}, err, true
	}
	lim := NewInt(c.per, c.minor)
	switch {
	case minor.v.u != c.minor:
		return withOK(r.fail(restOff, restText, "after the "+c.majorName+" come "+c.minorName+" (write e.g. "+quote(c.example)+")", "", ErrSyntax))
	case !major.v.decimal().IsInteger():
		return withOK(r.fail(off, in[:j], "write whole "+c.majorName+" before the "+c.minorName+" ("+quote(c.example)+")", "", ErrSyntax))
	case minor.v.cmp(lim.v) >= 0:
		return withOK(r.fail(restOff, restText, "the "+c.minorName+" after the "+c.majorName+" must be below "+itoa(int(c.per)), "", ErrRange))
	}
	inMinor, _ := major.Convert(c.minor)
	sum, _ := inMinor.Add(minor)
	// 5ft10in is 70 in: the sum has more digits than the parts, so refuse
	// an entry whose sum could not be written back as a value.
	if _, err := parse(sum.Text(), "ParseEntry", false, false); err != nil {
		msg := err.Error()
		var pe *ParseError
		if errors.As(err, &pe) {
			msg = pe.Msg
		}
		return withOK(r.fail(off, in, "in "+c.minorName+": "+msg, "", ErrRange))
	}
	return Entry{Text: major.Text() + " " + minor.Text(), Quantity: sum, Parts: []Quantity{major, minor}}, nil, true
}

func withOK(e Entry, err error) (Entry, error, bool) { return e, err, true }

// inVolume reads "250 mg in 500 mL". ok is false when in is not written
// that way (the text before " in " is not a quantity), so that the other
// forms apply.
func (r entryReader) inVolume(in string, off int) (Entry, error, bool) {
	k := strings.Index(in, " in ")
	amountText, volText := in[:k], in[k+4:]
	if _, err := parse(amountText, "ParseEntry", false, false); err != nil {
		return Entry{}, nil, false
	}
	amount, err := r.part(amountText, off, "amount", true)
	if err != nil {
		return Entry{}, err, true
	}
	vol, err := r.part(volText, off+k+4, "volume", true)
	if err != nil {
		return Entry{}, err, true
	}
	switch {
	case amount.Dimension() != Milligram.Dimension() && amount.Dimension() != ActivityUnit.Dimension():
		return withOK(r.fail(off, amountText, "the amount in a volume is a drug mass or units (\"250 mg in 500 mL\")", "", ErrDimension))
	case vol.Dimension() != Milliliter.Dimension():
		return withOK(r.fail(off+k+4, volText, "the amount is in a volume, in mL or L (\"250 mg in 500 mL\")", "", ErrDimension))
	case vol.Sign() == 0:
		return withOK(r.fail(off+k+4, volText, "the volume must be greater than 0 mL", "", ErrRange))
	}
	e, err := r.quotient(amount, vol, amount.Text()+" in "+vol.Text(), off, in)
	return e, err, true
}

// quotient is the entry amount in vol, written text.
func (r entryReader) quotient(amount, vol Quantity, text string, off int, in string) (Entry, error) {
	c, err := amount.Div(vol)
	if err != nil {
		return r.fail(off, in, err.Error(), "", ErrRange)
	}
	return Entry{Text: text, Quantity: c, Parts: []Quantity{amount, vol}}, nil
}

// percent reads "1 % w/v": 1 g in 100 mL.
func (r entryReader) percent(in string, off int) (Entry, error) {
	p := strings.Index(in, "%")
	kind := strings.TrimSpace(in[p+1:])
	switch kind {
	case "w/v":
	case "w/w", "v/v", "v/w":
		return r.fail(off+p+1+strings.Index(in[p+1:], kind), kind, "a "+kind+" percent strength is not an amount in a volume; give the concentration in mg/mL, or w/v strength (grams in 100 mL: \"1 % w/v\")", "", ErrUnknownUnit)
	default:
		return r.fail(off+p, in[p:], "unknown percent strength "+quote(in[p:])+" (a concentration is written \"1 % w/v\": grams in 100 mL)", "", ErrUnknownUnit)
	}
	pct, err := r.part(in[:p+1], off, "percent strength", false)
	if err != nil {
		return Entry{}, err
	}
	grams := mk(pct.v, Gram)
	return r.quotient(grams, NewInt(100, Milliliter), formatNumber(pct.v, false)+" % w/v", off, in)
}

// ratio reads "1:1000" (or "1:1000 w/v"): 1 g in 1000 mL.
func (r entryReader) ratio(in string, off int) (Entry, error) {
	text := in
	if t, ok := strings.CutSuffix(in, "w/v"); ok {
		text = strings.TrimRightFunc(t, unicode.IsSpace)
	} else if i := strings.IndexAny(in, "wv"); i >= 0 {
		return r.fail(off+i, in[i:], "a ratio strength is weight in volume (grams to mL: \"1:1000\"); "+quote(in[i:])+" is not read", "", ErrUnknownUnit)
	}
	c := strings.Index(text, ":")
	left, right := text[:c], text[c+1:]
	if strings.Contains(right, ":") {
		return r.fail(off+c+1+strings.Index(right, ":"), ":", "a ratio strength has one colon (\"1:1000\")", "", ErrSyntax)
	}
	fix := ""
	if strings.Contains(text, ",") && (!strings.Contains(left, ",") || grouped(strings.TrimSpace(left))) &&
		(!strings.Contains(right, ",") || grouped(strings.TrimSpace(right))) {
		fix = strings.ReplaceAll(strings.ReplaceAll(text, ",", ""), " ", "")
	}
	var parts [2]Quantity
	for i, side := range [2]struct {
		text string
		at   int
		unit string
	}{{left, off, " g"}, {right, off + c + 1, " mL"}} {
		num := strings.TrimSpace(side.text)
		at := side.at + strings.Index(side.text, num)
		if num == "" || strings.IndexFunc(num, func(c rune) bool { return !isDigit(byte(c)) && c != '.' && c != ',' }) >= 0 {
			return r.fail(at, num, "a ratio strength is two numbers (\"1:1000\")", "", ErrSyntax)
		}
		if strings.Contains(num, ",") {
			return r.fail(at+strings.Index(num, ","), ",", "comma in a ratio strength (thousands separators are not read)", fix, ErrSyntax)
		}
		q, err := r.part(num+side.unit, at, "ratio strength", false)
		if err != nil {
			return Entry{}, err
		}
		if i == 1 && q.Sign() == 0 {
			return r.fail(at, num, "the volume of a ratio strength must be greater than 0", "", ErrRange)
		}
		parts[i] = q
	}
	return r.quotient(parts[0], parts[1], formatNumber(parts[0].v, false)+":"+formatNumber(parts[1].v, false), off, in)
}

// grouped reports whether num is digits in groups of three after the first
// ("10,000", "200,000"): a thousands separator, never a decimal comma in a
// ratio strength.
func grouped(num string) bool {
	groups := strings.Split(num, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 || !allDigits(groups[0]) || groups[0][0] == '0' {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

// isNumber reports whether s is digits with at most a decimal point in them.
func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}

// twoReadings refuses a decimal number of feet or hours whose fraction also
// reads as inches or minutes (see ParseEntry).
func (r entryReader) twoReadings(q Quantity, in string, off int) error {
	var c compound
	var widths []int
	switch q.v.u {
	case Foot:
		c, widths = compounds()[0], []int{1, 2}
	case Hour:
		c, widths = compounds()[2], []int{2}
	default:
		return nil
	}
	written := ""
	if e := q.v.exp; e < 0 {
		written = q.v.decimal().StringFixed(-e)
		written = written[strings.IndexByte(written, '.')+1:]
	}
	trimmed := strings.TrimRight(written, "0")
	minorReading := func(d string) (int64, bool) {
		for _, w := range widths {
			if len(d) == w {
				n := int64(0)
				for i := 0; i < len(d); i++ {
					n = n*10 + int64(d[i]-'0')
				}
				return n, n >= 1 && n < c.per
			}
		}
		return 0, false
	}
	n, ok := minorReading(written)
	if !ok {
		if n, ok = minorReading(trimmed); !ok {
			return nil
		}
	}
	whole := mk(decOf(q.v.decimal().Truncate(0)), c.major)
	asMinor := mk(decAdd(decProduct(whole.v, decInt(c.per)), decInt(n)), c.minor)
	decimalMinor, _ := q.Convert(c.minor) // × 12 or × 60: exact
	reading := whole.Text() + " " + itoa(int(n)) + " " + c.minor.String() + " (" + asMinor.String() + ")"
	write := quote(formatNumber(whole.v, false)+c.major.String()+itoa(int(n))+c.minor.String()) + ", or " + c.minorName + " ("
	if whole.Sign() == 0 { // 0.25 h: 15 min or 25 min
		reading, write = asMinor.String(), c.minorName+" ("
	}
	written = in[:strings.IndexFunc(in, func(c rune) bool { return c != '.' && (c < '0' || c > '9') })]
	_, err := r.fail(off, written, "ambiguous decimal "+c.majorName+": "+formatNumber(q.v, false)+" "+c.major.String()+
		" ("+decimalMinor.String()+") or "+reading+"? write "+write+quote(asMinor.Text())+" or "+quote(decimalMinor.Text())+")", "", ErrSyntax)
	return err
}
