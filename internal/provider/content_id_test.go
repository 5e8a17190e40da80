package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestContentIDValidators(t *testing.T) {
	cases := []struct {
		value  string
		errors int
	}{
		{"65536", 0},
		{"0", 0},
		{"", 1},
		{"sixty", 1},
		{"655e3", 1},
		{" 65536", 1},
		{"65536\n", 1},
		{"-1", 1},
		{"65,536", 1},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			var resp validator.StringResponse
			for _, v := range contentIDValidators() {
				v.ValidateString(context.Background(), validator.StringRequest{
					Path: path.Root("content_id"), ConfigValue: types.StringValue(tc.value),
				}, &resp)
			}
			errs := resp.Diagnostics.Errors()
			if len(errs) != tc.errors {
				t.Fatalf("%q gave %d errors, want %d: %v", tc.value, len(errs), tc.errors, resp.Diagnostics)
			}
			if tc.errors == 1 && tc.value != "" {
				detail := errs[0].Detail()
				if !strings.Contains(detail, "content_id") || !strings.Contains(detail, "decimal digits only") {
					t.Errorf("detail %q names neither content_id nor what is expected", detail)
				}
			}
		})
	}
}
