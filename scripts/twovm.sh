#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot two AF_TOY VMs, each with its own kernel and a virtio-net NIC, joined
# by one TCP connection on 127.0.0.1 (scripts/twovm/link.py; QEMU's
# `-netdev socket,fd=`): no host privileges, no tap, no bridge. The same
# guest script runs in both, as side A (10.0.0.1, MAC 52:54:00:00:0a:01)
# and side B (10.0.0.2, ...:02); the two coordinate only over their NICs
# (scripts/twovm/guest-lib.sh). Output of both VMs comes live, each line
# labelled with its side; result lines (PASS:/FAIL:/SKIP:) unlabelled.
#
# Usage: scripts/twovm.sh [options] -s GUEST_SCRIPT
#   -s FILE     the script both guests run (sh), as /toy/script
#   -n NAME     run name: VM logs in build/logs/NAME-a/ and NAME-b/
#               (default: twovm)
#   -t SECS     hard timeout of each VM (default: $TOY_VM_TIMEOUT or 600)
#   -e NAME=VAL export NAME=VAL in both guests (repeatable)
#   -p FILE     capture every frame on the cable (both ways, as side A's
#               QEMU sees them: QEMU's filter-dump) into FILE, a pcap
#   -l          label lines "A| " and "B| " (a demo), not "# A| "
# Environment: TOY_TWO_KVER_A, TOY_TWO_KVER_B (each side's kernel version;
#   default: the one TOY_TWO_KO_A / TOY_TWO_KO_B, default module/toy.ko,
#   was built for), TOY_TWO_INITRD_A, TOY_TWO_INITRD_B (default
#   build/initramfs-twovm-KVER.cpio.gz, made by scripts/twovm/initramfs.sh),
#   TOY_TWO_KERNEL_A, TOY_TWO_KERNEL_B (default /boot/vmlinuz-KVER),
#   TOY_VM_SMP (default 1 here: two VMs share the host's cores), and what
#   scripts/vm.sh reads.
# Exit status: 0 if both VMs' commands exited 0 and their logs were clean,
# else side A's status if non-zero, else side B's.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TOY_BUILD_DIR:-$TOP/build}

# The cable first: re-run under link.py, which hands us fds 3 and 4.
if [ -z "${TOY_TWOVM_LINK:-}" ]; then
	exec python3 "$TOP/scripts/twovm/link.py" "$0" "$@"
fi

die() { echo "twovm: error: $*" >&2; exit 2; }

SCRIPT=""
NAME=twovm
TIMEOUT=${TOY_VM_TIMEOUT:-600}
ENVS=()
PCAP=""
LABEL="# "
while getopts "s:n:t:e:p:lh" opt; do
	case $opt in
	s) SCRIPT=$OPTARG ;;
	n) NAME=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	e) ENVS+=(-e "$OPTARG") ;;
	p) PCAP=$OPTARG ;;
	l) LABEL="" ;;
	h) sed -n '4,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) exit 2 ;;
	esac
done
[ -n "$SCRIPT" ] || die "no guest script (-s FILE)"
[ -f "$SCRIPT" ] || die "guest script $SCRIPT not found"

# ko_kver KO: the kernel version KO was built for
ko_kver() {
	[ -f "$1" ] || die "$1 not found: build it (make module) or set TOY_TWO_KVER_*"
	modinfo -F vermagic "$1" | awk '{ print $1 }'
}
KVER_A=${TOY_TWO_KVER_A:-$(ko_kver "${TOY_TWO_KO_A:-$TOP/module/toy.ko}")}
KVER_B=${TOY_TWO_KVER_B:-$(ko_kver "${TOY_TWO_KO_B:-$TOP/module/toy.ko}")}
export TOY_VM_SMP=${TOY_VM_SMP:-1}

# label SIDE: prefix the lines of one VM with its side, live
label() {
	sed -u -e 's/\r$//' -e "/^\(PASS\|FAIL\|SKIP\): /!s/^\(# \)\{0,1\}/$LABEL$1| /"
}

# side A|B: run one VM; its end of the cable is at fd 3
side() {
	local s=$1 kver initrd kernel lc mac q
	lc=$(tr AB ab <<<"$s")
	if [ "$s" = A ]; then kver=$KVER_A; else kver=$KVER_B; fi
	initrd=TOY_TWO_INITRD_$s kernel=TOY_TWO_KERNEL_$s
	initrd=${!initrd:-$BUILD/initramfs-twovm-$kver.cpio.gz}
	kernel=${!kernel:-/boot/vmlinuz-$kver}
	[ -r "$initrd" ] || die "side $s: $initrd not found: run scripts/twovm/initramfs.sh $kver"
	mac=52:54:00:00:0a:0$([ "$s" = A ] && echo 1 || echo 2)
	q=(-q -netdev -q "socket,id=n0,fd=3"
	   -q -device -q "virtio-net-pci,netdev=n0,mac=$mac")
	if [ "$s" = A ] && [ -n "$PCAP" ]; then
		q+=(-q -object -q "filter-dump,id=d0,netdev=n0,file=$PCAP")
	fi
	set +e
	"$TOP/scripts/vm.sh" -n "$NAME-$lc" -k "$kernel" -r "$initrd" -t "$TIMEOUT" \
		"${q[@]}" -e TOY_ROLE="$s" -e TOY_KVER_A="$KVER_A" -e TOY_KVER_B="$KVER_B" \
		"${ENVS[@]}" -f "$TOP/scripts/twovm/guest-lib.sh:/toy/twovm-lib.sh" \
		-s "$SCRIPT" 2>&1 | label "$s"
	return "${PIPESTATUS[0]}"
}

echo "${LABEL}twovm: A = kernel $KVER_A, B = kernel $KVER_B; cable: TCP $TOY_TWOVM_LINK"
[ -z "$PCAP" ] || rm -f "$PCAP"
side A 4<&- &
pa=$!
side B 3<&4 4<&- &
pb=$!
# The sides have their ends; this shell needs neither.
exec 3<&- 4<&-
ra=0 rb=0
wait "$pa" || ra=$?
wait "$pb" || rb=$?
echo "${LABEL}twovm: side A exit $ra, side B exit $rb"
[ "$ra" = 0 ] || exit "$ra"
exit "$rb"
