#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Get both sides of the two-VM setup ready: for side A and side B, a
# toy.ko and the initramfs with it (scripts/twovm/initramfs.sh), and print
# the settings scripts/twovm.sh reads, for `eval`:
#	TOY_TWO_KVER_A=... TOY_TWO_INITRD_A=... (and _B)
# Each side's kernel: that of TOY_TWO_KO_<side> if set (a toy.ko built
# elsewhere), else TOY_TWO_KVER_<side> (toy.ko built for it by
# scripts/twovm/ko.sh), else the one `make module` built module/toy.ko for;
# side B's default is the installed 6.12 kernel (TOY_TWO_KVER_B= for none).
# Build output goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${TOY_BUILD_DIR:-build}

# Side B runs Debian's 6.12 kernel when one is installed (scripts/deps.sh
# installs it), so that two different kernels talk; side A the primary.
if [ -z "${TOY_TWO_KO_B:-}${TOY_TWO_KVER_B+set}" ]; then
	TOY_TWO_KVER_B=$(scripts/kver.sh 6.12 2>/dev/null) || TOY_TWO_KVER_B=
fi

for s in A B; do
	ko=TOY_TWO_KO_$s kv=TOY_TWO_KVER_$s
	ko=${!ko:-} kv=${!kv:-}
	if [ -z "$ko" ] && [ -n "$kv" ]; then
		ko=$(scripts/twovm/ko.sh "$kv")
	fi
	ko=${ko:-module/toy.ko}
	[ -f "$ko" ] || { echo "twovm: side $s: $ko not built (make module)" >&2; exit 1; }
	kv=$(modinfo -F vermagic "$ko" | awk '{ print $1 }')
	lc=$(tr AB ab <<<"$s")
	initrd=$BUILD/initramfs-twovm-$lc.cpio.gz
	scripts/twovm/initramfs.sh "$kv" "$ko" "$initrd" >&2
	echo "export TOY_TWO_KVER_$s=$kv TOY_TWO_INITRD_$s=$initrd"
done
