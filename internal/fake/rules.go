package fake

import (
	"regexp"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

type rule struct {
	name        string
	builtIn     bool
	enabled     bool
	description string
	category    string
	pattern     *regexp.Regexp
}

func (r *rule) model() client.Rule {
	return client.Rule{
		Name:        r.name,
		BuiltIn:     r.builtIn,
		Enabled:     r.enabled,
		Description: r.description,
		Category:    r.category,
	}
}

// Categories as the settings page groups the built-in rules.
const (
	categoryCloud    = "Cloud providers"
	categoryKeys     = "Private keys"
	categoryServices = "IT services"
	categoryPersonal = "Personal information"
	categoryGeneric  = "Generic credentials"
)

type builtInRule struct {
	name, category, description, pattern string
}

// builtInRules are matched against the raw storage format of each version;
// each pattern stands alone because Go's regexp has no look-behind.
var builtInRules = []builtInRule{
	{"AWS_CLIENT_ID", categoryCloud,
		"AWS IAM client IDs, which uniquely reference users or access keys and let holders obtain keys.",
		`\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b`},
	{"AWS_SECRET_ACCESS_KEY", categoryCloud,
		"AWS secret access keys, which give authenticated access to the AWS CLI, SDKs and APIs.",
		`(?i)\baws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}\b`},
	{"AWS_MWS_KEY", categoryCloud,
		"AWS Marketplace Web Service keys, which give programmatic access to Amazon seller stores.",
		`\bamzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`},
	{"GOOGLE_API_KEY", categoryCloud,
		"Google Cloud and Maps API keys.",
		`AIza[0-9A-Za-z_\-]{35}`},
	{"RSA_PRIVATE_KEY", categoryKeys,
		"PEM-encoded RSA private keys.",
		`-----BEGIN RSA PRIVATE KEY-----(?:[A-Za-z0-9+/=\s]*-----END RSA PRIVATE KEY-----)?`},
	{"SSH_PRIVATE_KEY", categoryKeys,
		"OpenSSH, DSA and EC private keys.",
		`-----BEGIN (?:OPENSSH|DSA|EC) PRIVATE KEY-----(?:[A-Za-z0-9+/=\s]*-----END (?:OPENSSH|DSA|EC) PRIVATE KEY-----)?`},
	{"PGP_PRIVATE_KEY", categoryKeys,
		"ASCII-armored PGP private key blocks.",
		`-----BEGIN PGP PRIVATE KEY BLOCK-----`},
	{"GITHUB_TOKEN", categoryServices,
		"GitHub personal access, OAuth, user-to-server, server-to-server and refresh tokens.",
		`\bgh[pousr]_[A-Za-z0-9]{36}\b`},
	{"SLACK_TOKEN", categoryServices,
		"Slack bot, user, app and refresh tokens.",
		`\bxox[baprs]-[0-9A-Za-z]{10,13}(?:-[0-9A-Za-z]{10,32}){1,3}\b`},
	{"STRIPE_SECRET_KEY", categoryServices,
		"Stripe live secret and restricted keys.",
		`\b(?:sk|rk)_live_[0-9A-Za-z]{24,99}\b`},
	{"SENDGRID_API_KEY", categoryServices,
		"SendGrid API keys.",
		`\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}`},
	{"JWT", categoryGeneric,
		"JSON Web Tokens, which often carry live session or service credentials.",
		`\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}`},
	{"PASSWORD_IN_URL", categoryGeneric,
		"URLs that carry a user name and password before the host.",
		`\b[a-z][a-z0-9+.\-]*://[^/\s:@"'<>]+:[^/\s@"'<>]+@`},
	{"GENERIC_API_KEY", categoryGeneric,
		"Values assigned to names such as api_key, client_secret or access_token.",
		`(?i)\b(?:api[_\-]?key|apikey|api[_\-]?secret|client[_\-]?secret|access[_\-]?token)["']?\s*[:=]\s*["']?[A-Za-z0-9_\-]{20,64}`},
	{"EMAIL_ADDRESS", categoryPersonal,
		"E-mail addresses.",
		`\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b`},
}

func newBuiltInRules() []*rule {
	rules := make([]*rule, 0, len(builtInRules))
	for _, b := range builtInRules {
		rules = append(rules, &rule{
			name:        b.name,
			builtIn:     true,
			enabled:     true,
			description: b.description,
			category:    b.category,
			pattern:     regexp.MustCompile(b.pattern),
		})
	}
	return rules
}

func (s *Server) ruleByName(name string) *rule {
	for _, r := range s.rules {
		if r.name == name {
			return r
		}
	}
	return nil
}

// setRuleEnabledLocked makes every earlier scan outdated when the rule's state
// really changes, as a toggle on the settings page does.
func (s *Server) setRuleEnabledLocked(r *rule, enabled bool) {
	if r.enabled == enabled {
		return
	}
	r.enabled = enabled
	s.rulesGen++
}
