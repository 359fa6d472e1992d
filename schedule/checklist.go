package schedule

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// WriteChecklist writes the day of the session at series position index as
// a checklist a nurse can follow, one box per step in time order: the
// pre-checks with the protocol's vital-sign gates, the start with what to
// give and how (the dose, the draw and the bag, the pump settings, or the
// dose forms one by one), the protocol's timed checks, the end of
// administration, the end of observation and the earliest discharge, the
// driver, and the record of what was given. Every number is the plan's; the
// text adds none.
func (pl *SessionPlan) WriteChecklist(w io.Writer, index int) error {
	var s *Session
	for i := range pl.Sessions {
		if pl.Sessions[i].Index == index {
			s = &pl.Sessions[i]
		}
	}
	if s == nil {
		return &FieldError{Field: "session", Value: strconv.Itoa(index), Err: ErrRange,
			Msg: "is not a session of the plan (it has sessions 1 to " + strconv.Itoa(len(pl.Sessions)) + ")"}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "CHECKLIST: session %d (%s %d of %d), %s %s, %s\n", s.Index, s.Phase, s.Number, s.Of,
		s.Date.Weekday().String()[:3], s.Date, pl.Calendar.Zone)
	fmt.Fprintf(&b, "Protocol: %s (version %s)\n", pl.Protocol.Name, pl.Protocol.Version)
	if pl.Protocol.SHA256 != "" {
		fmt.Fprintf(&b, "Protocol SHA-256: %s\n", pl.Protocol.SHA256)
	}
	fmt.Fprintf(&b, "Patient: %s\n\n", patientText(pl.Patient))
	for _, it := range pl.checklist(*s) {
		at := "     "
		if !it.at.IsZero() {
			at = it.at.Format("15:04")
		}
		fmt.Fprintf(&b, "[ ] %s  %s\n", at, it.lines[0])
		for _, l := range it.lines[1:] {
			fmt.Fprintf(&b, "           %s\n", l)
		}
	}
	b.WriteString("\n" + dosing.Notice + "\n")
	_, err := w.Write(b.Bytes())
	return err
}

// checkItem is one box of a checklist: its time (zero for a step of no
// fixed time) and its lines.
type checkItem struct {
	at    time.Time
	rank  int // the order of steps at the same minute
	lines []string
}

// checklist lists the steps of session s's day in time order.
func (pl *SessionPlan) checklist(s Session) []checkItem {
	tl, d := s.Timeline, s.Dose
	var items []checkItem
	add := func(at time.Time, rank int, lines ...string) {
		items = append(items, checkItem{at: at, rank: rank, lines: lines})
	}
	p := pl.protocol
	if !tl.PreChecks.IsZero() {
		lines := []string{"Pre-checks, from " + minutesText(tl.Start.Sub(tl.PreChecks)) + " before the start"}
		if p != nil && p.Vitals != nil {
			lines[0] += ": vital signs against the protocol's gates"
			lines = append(lines, gateLines(*p.Vitals)...)
		}
		add(tl.PreChecks, 0, lines...)
	} else if p != nil && p.Vitals != nil {
		add(tl.Start, 0, append([]string{"Vital signs against the protocol's gates, before the start"}, gateLines(*p.Vitals)...)...)
	}
	start := []string{"Start: " + d.Dose.String()}
	if s.Proposed {
		start[0] += " (proposed: a clinician decides the level before the session)"
	}
	if pr := d.Preparation; pr != nil {
		line := "draw " + pr.Draw.String() + " of " + pr.Stock.String()
		switch {
		case pr.Container == "bag" && pr.Withdraw.IsValid() && pr.Withdraw.Sign() > 0:
			line += "; withdraw " + pr.Withdraw.String() + " from a " + pr.Diluent.String() + " bag, then add the drug: " + pr.FinalVolume.String()
		case pr.Container == "bag":
			line += "; add to a " + pr.Diluent.String() + " bag: " + pr.FinalVolume.String()
		case pr.Container == "syringe":
			line += "; make up to " + pr.FinalVolume.String() + " in the syringe"
		}
		start = append(start, line)
	}
	if in := d.Infusion; in != nil {
		if l := in.Loading; l != nil {
			start = append(start, "loading: "+l.Dose.String()+", "+l.Volume.String()+" at "+l.PumpRate.String()+" over "+l.Duration.String()+", then")
		}
		start = append(start, "pump "+in.PumpRate.String()+", VTBI "+in.VTBI.String()+", over "+in.Duration.String())
		if dr := in.Drip; dr != nil {
			start = append(start, "or by gravity: "+dr.Rate.String()+" with a "+dr.DropFactor.String()+" set")
		}
	}
	add(tl.Start, 1, start...)
	if f := d.Form; f != nil && len(tl.Administrations) > 0 {
		n := len(tl.Administrations)
		unit := strings.TrimPrefix(f.Strength.Unit().String(), "mg/")
		for i, at := range tl.Administrations {
			add(at, 2, fmt.Sprintf("%s %d of %d (%s)", unit, i+1, n, f.Strength))
		}
	}
	for _, c := range tl.Checks {
		add(c.At, 3, c.Name)
	}
	add(tl.EndOfAdministration, 4, "End of administration")
	obs := "End of observation: earliest discharge"
	if gap := tl.ObservationEnd.Sub(tl.EndOfAdministration); gap > 0 {
		obs = "End of observation (" + minutesText(gap) + " after the end of administration): earliest discharge"
	}
	add(tl.EarliestDischarge, 5, obs)
	if tl.DriverRequired {
		add(time.Time{}, 6, "Discharge with a driver: no driving until the next day")
	}
	given := "the dose"
	switch {
	case d.Infusion != nil:
		given += ", the pump rate and the duration"
	case d.Form != nil:
		given += " and the dose forms"
	}
	add(time.Time{}, 7, "Record what was given ("+given+"), the vitals and who recorded it")
	slices.SortStableFunc(items, func(a, b checkItem) int {
		switch {
		case a.at.IsZero() != b.at.IsZero():
			if a.at.IsZero() {
				return 1
			}
			return -1
		case !a.at.Equal(b.at):
			return a.at.Compare(b.at)
		}
		return a.rank - b.rank
	})
	return items
}

