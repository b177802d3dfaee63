#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "two-vm": two VMs, each booting its own kernel with its own toy.ko,
# joined by virtio-net NICs over a TCP connection on 127.0.0.1
# (scripts/twovm.sh). In both directions: echo, the file transfer with
# SHA-256, toy-verify through netem loss/duplication/delay/reordering and
# through netem corrupt, and an MTU 9000 run (scripts/twovm/tests.sh). On
# this path nothing trusts a checksum: virtio-net without checksum offload,
# so the sending kernel computes each one and the receiving kernel checks
# it. The host then reads the capture of the cable
# (scripts/twovm/pcap-check.py): every AF_TOY checksum correct outside the
# corrupt runs, and in them the kernels' CsumErrors equal to the bad frames
# that reached them.
#
# Environment: TOY_TWO_KVER_A, TOY_TWO_KVER_B (each side's kernel, e.g.
# TOY_TWO_KVER_B=6.12.N+deb12-amd64: toy.ko is built for it in build/;
# default: A the kernel module/toy.ko was built for (6.1), B the installed
# 6.12 kernel (`scripts/kver.sh 6.12`), or A's if there is none; set
# TOY_TWO_KVER_B= (empty) for A's kernel on both), or TOY_TWO_KO_A/B (a
# toy.ko built elsewhere: its kernel boots) (scripts/twovm/sides.sh);
# TOY_TWO_COUNT (messages per toy-verify run, default 2000);
# TOY_VM_TIMEOUT (each VM, default 900 s).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${TOY_BUILD_DIR:-build}
start=$(date +%s)

sides=$(scripts/twovm/sides.sh) ||
	{ echo "FAIL: two-vm: toy.ko and initramfs for both sides"; exit 1; }
eval "$sides"

PCAP=$BUILD/logs/two-vm.pcap
LOG=$BUILD/logs/two-vm.out
mkdir -p "$BUILD/logs"
rc=0
scripts/twovm.sh -n two-vm -t "${TOY_VM_TIMEOUT:-900}" -p "$PCAP" \
	-e "TOY_TWO_COUNT=${TOY_TWO_COUNT:-2000}" ${TOY_SEED:+-e "TOY_SEED=$TOY_SEED"} \
	-s scripts/twovm/tests.sh | tee "$LOG" || rc=$?

# both kernels' checksum errors during the corrupt runs, from the consoles
csum=$(sed -n 's/^# [AB]| twovm-csum corrupt-[a-z]* [AB] \([0-9]*\)$/\1/p' "$LOG" |
	awk '{ n += $1 } END { print n + 0 }')
if [ -s "$PCAP" ]; then
	scripts/twovm/pcap-check.py "$PCAP" --corrupt 7601,7602 --jumbo 7901,7902 \
		--csum-errors "$csum" || rc=1
	# 20-40 MB of frames: keep it only when something failed
	[ "$rc" != 0 ] || rm -f "$PCAP"
else
	echo "FAIL: two-vm wire: no capture of the cable ($PCAP)"
	rc=1
fi
echo "# two-vm: A $TOY_TWO_KVER_A, B $TOY_TWO_KVER_B: $(($(date +%s) - start)) s"
exit "$rc"
