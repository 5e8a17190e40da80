package fake

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Every secret below is invented for the demo; none was ever valid. They are
// shaped like the real thing so each built-in rule has something to find.
const (
	demoAWSClientID     = "AKIAIOSFODNN7EXAMPLE"
	demoAWSSecret       = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	demoGitHubToken     = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
	demoGitHubTokenNew  = "ghp_KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFR"
	demoSlackToken      = "xoxb-2048104827-1934568271035-Q8n2kzL1xP0aVbRtYc7mWe3s"
	demoGoogleKey       = "AIzaSyD4k9Xq2LmNpR7sT1vW3yZ5aBcDeFgHiJk"
	demoStripeKey       = "sk_live_51HxQ2aLmNpR7sT1vW3yZ5aBc"
	demoSendGridKey     = "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"
	demoMWSKey          = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaa1c3d1f"
	demoJWT             = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZyIsImlhdCI6MTYyOTA2NzI3Nn0.Xk3vQ9pL2mN8rT5sW1yZ4aB7cD0eF6gH"
	demoDatabaseURL     = "postgres://app_user:Winter2021!@db-prod:5432/orders"
	demoGenericKey      = `api_key = "3f9c2b7e4a1d8f6c5b0e9a7d2c4f1b8e"`
	demoRSAKeyBlock     = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi7XaA4yKq1nT0vCx8fWjJb2pPw\nq3uN6rGdE5kL0sYhXcV9BfR2tA7mJ8nD4eK1zQ==\n-----END RSA PRIVATE KEY-----"
	demoSSHKeyBlock     = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACBqFh3mX9vY2cJ0wEaRk7sLpT4uN8bZ1dQfGhIjKlMnOg==\n-----END OPENSSH PRIVATE KEY-----"
	demoCustomRuleName  = "Internal hostname"
	demoCustomRuleRegex = `\b[a-z0-9-]+\.corp\.example\.com\b`
)

// demoClock starts at the vendor page's example instant and moves on by a
// fixed step, so the demo's createdWhen strings are the same on every run.
func demoClock() func() time.Time {
	next := demoEpoch
	return func() time.Time {
		now := next
		next = next.Add(37*time.Minute + 123*time.Millisecond)
		return now
	}
}

// NewDemo returns New plus the demo users, spaces and content, already
// scanned, with some texts reviewed and one custom rule.
func NewDemo() *Server {
	s := New()
	s.SetClock(demoClock())
	s.AddUser("spaceadmin", "spaceadmin", false)
	s.AddUser("user", "user", false)
	s.AddUser("jdoe", "jdoe", false)
	s.AddCustomRule(demoCustomRuleName, demoCustomRuleRegex)

	s.CreateSpace("DEMO", "Demo space", "spaceadmin")
	s.CreateSpace("OPS", "Operations")
	s.CreateSpace("~jdoe", "Jane Doe")
	seedDemoSpace(s)
	seedOpsSpace(s)
	seedPersonalSpace(s)

	s.AddReview("DEMO", "EMAIL_ADDRESS", "ops@example.com")
	s.AddReview("DEMO", "AWS_SECRET_ACCESS_KEY", "aws_secret_access_key = "+demoAWSSecret)
	s.AddReview("OPS", demoCustomRuleName, "build01.corp.example.com")
	s.SetClock(time.Now)
	return s
}

func para(lines ...string) string {
	var b strings.Builder
	for _, line := range lines {
		b.WriteString("<p>" + line + "</p>")
	}
	return b.String()
}

func codeBlock(text string) string {
	return `<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[` + text + `]]></ac:plain-text-body></ac:structured-macro>`
}