// gateLines are a protocol's gates in a nurse's words: "hold if systolic
// above 180 mmHg, heart rate above 110 /min".
func gateLines(g VitalGates) []string {
	var out []string
	names := Vitals{}.readings()
	for _, lv := range g.levels() {
		var parts []string
		for _, gt := range lv.t.gates() {
			if !gt.limit.IsValid() {
				continue
			}
			dir := "above"
			if !gt.above {
				dir = "below"
			}
			parts = append(parts, names[gt.vital].name+" "+dir+" "+gt.limit.String())
		}
		if len(parts) > 0 {
			out = append(out, lv.name+" if "+strings.Join(parts, ", "))
		}
	}
	return out
}

// minutesText writes a span of a session day: "30 min", "2 h", "1 h 30 min".
func minutesText(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return strconv.Itoa(m) + " min"
	case m%60 == 0:
		return strconv.Itoa(m/60) + " h"
	}
	return strconv.Itoa(m/60) + " h " + strconv.Itoa(m%60) + " min"
}

// sessionDayText says what the protocol's session day holds besides the
// administration, the same for every session: the pre-checks, the timed
// checks after the start, the observation and the driver.
func (p *Protocol) sessionDayText() string {
	s := p.Session
	var parts []string
	if s.PreChecks.IsValid() && s.PreChecks.Sign() > 0 {
		parts = append(parts, "pre-checks from "+s.PreChecks.String()+" before the start")
	}
	// Checks of one name are listed together: "blood pressure at 10, 20 min".
	var names []string
	at := map[string][]units.Quantity{}
	for _, c := range s.Checks {
		if _, ok := at[c.Name]; !ok {
			names = append(names, c.Name)
		}
		at[c.Name] = append(at[c.Name], c.At)
	}
	for _, n := range names {
		qs := at[n]
		times := make([]string, len(qs))
		for i, q := range qs {
			times[i] = q.String()
			if i < len(qs)-1 && q.Unit() == qs[len(qs)-1].Unit() {
				times[i] = q.Value().String()
			}
		}
		parts = append(parts, n+" at "+strings.Join(times, ", ")+" after the start")
	}
	if s.Observation.IsValid() {
		parts = append(parts, "observation "+s.Observation.String()+" after the end of administration")
	}
	if s.DriverRequired {
		parts = append(parts, "a driver is required")
	}
	return strings.Join(parts, "; ")
}
