package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// Options are the knobs of one benchmark run.
type Options struct {
	Spaces      int
	Parallelism int
	// Repeats is how many times each plan runs; the median is reported,
	// since the machine is shared and a single timing is noisy.
	Repeats int
	WorkDir string
	Shape   Shape
	// ApplyLimit is the largest N whose state is applied for real; above it
	// the state is synthesized (see synthesize.go). 0 means no limit.
	ApplyLimit int
}

// Phase is one measured terraform command of a scenario.
type Phase struct {
	Name        string
	Provider    Measurement
	Baseline    Measurement
	HasBaseline bool

	// Null is the same command with the null provider's resources in
	// place of the reviews.
	Null    Measurement
	HasNull bool
}

// Result is everything measured for one size.
type Result struct {
	N        int
	Spaces   int
	Shape    Shape
	PerSpace map[string]int
	Phases   []Phase

	// ReviewsStored counts the reviews the fake holds after the apply.
	ReviewsStored int

	// StateSynthesized is set when N was above the apply limit: there is no
	// apply phase, and the refresh read a built state. With ShapeSpaces only
	// the baselines' state is built; the provider's S resources are applied,
	// unmeasured.
	StateSynthesized bool
}

// Phase names, also used to pick phases out of a Result.
const (
	PhasePlanCreate  = "plan, nothing applied"
	PhaseApply       = "apply of N new reviews"
	PhasePlanRefresh = "plan after apply (refresh)"
)

// RunScenario seeds a fresh fake with n findings, then plans, applies and
// plans again both the provider configuration and the terraform_data
// baseline.
func RunScenario(ctx context.Context, tf Terraform, n int, opts Options) (Result, error) {
	workload := NewWorkload(n, opts.Spaces)
	server := fake.New()
	workload.Seed(server)
	baseURL := server.Start()
	defer server.Close()

	dirs := phaseDirs{
		provider: filepath.Join(opts.WorkDir, fmt.Sprintf("n%d-%s", n, opts.Shape), "provider"),
		baseline: filepath.Join(opts.WorkDir, fmt.Sprintf("n%d-%s", n, opts.Shape), "baseline"),
		null:     filepath.Join(opts.WorkDir, fmt.Sprintf("n%d-%s", n, opts.Shape), "null"),
	}
	if err := WriteProviderConfig(dirs.provider, baseURL, workload, opts.Shape); err != nil {
		return Result{}, err
	}
	if err := WriteBaselineConfig(dirs.baseline, workload, opts.Shape); err != nil {
		return Result{}, err
	}
	if err := WriteNullConfig(dirs.null, workload, opts.Shape); err != nil {
		return Result{}, err
	}

	result := Result{N: n, Spaces: opts.Spaces, Shape: opts.Shape, PerSpace: workload.PerSpace()}
	baseline := tf
	baseline.ProviderBinary = ""
	parallelism := fmt.Sprintf("-parallelism=%d", opts.Parallelism)

	if opts.ApplyLimit > 0 && n > opts.ApplyLimit && opts.Shape != ShapeForEach {
		return runSynthesized(ctx, tf, baseline, server, workload, result, opts, baseURL, dirs)
	}

	steps := []struct {
		name    string
		repeats int
		args    []string
	}{
		{PhasePlanCreate, opts.Repeats, planArgs(opts, false)},
		{PhaseApply, 1, []string{"apply", "-auto-approve", "-input=false", parallelism}},
		{PhasePlanRefresh, opts.Repeats, planArgs(opts, true)},
	}
	for _, step := range steps {
		phase, err := measurePhase(ctx, tf, baseline, server, dirs, step.name, step.repeats, step.args)
		if err != nil {
			return result, err
		}
		result.Phases = append(result.Phases, phase)
		if step.name == PhaseApply {
			result.ReviewsStored = storedReviews(server, workload)
		}
	}
	return result, nil
}

