// Command togglerule switches a built-in rule on or off through the vendor's REST API,
// as an administrator would in the Confluence UI. The demo uses it to make a change
// behind Terraform's back; it needs nothing beyond the Go standard library.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	baseURL := flag.String("url", os.Getenv("CONFLUENCE_URL"), "base URL of Confluence (env CONFLUENCE_URL)")
	rule := flag.String("rule", "", "name of the built-in rule, for example EMAIL_ADDRESS")
	enabled := flag.Bool("enabled", true, "whether the rule should be on")
	flag.Parse()

	if err := toggle(*baseURL, *rule, *enabled); err != nil {
		fmt.Fprintln(os.Stderr, "togglerule:", err)
		os.Exit(1)
	}
}

func toggle(baseURL, rule string, enabled bool) error {
	if baseURL == "" || rule == "" {
		return fmt.Errorf("both -url (or CONFLUENCE_URL) and -rule are required")
	}
	endpoint := strings.TrimRight(baseURL, "/") + "/rest/security/latest/rules/built-in/" +
		url.PathEscape(rule) + "?enabled=" + strconv.FormatBool(enabled)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, endpoint, nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(os.Getenv("CONFLUENCE_USERNAME"), os.Getenv("CONFLUENCE_PASSWORD"))
	// Confluence refuses state-changing calls without this header (its XSRF check).
	req.Header.Set("X-Atlassian-Token", "no-check")
	req.Header.Set("Accept", "application/json")

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("PUT %s answered %s: %s", req.URL.Path, resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Printf("PUT %s?%s -> %s %s\n", req.URL.Path, req.URL.RawQuery, resp.Status, strings.TrimSpace(string(body)))
	return nil
}
