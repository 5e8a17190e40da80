// Command bench runs the real terraform against the provider and the fake
// Confluence at several sizes and prints requests, wall time and peak memory
// next to a terraform_data baseline. See BENCHMARKS.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/bench"
	"github.com/secconf/terraform-provider-securityforconfluence/internal/bench/profiling"
)

// settings are the command's flags.
type settings struct {
	sizes          string
	spaces         int
	quick          bool
	parallelism    int
	repeats        int
	terraform      string
	providerBinary string
	workDir        string
	keep           bool
	shape          string
	profileDir     string
	applyLimit     int
}

func main() {
	var s settings
	flag.StringVar(&s.sizes, "n", "100,500,1000", "comma-separated numbers of reviewed findings to benchmark")
	flag.IntVar(&s.spaces, "spaces", 3, "number of spaces S the findings are spread over")
	flag.BoolVar(&s.quick, "quick", false, "a fast smoke run: N=20,100 and one run per plan")
	flag.IntVar(&s.parallelism, "parallelism", 10, "terraform -parallelism for plan and apply")
	flag.IntVar(&s.repeats, "repeats", 3, "runs of each plan; the median is reported")
	flag.StringVar(&s.terraform, "terraform", "", "terraform binary (default: TF_ACC_TERRAFORM_PATH, then PATH)")
	flag.StringVar(&s.providerBinary, "provider", "", "prebuilt provider binary (default: go build the module)")
	flag.StringVar(&s.workDir, "workdir", "", "directory for configurations and state (default: a temporary one)")
	flag.BoolVar(&s.keep, "keep", false, "keep the work directory")
	flag.StringVar(&s.shape, "shape", string(bench.ShapeBlocks)+","+string(bench.ShapeSpaces),
		"comma-separated configuration shapes: blocks (one literal reviewed_finding block per review), "+
			"spaces (one space_reviewed_findings per space), for_each (one reviewed_finding over a local map)")
	flag.StringVar(&s.profileDir, "profile", "",
		"build the profiling provider and write CPU and heap profiles of every provider process into this directory")
	flag.IntVar(&s.applyLimit, "apply-limit", 1000,
		"largest N applied for real; above it the applied state is built instead (0: apply every N)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, s); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, s settings) error {
	if s.quick {
		s.sizes, s.repeats = "20,100", 1
	}
	ns, err := parseSizes(s.sizes)
	if err != nil {
		return err
	}
	if s.spaces < 1 {
		return fmt.Errorf("-spaces must be at least 1, got %d", s.spaces)
	}
	if s.parallelism < 1 {
		return fmt.Errorf("-parallelism must be at least 1, got %d", s.parallelism)
	}
	if s.profileDir != "" {
		if s.providerBinary != "" {
			return fmt.Errorf("-profile builds its own profiling provider and cannot be used with -provider")
		}
		// The provider runs in each scenario's directory, not this one.
		if s.profileDir, err = filepath.Abs(s.profileDir); err != nil {
			return fmt.Errorf("-profile: %w", err)
		}
	}
	shapes, err := parseShapes(s.shape)
	if err != nil {
		return err
	}

	if s.workDir == "" {
		if s.workDir, err = os.MkdirTemp("", "securityforconfluence-bench-"); err != nil {
			return err
		}
		if !s.keep {
			defer func() { _ = os.RemoveAll(s.workDir) }()
		}
	}
	tf, err := setUp(ctx, s)
	if err != nil {
		return err
	}
	printMachine(ctx, tf)

	var results []bench.Result
	var verdicts []bench.Verdict
	for _, n := range ns {
		for _, shape := range shapes {
			opts := bench.Options{Spaces: s.spaces, Parallelism: s.parallelism, Repeats: s.repeats, WorkDir: s.workDir,
				Shape: shape, ApplyLimit: s.applyLimit}
			fmt.Printf("running N=%d over %d spaces, shape %s...\n", n, s.spaces, shape)
			result, err := bench.RunScenario(ctx, tf, n, opts)
			if err != nil {
				return fmt.Errorf("size %d, shape %s: %w", n, shape, err)
			}
			reportFailures(result)
			results = append(results, result)
			verdicts = append(verdicts, bench.Check(result)...)
		}
	}

	lines, allMet := bench.Verdicts(verdicts)
	fmt.Print("\n", bench.Table(results), "\n", lines)
	if !allMet {
		return fmt.Errorf("targets missed; see the lines marked MISSED")
	}
	return nil
}

// setUp finds terraform, builds the provider unless one was given, and
// writes the dev_overrides CLI configuration that lets terraform run it
// without init.
func setUp(ctx context.Context, s settings) (bench.Terraform, error) {
	terraform, err := findTerraform(s.terraform)
	if err != nil {
		return bench.Terraform{}, err
	}
	pluginDir := filepath.Join(s.workDir, "plugins")
	if err := os.MkdirAll(pluginDir, 0o755); err != nil {
		return bench.Terraform{}, err
	}
	installed := filepath.Join(pluginDir, "terraform-provider-securityforconfluence")
	nullInstalled := filepath.Join(pluginDir, "terraform-provider-"+bench.NullProviderName)
	pkg := "."
	if s.profileDir != "" {
		pkg = "./internal/bench/cmd/profiledprovider"
		if err := os.MkdirAll(s.profileDir, 0o755); err != nil {
			return bench.Terraform{}, err
		}
		if err := os.Setenv(profiling.DirVariable, s.profileDir); err != nil {
			return bench.Terraform{}, err
		}
	}
	if s.providerBinary == "" {
		fmt.Println("building the provider...")
		if err := goBuild(ctx, installed, pkg); err != nil {
			return bench.Terraform{}, err
		}
	} else if err := os.Symlink(s.providerBinary, installed); err != nil {
		return bench.Terraform{}, err
	}
	if err := goBuild(ctx, nullInstalled, "./internal/bench/cmd/nullprovider"); err != nil {
		return bench.Terraform{}, err
	}

	cliConfig := filepath.Join(s.workDir, "dev.tfrc")
	if err := bench.WriteCLIConfig(cliConfig, pluginDir); err != nil {
		return bench.Terraform{}, err
	}
	return bench.Terraform{Binary: terraform, CLIConfig: cliConfig, ProviderBinary: installed,
		NullProviderBinary: nullInstalled}, nil
}

func goBuild(ctx context.Context, output, pkg string) error {
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	build := exec.CommandContext(ctx, "go", "build", "-o", output, pkg)
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building %s: %w", pkg, err)
	}
	return nil
}

