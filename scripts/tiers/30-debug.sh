#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "debug": every in-guest test (scripts/tests/NN-*.sh) again, on the
# debug kernel (KASAN, lockdep, DEBUG_ATOMIC_SLEEP, kmemleak), with toy.ko
# built against it. vm.sh fails the run on any report in the kernel log,
# including a kmemleak "unreferenced object" after the tests.
# Tier "debug-controls" (35-debug-controls.sh) shows that this catches a
# planted use-after-free and a planted leak.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
BUILD=${TOY_BUILD_DIR:-$TOP/build}
WORK=$BUILD/debug-tier
mkdir -p "$WORK"

# shellcheck source=scripts/debug-lib.sh
. scripts/debug-lib.sh
debug_kernel "$WORK"
if ! debug_toy "$WORK"; then
	echo "FAIL: debug: toy.ko and its initramfs for the debug kernel"
	exit 1
fi

# KASAN and lockdep make everything several times slower: double budgets.
budget=120
for f in scripts/tests/[0-9][0-9]-*.sh; do
	t=$(head -n 10 "$f" | sed -n 's/^# *timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	budget=$((budget + 2 * ${t:-${TOY_TEST_TIMEOUT:-300}} + 10))
done
export TOY_VM_GUEST_TIMEOUT=${TOY_VM_GUEST_TIMEOUT:-$budget}
timeout=${TOY_VM_TIMEOUT:-$((budget + 120))}

# shellcheck disable=SC2086 # TOY_TESTS is a list of names
exec scripts/vm.sh -n debug -V "$KVER" -k "$BZIMAGE" -r "$INITRD" \
	-t "$timeout" -e TOY_TIMEOUT_SCALE=2 -- /tests/run.sh ${TOY_TESTS:-}
