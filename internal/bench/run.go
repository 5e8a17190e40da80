package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// Terraform runs one terraform binary with a fixed CLI configuration.
type Terraform struct {
	Binary    string
	CLIConfig string

	// ProviderBinary is watched for peak memory; empty skips sampling.
	ProviderBinary string

	// NullProviderBinary is the second baseline's provider; empty skips
	// that baseline.
	NullProviderBinary string
}

// Measurement is the cost of one terraform command.
type Measurement struct {
	Wall     time.Duration
	ExitCode int

	// ProviderPeakBytes is the largest VmHWM of a provider process, and
	// ProviderProcesses how many provider processes the command started.
	ProviderPeakBytes int64
	ProviderProcesses int

	// TerraformMaxRSSBytes is wait4's ru_maxrss of the terraform process:
	// the larger of terraform's own peak and its waited-for children's.
	TerraformMaxRSSBytes int64

	Requests RequestCounts
	Output   string
}

// Run runs terraform with args in dir and measures it. counter may be nil
// for a configuration that makes no requests.
func (tf Terraform) Run(ctx context.Context, dir string, counter *fake.Server, args ...string) (Measurement, error) {
	cmd := exec.CommandContext(ctx, tf.Binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+tf.CLIConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"TF_LOG=",
	)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output

	if counter != nil {
		counter.ResetRequests()
	}
	var sampler *PeakSampler
	if tf.ProviderBinary != "" {
		sampler = StartPeakSampler(tf.ProviderBinary, 20*time.Millisecond)
	}
	started := time.Now()
	err := cmd.Run()
	m := Measurement{Wall: time.Since(started), Output: output.String()}
	if sampler != nil {
		m.ProviderPeakBytes, m.ProviderProcesses = sampler.Stop()
	}
	if counter != nil {
		m.Requests = CountRequests(counter.Requests())
	}
	if cmd.ProcessState != nil {
		if usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.TerraformMaxRSSBytes = usage.Maxrss * 1024
		}
	}

	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		m.ExitCode = exitErr.ExitCode()
	case err != nil:
		return m, fmt.Errorf("running %s %s: %w", tf.Binary, strings.Join(args, " "), err)
	}
	return m, nil
}

// RequestCounts splits what the fake served by kind of call.
type RequestCounts struct {
	Total          int
	Rules          int // GET rules
	RuleWrites     int // PUT rules/built-in/{name}
	FindingsPages  int // GET scan/space/{key}
	ReviewCreates  int // POST review/space/{key}/create
	SpaceLookups   int // GET /rest/api/space/{key}
	Other          int
	LargestPageAsk int // the largest size= a findings request asked for
}

// CountRequests classifies recorded requests by method and path.
func CountRequests(requests []fake.RecordedRequest) RequestCounts {
	var c RequestCounts
	for _, r := range requests {
		c.Total++
		path, err := url.PathUnescape(r.RawPath)
		if err != nil {
			path = r.RawPath
		}
		switch {
		case r.Method == "GET" && strings.HasSuffix(path, "/rest/security/latest/rules"):
			c.Rules++
		case r.Method == "PUT" && strings.Contains(path, "/rest/security/latest/rules/built-in/"):
			c.RuleWrites++
		case r.Method == "GET" && strings.Contains(path, "/rest/security/latest/scan/space/"):
			c.FindingsPages++
			if size, err := strconv.Atoi(r.Query.Get("size")); err == nil {
				c.LargestPageAsk = max(c.LargestPageAsk, size)
			}
		case r.Method == "POST" && strings.HasSuffix(path, "/create") && strings.Contains(path, "/review/space/"):
			c.ReviewCreates++
		case r.Method == "GET" && strings.Contains(path, "/rest/api/space/"):
			c.SpaceLookups++
		default:
			c.Other++
		}
	}
	return c
}

// RefreshBound is the most requests a refresh may make: one listing per
// space, each as many pages as its findings need at the page size asked for
// (a full last page needs one more, empty, page to show the end), plus the
// one GET rules every rule-aware resource shares.
func RefreshBound(perSpace map[string]int, pageSize int) int {
	if pageSize <= 0 {
		pageSize = 25 // the server's default when size is omitted
	}
	bound := 1
	for _, count := range perSpace {
		bound += count/pageSize + 1
	}
	return bound
}
