package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// The types below mirror SCHEMA.md: each JSON document of the command must
// decode into them with unknown fields refused, so that a field added,
// renamed or removed anywhere (here or in the library types the documents
// embed) fails this test until SCHEMA.md and these mirrors say so.

// qty is a quantity in JSON: a string with a value and a unit, in the
// canonical form package units reads back ("40 mg", "-0.5 %").
type qty string

func (q *qty) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("quantity: %w", err)
	}
	var u units.Quantity
	if err := u.UnmarshalText([]byte(s)); err != nil || !u.IsValid() {
		return fmt.Errorf("quantity %q is not a value with a unit: %v", s, err)
	}
	if u.Text() != strings.TrimPrefix(s, "+") {
		return fmt.Errorf("quantity %q is not in canonical form (%q)", s, u.Text())
	}
	*q = qty(s)
	return nil
}

// civilDate is a YYYY-MM-DD date.
type civilDate string

func (d *civilDate) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if _, err := schedule.ParseDate(s); err != nil {
		return err
	}
	*d = civilDate(s)
	return nil
}

type mProvenance struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Source  string `json:"source"`
	SHA256  string `json:"sha256"`
}

type mPatient struct {
	Weight    qty       `json:"weight"`
	Height    qty       `json:"height"`
	Sex       string    `json:"sex"`
	BirthDate time.Time `json:"birth_date"`
	AsOf      time.Time `json:"as_of"`
	Age       string    `json:"age"`
}

type mAck struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
	By     string `json:"by"`
}

