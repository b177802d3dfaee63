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

BUILD=${TOY_BUILD_DIR:-build}
LOG=$BUILD/demo-prepare.log
mkdir -p "$BUILD"
: >"$LOG"
nsteps=4
istep=0

# prepare TITLE CMD...: one preparation step, its output in $LOG. On a
# terminal the line counts the seconds while CMD runs.
prepare() {
	local title=$1 t0 pid rc=0 start
	shift
	istep=$((istep + 1))
	t0=$SECONDS
	if [ "${TOY_DEMO_VERBOSE:-0}" = 1 ]; then
		echo "[$istep/$nsteps] $title"
		"$@" || { echo "[$istep/$nsteps] $title: FAILED"; exit 1; }
		return
	fi
	start=$(wc -l <"$LOG")
	printf '==== [%d/%d] %s: %s\n' "$istep" "$nsteps" "$title" "$*" >>"$LOG"
	"$@" >>"$LOG" 2>&1 </dev/null &
	pid=$!
	if [ -t 1 ]; then
		while kill -0 "$pid" 2>/dev/null; do
			printf '\r[%d/%d] %s ... %ds' "$istep" "$nsteps" "$title" \
				$((SECONDS - t0))
			sleep 1
		done
	else
		printf '[%d/%d] %s ...' "$istep" "$nsteps" "$title"
	fi
	wait "$pid" || rc=$?
	# a terminal rewrites the line; a log continues it
	if [ -t 1 ]; then
		printf '\r[%d/%d] %s:' "$istep" "$nsteps" "$title"
	fi
	if [ "$rc" -ne 0 ]; then
		printf ' FAILED (exit %d) after %ds; its output:\n' "$rc" \
			$((SECONDS - t0))
		tail -n +"$((start + 1))" "$LOG" | sed 's/^/  | /'
		echo "(the whole log: $LOG)"
		exit 1
	fi
	printf ' done in %ds   \n' $((SECONDS - t0))
}

prepare "Debian packages (only what is missing)" scripts/deps.sh
KVER=${KVER:-$(scripts/kver.sh)}
export KVER
prepare "the kernel module, for Linux $KVER" make --no-print-directory module
prepare "libtoy, the demo programs, toystat" make --no-print-directory userspace
prepare "the VM's initramfs (busybox, toy.ko, programs)" \
	make --no-print-directory initramfs
INITRD=$BUILD/initramfs-$KVER.cpio.gz

ENV=(-e "TOY_DEMO_DELAY=${TOY_DEMO_DELAY:-20ms}" -e "TOY_DEMO_LOSS=${TOY_DEMO_LOSS:-5%}")
# A terminal shows the file transfer's progress bar; a log gets plain lines.
[ -t 1 ] && ENV+=(-e TOY_DEMO_TTY=1)

echo "Booting a VM (QEMU, software emulation: about 10 s) with toy.ko loaded;"
echo "the demo itself takes about a minute."
exec scripts/vm.sh -n demo -V "$KVER" -r "$INITRD" -t "${TOY_VM_TIMEOUT:-300}" \
	"${ENV[@]}" -s scripts/demo/guest.sh
