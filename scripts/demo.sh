#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: install what is missing, build, then boot the test VM with
# toy.ko loaded and run the demo in it (scripts/demo/guest.sh): two hosts
# joined by a lossy, slow virtual cable, an echo service, a file transfer
# with SHA-256, the Python tutorial's echo client, toystat and the
# protocol's counters.
#
# The preparation (apt, the builds, the VM image) prints one line per
# step; what the tools print goes to build/demo-prepare.log, and a failing
# step shows its part of that log. TOY_DEMO_VERBOSE=1 shows everything.
#
# Environment: TOY_DEMO_DELAY (20ms) and TOY_DEMO_LOSS (5%) shape the link;
# TOY_VM_TIMEOUT (300 s); KVER, KDIR as for make.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/demo/prepare.sh
. scripts/demo/prepare.sh
prepare_vm demo "libtoy, the demo programs, toystat" \
	"the VM's initramfs (busybox, toy.ko, programs)"

ENV=(-e "TOY_DEMO_DELAY=${TOY_DEMO_DELAY:-20ms}" -e "TOY_DEMO_LOSS=${TOY_DEMO_LOSS:-5%}")
# A terminal shows the file transfer's progress bar; a log gets plain lines.
[ -t 1 ] && ENV+=(-e TOY_DEMO_TTY=1)

echo "Booting a VM (QEMU, software emulation: about 10 s) with toy.ko loaded;"
echo "the demo itself takes about a minute."
exec scripts/vm.sh -n demo -V "$KVER" -r "$INITRD" -t "${TOY_VM_TIMEOUT:-300}" \
	"${ENV[@]}" -s scripts/demo/guest.sh
