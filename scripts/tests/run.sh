#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest test runner: runs /tests/[0-9][0-9]-*.sh in order, each in its
# own session (sh FILE) under a per-file timeout, so a crashing or hanging
# file does not stop the rest.
#
# Usage: /tests/run.sh [NAME...]    NAME: a file name or part of one
#                                    (e.g. 00-module, module); default all
# Per-file timeout: a "# timeout: SECS" line in the file's first 10 lines,
# else $TOY_TEST_TIMEOUT, else 300 s.
# A file that exits non-zero without printing a FAIL line, or times out,
# gets one "FAIL: <file>: ..." line. Exit status: 1 if anything failed.

DIR=$(cd "$(dirname "$0")" && pwd)
DEFAULT_TIMEOUT=${TOY_TEST_TIMEOUT:-300}
IP=/sbin/ip
RESULTS=/tmp/toy-results
export TOY_RESULTS

# run_timeout SECS CMD...: like init's: kills the whole session on timeout.
run_timeout() {
	_t=$1; shift
	rm -f /tmp/.run-timeout
	setsid "$@" &
	_pid=$!
	setsid sh -c "sleep $_t; touch /tmp/.run-timeout; kill -TERM -$_pid;
		      sleep 5; kill -KILL -$_pid" >/dev/null 2>&1 &
	_wd=$!
	wait "$_pid"
	_rc=$?
	kill -KILL "-$_wd" 2>/dev/null
	if [ -e /tmp/.run-timeout ]; then
		rm -f /tmp/.run-timeout
		kill -KILL "-$_pid" 2>/dev/null
		return 124
	fi
	return "$_rc"
}

selected() {	# selected FILE: is FILE selected by the arguments?
	[ -z "$ARGS" ] && return 0
	for _a in $ARGS; do
		case ${1##*/} in *"$_a"*) return 0 ;; esac
	done
	return 1
}
ARGS="$*"

nfiles=0
failed=0
: >"$RESULTS"
for f in "$DIR"/[0-9][0-9]-*.sh; do
	[ -f "$f" ] || continue
	selected "$f" || continue
	name=$(basename "$f" .sh)
	t=$(head -n 10 "$f" | sed -n 's/^# *timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	[ -n "$t" ] || t=$DEFAULT_TIMEOUT
	# slower kernels (the debug tier) stretch every budget
	t=$((t * ${TOY_TIMEOUT_SCALE:-1}))
	nfiles=$((nfiles + 1))

	echo "# ---- $name (timeout ${t}s)"
	before=$($IP netns list 2>/dev/null | cut -d' ' -f1 | sort)
	TOY_RESULTS=/tmp/toy-results.$name
	: >"$TOY_RESULTS"
	start=$(date +%s)
	export TOY_TEST="$name"
	run_timeout "$t" sh "$f" </dev/null 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	nf=$(grep -c '^FAIL:' "$TOY_RESULTS")
	np=$(grep -c '^PASS:' "$TOY_RESULTS")
	ns=$(grep -c '^SKIP:' "$TOY_RESULTS")
	if [ "$rc" = 124 ]; then
		echo "# $name: killed after ${t}s timeout"
		echo "FAIL: $name: timed out after ${t}s"
		nf=$((nf + 1))
	elif [ "$rc" != 0 ] && [ "$nf" = 0 ]; then
		echo "# $name: exited with status $rc without a FAIL line"
		echo "FAIL: $name: exit status $rc"
		nf=$((nf + 1))
	fi
	[ "$nf" = 0 ] || failed=$((failed + 1))
	echo "# $name: $np passed, $nf failed, $ns skipped in ${secs}s"
	cat "$TOY_RESULTS" >>"$RESULTS"

	# Namespaces a killed test left behind would confuse the next one.
	after=$($IP netns list 2>/dev/null | cut -d' ' -f1 | sort)
	for n in $after; do
		echo "$before" | grep -qx "$n" && continue
		echo "# $name: deleting leftover netns $n"
		$IP netns del "$n"
	done
done

if [ "$nfiles" = 0 ]; then
	echo "# no test files matched '${ARGS:-[0-9][0-9]-*.sh}' in $DIR"
	echo "FAIL: run.sh: no tests"
	exit 1
fi
echo "# $nfiles file(s), $failed with failures"
[ "$failed" = 0 ]
