#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the test VM with toy.ko loaded and run the demo in it
# (scripts/demo/guest.sh): two hosts joined by a lossy, slow virtual cable,
# an echo service, a file transfer with SHA-256, the Python tutorial's echo
# client, toystat and the protocol's counters. `make demo` has installed
# packages and built everything before this runs.
#
# Environment: TOY_DEMO_DELAY (20ms) and TOY_DEMO_LOSS (5%) shape the link;
# TOY_VM_TIMEOUT (300 s); KVER (the kernel to boot, default scripts/kver.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

KVER=${KVER:-$(scripts/kver.sh)}
INITRD=${TOY_BUILD_DIR:-build}/initramfs-$KVER.cpio.gz

ENV=(-e "TOY_DEMO_DELAY=${TOY_DEMO_DELAY:-20ms}" -e "TOY_DEMO_LOSS=${TOY_DEMO_LOSS:-5%}")
# A terminal shows the file transfer's progress bar; a log gets plain lines.
[ -t 1 ] && ENV+=(-e TOY_DEMO_TTY=1)

echo "Booting a VM (QEMU, software emulation: about 10 s) with toy.ko loaded;"
echo "the demo itself takes about a minute."
exec scripts/vm.sh -n demo -V "$KVER" -r "$INITRD" -t "${TOY_VM_TIMEOUT:-300}" \
	"${ENV[@]}" -s scripts/demo/guest.sh
