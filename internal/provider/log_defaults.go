package provider

import (
	"os"
	"strings"
)

// TypeName is the provider's type name, the prefix of every resource type.
const TypeName = "securityforconfluence"

// sdkLogVariables are the levels terraform-plugin-go, the plugin framework
// and terraform-plugin-log read in the provider process. Each defaults to
// TRACE when unset, and every line is encoded as JSON on stderr, where
// Terraform throws it away unless TF_LOG or TF_LOG_PROVIDER is set.
var sdkLogVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// QuietUnrequestedLogs turns the SDKs' and the provider's own log levels off
// when the user asked for no logs at all, so a plan does not spend a third
// of the provider's time writing lines nobody reads. Any logging variable
// that is set and not empty, TF_LOG=TRACE included, leaves every level as
// it is. name is the provider's type name, which terraform-plugin-go turns
// into TF_LOG_PROVIDER_<NAME> for the provider's own logger.
func QuietUnrequestedLogs(name string) error {
	providerVariable := "TF_LOG_PROVIDER_" + strings.ToUpper(name)
	asked := append([]string{"TF_LOG", "TF_LOG_PROVIDER", providerVariable}, sdkLogVariables...)
	for _, variable := range asked {
		if os.Getenv(variable) != "" {
			return nil
		}
	}
	for _, variable := range append([]string{providerVariable}, sdkLogVariables...) {
		if err := os.Setenv(variable, "off"); err != nil {
			return err
		}
	}
	return nil
}