// runSynthesized plans the creation of everything, then builds the applied
// state instead of applying it, and plans again.
func runSynthesized(ctx context.Context, tf, baseline Terraform, server *fake.Server, w Workload, result Result,
	opts Options, baseURL string, dirs phaseDirs) (Result, error) {
	create, err := measurePhase(ctx, tf, baseline, server, dirs, PhasePlanCreate, opts.Repeats, planArgs(opts, false))
	if err != nil {
		return result, err
	}
	result.Phases = append(result.Phases, create)

	// S resources apply quickly, so only the N-resource shapes need a built
	// state.
	if opts.Shape == ShapeSpaces {
		m, err := tf.Run(ctx, dirs.provider, nil, "apply", "-auto-approve", "-input=false")
		if err != nil {
			return result, err
		}
		if m.ExitCode != 0 {
			return result, fmt.Errorf("applying the reviews exited %d:\n%s", m.ExitCode, Tail(m.Output, 30))
		}
	} else {
		err = synthesizeState(ctx, tf, dirs.provider, w, func(part Workload) error {
			return WriteProviderConfig(dirs.provider, baseURL, part, opts.Shape)
		})
		if err != nil {
			return result, err
		}
		seedReviews(server, w)
	}
	err = synthesizeState(ctx, baseline, dirs.baseline, w, func(part Workload) error {
		return WriteBaselineConfig(dirs.baseline, part, opts.Shape)
	})
	if err != nil {
		return result, err
	}
	if tf.NullProviderBinary != "" {
		err = synthesizeState(ctx, baseline, dirs.null, w, func(part Workload) error {
			return WriteNullConfig(dirs.null, part, opts.Shape)
		})
		if err != nil {
			return result, err
		}
	}
	result.ReviewsStored = storedReviews(server, w)
	result.StateSynthesized = true

	refresh, err := measurePhase(ctx, tf, baseline, server, dirs, PhasePlanRefresh, opts.Repeats, planArgs(opts, true))
	if err != nil {
		return result, err
	}
	result.Phases = append(result.Phases, refresh)
	return result, nil
}

func planArgs(opts Options, detailedExitCode bool) []string {
	args := []string{"plan", "-input=false", "-lock=false", fmt.Sprintf("-parallelism=%d", opts.Parallelism)}
	if detailedExitCode {
		args = append(args, "-detailed-exitcode")
	}
	return args
}

// phaseDirs are the working directories of the configuration under test and
// of its two baselines.
type phaseDirs struct {
	provider, baseline, null string
}

func measurePhase(ctx context.Context, tf, baseline Terraform, server *fake.Server, dirs phaseDirs, name string,
	repeats int, args []string) (Phase, error) {
	providerRun, err := median(ctx, tf, dirs.provider, server, repeats, args)
	if err != nil {
		return Phase{}, err
	}
	baselineRun, err := median(ctx, baseline, dirs.baseline, nil, repeats, args)
	if err != nil {
		return Phase{}, err
	}
	phase := Phase{Name: name, Provider: providerRun, Baseline: baselineRun, HasBaseline: true}
	if tf.NullProviderBinary == "" {
		return phase, nil
	}
	null := baseline
	null.ProviderBinary = tf.NullProviderBinary
	if phase.Null, err = median(ctx, null, dirs.null, nil, repeats, args); err != nil {
		return Phase{}, err
	}
	phase.HasNull = true
	return phase, nil
}

// median runs the command repeats times and keeps the run with the median
// wall time; requests and memory come from that same run.
func median(ctx context.Context, tf Terraform, dir string, counter *fake.Server, repeats int, args []string) (Measurement, error) {
	runs := make([]Measurement, 0, repeats)
	for range max(1, repeats) {
		m, err := tf.Run(ctx, dir, counter, args...)
		if err != nil {
			return m, err
		}
		runs = append(runs, m)
	}
	slices.SortFunc(runs, func(a, b Measurement) int { return int(a.Wall - b.Wall) })
	return runs[len(runs)/2], nil
}

func storedReviews(server *fake.Server, w Workload) int {
	stored := 0
	for _, key := range w.Spaces {
		texts := server.ReviewedTexts(key)
		for _, r := range w.Reviews {
			if r.SpaceKey == key && texts[r.MatchText] == ReviewRule {
				stored++
			}
		}
	}
	return stored
}

// Find returns the phase with the given name.
func (r Result) Find(name string) (Phase, bool) {
	for _, p := range r.Phases {
		if p.Name == name {
			return p, true
		}
	}
	return Phase{}, false
}

// Ratio is the provider's wall time over the baseline's.
func (p Phase) Ratio() float64 {
	if !p.HasBaseline || p.Baseline.Wall <= 0 {
		return 0
	}
	return float64(p.Provider.Wall) / float64(p.Baseline.Wall)
}

// NullOverBaseline is the null provider's wall time over terraform_data's:
// what a plugin resource costs Terraform before the provider does anything.
func (p Phase) NullOverBaseline() float64 {
	if !p.HasNull || !p.HasBaseline || p.Baseline.Wall <= 0 {
		return 0
	}
	return float64(p.Null.Wall) / float64(p.Baseline.Wall)
}

// NullRatio is the provider's wall time over the null provider's.
func (p Phase) NullRatio() float64 {
	if !p.HasNull || p.Null.Wall <= 0 {
		return 0
	}
	return float64(p.Provider.Wall) / float64(p.Null.Wall)
}

// MiB renders a byte count in mebibytes.
func MiB(bytes int64) string {
	return fmt.Sprintf("%.1f", float64(bytes)/(1<<20))
}

// Seconds renders a duration in seconds with two decimals.
func Seconds(d time.Duration) string {
	return fmt.Sprintf("%.2f", d.Seconds())
}