type mWarning struct {
	Key      string `json:"key"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Value    qty    `json:"value"`
	Bound    qty    `json:"bound"`
	Ack      *mAck  `json:"ack"`
}

type mTerm struct {
	Name   string `json:"name"`
	Value  qty    `json:"value"`
	Text   string `json:"text"`
	Source string `json:"source"`
}

type mStep struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Formula      string   `json:"formula"`
	Citation     string   `json:"citation"`
	Inputs       []mTerm  `json:"inputs"`
	Exact        qty      `json:"exact"`
	Value        qty      `json:"value"`
	Deviation    qty      `json:"deviation"`
	DeviationPct qty      `json:"deviation_pct"`
	Flags        []string `json:"flags"`
	Note         string   `json:"note"`
}

type mResult struct {
	Notice     string      `json:"notice"`
	Provenance mProvenance `json:"provenance"`
	Drug       string      `json:"drug"`
	Route      string      `json:"route"`
	Patient    mPatient    `json:"patient"`
	BodySize   struct {
		BMI         qty    `json:"bmi"`
		BSA         qty    `json:"bsa"`
		BSAFormula  string `json:"bsa_formula"`
		IBW         qty    `json:"ibw"`
		IBWFormula  string `json:"ibw_formula"`
		AdjustedBW  qty    `json:"adjusted_bw"`
		LeanBW      qty    `json:"lean_bw"`
		HeightShort bool   `json:"height_below_60_in"`
	} `json:"body_size"`
	Weight struct {
		Basis   string   `json:"basis"`
		Value   qty      `json:"value"`
		Reason  string   `json:"reason"`
		Policy  string   `json:"policy"`
		Actual  qty      `json:"actual"`
		UsedFor []string `json:"used_for"`
	} `json:"dosing_weight"`
	RequestedDose qty `json:"requested_dose"`
	Dose          qty `json:"dose"`
	DosePerKg     qty `json:"dose_per_kg"`
	DosePerKgAct  qty `json:"dose_per_kg_actual"`
	DosePerM2     qty `json:"dose_per_m2"`
	DosesPerDay   qty `json:"doses_per_day"`
	DosePerDay    qty `json:"dose_per_day"`
	DosePerKgDay  qty `json:"dose_per_kg_per_day"`
	Form          *struct {
		Count    qty   `json:"count"`
		Strength qty   `json:"strength"`
		Offsets  []qty `json:"offsets"`
	} `json:"form"`
	Preparation *struct {
		Stock       qty    `json:"stock"`
		DrawExact   qty    `json:"draw_exact"`
		Draw        qty    `json:"draw"`
		Container   string `json:"container"`
		Method      string `json:"method"`
		Diluent     qty    `json:"diluent"`
		Withdraw    qty    `json:"withdraw"`
		FinalVolume qty    `json:"final_volume"`
		FinalConc   qty    `json:"final_concentration"`
	} `json:"preparation"`
	Infusion *struct {
		Duration         qty `json:"duration"`
		PumpRateExact    qty `json:"pump_rate_exact"`
		PumpRate         qty `json:"pump_rate"`
		RunTime          qty `json:"run_time"`
		VTBI             qty `json:"vtbi"`
		IntendedDoseRate qty `json:"intended_dose_rate"`
		DoseRate         qty `json:"dose_rate"`
		DoseRatePerKgH   qty `json:"dose_rate_mg_kg_h"`
		DoseRatePerKgMin qty `json:"dose_rate_mcg_kg_min"`
		DoseRateDevPct   qty `json:"dose_rate_deviation_pct"`
		Loading          *struct {
			Dose     qty `json:"dose"`
			Volume   qty `json:"volume"`
			Duration qty `json:"duration"`
			PumpRate qty `json:"pump_rate"`
		} `json:"loading"`
		Drip *struct {
			DropFactor qty `json:"drop_factor"`
			Exact      qty `json:"exact"`
			Rate       qty `json:"rate"`
		} `json:"drip"`
	} `json:"infusion"`
	Rounded []struct {
		Field        string   `json:"field"`
		Requested    qty      `json:"requested"`
		Gives        qty      `json:"gives"`
		Deviation    qty      `json:"deviation"`
		DeviationPct qty      `json:"deviation_pct"`
		By           []string `json:"by"`
		Tolerance    qty      `json:"tolerance"`
		Beyond       bool     `json:"beyond_tolerance"`
	} `json:"rounded"`
	Warnings []mWarning `json:"warnings"`
	Steps    []mStep    `json:"steps"`
}

type mFinding struct {
	Severity string `json:"severity"`
	Field    string `json:"field"`
	Message  string `json:"message"`
}

type mDoseDoc struct {
	Schema         string     `json:"schema"`
	Notice         string     `json:"notice"`
	TitrationLevel int        `json:"titration_level"`
	Notes          []string   `json:"notes"`
	Findings       []mFinding `json:"protocol_findings"`
	NeedsReview    bool       `json:"needs_review"`
	UnmatchedAcks  []string   `json:"unmatched_acks"`
	Result         mResult    `json:"result"`
}

type mBodyValue struct {
	Formula     string   `json:"formula"`
	Expression  string   `json:"expression"`
	Citation    string   `json:"citation"`
	Limitation  string   `json:"limitation"`
	Value       qty      `json:"value"`
	Flags       []string `json:"flags"`
	Factor      string   `json:"factor"`
	IBWFormula  string   `json:"ibw_formula"`
	Unavailable string   `json:"unavailable"`
}

type mBodyDoc struct {
	Schema        string       `json:"schema"`
	Notice        string       `json:"notice"`
	Patient       mPatient     `json:"patient"`
	Age           string       `json:"age"`
	HeightInches  qty          `json:"height_in"`
	BMI           mBodyValue   `json:"bmi"`
	BSA           []mBodyValue `json:"bsa"`
	IBW           []mBodyValue `json:"ibw"`
	AdjustedBW    []mBodyValue `json:"adjusted_bw"`
	LeanBW        []mBodyValue `json:"lean_bw"`
	Warnings      []mWarning   `json:"warnings"`
	NeedsReview   bool         `json:"needs_review"`
	UnmatchedAcks []string     `json:"unmatched_acks"`
}

type mCause struct {
	Kind     string `json:"kind"`
	Ratio    qty    `json:"ratio"`
	Factor   string `json:"factor"`
	Evidence string `json:"evidence"`
}

type mLimitCrossing struct {
	Limit string `json:"limit"`
	Kind  string `json:"kind"`
	Bound qty    `json:"bound"`
	Value qty    `json:"value"`
}

type mOrder struct {
	Dose          qty `json:"dose"`
	DosePerKg     qty `json:"dose_per_kg"`
	DosePerDay    qty `json:"dose_per_day"`
	DosePerKgDay  qty `json:"dose_per_kg_per_day"`
	DosePerKgAct  qty `json:"dose_per_kg_actual"`
	DosePerM2     qty `json:"dose_per_m2"`
	Weight        qty `json:"weight"`
	Stock         qty `json:"stock"`
	DrawVolume    qty `json:"draw_volume"`
	FinalVolume   qty `json:"final_volume"`
	FinalConc     qty `json:"final_concentration"`
	PumpRate      qty `json:"pump_rate"`
	Duration      qty `json:"duration"`
	DoseRate      qty `json:"dose_rate"`
	DoseRatePerKg qty `json:"dose_rate_per_kg"`
	DripRate      qty `json:"drip_rate"`
	DropFactor    qty `json:"drop_factor"`
	Count         qty `json:"count"`
}

type mCheck struct {
	Notice      string      `json:"notice"`
	Provenance  mProvenance `json:"provenance"`
	Drug        string      `json:"drug"`
	Route       string      `json:"route"`
	Patient     mPatient    `json:"patient"`
	Order       mOrder      `json:"order"`
	Agreement   string      `json:"agreement"`
	Consistency string      `json:"consistency"`
	Limits      string      `json:"limits"`
	Summary     string      `json:"summary"`
	Implied     []struct {
		Value string `json:"value"`
		Gives qty    `json:"gives"`
		PerKg qty    `json:"per_kg"`
		From  []struct {
			ID      string  `json:"id"`
			Formula string  `json:"formula"`
			Inputs  []mTerm `json:"inputs"`
		} `json:"from"`
		Limits  []mLimitCrossing `json:"limits"`
		NoLimit bool             `json:"no_limit"`
	} `json:"implied"`
	Fields []struct {
		Field         string           `json:"field"`
		Ordered       qty              `json:"ordered"`
		Expected      qty              `json:"expected"`
		ProtocolValue qty              `json:"protocol_value"`
		Step          string           `json:"step"`
		Deviation     qty              `json:"deviation"`
		DeviationPct  qty              `json:"deviation_pct"`
		Tolerance     qty              `json:"tolerance"`
		Verdict       string           `json:"verdict"`
		Limits        []mLimitCrossing `json:"limits"`
		Causes        []mCause         `json:"causes"`
		Note          string           `json:"note"`
	} `json:"fields"`
	Relations []struct {
		ID           string   `json:"id"`
		Relation     string   `json:"relation"`
		Fields       []string `json:"fields"`
		Stated       qty      `json:"stated"`
		Derived      qty      `json:"derived"`
		Deviation    qty      `json:"deviation"`
		DeviationPct qty      `json:"deviation_pct"`
		Tolerance    qty      `json:"tolerance"`
		Verdict      string   `json:"verdict"`
		Causes       []mCause `json:"causes"`
	} `json:"relations"`
	LikelyCauses []struct {
		Kind  string   `json:"kind"`
		Where []string `json:"where"`
	} `json:"likely_causes"`
	Notes      []string `json:"notes"`
	Tolerances mOrder   `json:"tolerances"`
	Expected   mResult  `json:"expected"`
}

type mCheckDoc struct {
	Schema         string     `json:"schema"`
	Notice         string     `json:"notice"`
	TitrationLevel int        `json:"titration_level"`
	Notes          []string   `json:"notes"`
	Findings       []mFinding `json:"protocol_findings"`
	Matches        bool       `json:"matches"`
	NeedsReview    bool       `json:"needs_review"`
	UnmatchedAcks  []string   `json:"unmatched_acks"`
	Check          mCheck     `json:"check"`
}

type mReason struct {
	Date   civilDate `json:"date"`
	Code   string    `json:"code"`
	Detail string    `json:"detail"`
}

type mSlot struct {
	Index      int       `json:"index"`
	Phase      string    `json:"phase"`
	PhaseIndex int       `json:"phase_index"`
	Number     int       `json:"number"`
	Of         int       `json:"of"`
	Date       civilDate `json:"date"`
	Start      time.Time `json:"start"`
	Done       bool      `json:"done"`
	MovedFrom  civilDate `json:"moved_from"`
	Reasons    []mReason `json:"reasons"`
	Note       string    `json:"note"`
}

type mEvent struct {
	Kind    string    `json:"kind"`
	Session int       `json:"session"`
	At      time.Time `json:"at"`
	Date    civilDate `json:"date"`
	Note    string    `json:"note"`
}

type mSession struct {
	mSlot
	Level    int     `json:"level"`
	Proposed bool    `json:"proposed"`
	Dose     mResult `json:"dose"`
	Given    qty     `json:"given"`
	Timeline struct {
		PreChecks           time.Time   `json:"pre_checks"`
		Start               time.Time   `json:"start"`
		Administrations     []time.Time `json:"administrations"`
		EndOfAdministration time.Time   `json:"end_of_administration"`
		Checks              []struct {
			Name string    `json:"name"`
			At   time.Time `json:"at"`
		} `json:"checks"`
		ObservationEnd    time.Time `json:"observation_end"`
		EarliestDischarge time.Time `json:"earliest_discharge"`
		DriverRequired    bool      `json:"driver_required"`
	} `json:"timeline"`
	Warnings []string `json:"warnings"`
}

type mPlan struct {
	Notice   string      `json:"notice"`
	Protocol mProvenance `json:"protocol"`
	Patient  mPatient    `json:"patient"`
	Start    civilDate   `json:"start"`
	Calendar struct {
		Zone   string   `json:"zone"`
		Open   []string `json:"open"`
		Closed []struct {
			Date    civilDate `json:"date"`
			Through civilDate `json:"through"`
			Name    string    `json:"name"`
		} `json:"closed"`
		Starts []string `json:"starts"`
	} `json:"calendar"`
	Sessions []mSession `json:"sessions"`
	Dropped  []struct {
		Phase      string    `json:"phase"`
		PhaseIndex int       `json:"phase_index"`
		Number     int       `json:"number"`
		Date       civilDate `json:"date"`
		Reason     mReason   `json:"reason"`
	} `json:"dropped"`
	Restarts []struct {
		Index    int       `json:"index"`
		Phase    string    `json:"phase"`
		Previous civilDate `json:"previous"`
		Date     civilDate `json:"date"`
		Days     int       `json:"days"`
	} `json:"restarts"`
	Stopped    *mEvent    `json:"stopped"`
	History    []mEvent   `json:"history"`
	Warnings   []string   `json:"warnings"`
	Findings   []mFinding `json:"protocol_findings"`
	TotalDose  qty        `json:"total_dose"`
	Decided    qty        `json:"decided_dose"`
	Proposed   qty        `json:"proposed_dose"`
	NeedReview int        `json:"sessions_needing_review"`
}

type mPlanDoc struct {
	Schema        string   `json:"schema"`
	Notice        string   `json:"notice"`
	NeedsReview   bool     `json:"needs_review"`
	UnmatchedAcks []string `json:"unmatched_acks"`
	ICS           *struct {
		File   string    `json:"file"`
		Events int       `json:"events"`
		PlanID string    `json:"plan_id"`
		Stamp  time.Time `json:"stamp"`
	} `json:"ics"`
	Plan mPlan `json:"plan"`
}

type mConvertDoc struct {
	Schema   string `json:"schema"`
	Notice   string `json:"notice"`
	Input    qty    `json:"input"`
	Unit     string `json:"unit"`
	Readings []struct {
		Given string `json:"given"`
		Text  string `json:"text"`
		Parts []qty  `json:"parts"`
		Value qty    `json:"value"`
	} `json:"readings"`
	Steps []struct {
		Operation string `json:"operation"`
		Left      qty    `json:"left"`
		Right     qty    `json:"right"`
		Given     string `json:"given"`
		Why       string `json:"why"`
		Result    qty    `json:"result"`
		Exact     bool   `json:"exact"`
	} `json:"steps"`
	Result  qty    `json:"result"`
	Exact   bool   `json:"exact"`
	Display string `json:"display"`
	Rounded *struct {
		Step             qty    `json:"step"`
		Mode             string `json:"mode"`
		Value            qty    `json:"value"`
		Deviation        qty    `json:"deviation"`
		DeviationPercent qty    `json:"deviation_percent"`
	} `json:"rounded"`
	Infusion *struct {
		Duration  qty    `json:"duration"`
		Start     string `json:"start"`
		End       string `json:"end"`
		EndDays   int    `json:"end_days"`
		EndExact  bool   `json:"end_exact"`
		Elapsed   qty    `json:"elapsed"`
		Infused   qty    `json:"infused"`
		Remaining qty    `json:"remaining"`
		TimeLeft  qty    `json:"time_left"`
	} `json:"infusion"`
}

type mSample struct {
	Time qty `json:"time"`
	Cp   qty `json:"cp"`
	Ce   qty `json:"ce"`
}

type mPKDoc struct {
	Schema     string `json:"schema"`
	Notice     string `json:"notice"`
	Label      string `json:"label"`
	Prediction struct {
		ModelName       string `json:"model"`
		Citation        string `json:"citation"`
		Label           string `json:"label"`
		Weight          qty    `json:"weight"`
		Administrations []struct {
			Start    qty `json:"start"`
			Amount   qty `json:"amount"`
			Duration qty `json:"duration"`
		} `json:"administrations"`
		Kinetics struct {
			Volumes    []qty `json:"volumes"`
			Clearances []qty `json:"clearances"`
			HalfLives  []qty `json:"half_lives"`
			Ke0        qty   `json:"ke0"`
		} `json:"kinetics"`
		Warnings []struct {
			Key     string `json:"key"`
			Message string `json:"message"`
		} `json:"warnings"`
	} `json:"prediction"`
	Compartments  int      `json:"compartments"`
	ModelNotes    string   `json:"model_notes"`
	Amount        qty      `json:"amount_mg"`
	EndOfInfusion mSample  `json:"end_of_infusion"`
	PeakPlasma    mSample  `json:"peak_plasma"`
	PeakEffect    *mSample `json:"peak_effect_site"`
	Below         *struct {
		Threshold  qty `json:"threshold"`
		Plasma     qty `json:"plasma"`
		EffectSite qty `json:"effect_site"`
	} `json:"below"`
	Curve []mSample `json:"curve"`
	Plot  string    `json:"plot"`
}

type mLintDoc struct {
	Schema    string `json:"schema"`
	Notice    string `json:"notice"`
	Protocols []struct {
		Source   string       `json:"source"`
		SHA256   string       `json:"sha256"`
		Loaded   bool         `json:"loaded"`
		Protocol *mProvenance `json:"protocol"`
		Findings []struct {
			Severity string `json:"severity"`
			Field    string `json:"field"`
			Value    string `json:"value"`
			Message  string `json:"message"`
		} `json:"findings"`
	} `json:"protocols"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

type mProtocolsDoc struct {
	Schema    string `json:"schema"`
	Notice    string `json:"notice"`
	Protocols []struct {
		Name     string `json:"name"`
		Use      string `json:"use"`
		Title    string `json:"title"`
		Version  string `json:"version"`
		Drug     string `json:"drug"`
		Route    string `json:"route"`
		Source   string `json:"source"`
		SHA256   string `json:"sha256"`
		Document string `json:"document"`
	} `json:"protocols"`
}

type mErrorDoc struct {
	Schema   string `json:"schema"`
	Command  string `json:"command"`
	ExitCode int    `json:"exit_code"`
	Errors   []struct {
		Message string `json:"message"`
		Kind    string `json:"kind"`
		Field   string `json:"field"`
		Value   string `json:"value"`
		Limit   string `json:"limit"`
		Bound   qty    `json:"bound"`
		PopBnd  string `json:"population_bound"`
		Session int    `json:"session"`
		Flag    string `json:"flag"`
	} `json:"errors"`
	Notice string `json:"notice"`
}

// decodeStrict decodes one JSON document, refusing unknown fields and
// trailing data.
func decodeStrict(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("the output does not decode into the documented schema: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", s)
	}
}

