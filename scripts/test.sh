#!/usr/bin/env bash
# Runs the test phases named on the command line, in order, and ends with a count of
# what each phase ran:
#   unit       every package with -race; acceptance tests are skipped here
#   terraform  the acceptance tests (TestAcc*) against scripts/terraform.sh's CLI
#   tofu       the acceptance tests against scripts/tofu.sh's CLI
# Each phase's verbose log is kept in .test-logs/ for the counts and for reading later.
# Every phase runs even after one fails, so the summary shows the whole picture; a
# phase that failed, or an acceptance phase in which no test passed, fails the script.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

logs=$root/.test-logs
gotest=(go test -race -count=1 -timeout "${TEST_TIMEOUT:-30m}" -v)
packages=${TEST_PACKAGES:-./...}

# tofu exits on a CLI config file that does not exist, and some shells export one.
if [[ -z ${TF_CLI_CONFIG_FILE:-} || ! -f ${TF_CLI_CONFIG_FILE} ]]; then
	export TF_CLI_CONFIG_FILE=$root/.empty.tfrc
	[[ -f $TF_CLI_CONFIG_FILE ]] || : >"$TF_CLI_CONFIG_FILE"
fi
export CHECKPOINT_DISABLE=1

# show prints a phase's output as it arrives: everything when VERBOSE is set (CI sets
# it, since CI keeps only what was printed), otherwise each test's outcome and, for a
# failed test, the lines it printed since it last started or resumed. The full log is
# kept in .test-logs/ either way.
show() {
	if [[ -n ${VERBOSE:-} ]]; then
		cat
		return
	fi
	awk '
		/^=== (RUN|CONT|PAUSE)/ { n = 0; next }
		/^ *--- FAIL/ { for (i = 1; i <= n; i++) print held[i]; n = 0; print; fflush(); next }
		/^ *--- (PASS|SKIP)/ || /^(ok|FAIL|PASS)([[:space:]]|$)/ || /^panic:/ { print; fflush(); next }
		{ held[++n] = $0 }
	'
}

cli_version() {
	"$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p'
}

run_unit() {
	echo "==> Unit tests with the race detector: go test -race ./..."
	echo "unit tests (go test -race)" >"$logs/unit.label"
	"${gotest[@]}" -skip '^TestAcc' $packages 2>&1 | tee "$logs/unit.log" | show
}

# $1 is the log name, $2 the CLI path; the rest are extra environment assignments.
run_acceptance() {
	local name=$1 cli=$2
	shift 2
	echo "acceptance tests with $name $(cli_version "$cli") ($cli)" >"$logs/acc-$name.label"
	echo "==> Acceptance tests against $name: $cli"
	env TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" "$@" \
		"${gotest[@]}" -run '^TestAcc' $packages 2>&1 | tee "$logs/acc-$name.log" | show
}

# Counts top-level tests only, so a table of subtests is one test, as in the source.
count() {
	local outcome=$1 log=$2
	grep -c -E "^--- $outcome: " "$log" || true
}

summarize() {
	local phase log label pass fail skip total_pass=0 total_fail=0 empty=()
	echo
	echo "==> Summary"
	for phase in "$@"; do
		case $phase in
		unit) log=$logs/unit.log ;;
		*) log=$logs/acc-$phase.log ;;
		esac
		if [[ ! -f $log ]]; then
			echo "$phase: did not run"
			[[ $phase != unit ]] && empty+=("$phase")
			continue
		fi
		label=$(<"${log%.log}.label")
		pass=$(count PASS "$log") fail=$(count FAIL "$log") skip=$(count SKIP "$log")
		# A package that does not build runs no test, yet it is a failure all the same.
		fail=$((fail + $(grep -c -E '^FAIL[[:space:]].*\[(build|setup) failed\]' "$log" || true)))
		printf '%s: %d passed, %d failed, %d skipped\n' "$label" "$pass" "$fail" "$skip"
		total_pass=$((total_pass + pass)) total_fail=$((total_fail + fail))
		[[ $phase != unit && $pass -eq 0 ]] && empty+=("$phase")
	done
	for phase in "${empty[@]}"; do
		echo "No acceptance test passed against $phase; the TestAcc* tests in ./internal/... should run there." >&2
	done
	printf 'Total: %d passed, %d failed\n' "$total_pass" "$total_fail"
	((${#empty[@]} == 0))
}

# Plugin-testing addresses the provider under registry.terraform.io unless told otherwise,
# and tofu refuses the legacy namespace that implies anywhere but its own registry.
run_phase() {
	local cli
	case $1 in
	unit) run_unit ;;
	terraform)
		cli=$("$root/scripts/terraform.sh") || return
		run_acceptance terraform "$cli"
		;;
	tofu)
		cli=$("$root/scripts/tofu.sh") || return
		run_acceptance tofu "$cli" TF_ACC_PROVIDER_HOST=registry.opentofu.org
		;;
	esac
}

main() {
	(($# > 0)) || set -- unit terraform tofu
	local phase failed=()
	for phase in "$@"; do
		case $phase in
		unit | terraform | tofu) ;;
		*)
			echo "test.sh: unknown phase \"$phase\"; expected unit, terraform or tofu." >&2
			exit 2
			;;
		esac
	done
	mkdir -p "$logs"
	rm -f "$logs"/*.log "$logs"/*.label
	for phase in "$@"; do
		# The subshell keeps one phase's failure from skipping the next; set -e does not
		# apply inside an if, so run_phase checks its own steps.
		if ! (run_phase "$phase"); then
			failed+=("$phase")
			echo "==> The $phase phase failed." >&2
		fi
	done
	summarize "$@" || failed+=("an acceptance phase that ran no test")
	if ((${#failed[@]} > 0)); then
		echo "Failed: ${failed[*]}" >&2
		exit 1
	fi
}

main "$@"
