#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo-two: the demo across two VMs (scripts/twovm/demo.sh), each
# booting its own kernel with its own toy.ko, joined by virtio-net NICs
# over a TCP connection on 127.0.0.1 (scripts/twovm.sh). Each side prints
# its `uname -r`. `make demo-two` has built everything before this runs.
#
# Environment: TOY_TWO_KVER_A, TOY_TWO_KVER_B (each side's kernel; default
# the one module/toy.ko was built for) or TOY_TWO_KO_A/B (scripts/twovm/sides.sh),
# TOY_DEMO_DELAY (20ms), TOY_DEMO_LOSS (5%), TOY_DEMO_CORRUPT (2%),
# TOY_VM_TIMEOUT (300 s).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${TOY_BUILD_DIR:-build}
mkdir -p "$BUILD"

sides=$(scripts/twovm/sides.sh 2>"$BUILD/demo-two-prepare.log") ||
	{ cat "$BUILD/demo-two-prepare.log" >&2; exit 1; }
eval "$sides"

echo "Booting two VMs (QEMU, software emulation: about 15 s): A with kernel"
echo "$TOY_TWO_KVER_A, B with kernel $TOY_TWO_KVER_B; the demo takes about a minute."
exec scripts/twovm.sh -l -n demo-two -t "${TOY_VM_TIMEOUT:-300}" \
	-e "TOY_DEMO_DELAY=${TOY_DEMO_DELAY:-20ms}" -e "TOY_DEMO_LOSS=${TOY_DEMO_LOSS:-5%}" \
	-e "TOY_DEMO_CORRUPT=${TOY_DEMO_CORRUPT:-2%}" -s scripts/twovm/demo.sh
