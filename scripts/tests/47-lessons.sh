#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 360
#
# Every lesson (scripts/lessons/NAME.sh, /lessons in the guest; make lesson
# L=NAME) runs here and asserts what it teaches: its PASS:/FAIL: lines are
# this file's results (they go to $TOY_RESULTS as any test's do), plus one
# line per lesson for its exit status. In English, but handshake in Chinese
# (LANG=zh_CN.UTF-8), which must then say it all in Chinese.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

# the lessons drive toytrace, userspace: on the debug kernel
# (TOY_TIMEOUT_SCALE=2) they would add minutes to make check, and 45-trace
# and 46-toytrace already take their kernel paths there
[ "${TOY_TIMEOUT_SCALE:-1}" -gt 1 ] &&
	skip_all "debug kernel: the lessons are userspace; 45/46 cover the events here"
[ -d /lessons ] || skip_all "no /lessons in this initramfs"

t0=$(date +%s)

# Each lesson's toytrace enables the toy events in its own tracefs instance
# and disables them when it ends. The first enable and the last disable of a
# tracepoint patch kernel text (static keys, text_poke_bp), which under TCG
# once stalled a CPU long enough for a soft-lockup report. An instance that
# holds the events enabled, recording nothing, for the whole run makes the
# lessons' toggles plain reference counts: the text is patched twice in all.
HOLD=
for r in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -d "$r/instances" ] || continue
	HOLD=$r/instances/lessons-hold-$$
	mkdir "$HOLD" 2>/dev/null || { HOLD=; continue; }
	echo 0 >"$HOLD/tracing_on"
	echo 4 >"$HOLD/buffer_size_kb"
	echo 1 >"$HOLD/events/toy/enable" ||
		log "could not hold the toy events enabled"
	break
done
[ -n "$HOLD" ] && on_exit "echo 0 >'$HOLD/events/toy/enable'; rmdir '$HOLD'"

for f in /lessons/*.sh; do
	name=$(basename "$f" .sh)
	[ "$name" = lib ] && continue
	ts=$(date +%s)
	echo "# --- lesson $name"
	if [ "$name" = handshake ]; then
		LANG=zh_CN.UTF-8 sh "$f" >"/tmp/lesson-$name.out" 2>&1
	else
		LANG=C sh "$f" >"/tmp/lesson-$name.out" 2>&1
	fi
	rc=$?
	# the lesson's own PASS/FAIL lines are already in $TOY_RESULTS
	grep -E '^(PASS|FAIL|SKIP): ' "/tmp/lesson-$name.out"
	if [ "$rc" -eq 0 ] && grep -q '^PASS: ' "/tmp/lesson-$name.out"; then
		pass "lesson $name: runs to the end ($(($(date +%s) - ts)) s)"
	else
		echo "# lesson $name exited $rc; its output (last 30 lines):"
		tail -n 30 "/tmp/lesson-$name.out" | sed 's/^/#   /'
		fail "lesson $name: runs to the end"
	fi
	[ "$name" = handshake ] && mv "/tmp/lesson-$name.out" /tmp/lesson-zh.out
	rm -f "/tmp/lesson-$name.out"
done

check "lesson handshake in Chinese: says 三次握手 and none of its English sentences" \
	sh -c "grep -q '三次握手' /tmp/lesson-zh.out &&
	       ! grep -q -e 'three-way handshake' -e 'What happened' /tmp/lesson-zh.out"
rm -f /tmp/lesson-zh.out
log "all lessons: $(($(date +%s) - t0)) s"
