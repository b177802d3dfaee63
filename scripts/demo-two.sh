#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo-two: the demo across two VMs (scripts/twovm/demo.sh), each
# booting its own kernel with its own toy.ko, joined by virtio-net NICs
# over a TCP connection on 127.0.0.1 (scripts/twovm.sh). Each side prints
# its `uname -r`. `make demo-two` has built everything before this runs.
#
# Environment: TOY_TWO_KO_A, TOY_TWO_KO_B (toy.ko of each side, default
# module/toy.ko; each side boots the kernel its toy.ko was built for),
# TOY_DEMO_DELAY (20ms), TOY_DEMO_LOSS (5%), TOY_DEMO_CORRUPT (2%),
# TOY_VM_TIMEOUT (300 s).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${TOY_BUILD_DIR:-build}

for s in A B; do
	ko=TOY_TWO_KO_$s
	ko=${!ko:-module/toy.ko}
	[ -f "$ko" ] || { echo "demo-two: $ko not built (make module)" >&2; exit 1; }
	kv=$(modinfo -F vermagic "$ko" | awk '{ print $1 }')
	lc=$(tr AB ab <<<"$s")
	scripts/twovm/initramfs.sh "$kv" "$ko" "$BUILD/initramfs-twovm-$lc.cpio.gz" 2>/dev/null
	export "TOY_TWO_KVER_$s=$kv" "TOY_TWO_INITRD_$s=$BUILD/initramfs-twovm-$lc.cpio.gz"
done

echo "Booting two VMs (QEMU, software emulation: about 15 s): A with kernel"
echo "$TOY_TWO_KVER_A, B with kernel $TOY_TWO_KVER_B; the demo takes about a minute."
exec scripts/twovm.sh -l -n demo-two -t "${TOY_VM_TIMEOUT:-300}" \
	-e "TOY_DEMO_DELAY=${TOY_DEMO_DELAY:-20ms}" -e "TOY_DEMO_LOSS=${TOY_DEMO_LOSS:-5%}" \
	-e "TOY_DEMO_CORRUPT=${TOY_DEMO_CORRUPT:-2%}" -s scripts/twovm/demo.sh
