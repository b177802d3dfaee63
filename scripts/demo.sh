#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the test VM with toy.ko loaded and run the demo in it
# (scripts/demo/guest.sh). `make demo` has installed packages and built
# everything before this runs.
set -euo pipefail
cd "$(dirname "$0")/.."

KVER=$(scripts/kver.sh)
INITRD=${TOY_BUILD_DIR:-build}/initramfs-$KVER.cpio.gz

echo "Booting a VM (QEMU, software emulation: about 10 s) with toy.ko loaded..."
exec scripts/vm.sh -n demo -V "$KVER" -r "$INITRD" -t "${TOY_VM_TIMEOUT:-300}" \
	-s scripts/demo/guest.sh
