#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# RFC 793's simultaneous open (figure 8) and simultaneous close (figure
# 13), made deterministic by netem: with DELAY on both veth ends, two
# sockets bound to known ports connect to each other at the same moment
# (nobody listens), so each SYN arrives while its sender is still in
# SYN_SENT. Both ends must pass SYN_RECV (seen in /proc/net/toy) and reach
# ESTABLISHED, and a message must go each way. Then both shut down their
# sending side at once: the FINs cross, both ends pass CLOSING and end in
# TIME_WAIT, and each reads its end of stream.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-simul.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
S=$(dirname "$0")/toy-simul.py
PA=$((7400 + $$ % 100))
PB=$((PA + 100))
# ms each way: much longer than the two ends' starts apart (a slower
# kernel, the debug tier's, gets a longer delay)
DELAY=${TOY_SIMUL_DELAY:-$((1000 * ${TOY_TIMEOUT_SCALE:-1}))}
log "A $IP_A:$PA <-> B $IP_B:$PB, netem delay ${DELAY}ms each way"

# state NS LOCAL REMOTE: the connection's state in NS's /proc/net/toy
state() {
	in_ns "$1" cat /proc/net/toy | awk -v l="$2" -v r="$3" \
		'$2 == l && $3 == r { print $4; exit }'
}
state_a() { state "$NS_A" "$IP_A:$PA" "$IP_B:$PB"; }
state_b() { state "$NS_B" "$IP_B:$PB" "$IP_A:$PA"; }
# watch NS LOCAL REMOTE OUT: until $T/done exists, add to OUT every state
# NS's /proc/net/toy shows for LOCAL -> REMOTE, read from inside NS every
# 10 ms. SYN_RECV and CLOSING last about DELAY; entering the namespace
# for every look (state()) takes long enough on a loaded debug kernel to
# miss them.
# shellcheck disable=SC2016 # the script runs in the namespace
watch() {
	run_bg in_ns "$1" sh -c '
		while [ ! -e "$1/done" ]; do
			awk -v l="$2" -v r="$3" "\$2 == l && \$3 == r { print \$4 }" \
				/proc/net/toy
			sleep 0.01
		done' sh "$T" "$2" "$3" >>"$4" 2>/dev/null
}
# go STEP: start STEP on both ends at once (toy-simul.py's FIFOs; opened
# read-write, so that an end that died makes no write wait for it)
go() {
	printf x 1<>"$T/$1.A"
	printf x 1<>"$T/$1.B"
}
# seen STATE: both ends have been in STATE
seen() { grep -qx "$1" "$T/a.states" && grep -qx "$1" "$T/b.states"; }
# the states each end was seen in, in order of first sight
path() { awk '!seen[$0]++' "$T/$1.states" | tr '\n' ' '; }
both_in() { [ "$(state_a)" = "$1" ] && [ "$(state_b)" = "$1" ]; }
# both_said SECS A-LINE B-LINE NAME: each end printed its line in time
both_said() {
	if wait_for -t "$1" grep -q "$2" "$T/a.out" &&
	   wait_for -t "$1" grep -q "$3" "$T/b.out"; then
		pass "$4"
	else
		fail "$4" "A: $(tr '\n' ' ' <"$T/a.out") B: $(tr '\n' ' ' <"$T/b.out")"
	fi
}

# TIME_WAIT for 2 x 5 s: long enough to see, short enough to end soon
for ns in "$NS_A" "$NS_B"; do
	echo 5000 | in_ns "$ns" tee /proc/sys/net/toy/msl_ms >/dev/null
done
netem "$NS_A" "$DEV_A" delay "${DELAY}ms"
netem "$NS_B" "$DEV_B" delay "${DELAY}ms"
mkfifo "$T/open.A" "$T/open.B" "$T/close.A" "$T/close.B"
run_bg in_ns "$NS_A" python3 "$S" "$IP_A:$PA" "$IP_B:$PB" "$T" A >"$T/a.out" 2>&1
run_bg in_ns "$NS_B" python3 "$S" "$IP_B:$PB" "$IP_A:$PA" "$T" B >"$T/b.out" 2>&1
if ! wait_for grep -q bound "$T/a.out" || ! wait_for grep -q bound "$T/b.out"; then
	skip_all "the two ends did not start: $(cat "$T/a.out" "$T/b.out")"
fi

# --- simultaneous open -------------------------------------------------
: >"$T/a.states"
: >"$T/b.states"
watch "$NS_A" "$IP_A:$PA" "$IP_B:$PB" "$T/a.states"
watch "$NS_B" "$IP_B:$PB" "$IP_A:$PA" "$T/b.states"
go open
check "simultaneous open: both ends pass SYN_RECV (the SYNs crossed)" \
	wait_for -t 30 seen SYN_RECV
both_said 60 "connected" "connected" "simultaneous open: connect() succeeds on both ends"
check "simultaneous open: both ends ESTABLISHED" wait_for -t 10 both_in ESTABLISHED
both_said 30 "got from B" "got from A" "simultaneous open: a message arrives each way"
log "A went $(path a)"
log "B went $(path b)"

# --- simultaneous close ------------------------------------------------
go close
check "simultaneous close: both ends pass CLOSING (the FINs crossed)" \
	wait_for -t 30 seen CLOSING
check "simultaneous close: both ends end in TIME_WAIT" \
	wait_for -t 30 seen TIME_WAIT
both_said 30 "eof" "eof" "simultaneous close: each end reads its end of stream"
log "A went $(path a)"
log "B went $(path b)"
touch "$T/done"
netem_clear "$NS_A" "$DEV_A"
netem_clear "$NS_B" "$DEV_B"
