package bench

import (
	"fmt"
	"strings"
)

// Targets the provider is held to. They are checked here, in the
// benchmark, and never asserted as timings in tests.
const (
	PlanRatioTarget     = 1.3
	PlanRatioAtN        = 1000
	MemoryTargetBytes   = 100 << 20
	MemoryTargetAtN     = 5000
	ApplyRequestsFactor = 1.1
	ApplyTargetAtN      = 500
)

// Verdict is one target checked against one result. An informational
// verdict is printed but does not fail the run.
type Verdict struct {
	Target        string
	Actual        string
	Met           bool
	Informational bool
}

// Check evaluates every target that applies to the result's size; the
// request bound applies at every size.
func Check(r Result) []Verdict {
	var verdicts []Verdict
	if refresh, ok := r.Find(PhasePlanRefresh); ok {
		bound := RefreshBound(r.PerSpace, refresh.Provider.Requests.LargestPageAsk)
		verdicts = append(verdicts, Verdict{
			Target: fmt.Sprintf("%s: refresh requests <= S x pages-per-listing + 1 = %d", r.label(), bound),
			Actual: fmt.Sprintf("%d requests", refresh.Provider.Requests.Total),
			Met:    refresh.Provider.Requests.Total <= bound,
		})
		verdicts = append(verdicts, Verdict{
			Target: fmt.Sprintf("%s: plan after apply shows no changes", r.label()),
			Actual: fmt.Sprintf("exit code %d (0 = no changes, 2 = changes)", refresh.Provider.ExitCode),
			Met:    refresh.Provider.ExitCode == 0,
		})
		if r.N == PlanRatioAtN {
			verdicts = append(verdicts, ratioVerdicts(r, refresh)...)
		}
	}
	if create, ok := r.Find(PhasePlanCreate); ok && r.N == PlanRatioAtN {
		verdicts = append(verdicts, ratioVerdicts(r, create)...)
	}
	if r.N == MemoryTargetAtN {
		peak := r.ProviderPeak()
		verdicts = append(verdicts, Verdict{
			Target: fmt.Sprintf("%s: provider peak RSS <= %s MiB", r.label(), MiB(MemoryTargetBytes)),
			Actual: MiB(peak) + " MiB",
			Met:    peak <= MemoryTargetBytes,
		})
	}
	if apply, ok := r.Find(PhaseApply); ok && r.N == ApplyTargetAtN {
		limit := int(ApplyRequestsFactor * float64(r.N))
		verdicts = append(verdicts, Verdict{
			Target: fmt.Sprintf("%s: apply makes <= %d requests, exits 0 and stores every review", r.label(), limit),
			Actual: fmt.Sprintf("%d requests, exit code %d, %d/%d reviews stored",
				apply.Provider.Requests.Total, apply.Provider.ExitCode, r.ReviewsStored, r.N),
			Met: apply.Provider.Requests.Total <= limit && apply.Provider.ExitCode == 0 && r.ReviewsStored == r.N,
		})
	}
	return verdicts
}

// ratioVerdicts compares the time with terraform_data, built into
// Terraform, and with the null provider, which pays the same per-resource
// protocol costs as any plugin provider. The target is held, as written,
// against terraform_data by the shape that stores N reviews in S resources.
// With one plugin resource per review, N resources cost Terraform more than
// N terraform_data before the provider does anything (the null provider's own
// ratio shows it in every run), so both ratios of that shape are printed for
// information.
func ratioVerdicts(r Result, p Phase) []Verdict {
	againstBaseline := Verdict{
		Target: fmt.Sprintf("%s: %s time <= %.1f x terraform_data baseline", r.label(), p.Name, PlanRatioTarget),
		Actual: fmt.Sprintf("%ss vs %ss = %.2fx", Seconds(p.Provider.Wall), Seconds(p.Baseline.Wall), p.Ratio()),
		Met:    p.Ratio() <= PlanRatioTarget,
	}
	if !p.HasNull {
		return []Verdict{againstBaseline}
	}
	againstNull := Verdict{
		Target: fmt.Sprintf("%s: %s time <= %.1f x null framework provider", r.label(), p.Name, PlanRatioTarget),
		Actual: fmt.Sprintf("%ss vs %ss = %.2fx (null provider vs terraform_data: %.2fx)", Seconds(p.Provider.Wall),
			Seconds(p.Null.Wall), p.NullRatio(), p.NullOverBaseline()),
		Met: p.NullRatio() <= PlanRatioTarget,
	}
	againstNull.Informational = true
	againstBaseline.Informational = r.Shape != ShapeSpaces
	return []Verdict{againstBaseline, againstNull}
}

// label names the result in verdicts: its size and shape.
func (r Result) label() string {
	return fmt.Sprintf("N=%d %s", r.N, r.Shape)
}

// ProviderPeak is the largest provider peak over every phase.
func (r Result) ProviderPeak() int64 {
	var peak int64
	for _, p := range r.Phases {
		peak = max(peak, p.Provider.ProviderPeakBytes)
	}
	return peak
}

// Table renders the results as a Markdown table.
func Table(results []Result) string {
	var w strings.Builder
	fmt.Fprintln(&w, "| N | S | shape | phase | provider s | baseline s | ratio | null s | ratio to null | requests (rules/PUT/pages/reviews/space/other) | provider peak MiB | null peak MiB | provider procs | terraform maxrss MiB | exit |")
	fmt.Fprintln(&w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		for _, p := range r.Phases {
			c := p.Provider.Requests
			name := p.Name
			switch {
			case r.StateSynthesized && p.Name == PhasePlanRefresh && r.Shape == ShapeSpaces:
				name += ", baselines' state built not applied"
			case r.StateSynthesized && p.Name == PhasePlanRefresh:
				name += ", state built not applied"
			}
			nullSeconds, nullRatio, nullPeak := "-", "-", "-"
			if p.HasNull {
				nullSeconds, nullRatio, nullPeak = Seconds(p.Null.Wall), fmt.Sprintf("%.2f", p.NullRatio()), MiB(p.Null.ProviderPeakBytes)
			}
			fmt.Fprintf(&w, "| %d | %d | %s | %s | %s | %s | %.2f | %s | %s | %d (%d/%d/%d/%d/%d/%d) | %s | %s | %d | %s | %d |\n",
				r.N, r.Spaces, r.Shape, name, Seconds(p.Provider.Wall), Seconds(p.Baseline.Wall), p.Ratio(), nullSeconds, nullRatio,
				c.Total, c.Rules, c.RuleWrites, c.FindingsPages, c.ReviewCreates, c.SpaceLookups, c.Other,
				MiB(p.Provider.ProviderPeakBytes), nullPeak, p.Provider.ProviderProcesses,
				MiB(p.Provider.TerraformMaxRSSBytes), p.Provider.ExitCode)
		}
	}
	return w.String()
}

// Verdicts renders one line per target, met or missed.
func Verdicts(verdicts []Verdict) (lines string, allMet bool) {
	var w strings.Builder
	allMet = true
	for _, v := range verdicts {
		mark := "MET   "
		switch {
		case v.Informational:
			mark = "INFO  "
		case !v.Met:
			mark, allMet = "MISSED", false
		}
		fmt.Fprintf(&w, "%s %s: %s\n", mark, v.Target, v.Actual)
	}
	return w.String(), allMet
}

// Tail returns the last lines of a command's output, for failures.
func Tail(output string, lines int) string {
	all := strings.Split(strings.TrimRight(output, "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
