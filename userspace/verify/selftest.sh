#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host-side test of toy-verify itself, over AF_UNIX SOCK_SEQPACKET (no
# module needed): clean runs in every reply mode must pass, and each fault
# the sender can inject (--inject) must make both sides fail, with the
# receiver naming the fault.
#
# Usage: selftest.sh [TOY_VERIFY]     (default: ../build/toy-verify)
# Prints PASS:/FAIL: lines; exits 1 if anything failed.
V=${1:-$(dirname "$0")/../build/toy-verify}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
n=0

# run NAME EXPECT-SEND EXPECT-RECV GREP-RECV SEND-ARGS...
run() {
	name=$1 want_s=$2 want_r=$3 pat=$4
	shift 4
	n=$((n + 1))
	sock=@toy-verify-selftest-$$-$n
	"$V" recv "$sock" --timeout 10000 >"$T/r" 2>&1 &
	rpid=$!
	i=0
	while ! grep -q listening "$T/r" && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	"$V" send "$sock" --timeout 10000 "$@" >"$T/s" 2>&1
	rc_s=$?
	wait $rpid
	rc_r=$?
	if [ $rc_s -eq "$want_s" ] && [ $rc_r -eq "$want_r" ] &&
	   grep -q -- "$pat" "$T/r"; then
		echo "PASS: toy-verify: $name"
	else
		echo "# $name: sender exit $rc_s (want $want_s), receiver exit" \
		     "$rc_r (want $want_r), receiver output should match '$pat'"
		sed 's/^/#   send: /' "$T/s" | tail -n 8
		sed 's/^/#   recv: /' "$T/r" | tail -n 8
		echo "FAIL: toy-verify: $name"
		failed=1
	fi
}

C="--count 300 --seed 7"
run "clean run, log-uniform 1..65536" 0 0 "^toy-verify: OK: 300 of 300" $C
run "clean run, uniform 1..100 (short messages)" 0 0 "OK: 300 of 300" \
	$C --dist uniform --min 1 --max 100
run "clean run, receipts, window 8" 0 0 "OK: 300 of 300" $C --window 8
run "clean run, echo, window 4" 0 0 "OK: 300 of 300" $C --echo
run "clean run, non-blocking sender" 0 0 "OK: 300 of 300" $C --nonblock
# each fault in a stream of long messages and in one of short ones
# (shorter than the 48-byte header: checked against the size sequence)
for sizes in "--min 1 --max 65536" "--dist uniform --min 1 --max 47"; do
	at=100
	run "inject drop ($sizes): lost" 1 1 \
		"lost 1, duplicated 0, out of order 1, truncated 0, corrupted 0" \
		$C $sizes --inject drop:$at
	run "inject dup ($sizes): duplicated" 1 1 \
		"lost 0, duplicated 1, out of order 0, truncated 0, corrupted 0" \
		$C $sizes --inject dup:$at
	run "inject swap ($sizes): reordered" 1 1 \
		"lost 0, duplicated 0, out of order 2, truncated 0, corrupted 0" \
		$C $sizes --inject swap:$at
	run "inject truncate ($sizes): truncated" 1 1 \
		"lost 0, duplicated 0, out of order 0, truncated 1, corrupted 0" \
		$C $sizes --inject truncate:$at
	run "inject corrupt ($sizes): corrupted" 1 1 \
		"lost 0, duplicated 0, out of order 0, truncated 0, corrupted 1" \
		$C $sizes --inject corrupt:$at
done
exit $failed
