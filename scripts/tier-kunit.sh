#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "kunit": AF_TOY's KUnit tests (kunit/ -> toy_kunit.ko) on the debug
# kernel (KUnit, KASAN, lockdep, kmemleak) under QEMU.
#
#   scripts/tier-kunit.sh
#
# 1. scripts/debug-kernel.sh: the debug kernel (built once, then cached)
# 2. toy_kunit.ko built against it, in a scratch copy of kunit/ module/
#    uapi/ under build/kunit-debug/ (the repository tree is not touched, so
#    a module/toy.ko built for Debian's kernel survives)
# 3. an initramfs for that kernel (scripts/mkinitramfs.sh, without toy.ko)
# 4. scripts/vm.sh boots it, the guest insmods toy_kunit.ko (the suites run
#    during the load), rmmods it, and the kernel log comes back
# 5. scripts/kunit-parse.py checks the KTAP strictly against the suites
#    registered in kunit/*.c
#
# Output: one line per KUnit case, "PASS: kunit/<suite>/<case>" or
# "FAIL: kunit/<suite>/<case>" (a parameterised case is one line; its
# failing parameters are shown as "# " lines above it), "FAIL: kunit/..."
# lines for a build failure, a crash, a missing plan or suite, a kernel log
# problem (KASAN, lockdep, kmemleak...), and "# " lines for the rest,
# including the time taken. Exit status 0 only if everything passed.
#
# Environment: TOY_KUNIT_TIMEOUT (VM timeout, s; default 600), TOY_BUILD_DIR
# (build), TOY_CACHE (debug kernel cache), and what scripts/vm.sh reads.
# Logs: build/kunit-debug/*.log, build/logs/kunit-debug/.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
BUILD=${TOY_BUILD_DIR:-$TOP/build}
WORK=$BUILD/kunit-debug
RUN=kunit-debug
mkdir -p "$WORK" || exit 2

t0=$(date +%s)
comment() { sed -u 's/^/# /'; }
elapsed() { echo $(( $(date +%s) - $1 )); }
finish() {
	echo "# kunit tier: $(elapsed "$t0") s total (kernel ${t_kernel:-?} s," \
	     "module ${t_module:-?} s, initramfs ${t_initrd:-?} s, VM ${t_vm:-?} s)"
	exit "$1"
}
fail() {	# fail WHAT WHY [LOG]: one FAIL line, the log's tail, exit 1
	[ -n "${3:-}" ] && [ -s "$3" ] && tail -n 30 "$3" | comment
	echo "FAIL: kunit/$1: $2"
	finish 1
}

# --- 1. debug kernel -------------------------------------------------------
t=$(date +%s)
if ! scripts/debug-kernel.sh 2>&1 >"$WORK/kernel.env" | comment; then
	fail build "scripts/debug-kernel.sh failed"
fi
KDIR=$(sed -n 's/^KDIR=//p' "$WORK/kernel.env")
BZIMAGE=$(sed -n 's/^BZIMAGE=//p' "$WORK/kernel.env")
[ -d "$KDIR" ] && [ -f "$BZIMAGE" ] || fail build "debug-kernel.sh gave no KDIR/BZIMAGE"
KVER=$(cat "$KDIR/include/config/kernel.release")
t_kernel=$(elapsed "$t")

# --- 2. toy_kunit.ko ---------------------------------------------------------
t=$(date +%s)
SRC=$WORK/src
mkdir -p "$SRC"
for d in kunit module uapi; do
	[ -d "$TOP/$d" ] || continue
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.symvers' \
		--exclude='modules.order' "$TOP/$d/" "$SRC/$d/" ||
		fail build "copying $d/ to $SRC failed"
done
if ! make -C "$KDIR" M="$SRC/kunit" modules >"$WORK/build.log" 2>&1; then
	grep -E 'error|Error' "$WORK/build.log" | head -n 20 | comment
	fail build "toy_kunit.ko does not build against $KDIR" "$WORK/build.log"
fi
KO=$SRC/kunit/toy_kunit.ko
[ -f "$KO" ] || fail build "no $KO after make"
# warnings are worth seeing, but do not fail the tier
grep -E 'warning:' "$WORK/build.log" | head -n 20 | comment
t_module=$(elapsed "$t")

# --- 3. initramfs for the debug kernel -------------------------------------
t=$(date +%s)
INITRD=$WORK/initramfs-$KVER.cpio.gz
mkdir -p "$WORK/no-userspace"
if ! scripts/mkinitramfs.sh -k "$KVER" -m "$KDIR" -t '' -u "$WORK/no-userspace" \
	-o "$INITRD" >"$WORK/initramfs.log" 2>&1; then
	fail initramfs "scripts/mkinitramfs.sh failed" "$WORK/initramfs.log"
fi
t_initrd=$(elapsed "$t")

# --- 4. boot, load, unload --------------------------------------------------
# KTAP is printed at KERN_INFO: raise the console level while the tests
# run so that a crash mid-run still leaves the KTAP so far on the console.
GUEST='echo "toy-kunit: begin" >/dev/kmsg
dmesg -n 8
insmod /toy/toy_kunit.ko; rc=$?
dmesg -n 5
[ $rc = 0 ] || echo "insmod toy_kunit.ko failed: $rc"
rmmod toy_kunit || { echo "rmmod toy_kunit failed"; rc=1; }
echo "toy-kunit: end" >/dev/kmsg
exit $rc'
t=$(date +%s)
scripts/vm.sh -n "$RUN" -k "$BZIMAGE" -r "$INITRD" -N \
	-t "${TOY_KUNIT_TIMEOUT:-600}" -f "$KO:/toy/toy_kunit.ko" -c "$GUEST" \
	>"$WORK/vm.out" 2>&1
vmrc=$?
t_vm=$(elapsed "$t")
LOGS=$BUILD/logs/$RUN

# --- 5. results ----------------------------------------------------------
rc=0
python3 scripts/kunit-parse.py --src "$TOP/kunit" --prefix kunit \
	--begin 'toy-kunit: begin' --end 'toy-kunit: end' \
	"$LOGS/dmesg.log" "$LOGS/console.log" || rc=1

# vm.sh's own verdict: the guest finished, the kernel log is clean
# (KASAN, lockdep, WARN, kmemleak after the unload...).
while IFS= read -r line; do
	case $line in
	"PASS: "*) echo "# vm: ${line#PASS: }" ;;
	"FAIL: "*) echo "FAIL: kunit/vm: ${line#FAIL: $RUN: }"; rc=1 ;;
	"# "*) echo "$line" ;;
	*) echo "# $line" ;;
	esac
done <"$WORK/vm.out"
if [ "$vmrc" != 0 ] && [ "$rc" = 0 ]; then
	echo "FAIL: kunit/vm: scripts/vm.sh exited $vmrc"
	rc=1
fi
finish "$rc"
