#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the AF_TOY test tiers and sum their results.
#
# Usage: scripts/check.sh [TIER...]     (default: every tier, in order)
#
# A tier is an executable scripts/tiers/NN-NAME.sh (NN orders them; TIER is
# NAME). It builds what it needs beyond `make all` (e.g. its initramfs),
# runs its tests and prints one line per test:
#	PASS: <name>   FAIL: <name>   SKIP: <name>
# (other lines should start with "# "). It exits non-zero if anything
# failed; a non-zero exit with no FAIL line is counted as one failure.
# Adding a tier is adding such a file, e.g. scripts/tiers/20-debug.sh:
#	#!/usr/bin/env bash
#	set -euo pipefail
#	cd "$(dirname "$0")/../.."
#	eval "$(scripts/debug-kernel.sh)"       # KDIR=..., BZIMAGE=...
#	... build toy.ko (and kunit/) against $KDIR ...
#	scripts/mkinitramfs.sh -k "$KVER" -m "$KDIR" -t <toy.ko> -o build/initramfs-debug.cpio.gz
#	exec scripts/vm.sh -n debug -k "$BZIMAGE" -r build/initramfs-debug.cpio.gz -t 1500 -- /tests/run.sh
#
# Output: each tier's lines as they come, its time, then exactly one last
# line "N passed, N failed" (", N skipped" if any). Exit status 1 if any
# test failed. Logs: build/logs/tier-NAME.log and build/logs/<vm run>/.
# Environment: TOY_TESTS (test files to run in the guest, e.g. "00-module"),
# plus whatever the tiers and scripts/vm.sh read (TOY_VM_TIMEOUT, TOY_KVM...);
# TOY_DEBUG_PREBUILD=0 builds an uncached debug kernel in its first tier
# instead of in the background from the start.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TOY_BUILD_DIR:-$TOP/build}
LOGS=$BUILD/logs
cd "$TOP" || exit 2
mkdir -p "$LOGS" || exit 2

declare -A TIER_FILE=()
ORDER=()
for f in scripts/tiers/[0-9][0-9]-*.sh; do
	[ -x "$f" ] || continue
	n=$(basename "$f" .sh)
	n=${n#[0-9][0-9]-}
	TIER_FILE[$n]=$f
	ORDER+=("$n")
done

if [ $# -gt 0 ]; then
	for t in "$@"; do
		[ -n "${TIER_FILE[$t]:-}" ] ||
			{ echo "check: no tier '$t' (have: ${ORDER[*]:-none})" >&2; exit 2; }
	done
	ORDER=("$@")
fi
[ ${#ORDER[@]} -gt 0 ] || { echo "check: no tiers in scripts/tiers/" >&2; exit 2; }

total_pass=0
total_fail=0
total_skip=0
t0=$(date +%s)

# The debug kernel (tiers kunit, debug, debug-controls, fuzz) takes some
# 15 minutes to build the first time. When it is not cached yet, it is
# built in the background, at the lowest priority, while the stock tiers
# keep one core busy with QEMU; the first tier that needs it waits for it
# (scripts/debug-kernel.sh serialises on its cache entry's lock). Its
# packages are installed first, in the foreground: one apt at a time.
bg_kernel=
needs_debug=0
for t in "${ORDER[@]}"; do
	case $t in kunit|debug|debug-controls|fuzz) needs_debug=1 ;; esac
done
if [ "$needs_debug" = 1 ] && [ "${TOY_DEBUG_PREBUILD:-1}" = 1 ] &&
   ! scripts/debug-kernel.sh --check >/dev/null 2>&1; then
	scripts/deps.sh linux-source-6.1 bc flex bison libelf-dev libssl-dev </dev/null ||
		echo "# check: installing the debug kernel's packages failed; its tiers will say more"
	echo "==== debug kernel: not cached; building it in the background" \
	     "(log: $LOGS/debug-kernel.log)"
	nice -n 19 scripts/debug-kernel.sh </dev/null >"$LOGS/debug-kernel.log" 2>&1 &
	bg_kernel=$!
	trap '[ -n "$bg_kernel" ] && kill "$bg_kernel" 2>/dev/null' EXIT
fi
for t in "${ORDER[@]}"; do
	log=$LOGS/tier-$t.log
	echo "==== tier $t (${TIER_FILE[$t]})"
	start=$(date +%s)
	"${TIER_FILE[$t]}" 2>&1 </dev/null | tee "$log"
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	np=$(grep -c '^PASS: ' "$log")
	nf=$(grep -c '^FAIL: ' "$log")
	ns=$(grep -c '^SKIP: ' "$log")
	if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then
		echo "# tier $t exited with status $rc without a FAIL line (log: $log)" | tee -a "$log"
		echo "FAIL: tier $t: exit status $rc" | tee -a "$log"
		nf=1
	fi
	echo "==== tier $t: ${secs}s, pass $np, fail $nf, skip $ns"
	total_pass=$((total_pass + np))
	total_fail=$((total_fail + nf))
	total_skip=$((total_skip + ns))
done

if [ "$total_fail" -gt 0 ]; then
	echo "==== failed:"
	for t in "${ORDER[@]}"; do
		grep '^FAIL: ' "$LOGS/tier-$t.log" | sed "s/^/  [$t] /"
	done
fi
if [ -n "$bg_kernel" ]; then
	wait "$bg_kernel" 2>/dev/null
	echo "# debug kernel, built in the background: $(grep -h 'done in' "$LOGS/debug-kernel.log" | tail -n 1)"
fi
echo "==== all tiers: $(($(date +%s) - t0))s"
summary="$total_pass passed, $total_fail failed"
[ "$total_skip" -eq 0 ] || summary="$summary, $total_skip skipped"
echo "$summary"
[ "$total_fail" -eq 0 ]
