#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo-two: the demo across two VMs (scripts/twovm/demo.sh), each
# booting its own kernel with its own toy.ko, joined by virtio-net NICs
# over a TCP connection on 127.0.0.1 (scripts/twovm.sh). Each side prints
# its `uname -r`. The preparation (packages, builds, both VM images) prints
# one line per step, as make demo's does (scripts/demo/prepare.sh); the
# tools' output goes to build/demo-two-prepare.log.
#
# Environment: TOY_TWO_KVER_A, TOY_TWO_KVER_B (each side's kernel; default
# A the primary 6.1, B the installed 6.12) or TOY_TWO_KO_A/B
# (scripts/twovm/sides.sh), TOY_DEMO_DELAY (20ms), TOY_DEMO_LOSS (5%),
# TOY_DEMO_CORRUPT (2%), TOY_VM_TIMEOUT (300 s), TOY_DEMO_VERBOSE.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${TOY_BUILD_DIR:-build}
mkdir -p "$BUILD"
PREPARE_LOG=$BUILD/demo-two-prepare.log
PREPARE_STEPS=3
: >"$PREPARE_LOG"
# shellcheck source=scripts/demo/prepare.sh
. scripts/demo/prepare.sh

SIDES=$BUILD/demo-two-sides.env
prepare "Debian packages (only what is missing)" scripts/deps.sh
prepare "the kernel module and the programs" make --no-print-directory all
prepare "toy.ko and a VM image for each side's kernel" \
	sh -c "scripts/twovm/sides.sh >'$SIDES'"
eval "$(cat "$SIDES")"

echo "Booting two VMs (QEMU, software emulation: about 15 s): A with kernel"
echo "$TOY_TWO_KVER_A, B with kernel $TOY_TWO_KVER_B; the demo takes about a minute."
exec scripts/twovm.sh -l -n demo-two -t "${TOY_VM_TIMEOUT:-300}" \
	-e "TOY_DEMO_DELAY=${TOY_DEMO_DELAY:-20ms}" -e "TOY_DEMO_LOSS=${TOY_DEMO_LOSS:-5%}" \
	-e "TOY_DEMO_CORRUPT=${TOY_DEMO_CORRUPT:-2%}" -s scripts/twovm/demo.sh
