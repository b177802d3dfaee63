#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "stock-6.12": the in-guest tests (scripts/tests/NN-*.sh) on Debian
# 12's Linux 6.12 (linux-image-6.12.N+deb12-amd64, scripts/kver.sh 6.12),
# with toy.ko built for it in a copy of module/ (scripts/build-module.sh
# -> build/<version>/module/toy.ko; module/toy.ko stays the 6.1 one) and
# the same userspace/build/* as tier "stock". It also compiles kunit/'s
# objects against 6.12 (one PASS/FAIL line).
#
# Segmentation offload is off here (net.toy.gso=0 in every test
# namespace, TOY_GSO; the tiers stock and debug run with it on, and
# 56-gso sets it itself): so every test, the netem matrix (50-reliability)
# with them, runs with offload both on and off in each `make check`.
#
# Which tests: all but TOY_612_SKIP, by default the three longest after
# the matrix, which exercise the protocol's own logic rather than the
# kernel APIs that differ between 6.1 and 6.12 (module/compat.h). Times
# on 6.1 in a CI-like run:
#   55-flow         flow control and zero windows (60 s)
#   65-synflood     a SYN flood per syncookies mode (73 s); 15-syncookies
#                   runs the cookie path on 6.12
#   47-lessons      the lessons (180 s): userspace on top of the trace
#                   events, which 45-trace and 46-toytrace check on 6.12
# All three run on 6.1 in tier "stock"; all but 47 on the debug kernel.
# TOY_GSO=1 (or empty: the namespaces' default) runs with offload on.
# TOY_612_SKIP= (empty) runs every file on 6.12; TOY_TESTS (as for tier
# "stock") names the files and overrides TOY_612_SKIP. The VM timeout is the sum of the chosen
# files' own timeouts plus boot time (TOY_VM_TIMEOUT overrides).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${TOY_BUILD_DIR:-build}

if ! KVER=$(scripts/kver.sh 6.12); then
	echo "FAIL: stock-6.12: no Debian 6.12 kernel with headers (scripts/deps.sh installs one)"
	exit 1
fi
echo "# kernel $KVER"
WORK=$BUILD/$KVER
mkdir -p "$WORK"
if ! scripts/build-module.sh "/lib/modules/$KVER/build" "$WORK" >"$WORK/build.log" 2>&1; then
	tail -n 30 "$WORK/build.log" | sed 's/^/# /'
	echo "FAIL: stock-6.12: toy.ko does not build against $KVER (log: $WORK/build.log)"
	exit 1
fi
if grep -q 'warning:' "$WORK/build.log"; then
	grep 'warning:' "$WORK/build.log" | head -n 20 | sed 's/^/# /'
	echo "FAIL: stock-6.12: toy.ko builds with warnings against $KVER"
	exit 1
fi

# kunit/ cannot run here (Debian's 6.12 has no CONFIG_KUNIT: tier "kunit"
# runs it on the 6.1 debug kernel), but its objects, which compile the
# protocol's pure files too, must build against 6.12 without warnings.
rsync -rl --checksum --delete --exclude='*.o' --exclude='.*.cmd' kunit/ "$WORK/kunit/"
if make -C "/lib/modules/$KVER/build" M="$(cd "$WORK" && pwd)/kunit" toy_kunit.o \
	>"$WORK/kunit-build.log" 2>&1 && ! grep -q 'warning:' "$WORK/kunit-build.log"; then
	echo "PASS: stock-6.12: kunit/ compiles against $KVER without warnings"
else
	grep -E 'warning:|error:' "$WORK/kunit-build.log" | head -n 20 | sed 's/^/# /'
	echo "FAIL: stock-6.12: kunit/ compiles against $KVER without warnings" \
	     "(log: $WORK/kunit-build.log)"
fi

INITRD=$BUILD/initramfs-$KVER.cpio.gz
# xfrm_user: 28-policy sets an IPsec policy with ip xfrm (6.12's modules
# are .ko.xz: mkinitramfs.sh unpacks them)
scripts/mkinitramfs.sh -k "$KVER" -t "$WORK/module/toy.ko" -M xfrm_user -o "$INITRD"

SKIP=${TOY_612_SKIP-55-flow 65-synflood 47-lessons}
GSO=${TOY_GSO-0}
echo "# net.toy.gso=${GSO:-default} in every test namespace (TOY_GSO)"
TESTS=${TOY_TESTS:-}
if [ -z "$TESTS" ] && [ -n "$SKIP" ]; then
	for f in scripts/tests/[0-9][0-9]-*.sh; do
		n=$(basename "$f" .sh)
		case " $SKIP " in *" $n "*) continue ;; esac
		TESTS="$TESTS $n"
	done
	echo "# not run on 6.12 (time budget; they run on 6.1 in tier stock and" \
	     "on the debug kernel; TOY_612_SKIP= runs them): $SKIP"
fi

budget=60
for f in scripts/tests/[0-9][0-9]-*.sh; do
	# selected as /tests/run.sh selects: a name containing an argument
	sel=1
	if [ -n "$TESTS" ]; then
		sel=0
		for a in $TESTS; do
			case $(basename "$f") in *"$a"*) sel=1 ;; esac
		done
	fi
	[ "$sel" = 1 ] || continue
	t=$(head -n 10 "$f" | sed -n 's/^# *timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	budget=$((budget + ${t:-${TOY_TEST_TIMEOUT:-300}} + 10))
done
if [ -z "${TOY_VM_TIMEOUT:-}" ]; then
	export TOY_VM_GUEST_TIMEOUT=${TOY_VM_GUEST_TIMEOUT:-$budget}
fi
timeout=${TOY_VM_TIMEOUT:-$((budget + 60))}

# shellcheck disable=SC2086 # TESTS is a list of names
exec scripts/vm.sh -n stock-6.12 -V "$KVER" -r "$INITRD" -t "$timeout" \
	${TOY_TEST_TIMEOUT:+-e TOY_TEST_TIMEOUT="$TOY_TEST_TIMEOUT"} \
	${GSO:+-e TOY_GSO="$GSO"} \
	-- /tests/run.sh $TESTS
