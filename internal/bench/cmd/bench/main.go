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
	"strconv"
	"strings"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/bench"
)

func main() {
	sizes := flag.String("n", "100,500,1000", "comma-separated numbers of reviewed findings to benchmark")
	spaces := flag.Int("spaces", 3, "number of spaces S the findings are spread over")
	quick := flag.Bool("quick", false, "a fast smoke run: N=20,100 and one run per plan")
	parallelism := flag.Int("parallelism", 10, "terraform -parallelism for plan and apply")
	repeats := flag.Int("repeats", 3, "runs of each plan; the median is reported")
	terraform := flag.String("terraform", "", "terraform binary (default: TF_ACC_TERRAFORM_PATH, then PATH)")
	providerBinary := flag.String("provider", "", "prebuilt provider binary (default: go build the module)")
	workDir := flag.String("workdir", "", "directory for configurations and state (default: a temporary one)")
	keep := flag.Bool("keep", false, "keep the work directory")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *sizes, *spaces, *quick, *parallelism, *repeats, *terraform, *providerBinary, *workDir, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, sizes string, spaces int, quick bool, parallelism, repeats int,
	terraform, providerBinary, workDir string, keep bool) error {
	if quick {
		sizes, repeats = "20,100", 1
	}
	ns, err := parseSizes(sizes)
	if err != nil {
		return err
	}
	if spaces < 1 {
		return fmt.Errorf("-spaces must be at least 1, got %d", spaces)
	}

	if workDir == "" {
		if workDir, err = os.MkdirTemp("", "securityforconfluence-bench-"); err != nil {
			return err
		}
		if !keep {
			defer os.RemoveAll(workDir)
		}
	}
	tf, err := setUp(ctx, workDir, terraform, providerBinary)
	if err != nil {
		return err
	}
	printMachine(ctx, tf)

	opts := bench.Options{Spaces: spaces, Parallelism: parallelism, Repeats: repeats, WorkDir: workDir}
	var results []bench.Result
	var verdicts []bench.Verdict
	for _, n := range ns {
		fmt.Printf("running N=%d over %d spaces...\n", n, spaces)
		result, err := bench.RunScenario(ctx, tf, n, opts)
		if err != nil {
			return fmt.Errorf("N=%d: %w", n, err)
		}
		reportFailures(result)
		results = append(results, result)
		verdicts = append(verdicts, bench.Check(result)...)
	}

	fmt.Println()
	bench.WriteTable(os.Stdout, results)
	fmt.Println()
	if !bench.WriteVerdicts(os.Stdout, verdicts) {
		return fmt.Errorf("targets missed; see the lines marked MISSED")
	}
	return nil
}

// setUp finds terraform, builds the provider unless one was given, and
// writes the dev_overrides CLI configuration that lets terraform run it
// without init.
func setUp(ctx context.Context, workDir, terraform, providerBinary string) (bench.Terraform, error) {
	terraform, err := findTerraform(terraform)
	if err != nil {
		return bench.Terraform{}, err
	}
	pluginDir := filepath.Join(workDir, "plugins")
	if err := os.MkdirAll(pluginDir, 0o755); err != nil {
		return bench.Terraform{}, err
	}
	installed := filepath.Join(pluginDir, "terraform-provider-securityforconfluence")
	if providerBinary == "" {
		fmt.Println("building the provider...")
		build := exec.CommandContext(ctx, "go", "build", "-o", installed, ".")
		build.Dir, err = moduleRoot(ctx)
		if err != nil {
			return bench.Terraform{}, err
		}
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return bench.Terraform{}, fmt.Errorf("building the provider: %w", err)
		}
	} else if err := os.Symlink(providerBinary, installed); err != nil {
		return bench.Terraform{}, err
	}

	cliConfig := filepath.Join(workDir, "dev.tfrc")
	if err := bench.WriteCLIConfig(cliConfig, pluginDir); err != nil {
		return bench.Terraform{}, err
	}
	return bench.Terraform{Binary: terraform, CLIConfig: cliConfig, ProviderBinary: installed}, nil
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
