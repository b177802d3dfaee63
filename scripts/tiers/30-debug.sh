#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "debug": every in-guest test (scripts/tests/NN-*.sh) again, on the
# debug kernel (KASAN, lockdep, DEBUG_ATOMIC_SLEEP, kmemleak), with toy.ko
# built against it. vm.sh fails the run on any report in the kernel log,
# including a kmemleak "unreferenced object" after the tests.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
BUILD=${TOY_BUILD_DIR:-$TOP/build}
WORK=$BUILD/debug-tier
mkdir -p "$WORK"

scripts/debug-kernel.sh 2> >(sed -u 's/^/# /' >&2) >"$WORK/kernel.env"
KDIR=$(sed -n 's/^KDIR=//p' "$WORK/kernel.env")
BZIMAGE=$(sed -n 's/^BZIMAGE=//p' "$WORK/kernel.env")
KVER=$(cat "$KDIR/include/config/kernel.release")

# Kbuild writes its objects beside the sources: build a copy, so the
# tree's toy.ko for Debian's kernel stays as it is.
SRC=$WORK/src
mkdir -p "$SRC"
for d in module uapi; do
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.symvers' \
		--exclude='modules.order' "$d/" "$SRC/$d/"
done
if ! make -C "$KDIR" M="$SRC/module" modules >"$WORK/build.log" 2>&1; then
	tail -n 30 "$WORK/build.log" | sed 's/^/# /'
	echo "FAIL: debug: toy.ko does not build against the debug kernel"
	exit 1
fi

INITRD=$WORK/initramfs-$KVER.cpio.gz
scripts/mkinitramfs.sh -k "$KVER" -m "$KDIR" -t "$SRC/module/toy.ko" \
	-o "$INITRD" >"$WORK/initramfs.log"

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
