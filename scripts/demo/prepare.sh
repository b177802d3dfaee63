#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The preparation steps of `make demo`, `make demo-two` and `make lesson`,
# one line each:
# source it, set PREPARE_STEPS (how many) and PREPARE_LOG (the tools'
# output goes there), then `prepare TITLE CMD...` per step. A failing step
# prints its part of the log and exits. TOY_DEMO_VERBOSE=1 shows
# everything instead.

prepare_step=0
# prepare TITLE CMD...: one preparation step, its output in $PREPARE_LOG.
# On a terminal the line counts the seconds while CMD runs.
prepare() {
	local title=$1 t0 pid rc=0 start n
	shift
	prepare_step=$((prepare_step + 1))
	n="[$prepare_step/$PREPARE_STEPS]"
	t0=$SECONDS
	if [ "${TOY_DEMO_VERBOSE:-0}" = 1 ]; then
		echo "$n $title"
		"$@" || { echo "$n $title: FAILED"; exit 1; }
		return
	fi
	start=$(wc -l <"$PREPARE_LOG")
	printf '==== %s %s: %s\n' "$n" "$title" "$*" >>"$PREPARE_LOG"
	"$@" >>"$PREPARE_LOG" 2>&1 </dev/null &
	pid=$!
	if [ -t 1 ]; then
		while kill -0 "$pid" 2>/dev/null; do
			printf '\r%s %s ... %ds' "$n" "$title" $((SECONDS - t0))
			sleep 1
		done
	else
		printf '%s %s ...' "$n" "$title"
	fi
	wait "$pid" || rc=$?
	# a terminal rewrites the line; a log continues it
	[ -t 1 ] && printf '\r%s %s:' "$n" "$title"
	if [ "$rc" -ne 0 ]; then
		printf ' FAILED (exit %d) after %ds; its output:\n' "$rc" \
			$((SECONDS - t0))
		tail -n +"$((start + 1))" "$PREPARE_LOG" | sed 's/^/  | /'
		echo "(the whole log: $PREPARE_LOG)"
		exit 1
	fi
	printf ' done in %ds   \n' $((SECONDS - t0))
}

# prepare_vm NAME USERSPACE INITRAMFS: the four steps of a one-VM run
# (make demo, make lesson): packages, toy.ko, the programs, the initramfs,
# logged in $BUILD/NAME-prepare.log; USERSPACE and INITRAMFS say what
# those two steps bring. Sets BUILD, KVER (exported) and INITRD.
# shellcheck disable=SC2034 # INITRD is the caller's
prepare_vm() {
	BUILD=${TOY_BUILD_DIR:-build}
	mkdir -p "$BUILD"
	PREPARE_LOG=$BUILD/$1-prepare.log
	PREPARE_STEPS=4
	: >"$PREPARE_LOG"
	prepare "Debian packages (only what is missing)" scripts/deps.sh
	KVER=${KVER:-$(scripts/kver.sh)}
	export KVER
	prepare "the kernel module, for Linux $KVER" make --no-print-directory module
	prepare "$2" make --no-print-directory userspace
	prepare "$3" make --no-print-directory initramfs
	INITRD=$BUILD/initramfs-$KVER.cpio.gz
}
