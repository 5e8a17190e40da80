#!/usr/bin/env bash
# `make demo`: applies examples/demo to a fake Confluence, changes a rule behind
# Terraform's back, and shows the drift in a plan. Everything runs locally: the
# provider comes from bin/ through dev_overrides, so no `init` and no registry.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

demo=$root/.demo
work=$demo/work
provider_bin=bin/terraform-provider-securityforconfluence
fake_bin=bin/fakeconfluence
toggle_bin=bin/togglerule

say() { printf '\n==> %s\n' "$*"; }

# A binary is stale when any Go source or module file changed after it was built.
stale() {
	[[ ! -x $1 ]] && return 0
	[[ -n $(find . -path ./tools -prune -o -path ./.demo -prune -o \
		\( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$1" -print -quit) ]]
}

build_if_stale() {
	local out=$1 pkg=$2
	if stale "$out"; then
		echo "Building $out"
		go build -o "$out" "$pkg"
	fi
}

wait_for_url() {
	local deadline=$((SECONDS + 30))
	while [[ ! -s $demo/url ]]; do
		if ! kill -0 "$fake_pid" 2>/dev/null; then
			echo "The fake Confluence exited before it was listening; its log follows." >&2
			cat "$demo/fake.log" >&2
			return 1
		fi
		if ((SECONDS > deadline)); then
			echo "The fake Confluence did not write $demo/url within 30 seconds; see $demo/fake.log." >&2
			return 1
		fi
		sleep 0.1
	done
}

stop_fake() {
	if [[ -n ${fake_pid:-} ]] && kill -0 "$fake_pid" 2>/dev/null; then
		kill "$fake_pid"
		wait "$fake_pid" 2>/dev/null || true
		echo "Stopped the fake Confluence (its request log is in .demo/fake.log)."
	fi
}

write_cli_config() {
	cat >"$demo/dev.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/secconf/securityforconfluence" = "$root/bin"
    "registry.opentofu.org/secconf/securityforconfluence" = "$root/bin"
  }
  direct {}
}
TFRC
}

say "Building the provider and the fake Confluence into bin/ (skipped when up to date)"
build_if_stale "$provider_bin" .
build_if_stale "$fake_bin" ./internal/fake/cmd/fakeconfluence
build_if_stale "$toggle_bin" ./scripts/togglerule
terraform=$("$root/scripts/terraform.sh")
echo "Using $terraform"

rm -rf "$demo"
mkdir -p "$work"
cp examples/demo/*.tf "$work/"
write_cli_config

say "Starting a fake Confluence with demo spaces, users and leaked secrets"
trap stop_fake EXIT
trap 'exit 130' INT TERM
FAKE_ADDR=127.0.0.1:0 "$fake_bin" -url-file "$demo/url" >"$demo/fake.log" 2>&1 &
fake_pid=$!
wait_for_url
url=$(<"$demo/url")
echo "Listening on $url"

# Only this demo's settings: a CONFLUENCE_TOKEN from the caller's shell would clash
# with the username and password.
unset "${!CONFLUENCE_@}"
export CONFLUENCE_URL=$url TF_VAR_confluence_url=$url
export CONFLUENCE_USERNAME=admin CONFLUENCE_PASSWORD=admin
export TF_CLI_CONFIG_FILE=$demo/dev.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

say "terraform apply: turn EMAIL_ADDRESS off and keep AWS_CLIENT_ID on (no init needed with dev_overrides)"
"$terraform" -chdir="$work" apply -auto-approve -input=false

say "Someone re-enables EMAIL_ADDRESS in Confluence, behind Terraform's back"
"$toggle_bin" -url "$url" -rule EMAIL_ADDRESS -enabled=true

say "terraform plan: the drift shows as a change back to enabled = false"
rc=0
"$terraform" -chdir="$work" plan -input=false -detailed-exitcode || rc=$?
case $rc in
2) say "Done: the plan found the rule that was changed outside Terraform. Apply it again to put the rule back." ;;
0)
	echo "The plan found no changes, but EMAIL_ADDRESS was re-enabled outside Terraform; the provider missed the drift." >&2
	exit 1
	;;
*) exit "$rc" ;;
esac