func seedDemoSpace(s *Server) {
	runbook := s.CreatePage("DEMO", "Deployment runbook", para(
		"Deploy with the release user. Questions go to ops@example.com.",
		"aws_access_key_id = "+demoAWSClientID,
		"aws_secret_access_key = "+demoAWSSecret,
	))
	s.UpdateContent(runbook, para(
		"Deploy with the release user. Questions go to ops@example.com.",
		"aws_access_key_id = "+demoAWSClientID,
		"The secret key was rotated; ask the platform team for the new one.",
	))
	s.UpdateContent(runbook, para(
		"Deploy with the release user. Questions go to ops@example.com or jane.doe@example.com.",
		"aws_access_key_id = "+demoAWSClientID,
		"The secret key was rotated; ask the platform team for the new one.",
	))

	ci := s.CreatePage("DEMO", "CI pipeline setup", para(
		"The build bot authenticates with "+demoGitHubToken+".",
		"Notifications: "+demoSlackToken,
	))
	s.UpdateContent(ci, para(
		"The build bot authenticates with a token from the vault.",
		"Notifications: "+demoSlackToken,
	))
	s.UpdateContent(ci, para(
		"The build bot authenticates with "+demoGitHubTokenNew+" until the vault is ready.",
		"Notifications: "+demoSlackToken,
	))

	s.CreateBlogPost("DEMO", "Postmortem: orders database outage", para(
		"The migration job connected with "+demoDatabaseURL+" and locked the orders table.",
		"A service token captured in the logs: "+demoJWT,
	))

	payments := s.CreatePage("DEMO", "Payments integration", para(
		"Stripe: "+demoStripeKey,
		"Maps on the checkout page use "+demoGoogleKey+".",
	))
	s.UpdateContent(payments, para(
		"Stripe: "+demoStripeKey+" (live mode).",
		"Maps on the checkout page use "+demoGoogleKey+".",
	))
}

func seedOpsSpace(s *Server) {
	bastion := s.CreatePage("OPS", "Bastion host access", para("Legacy key:")+codeBlock(demoRSAKeyBlock)+
		para("Current key:")+codeBlock(demoSSHKeyBlock))
	s.UpdateContent(bastion, para("The legacy key was revoked. Current key:")+codeBlock(demoSSHKeyBlock))

	s.CreatePage("OPS", "Seller Central integration", para(
		"MWS auth token: "+demoMWSKey,
		"Order mails are sent through SendGrid with "+demoSendGridKey+".",
	))

	s.CreateBlogPost("OPS", "On-call handover, week 33", para(
		"Builds run on build01.corp.example.com; logs ship from logs02.corp.example.com.",
		"Page the on-call engineer through the alerts channel.",
	))
}

func seedPersonalSpace(s *Server) {
	scratch := s.CreatePage("~jdoe", "Scratchpad", para(
		"Reach me at jane.doe@example.com.",
		demoGenericKey,
	))
	s.UpdateContent(scratch, para(
		"Reach me at jane.doe@example.com.",
		"The weather API key now lives in the password manager.",
	))
}

// DemoSummary describes the demo's users and spaces in a few lines for the
// fake's startup output. It names users and spaces, never passwords or match
// texts.
func (s *Server) DemoSummary() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for name, u := range s.users {
		role := "user"
		if u.confluenceAdmin {
			role = "Confluence administrator"
		}
		names = append(names, fmt.Sprintf("%s (%s)", name, role))
	}
	sort.Strings(names)
	lines := []string{"users: " + strings.Join(names, ", ")}
	for _, key := range s.sortedSpaceKeys() {
		sp := s.spaces[key]
		admins := strings.Join(s.adminNames(sp), ", ")
		if admins == "" {
			admins = "Confluence administrators only"
		}
		lines = append(lines, fmt.Sprintf("space %s (%s, %q): %s, %s, %s, admins %s",
			sp.key, sp.spaceType, sp.name,
			count(len(s.spaceContent(key)), "content item"),
			count(len(s.spaceFindings(sp)), "finding"),
			count(len(sp.reviewed), "reviewed text"), admins))
	}
	return lines
}

// count says "1 finding" or "3 findings".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func (s *Server) adminNames(sp *space) []string {
	var names []string
	for name := range sp.admins {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
