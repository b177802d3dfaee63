#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of a toy.ko for kernel KVER: module/toy.ko if `make
# module` built it for KVER, else build/KVER/module/toy.ko, built by
# scripts/build-module.sh from a copy of module/ (as `make module KVER=`
# does), so the tree's own module/toy.ko stays as it was. For a two-VM side on another
# kernel: TOY_TWO_KVER_B=6.12.N+deb12-amd64 scripts/check.sh two-vm.
#
# Usage: scripts/twovm/ko.sh KVER      (build output on stderr)
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${TOY_BUILD_DIR:-$TOP/build}
[ $# -eq 1 ] || { sed -n '4,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2; }
KVER=$1
KO=$TOP/module/toy.ko
if [ -f "$KO" ] && [ "$(modinfo -F vermagic "$KO" | awk '{ print $1 }')" = "$KVER" ]; then
	echo "$KO"
	exit 0
fi
KDIR=/lib/modules/$KVER/build
[ -f "$KDIR/Makefile" ] ||
	{ echo "twovm: no kernel build dir $KDIR (install linux-headers-$KVER)" >&2; exit 1; }
dir=$BUILD/$KVER
if ! "$TOP/scripts/build-module.sh" "$KDIR" "$dir" >"$dir.build.log" 2>&1; then
	tail -n 15 "$dir.build.log" | sed 's/^/# /' >&2
	echo "twovm: toy.ko does not build against $KDIR (log: $dir.build.log)" >&2
	exit 1
fi
echo "$dir/module/toy.ko"
