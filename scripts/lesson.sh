#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make lesson: list the lessons (scripts/lessons/NAME.sh), one line each;
# make lesson L=NAME: prepare quietly (as make demo: packages, module,
# programs, initramfs; build/lesson-prepare.log), boot the test VM with
# toy.ko loaded and run that lesson in it, non-interactively. LANG=zh*
# makes the lesson speak Chinese. TOY_VM_TIMEOUT (300 s); KVER, KDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

# the lesson files in teaching order (the tutorials' and issue 12's):
# those named here first, then any other in name order
TEACHING="encapsulation handshake teardown simultaneous half-close reset"
TEACHING="$TEACHING synflood retransmission sack window slowstart mss"
TEACHING="$TEACHING checksum boundaries udp"
order() {
	local n f
	for n in $TEACHING; do
		[ -f "scripts/lessons/$n.sh" ] && echo "scripts/lessons/$n.sh"
	done
	for f in scripts/lessons/*.sh; do
		n=$(basename "$f" .sh)
		case " $TEACHING lib " in *" $n "*) continue ;; esac
		echo "$f"
	done
}

# the lessons in teaching order, with their one-line description (the
# file's "# lesson:" line)
list() {
	local f name
	echo "Lessons (make lesson L=NAME; LANG=zh_CN.UTF-8 for Chinese):"
	for f in $(order); do
		name=$(basename "$f" .sh)
		printf '  %-14s %s\n' "$name" "$(sed -n 's/^# lesson: //p' "$f" | head -n 1)"
	done
}

L=${1:-}
if [ -z "$L" ]; then
	list
	exit 0
fi
if [ ! -f "scripts/lessons/$L.sh" ] || [ "$L" = lib ]; then
	echo "no lesson '$L'"
	list
	exit 2
fi

# shellcheck source=scripts/demo/prepare.sh
. scripts/demo/prepare.sh
prepare_vm lesson "libtoy, the programs, toytrace" \
	"the VM's initramfs (busybox, toy.ko, programs, lessons)"

echo "Booting a VM (QEMU, software emulation: about 10 s) with toy.ko loaded."
exec scripts/vm.sh -n "lesson-$L" -V "$KVER" -r "$INITRD" -t "${TOY_VM_TIMEOUT:-300}" \
	-e "LANG=${LANG:-C}" -c "sh /lessons/$L.sh"
