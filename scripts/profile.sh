#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make profile: where the guest kernel spends its time during a bulk
# transfer, AF_TOY against TCP. Builds a profiling initramfs (the test one
# plus Debian's perf and its libraries: build/initramfs-KVER-profile.cpio.gz,
# so that the test initramfs stays small), boots it once and runs
# scripts/profile/guest.sh there: `perf record -a -g -e cpu-clock` (a
# software clock: no PMU under TCG) during one AF_TOY and then one TCP bulk
# flow, `perf report --sort sym` of each, the top symbols side by side.
# The output is kept in build/logs/profile/out.log and, split, in
# build/profile/ (side-by-side.txt, toy.txt, tcp.txt and, with call
# graphs, toy-callers.txt, tcp-callers.txt).
#
# Environment: KVER (default scripts/kver.sh), PROFILE_DURATION (s per
# flow, 10), PROFILE_TOP (symbols per side, 25), PROFILE_TOY_SIZE (AF_TOY
# message size, 65536), PROFILE_TCP_SIZE (TCP write size, 65536),
# PROFILE_CALLGRAPH (1: record with -g and show callers; 0: without),
# PROFILE_CALLER_LINES (400), TOY_VM_TIMEOUT (s, 600), plus whatever
# scripts/vm.sh reads.
set -euo pipefail
cd "$(dirname "$0")/.."

KVER=${KVER:-$(scripts/kver.sh)}
B=${TOY_BUILD_DIR:-build}
INITRD=$B/initramfs-$KVER-profile.cpio.gz
PERF=$(command -v perf || true)
if [ -z "$PERF" ] || ! "$PERF" version >/dev/null 2>&1; then
	echo "profile: no working perf on the host: scripts/deps.sh linux-perf"
	exit 1
fi

echo "profile: building $INITRD (the test initramfs plus $PERF $("$PERF" version | awk '{ print $3 }'))"
scripts/mkinitramfs.sh -k "$KVER" -o "$INITRD" -x "$PERF:/usr/bin/perf" 2>&1 | tail -n 1

envs=()
for v in PROFILE_DURATION PROFILE_TOP PROFILE_TOY_SIZE PROFILE_TCP_SIZE PROFILE_CALLGRAPH \
	 PROFILE_CALLER_LINES; do
	[ -n "${!v+set}" ] && envs+=(-e "$v=${!v}")
done
echo "Booting a VM (QEMU, software emulation) for the profile: about 2 minutes..."
rc=0
scripts/vm.sh -n profile -V "$KVER" -r "$INITRD" -t "${TOY_VM_TIMEOUT:-600}" \
	"${envs[@]}" -s scripts/profile/guest.sh || rc=$?

# keep the guest's sections: "==== NAME" starts one, "==== end" ends it
OUT=$B/profile
mkdir -p "$OUT"
tr -d '\r' <"$B/logs/profile/out.log" | awk -v d="$OUT" '
	/^==== end/ { f = ""; next }
	/^==== / { f = d "/" $2 ".txt"; printf "" >f; next }
	f != "" { print >>f }'
ls "$OUT"/*.txt >/dev/null 2>&1 && echo "profile: kept in $OUT: $(cd "$OUT" && echo *.txt)"
exit "$rc"
