#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "capture": the Wireshark dissector against a real capture. One stock
# VM run (scripts/host/capture-guest.sh) captures an AF_TOY exchange through
# netem loss and reordering and records toytrace's trace of it; on the host
# scripts/host/capture-test.sh decodes the capture with tshark and
# userspace/wireshark/toy.lua and compares every frame with its trace event.
# Needs `make all` (toy.ko, userspace) and tshark (installed through
# scripts/deps.sh if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! scripts/deps.sh tshark >&2; then
	echo "FAIL: capture: could not install tshark"
	exit 1
fi
KVER=$(scripts/kver.sh)
INITRD=${TOY_BUILD_DIR:-build}/initramfs-$KVER.cpio.gz
scripts/mkinitramfs.sh -k "$KVER" -M xfrm_user -o "$INITRD"
t0=$(date +%s)
rc=0
# the encoded files stay in build/logs/capture/out.log, off the terminal
if ! scripts/vm.sh -n capture -V "$KVER" -r "$INITRD" -t 240 \
	-f scripts/host/toy-capture.py -s scripts/host/capture-guest.sh |
	awk '/^=== BEGIN/ { print "# " $0 " (in out.log)"; f = 1 } /^=== END/ { f = 0; next } !f'; then
	rc=1
fi
echo "# capture VM run: $(($(date +%s) - t0)) s"
scripts/host/capture-test.sh "${TOY_BUILD_DIR:-build}/logs/capture/out.log" || rc=1
exit "$rc"
