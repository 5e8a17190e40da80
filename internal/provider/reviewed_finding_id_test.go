package provider

import (
	"strings"
	"testing"
)

func TestReviewedFindingID_roundTrip(t *testing.T) {
	hash := matchTextSHA256("hunter2")
	cases := []struct {
		name, space, rule string
	}{
		{"plain", "OPS", "AWS_CLIENT_ID"},
		{"personal space", "~jdoe", "GITHUB_TOKEN"},
		{"separators", "A:B", "team/rule|x=y:z"},
		{"percent and plus", "S%20", "100%+a b"},
		{"newline and tab", "S", "line1\nline2\tend"},
		{"non-ASCII", "ÄÖÜ", "Schlüssel/密钥 🔑"},
		{"only slashes", "/", "//"},
		{"looks like a hash", "sha256:abc", "sha256:" + hash},
		{"looks like JSON", "{x}", "{\"a\":1}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := reviewedFindingID{SpaceKey: tc.space, RuleName: tc.rule, MatchTextHash: hash}
			rendered := id.String()
			if strings.Count(rendered, "/") != 2 {
				t.Fatalf("rendered id %q has %d slashes, want 2", rendered, strings.Count(rendered, "/"))
			}
			if isJSONImportID(rendered) {
				t.Fatalf("rendered id %q would be taken for the JSON form", rendered)
			}
			parsed, err := parseReviewedFindingID(rendered)
			if err != nil {
				t.Fatalf("parse %q: %v", rendered, err)
			}
			if parsed != id {
				t.Fatalf("round trip of %q gave %+v, want %+v", rendered, parsed, id)
			}
		})
	}
}

func TestReviewedFindingID_renderedForm(t *testing.T) {
	id := reviewedFindingID{SpaceKey: "~jdoe", RuleName: "my rule:v1/α", MatchTextHash: matchTextSHA256("x")}
	want := "~jdoe/my%20rule%3Av1%2F%CE%B1/sha256:" +
		"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
	if got := id.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestReviewedFindingID_parseLenient(t *testing.T) {
	hash := matchTextSHA256("x")
	cases := map[string]reviewedFindingID{
		"OPS/a:b=c/sha256:" + hash:                   {"OPS", "a:b=c", hash},
		"OPS/RULE/sha256:" + strings.ToUpper(hash):   {"OPS", "RULE", hash},
		"%7Ejdoe/a%2fb/sha256:" + hash:               {"~jdoe", "a/b", hash},
		"S/plus+stays+plus/" + "sha256:" + hash:      {"S", "plus+stays+plus", hash},
		"S/%E5%AF%86%E9%92%A5/" + "sha256:" + hash:   {"S", "密钥", hash},
		"S/with%0Anewline/" + "sha256:" + hash:       {"S", "with\nnewline", hash},
		"S/with%7Cpipe%3Dequals/" + "sha256:" + hash: {"S", "with|pipe=equals", hash},
	}
	for raw, want := range cases {
		got, err := parseReviewedFindingID(raw)
		if err != nil {
			t.Errorf("parse %q: %v", raw, err)
			continue
		}
		if got != want {
			t.Errorf("parse %q = %+v, want %+v", raw, got, want)
		}
	}
}

func TestReviewedFindingID_parseErrors(t *testing.T) {
	hash := matchTextSHA256("x")
	cases := map[string]string{
		"my secret text":                      "1 part",
		"OPS/RULE":                            "2 part",
		"OPS/a/b/sha256:" + hash:              "4 part",
		"/RULE/sha256:" + hash:                "space key part is empty",
		"OPS//sha256:" + hash:                 "rule name part is empty",
		"OPS/%zz/sha256:" + hash:              "rule name part is not valid percent-encoding",
		"OPS/RULE/" + hash:                    `does not start with "sha256:"`,
		"OPS/RULE/sha256:abc":                 "64 hex digits",
		"OPS/RULE/sha256:" + hash[:62] + "zz": "64 hex digits",
	}
	for raw, want := range cases {
		_, err := parseReviewedFindingID(raw)
		if err == nil {
			t.Errorf("parse %q succeeded, want an error containing %q", raw, want)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("parse %q: error %q does not contain %q", raw, err, want)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("parse %q: error %q quotes the id", raw, err)
		}
	}
}

func TestReviewedFindingImportJSON(t *testing.T) {
	got, err := parseReviewedFindingImportJSON(`{"space_key":"~jdoe","rule_name":"a/b:c","match_text":"line1\nline2 \"q\" ü"}`)
	if err != nil {
		t.Fatal(err)
	}
	want := reviewedFindingImportJSON{SpaceKey: "~jdoe", RuleName: "a/b:c", MatchText: "line1\nline2 \"q\" ü"}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if !isJSONImportID(`  {"space_key":"S"}`) || isJSONImportID("S/R/sha256:00") {
		t.Fatal("isJSONImportID does not tell the two forms apart")
	}
}

func TestReviewedFindingImportJSON_errors(t *testing.T) {
	const secret = "s3cr3t-value"
	cases := map[string]string{
		`{"space_key":"S","rule_name":"R","match_text":"` + secret + `"`:                 "not a JSON object",
		`{"space_key":"S","rule_name":"R","match_text":"` + secret + `","extra":1}`:      "not a JSON object",
		`{"space_key":"S","rule_name":"R","match_text":1}`:                               "not a JSON object",
		`{"space_key":"S","rule_name":"R","match_text":"` + secret + `"}{}`:              "more than one JSON value",
		`{"space_key":"","rule_name":"R","match_text":"` + secret + `"}`:                 "no non-empty space_key",
		`{"space_key":"S","match_text":""}`:                                              "rule_name, match_text",
		`{"space_key":"S","rule_name":"R","match_text":"` + secret + `x` + secret + `y"`: "not a JSON object",
	}
	for raw, want := range cases {
		_, err := parseReviewedFindingImportJSON(raw)
		if err == nil {
			t.Errorf("parse %q succeeded, want %q", raw, want)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("parse %q: error %q does not contain %q", raw, err, want)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("parse %q: error %q contains the match text", raw, err)
		}
	}
}
