package provider

import (
	"os"
	"testing"
)

var quietedVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_SECURITYFORCONFLUENCE"}

func clearLogVariables(t *testing.T) {
	for _, variable := range append([]string{"TF_LOG", "TF_LOG_PROVIDER"}, quietedVariables...) {
		t.Setenv(variable, "")
	}
}

func TestQuietUnrequestedLogsTurnsEveryLevelOff(t *testing.T) {
	clearLogVariables(t)
	if err := QuietUnrequestedLogs(TypeName); err != nil {
		t.Fatal(err)
	}
	for _, variable := range quietedVariables {
		if got := os.Getenv(variable); got != "off" {
			t.Errorf("%s = %q, want off", variable, got)
		}
	}
}

func TestQuietUnrequestedLogsLeavesAskedForLogsAlone(t *testing.T) {
	for _, asked := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER_SECURITYFORCONFLUENCE"} {
		t.Run(asked, func(t *testing.T) {
			clearLogVariables(t)
			t.Setenv(asked, "TRACE")
			if err := QuietUnrequestedLogs(TypeName); err != nil {
				t.Fatal(err)
			}
			for _, variable := range quietedVariables {
				if variable != asked && os.Getenv(variable) != "" {
					t.Errorf("with %s set, %s = %q, want it left unset", asked, variable, os.Getenv(variable))
				}
			}
		})
	}
}
