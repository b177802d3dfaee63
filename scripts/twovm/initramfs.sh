#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The initramfs of one side of the two-VM setup (scripts/twovm.sh): the
# test VM's (scripts/mkinitramfs.sh) plus the virtio-net driver and what it
# needs (virtio_pci, virtio_net and, by modinfo, virtio, virtio_ring,
# virtio_pci_*_dev, net_failover, failover: all modules in Debian's kernels).
#
# Usage: scripts/twovm/initramfs.sh KVER [TOY_KO [OUT]]
#   KVER    the kernel version the modules are for
#   TOY_KO  toy.ko built for KVER (default: module/toy.ko)
#   OUT     output (default: build/initramfs-twovm-KVER.cpio.gz, the file
#           scripts/twovm.sh boots by default; TOY_BUILD_DIR=)
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${TOY_BUILD_DIR:-$TOP/build}
[ $# -ge 1 ] || { sed -n '4,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2; }
KVER=$1
KO=${2:-$TOP/module/toy.ko}
OUT=${3:-$BUILD/initramfs-twovm-$KVER.cpio.gz}

# No python: the two-VM scripts do not use it, and the image boots faster.
TOY_PYTHON=0 exec "$TOP/scripts/mkinitramfs.sh" -k "$KVER" -t "$KO" \
	-M virtio_pci -M virtio_net -o "$OUT"
