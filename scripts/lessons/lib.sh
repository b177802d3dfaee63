# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for the lessons (scripts/lessons/NAME.sh, in the guest under
# /lessons; `make lesson L=NAME`), on top of the tests' /tests/lib.sh: a
# lesson prints a few sentences (English, or Chinese when LANG starts with
# zh), sets up two namespaces, shows toytrace's live ladder around the
# action, says what happened with the numbers seen, and asserts what it
# teaches with PASS:/FAIL: lines (scripts/tests/47-lessons.sh counts them).
#
#   say EN ZH          one line, in the reader's language
#   title EN ZH        a heading
#   trace_start PORT.. toytrace --port PORT.. (--addr for an IP) live on stdout, raw events
#                      saved in $T/raw
#   trace_stop         wait until the events stop, stop toytrace, JSON of
#                      the trace in $T/json
#   lesson_py ARGS..   python3 with lesson.py importable (/lessons)
#   counter NS NAME    a counter of NS's /proc/net/toy_stats
# shellcheck source=scripts/tests/lib.sh
. /tests/lib.sh

LESSON_DIR=$(cd "$(dirname "$0")" && pwd)
LESSON=$(basename "$0" .sh)
TOY_TEST="lesson $LESSON"
case ${LANG:-} in
zh*) LESSON_LANG=zh ;;
*) LESSON_LANG=en ;;
esac
T=${TMPDIR:-/tmp}/lesson-$LESSON.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"

# (an empty text: nothing, where one language needs fewer lines)
say() {
	if [ "$LESSON_LANG" = zh ]; then _s=$2; else _s=$1; fi
	[ -n "$_s" ] && printf '  %s\n' "$_s"
	return 0
}
title() {
	if [ "$LESSON_LANG" = zh ]; then printf '\n== %s\n' "$2"; else printf '\n== %s\n' "$1"; fi
}

# lesson_require: the lesson's needs, or SKIP
lesson_require() {
	[ -e /proc/net/toy ] ||
		skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"
	command -v python3 >/dev/null 2>&1 ||
		skip_all "no python3 in this initramfs (TOY_PYTHON=0?)"
	require toytrace toy-sock "$@"
	[ -d /sys/kernel/tracing/events/toy ] ||
		skip_all "no /sys/kernel/tracing/events/toy: no trace events"
	# shellcheck disable=SC2119 # default namespace names
	setup_pair >/dev/null || skip_all "could not set up the veth namespaces"
}

# counter NS NAME: one value of NS's /proc/net/toy_stats
# shellcheck disable=SC2016 # an awk program
counter() { in_ns "$1" awk -v c="$2" '$1 == c { print $2 }' /proc/net/toy_stats; }

lesson_py() { PYTHONPATH=$LESSON_DIR python3 "$@"; }

# a random port for the lesson, printed
lesson_port() {
	PORT=$((20000 + ($$ * 7 + $(date +%s)) % 20000))
	log "port $PORT"
}

trace_start() {
	_ta=
	for _p in "$@"; do
		case $_p in
		*.*) _ta="$_ta --addr $_p" ;;
		*) _ta="$_ta --port $_p" ;;
		esac
	done
	echo
	# shellcheck disable=SC2086 # the --port options are separate words
	run_bg env PYTHONUNBUFFERED=1 toytrace $_ta --save "$T/raw" 2>"$T/trace.err"
	TRACE_PID=$BG_PID
	wait_for -t 30 grep -q reading "$T/trace.err" ||
		fail "toytrace starts" "$(cat "$T/trace.err")"
}

_trace_quiet() {	# the saved events stop growing for a second
	_a=$(wc -c <"$T/raw"); sleep 1; [ "$(wc -c <"$T/raw")" = "$_a" ]
}

trace_stop() {
	wait_for -t 30 _trace_quiet
	kill -INT "$TRACE_PID" 2>/dev/null
	wait "$TRACE_PID"
	toytrace --file "$T/raw" --json >"$T/json" 2>/dev/null
	echo
}

# lesson_check NAME CMD...: check, named after the lesson
lesson_check() {
	_n=$1; shift
	check "lesson $LESSON: $_n" "$@"
}

# verify_run MIN MAX: under toytrace, toy-verify sends $N messages of MIN
# to MAX bytes from A to B's $PORT, each checked on arrival; the exit
# codes in $src (sender) and $rrc (receiver), the outputs in $T/s, $T/r
# shellcheck disable=SC2034 # src and rrc are the lesson's
verify_run() {
	trace_start "$PORT"
	in_ns "$NS_B" toy-verify recv "$IP_B:$PORT" --timeout 60000 >"$T/r" 2>&1 &
	_rpid=$!
	wait_for grep -q listening "$T/r"
	in_ns "$NS_A" toy-verify send "$IP_B:$PORT" --count "$N" --min "$1" \
		--max "$2" --seed "$PORT" --timeout 60000 >"$T/s" 2>&1
	src=$?
	wait "$_rpid"
	rrc=$?
	trace_stop
}

# one_by_one: A sends each segment as a packet of its own (net.toy.gso=0),
# and the lesson says why: netem loses a super-segment whole
one_by_one() {
	[ -e /proc/sys/net/toy/gso ] || return 0
	echo 0 | in_ns "$NS_A" tee /proc/sys/net/toy/gso >/dev/null
	say "(A sends each segment as a packet of its own here: with segmentation" \
	    "（这里 A 把每个报文段作为单独的包发送：开启分段卸载（net.toy.gso）时，"
	say "offload, net.toy.gso, netem would lose up to 44 segments at once.)" \
	    "netem 会一次丢掉多达 44 个报文段。）"
}
