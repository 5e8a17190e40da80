package bench

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PeakSampler watches /proc for processes running one executable and keeps
// the highest VmHWM any of them reported. VmHWM is the kernel's own peak
// resident set size of a process, so a sample taken at any moment carries
// the peak so far; only growth in the last interval before a process exits
// can be missed. Terraform starts a fresh provider process for each phase of
// a command, and the peak of the largest one is what is reported.
type PeakSampler struct {
	executable string
	interval   time.Duration

	mu        sync.Mutex
	peakBytes int64
	pids      map[int]bool

	stop chan struct{}
	done chan struct{}
}

// StartPeakSampler starts sampling every interval until Stop.
func StartPeakSampler(executable string, interval time.Duration) *PeakSampler {
	if resolved, err := filepath.EvalSymlinks(executable); err == nil {
		executable = resolved
	}
	s := &PeakSampler{
		executable: executable,
		interval:   interval,
		pids:       map[int]bool{},
		stop:       make(chan struct{}),
		done:       make(chan struct{}),
	}
	go s.loop()
	return s
}

// Stop ends sampling and returns the peak in bytes and how many distinct
// processes were seen.
func (s *PeakSampler) Stop() (peakBytes int64, processes int) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peakBytes, len(s.pids)
}

func (s *PeakSampler) loop() {
	defer close(s.done)
	ticker := time.NewTicker(s.interval)
	defer ticker.Stop()
	for {
		s.sample()
		select {
		case <-s.stop:
			return
		case <-ticker.C:
		}
	}
}

func (s *PeakSampler) sample() {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, entry := range entries {
		pid, err := strconv.Atoi(entry.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", entry.Name(), "exe"))
		if err != nil || exe != s.executable {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", entry.Name(), "status"))
		if err != nil {
			continue
		}
		hwm, ok := ParseVmHWM(status)
		if !ok {
			continue
		}
		s.mu.Lock()
		s.pids[pid] = true
		s.peakBytes = max(s.peakBytes, hwm)
		s.mu.Unlock()
	}
}

// ParseVmHWM reads the "VmHWM:  1234 kB" line of /proc/<pid>/status.
func ParseVmHWM(status []byte) (int64, bool) {
	scanner := bufio.NewScanner(bytes.NewReader(status))
	for scanner.Scan() {
		line := scanner.Text()
		rest, found := strings.CutPrefix(line, "VmHWM:")
		if !found {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, false
		}
		kib, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, false
		}
		return kib * 1024, true
	}
	return 0, false
}