func findTerraform(flagValue string) (string, error) {
	for _, candidate := range []string{flagValue, os.Getenv("TF_ACC_TERRAFORM_PATH")} {
		if candidate != "" {
			return filepath.Abs(candidate)
		}
	}
	found, err := exec.LookPath("terraform")
	if err != nil {
		return "", fmt.Errorf("no terraform binary: pass -terraform or put terraform on PATH")
	}
	return found, nil
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module root with go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run the benchmark from inside the provider module")
	}
	return filepath.Dir(gomod), nil
}

func parseSizes(list string) ([]int, error) {
	var ns []int
	for _, field := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-n wants positive whole numbers separated by commas, got %q", field)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// reportFailures prints the end of the output of any command that failed,
// so a missed target comes with its cause.
func reportFailures(r bench.Result) {
	for _, p := range r.Phases {
		switch {
		case p.Name == bench.PhasePlanRefresh && p.Provider.ExitCode == 2:
			fmt.Printf("N=%d %s planned changes:\n%s\n", r.N, p.Name, bench.Tail(p.Provider.Output, 40))
		case p.Provider.ExitCode != 0:
			fmt.Printf("N=%d %s exited %d:\n%s\n", r.N, p.Name, p.Provider.ExitCode, bench.Tail(p.Provider.Output, 30))
		}
		if p.HasNull && p.Null.ExitCode != 0 {
			fmt.Printf("N=%d %s of the null provider exited %d:\n%s\n", r.N, p.Name, p.Null.ExitCode, bench.Tail(p.Null.Output, 30))
		}
	}
}

func printMachine(ctx context.Context, tf bench.Terraform) {
	version, _ := exec.CommandContext(ctx, tf.Binary, "version").Output()
	fmt.Printf("machine: %s, %d CPUs (%s), %s memory, %s, %s\n",
		runtime.GOARCH, runtime.NumCPU(), cpuModel(), memTotal(), runtime.Version(),
		strings.SplitN(strings.TrimSpace(string(version)), "\n", 2)[0])
}

func cpuModel() string {
	return procField("/proc/cpuinfo", "model name")
}

func memTotal() string {
	return procField("/proc/meminfo", "MemTotal")
}

func procField(file, key string) string {
	content, err := os.ReadFile(file)
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(content), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == key {
			return strings.TrimSpace(value)
		}
	}
	return "unknown"
}

func parseShapes(list string) ([]bench.Shape, error) {
	var shapes []bench.Shape
	for _, field := range strings.Split(list, ",") {
		shape := bench.Shape(strings.TrimSpace(field))
		if !slices.Contains(bench.Shapes, shape) {
			return nil, fmt.Errorf("-shape: %q is not a shape; use a comma-separated list of %v", field, bench.Shapes)
		}
		if !slices.Contains(shapes, shape) {
			shapes = append(shapes, shape)
		}
	}
	return shapes, nil
}
