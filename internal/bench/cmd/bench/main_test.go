package main

import (
	"context"
	"strings"
	"testing"
)

// Flags that cannot work are refused before anything is built or run.
func TestRunRefusesBadFlags(t *testing.T) {
	valid := settings{sizes: "10", spaces: 3, parallelism: 10, repeats: 1, shape: "blocks,spaces"}
	for _, tc := range []struct {
		name   string
		change func(*settings)
		want   string
	}{
		{"size zero", func(s *settings) { s.sizes = "0" }, "-n wants positive whole numbers"},
		{"empty size", func(s *settings) { s.sizes = "1,,2" }, "-n wants positive whole numbers"},
		{"no spaces", func(s *settings) { s.spaces = 0 }, "-spaces must be at least 1, got 0"},
		{"no parallelism", func(s *settings) { s.parallelism = -1 }, "-parallelism must be at least 1, got -1"},
		{"profile with prebuilt provider", func(s *settings) { s.profileDir, s.providerBinary = "p", "/bin/true" },
			"-profile builds its own profiling provider and cannot be used with -provider"},
		{"unknown shape", func(s *settings) { s.shape = "blocks,foo" }, `-shape: "foo" is not a shape`},
		{"empty shape", func(s *settings) { s.shape = "" }, `-shape: "" is not a shape`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := valid
			tc.change(&s)
			err := run(context.Background(), s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestParseShapesKeepsOrderAndDropsRepeats(t *testing.T) {
	shapes, err := parseShapes("spaces, blocks,spaces")
	if err != nil || len(shapes) != 2 || shapes[0] != "spaces" || shapes[1] != "blocks" {
		t.Errorf("parseShapes = %v, %v; want [spaces blocks]", shapes, err)
	}
}
