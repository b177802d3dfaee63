#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the AF_TOY test VM (busybox sh, PID 1). Installed by
# scripts/mkinitramfs.sh; driven by scripts/vm.sh through two files that
# vm.sh appends to the initramfs for each run:
#
#   /toy/env  sourced here: TOY_MODE (run|shell), TOY_INSMOD (1|0),
#             TOY_MODULE_ARGS, TOY_GUEST_TIMEOUT (s, 0 = none), and any
#             NAME=VALUE given with vm.sh -e (exported)
#   /toy/cmd  the command, run with sh
#
# Channels: ttyS0 = kernel console (and the shell in TOY_MODE=shell),
# ttyS1 = output of /toy/cmd, then the line "TOY-EXIT: <rc>",
# ttyS2 = full dmesg (and kmemleak report) at the end.
# No `set -e`: PID 1 must always reach poweroff.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=linux
export TOY_KO=/lib/modules/toy.ko

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
# trace events (module/trace.h): tracefs, where tools expect it
grep -q ' /sys/kernel/tracing ' /proc/mounts ||
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/netns
[ -d /sys/fs/cgroup ] && mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
hostname toyvm

TOY_MODE=run
TOY_INSMOD=1
TOY_MODULE_ARGS=
TOY_GUEST_TIMEOUT=0
# shellcheck disable=SC1091
[ -f /toy/env ] && . /toy/env

OUT=/dev/ttyS1
[ -c "$OUT" ] || OUT=/dev/console
stty -F "$OUT" raw -echo 2>/dev/null
exec 3>"$OUT"

log() { echo "init: $*" >&3; echo "init: $*" >/dev/console; }

/sbin/ip link set lo up || log "ip link set lo up failed"

# Modules listed by mkinitramfs.sh, dependencies first.
if [ -f /etc/toy/modules ]; then
	while read -r ko; do
		[ -n "$ko" ] || continue
		insmod "$ko" || log "insmod $ko failed"
	done </etc/toy/modules
fi

if [ "$TOY_INSMOD" = 1 ]; then
	if [ -f "$TOY_KO" ]; then
		# shellcheck disable=SC2086 # module args are separate words
		insmod "$TOY_KO" $TOY_MODULE_ARGS || log "insmod toy.ko $TOY_MODULE_ARGS failed"
	else
		log "no $TOY_KO in this initramfs"
	fi
fi

# run_with_timeout SECS CMD...: run CMD in its own session; after SECS
# (0 = never) kill its whole process group. Returns CMD's status, or 124.
run_with_timeout() {
	t=$1; shift
	setsid "$@" &
	pid=$!
	wd=
	if [ "$t" -gt 0 ]; then
		# not on fd 3 (the output tty): killed below, it could still
		# hold it open as init closes it, and that close would then
		# not wait for the UART, losing the last lines (TOY-EXIT)
		setsid sh -c "sleep $t; touch /tmp/.toy-timeout; kill -TERM -$pid;
			      sleep 5; kill -KILL -$pid" >/dev/null 2>&1 3>&- &
		wd=$!
	fi
	wait "$pid"
	rc=$?
	[ -n "$wd" ] && kill -KILL "-$wd" 2>/dev/null
	if [ -e /tmp/.toy-timeout ]; then
		rm -f /tmp/.toy-timeout
		# The group may be gone already, or be in its 5 s grace period.
		kill -KILL "-$pid" 2>/dev/null
		return 124
	fi
	return "$rc"
}

cd /tmp || cd /
if [ "$TOY_MODE" = shell ]; then
	[ -f /toy/cmd ] && sh /toy/cmd </dev/console >/dev/console 2>&1
	setsid cttyhack sh -l
	rc=$?
	echo "TOY-EXIT: $rc" >&3
else
	run_with_timeout "$TOY_GUEST_TIMEOUT" sh /toy/cmd </dev/null >&3 2>&3
	rc=$?
	if [ "$rc" = 124 ]; then
		echo "TOY-EXIT: 124 (guest timeout after ${TOY_GUEST_TIMEOUT}s)" >&3
	else
		echo "TOY-EXIT: $rc" >&3
	fi
fi
# Closing the tty waits until the UART has sent everything.
exec 3>&-

# kmemleak (debug kernels): two scans, as the first one can miss leaks of
# objects younger than 5 s; the report goes into the log that vm.sh scans.
KML=/sys/kernel/debug/kmemleak
if [ -w "$KML" ]; then
	sleep 5
	echo scan >"$KML"
	echo scan >"$KML"
fi

DMESG=/dev/ttyS2
[ -c "$DMESG" ] || DMESG=/dev/console
{
	dmesg
	[ -r "$KML" ] && cat "$KML"
	echo "TOY-DMESG-END"
} >"$DMESG" 2>&1

sync
poweroff -f
# Not reached, unless poweroff failed: let the kernel stop the VM.
echo "init: poweroff failed" >/dev/console
sleep 5
exit 1
