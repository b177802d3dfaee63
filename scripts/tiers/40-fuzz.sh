#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "fuzz" (issue 10, a hostile peer): scripts/tests/fuzz-guest.sh in
# two VMs, one after the other. In each, `toy-hostile fuzz` sends
# malformed and half-plausible segments at the listeners and live
# connections of two namespaces while verified transfers run both ways;
# fresh transfers must verify afterwards, and `rmmod toy` must succeed.
#   stock  Debian's kernel, TOY_FUZZ_COUNT (1000000) segments: the volume
#          (about 20000 segments/s under TCG; the debug kernel: ~1400/s)
#   debug  the debug kernel (KASAN, lockdep, kmemleak, failslab), with
#          toy.ko built against it as tier "debug" does (debug-lib.sh):
#          TOY_FUZZ_DEBUG_COUNT (50000) segments, then failslab fails 5%
#          of the AF_TOY programs' slab allocations during transfers and
#          connection churn, then rmmod and a kmemleak scan
# vm.sh's kernel-log scan judges each run too ("PASS: fuzz-stock: kernel
# log clean", "PASS: fuzz: kernel log clean"): any Oops, WARN, KASAN,
# lockdep or kmemleak report fails it. Budget: about 10 minutes in all
# (VM timeouts 240 s + 360 s; the fuzzing stops after 120 s and 170 s,
# TOY_FUZZ_SECONDS and TOY_FUZZ_DEBUG_SECONDS, and fails if short of its
# count). The long run, outside make check (about 15 minutes of the debug
# VM under TCG):
#   TOY_FUZZ_ONLY=debug TOY_FUZZ_DEBUG_COUNT=1000000 \
#   TOY_FUZZ_DEBUG_SECONDS=1200 scripts/tiers/40-fuzz.sh
# TOY_SEED fixes the seeds. Logs: build/logs/fuzz-stock/, build/logs/fuzz/.
# TOY_FUZZ_PATCH=FILE builds the debug toy.ko with that patch applied (a
# control: the debug run must then fail); TOY_FUZZ_ONLY=stock|debug runs
# one VM.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 2
BUILD=${TOY_BUILD_DIR:-$TOP/build}
WORK=$BUILD/fuzz-tier
mkdir -p "$WORK"
failed=0

envs=()
[ -n "${TOY_SEED:-}" ] && envs+=(-e "TOY_SEED=$TOY_SEED")

if [ "${TOY_FUZZ_ONLY:-stock}" = stock ]; then
	KVER=$(scripts/kver.sh)
	INITRD=$BUILD/initramfs-$KVER.cpio.gz
	scripts/mkinitramfs.sh -k "$KVER" -o "$INITRD" >"$WORK/initramfs-stock.log" 2>&1 ||
		{ echo "FAIL: fuzz: stock: initramfs"; exit 1; }
	secs=${TOY_FUZZ_SECONDS:-120}
	TOY_VM_GUEST_TIMEOUT=$((secs + 90)) scripts/vm.sh -n fuzz-stock \
		-V "$KVER" -r "$INITRD" -t $((secs + 120)) "${envs[@]}" \
		-e TOY_FUZZ_KERNEL=stock -e TOY_FUZZ_PHASES= \
		-e TOY_FUZZ_COUNT="${TOY_FUZZ_COUNT:-1000000}" \
		-e TOY_FUZZ_SECONDS="$secs" \
		-- sh /tests/fuzz-guest.sh || failed=1
fi

if [ "${TOY_FUZZ_ONLY:-debug}" = debug ]; then
	# shellcheck source=scripts/debug-lib.sh
	. scripts/debug-lib.sh
	debug_kernel "$WORK"
	if ! debug_toy "$WORK" "${TOY_FUZZ_PATCH:-}"; then
		echo "FAIL: fuzz: debug: toy.ko and its initramfs for the debug kernel"
		exit 1
	fi
	secs=${TOY_FUZZ_DEBUG_SECONDS:-170}
	TOY_VM_GUEST_TIMEOUT=$((secs + 150)) scripts/vm.sh \
		-n "${TOY_FUZZ_RUN:-fuzz}" -V "$KVER" -k "$BZIMAGE" \
		-r "$INITRD" -t $((secs + 190)) "${envs[@]}" \
		-e TOY_FUZZ_KERNEL=debug \
		-e TOY_FUZZ_COUNT="${TOY_FUZZ_DEBUG_COUNT:-50000}" \
		-e TOY_FUZZ_SECONDS="$secs" \
		-- sh /tests/fuzz-guest.sh || failed=1
fi
exit "$failed"
