#!/usr/bin/env bash
# Prints the absolute path of the Terraform CLI that the tests and the demo run:
#   1. $TERRAFORM, when set;
#   2. else the first terraform on PATH, outside this repository's bin/, at 1.8 or later;
#   3. else bin/terraform, built from the pin in tools/terraform when it is missing or stale.
# Progress and reasons go to stderr so that callers can capture stdout as the path.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pinned_bin=$root/bin/terraform

absolute() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$PWD" "$1" ;;
	esac
}

# An empty CLI config keeps a missing TF_CLI_CONFIG_FILE from adding warnings to the output.
version_of() {
	CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
		sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p'
}

# terraform-plugin-testing needs 1.8 for everything this provider's tests use.
recent_enough() {
	local major minor
	IFS=. read -r major minor _ <<<"$1"
	[[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || return 1
	((major > 1 || (major == 1 && minor >= 8)))
}

if [[ -n ${TERRAFORM:-} ]]; then
	if ! found=$(command -v -- "$TERRAFORM"); then
		echo "TERRAFORM is set to \"$TERRAFORM\", which is not an executable file; set it to a Terraform 1.8 or later, or unset it." >&2
		exit 1
	fi
	absolute "$found"
	exit 0
fi

while IFS= read -r candidate; do
	candidate=$(absolute "$candidate")
	[[ $candidate == "$pinned_bin" ]] && continue
	version=$(version_of "$candidate")
	if recent_enough "$version"; then
		printf '%s\n' "$candidate"
		exit 0
	fi
	echo "Not using $candidate: its version \"${version:-unknown}\" is older than 1.8." >&2
done < <(type -aP terraform | awk '!seen[$0]++')

if [[ ! -x $pinned_bin || $root/tools/terraform/go.mod -nt $pinned_bin || $root/tools/terraform/go.sum -nt $pinned_bin ]]; then
	echo "No Terraform 1.8 or later on PATH, so using bin/terraform." >&2
	"$root/scripts/build-cli.sh" terraform
fi
printf '%s\n' "$pinned_bin"
