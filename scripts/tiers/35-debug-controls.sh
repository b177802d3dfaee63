#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "debug-controls": negative controls for tier "debug", proving that
# it catches a memory bug in toy.ko. Each control plants one bug in a
# scratch copy of module/ (scripts/controls/NAME.patch), builds that toy.ko
# for the debug kernel as tier "debug" does (scripts/debug-lib.sh), runs
# one test that goes through the bug (/tests/run.sh 10-basic) with
# scripts/vm.sh, and passes only if vm.sh's own kernel-log scan, the one
# that judges tier "debug", failed the run (status 123, "FAIL: ...: kernel
# log") on the expected report in build/logs/RUN/dmesg.log:
#   uaf   toy_recvmsg reads skb->len after consume_skb(): a KASAN
#         use-after-free in a toy_ function
#   leak  toy_recvmsg never frees a message: a kmemleak "unreferenced
#         object" with a toy_ function in its allocation backtrace
# A patch that no longer applies fails its control: update the patch.
# Runs: build/logs/debug-control-{uaf,leak}/ (TOY_CONTROLS_RUN: another
# prefix than debug-control). Work dir: build/debug-controls/NAME/.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
BUILD=${TOY_BUILD_DIR:-$TOP/build}
WORK=$BUILD/debug-controls
RUN=${TOY_CONTROLS_RUN:-debug-control}
mkdir -p "$WORK"
failed=0

# shellcheck source=scripts/debug-lib.sh
. scripts/debug-lib.sh
debug_kernel "$WORK"

# found NAME DMESG: DMESG has the report control NAME expects.
found() {
	case $1 in
	uaf)	# 6.1 says "use-after-free", newer kernels "slab-use-after-free"
		grep -Eq 'BUG: KASAN: (slab-)?use-after-free in toy_' "$2" ;;
	leak)	# a toy_ function in the allocation backtrace (toy.ko must
		# still be loaded for kmemleak to name it)
		awk '/unreferenced object/ { obj = 1; next }
		     obj && /^ *\[<[^]]*>\] toy_[A-Za-z0-9_]+\+0x/ { hit = 1; exit }
		     !/^ / { obj = 0 }
		     END { exit !hit }' "$2" ;;
	*)	return 1 ;;
	esac
}

# control NAME WHAT: plant scripts/controls/NAME.patch, run 10-basic,
# "PASS: WHAT" if vm.sh failed the run on its kernel log with that report.
control() {
	local name=$1 what=$2 work=$WORK/$1 run=$RUN-$1
	local start=$SECONDS rc=0 dmesg=$BUILD/logs/$RUN-$1/dmesg.log
	mkdir -p "$work"
	if ! debug_toy "$work" "scripts/controls/$name.patch"; then
		echo "FAIL: $what"
		failed=1
		return
	fi
	# 10-basic takes about 30 s on the debug kernel under TCG
	TOY_VM_GUEST_TIMEOUT=300 scripts/vm.sh -n "$run" -V "$KVER" \
		-k "$BZIMAGE" -r "$INITRD" -t 420 -e TOY_TIMEOUT_SCALE=2 \
		-- /tests/run.sh 10-basic >"$work/vm.out" 2>&1 || rc=$?
	echo "# $name: $((SECONDS - start))s (build and VM), vm.sh status $rc" \
	     "(output: $work/vm.out)"
	if [ "$rc" = 123 ] && grep -q "^FAIL: $run: kernel log" "$work/vm.out" &&
	   found "$name" "$dmesg"; then
		echo "PASS: $what"
		return
	fi
	echo "# expected: status 123 (kernel log problems) and the $name report in $dmesg;"
	echo "# end of vm.sh's output:"
	tail -n 30 "$work/vm.out" | sed 's/^/#   /'
	echo "FAIL: $what"
	failed=1
}

control uaf \
	"debug: a planted use-after-free in a scratch toy.ko is caught by KASAN"
control leak \
	"debug: a planted leak in a scratch toy.ko is caught by kmemleak"
echo "# debug controls: ${SECONDS}s"
exit "$failed"
