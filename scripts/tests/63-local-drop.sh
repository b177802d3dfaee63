#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# A segment that our own queue refuses is sent again: nothing from the
# peer will ever ask for it. A netem qdisc with room for one packet, held
# by a UDP datagram delayed 10 s, refuses a message on an established
# connection and the SYN of a new one (NET_XMIT_DROP, counted as
# "dropped" by tc). Once the qdisc is gone, the SYN must go out again (as
# TCP's does: its retransmit timer runs whether or not the first sending
# worked) and the connection complete, and the message must arrive and
# come back from the echo server.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
require toy-echo-server
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-local-drop.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
PORT=$((7600 + $$ % 100))

run_bg in_ns "$NS_B" toy-echo-server "$IP_B:$PORT" >"$T/server" 2>&1
wait_for grep -q "listening on" "$T/server"
run_bg in_ns "$NS_A" python3 "$(dirname "$0")/toy-local-drop.py" \
	"$IP_B:$PORT" "$T" >"$T/client" 2>&1
CL=$BG_PID
wait_for grep -q "^connected" "$T/client" ||
	skip_all "the first connection failed: $(cat "$T/client")"

# dropped N: the number tc shows for A's root qdisc
dropped() {
	tc -n "$NS_A" -s qdisc show dev "$DEV_A" |
		sed -n 's/.*dropped \([0-9]*\).*/\1/p' | head -n 1
}
netem "$NS_A" "$DEV_A" delay 10s limit 1
touch "$T/full"
wait_for -t 30 grep -q "^sent" "$T/client"
refused_two() { [ "$(dropped)" -ge 2 ]; }
wait_for -t 30 refused_two
log "A's qdisc refused $(dropped) packets (the message and the SYN, and tries again)"
netem_clear "$NS_A" "$DEV_A"
touch "$T/clear"

wait "$CL"
for step in "a refused message is sent again and its echo comes back:^echo matches" \
	"a refused SYN is sent again and the connection completes:^second connect done"; do
	if grep -q "${step#*:}" "$T/client"; then
		pass "local-drop: ${step%%:*}"
	else
		fail "local-drop: ${step%%:*}" "$(cat "$T/client")"
	fi
done
