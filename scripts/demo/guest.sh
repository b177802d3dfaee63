#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The AF_TOY demo, run inside the VM by scripts/demo.sh: two hosts (network
# namespaces) joined by a virtual cable with delay and loss, an echo
# service between them, and /proc/net/toy at every step of a connection's
# life.
. /tests/lib.sh

step() { printf '\n=== %s\n' "$*"; }
say() { printf '    %s\n' "$*"; }
show_proc() {
	printf -- '--- /proc/net/toy on %s\n' "$1"
	in_ns "$2" cat /proc/net/toy | sed 's/^/    /'
}

step "Two hosts joined by a cable"
setup_pair
say "host A = $IP_A (namespace $NS_A), host B = $IP_B (namespace $NS_B)"
netem "$NS_A" "$DEV_A" delay 20ms loss 5%
netem "$NS_B" "$DEV_B" delay 20ms loss 5%
say "each direction delays every packet 20 ms and drops 5% of them"

step "B listens on port 7000 (the server side of the handshake)"
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:7000"
wait_for in_ns "$NS_B" grep -q LISTEN /proc/net/toy
show_proc B "$NS_B"

step "A connects: SYN, SYN-ACK, ACK, then messages echoed back"
in_ns "$NS_A" toy-echo-client "$IP_B:7000" "hello, AF_TOY" \
	"each send is one message" "and each recv returns exactly one" --info

step "A connection held open: both ends are ESTABLISHED"
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:7001" accept \
	expect "ping" send "pong" expect-eof close
in_ns "$NS_A" toy-sock -q connect "$IP_B:7001" send "ping" expect "pong" \
	touch /tmp/demo-open wait /tmp/demo-shown shutdown wr sleep 200 close &
wait_for test -e /tmp/demo-open
show_proc A "$NS_A"
show_proc B "$NS_B"
touch /tmp/demo-shown

step "A closes first: FIN, ACK, FIN, ACK; A keeps the 4-tuple in TIME_WAIT"
wait_for -t 20 in_ns "$NS_A" grep -q TIME_WAIT /proc/net/toy
show_proc A "$NS_A"
say "TIME_WAIT lasts 2 x MSL: /proc/sys/net/toy/msl_ms = $(in_ns "$NS_A" cat /proc/sys/net/toy/msl_ms) ms"

step "What the protocol counted on A (/proc/net/toy_stats, non-zero lines)"
in_ns "$NS_A" cat /proc/net/toy_stats | grep -v ' 0$' | sed 's/^/    /'
resent=$(in_ns "$NS_A" sed -n 's/^RetransSegs //p' /proc/net/toy_stats)
if [ "${resent:-0}" -gt 0 ]; then
	say "RetransSegs: $resent segments the 5% loss made A send again;"
	say "every message still arrived once, in order and intact."
else
	say "The 5% loss missed A's few segments this time: no retransmission."
fi