func TestJSONSchema(t *testing.T) {
	man := []string{"--weight", "176lb", "--height", "5ft9in", "--sex", "male", "--birth-date", "1980-05-06", "--as-of", "2025-03-03"}
	cal := []string{"--start", "2025-03-03", "--tz", "America/New_York", "--open", "mon-fri", "--at", "09:00", "--closed", "2025-04-11=Good Friday"}
	cases := []struct {
		name   string
		args   []string
		exit   int
		schema string
		doc    func() any
	}{
		{"body", []string{"body", "--weight", "140kg", "--height", "150cm", "--sex", "female", "--short-stature", "extrapolate",
			"--abw-factor", "0.4", "--birth-date", "1980-05-06", "--as-of", "2025-03-03", "--ack", "patient.bmi.soft_max=checked", "--json"},
			4, "doseplan/body/v1", func() any { return new(mBodyDoc) }},
		{"dose infusion", append(append([]string{"dose", "--protocol", "testdata/iv.yaml"}, man...), "--dose", "0.8mg/kg",
			"--ack", "dose_per_kg.soft_max=tolerated", "--ack", "nonexistent=typo", "--json"), 0, "doseplan/dose/v1", func() any { return new(mDoseDoc) }},
		{"dose devices", []string{"dose", "--protocol", "testdata/nasal.yaml", "--weight", "70kg", "--age", "45", "--level", "2", "--json"},
			0, "doseplan/dose/v1", func() any { return new(mDoseDoc) }},
		{"dose syringe", []string{"dose", "--protocol", "testdata/pain.yaml", "--weight", "70kg", "--age", "45", "--json"},
			0, "doseplan/dose/v1", func() any { return new(mDoseDoc) }},
		{"dose lint findings", append(append([]string{"dose", "--protocol", "testdata/warn.yaml"}, man...), "--level", "4", "--json"),
			4, "doseplan/dose/v1", func() any { return new(mDoseDoc) }},
		{"check", append(append([]string{"check", "--protocol", "testdata/iv.yaml"}, man...), "--dose", "400mg", "--stock", "10mg/mL",
			"--draw-volume", "40mL", "--final-volume", "104mL", "--pump-rate", "156mL/h", "--duration", "40min", "--json"), 5, "doseplan/check/v1", func() any { return new(mCheckDoc) }},
		{"plan", append(append(append([]string{"plan", "--protocol", "testdata/iv.yaml"}, man...), cal...), "--ics", "$TMP/plan.ics",
			"--plan-id", "MRN-1", "--stamp", "2025-03-01T12:00:00Z", "--json"), 4, "doseplan/plan/v1", func() any { return new(mPlanDoc) }},
		{"plan devices", []string{"plan", "--protocol", "testdata/nasal.yaml", "--weight", "70kg", "--age", "45", "--start", "2025-03-03", "--tz", "Europe/Berlin",
			"--open", "mon,thu", "--at", "10:00", "--json"}, 0, "doseplan/plan/v1", func() any { return new(mPlanDoc) }},
		{"convert", []string{"convert", "24.5 mL/h", "mcg/kg/min", "--weight", "70kg", "--concentration", "1mg/mL", "--json"},
			0, "doseplan/convert/v1", func() any { return new(mConvertDoc) }},
		{"convert infusion", []string{"convert", "500 mL", "h", "--rate", "120 mL/h", "--start", "22:00", "--elapsed", "1h30min",
			"--round", "0.5h:up", "--json"}, 0, "doseplan/convert/v1", func() any { return new(mConvertDoc) }},
		{"convert reading", []string{"convert", "1 mcg/kg/min", "mL/h", "--weight", "7 lb 4 oz", "--concentration", "1:1000", "--json"},
			0, "doseplan/convert/v1", func() any { return new(mConvertDoc) }},
		{"pk", []string{"pk", "--model", "domino", "--weight", "70kg", "--dose", "0.5mg/kg", "--over", "40min", "--threshold", "100ng/mL",
			"--every", "20min", "--until", "1h", "--plot", "$TMP/cp.svg", "--json"}, 0, "doseplan/pk/v1", func() any { return new(mPKDoc) }},
		{"pk without effect site", []string{"pk", "--model", "hijazi", "--weight", "70kg", "--age", "40", "--dose", "35mg", "--json"},
			0, "doseplan/pk/v1", func() any { return new(mPKDoc) }},
		{"lint", []string{"lint", "testdata/warn.yaml", "testdata/bad.yaml", "testdata/nonexistent.yaml", "--json"},
			1, "doseplan/lint/v1", func() any { return new(mLintDoc) }},
		{"protocols", []string{"protocols", "--json"}, 0, "doseplan/protocols/v1", func() any { return new(mProtocolsDoc) }},
		{"protocol", []string{"protocols", "iv-ketamine-trd", "--json"}, 0, "doseplan/protocols/v1", func() any { return new(mProtocolsDoc) }},
		{"error: hard limit", append(append([]string{"dose", "--protocol", "testdata/iv.yaml"}, man...), "--dose", "1.2mg/kg", "--json"),
			3, "doseplan/error/v1", func() any { return new(mErrorDoc) }},
		{"error: plan", append(append([]string{"plan", "--protocol", "testdata/smallbag.yaml"}, man...), append(cal, "--json")...),
			3, "doseplan/error/v1", func() any { return new(mErrorDoc) }},
		{"error: population", []string{"dose", "--protocol", "testdata/iv.yaml", "--weight", "45kg", "--height", "120cm", "--sex", "male", "--age", "11", "--json"},
			3, "doseplan/error/v1", func() any { return new(mErrorDoc) }},
		{"error: input", []string{"dose", "--protocol", "testdata/bad.yaml", "--weight", "80kg", "--json"},
			1, "doseplan/error/v1", func() any { return new(mErrorDoc) }},
		{"error: convert", []string{"convert", "40 mg", "kg", "--json"}, 1, "doseplan/error/v1", func() any { return new(mErrorDoc) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := runDoseplan(t, t.TempDir(), "", c.args...)
			if r.code != c.exit {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, c.exit, r.stderr)
			}
			var head struct {
				Schema string `json:"schema"`
				Notice string `json:"notice"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &head); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
			}
			if head.Schema != c.schema {
				t.Errorf("schema %q, want %q", head.Schema, c.schema)
			}
			if head.Notice != "For clinician verification — not a prescription" {
				t.Errorf("notice %q", head.Notice)
			}
			decodeStrict(t, r.stdout, c.doc())
			if !bytes.HasSuffix([]byte(r.stdout), []byte("}\n")) {
				t.Errorf("the document does not end with a newline")
			}
		})
	}
}
