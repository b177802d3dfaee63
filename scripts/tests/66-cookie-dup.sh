#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Two segments that return the same SYN cookie: the ACK that ends the
# handshake and the first message right behind it (it acknowledges the
# SYN-ACK too, so it would pass the cookie check as well, as TCP's first
# data segment does). If both reach the listener before the child of the
# first is in the connection table - they wait in the listener's backlog
# while its process owns it, or on its lock while another CPU makes the
# child - the second must go to that child (module/syncookies.c), not be
# validated again: one SyncookiesRecv, one accepted connection and its
# message intact per peer, no connection made and dropped (ListenDrops).
#
# toy-fakepeer.py (from $FAKE, which no stack answers for) opens N
# connections one after the other with net.toy.syncookies = 2 and sends
# each one's ACK and message back to back; netem's slots in front of the
# listener hand them over together. toy-accept-spin.py keeps the listener
# busy with non-blocking accept() calls, so that a burst often finds it
# owned (the case where the old code validated a cookie twice: it made a
# second child, failed to hash it, dropped the message, and the peer had
# to send it again).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-cookie-dup.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
FAKE=10.0.0.78
PORT=7466
N=${TOY_COOKIE_DUP_N:-200}
TOKEN=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
log "N=$N connections from $FAKE, message token $TOKEN"
ip -n "$NS_B" neigh replace "$FAKE" dev "$DEV_B" nud permanent \
	lladdr "$(ip netns exec "$NS_A" cat "/sys/class/net/$DEV_A/address")"

counter() {	# counter NAME: a counter of $NS_B's /proc/net/toy_stats
	in_ns "$NS_B" cat /proc/net/toy_stats | awk -v k="$1" '$1 == k { print $2 }'
}

# every connection through a cookie
echo 2 | in_ns "$NS_B" tee /proc/sys/net/toy/syncookies >/dev/null
# what A sends leaves in bursts, every 2 ms: the ACK and the message together
netem "$NS_A" "$DEV_A" slot 2ms 2ms

before=""
for c in SyncookiesSent SyncookiesRecv PassiveOpens ListenDrops; do
	before="$before $(counter $c)"
done

run_bg in_ns "$NS_B" python3 "$(dirname "$0")/toy-accept-spin.py" "$IP_B" \
	"$PORT" "$TOKEN" "$T/ready" "$T/stop" >"$T/srv" 2>&1
SRV=$BG_PID
wait_for test -e "$T/ready" || fail "listener" "toy-accept-spin.py did not start"

if in_ns "$NS_A" python3 "$(dirname "$0")/toy-fakepeer.py" dupack "$FAKE" \
	"$IP_B" "$PORT" "$DEV_A" "$N" "$TOKEN" >"$T/peer" 2>&1; then
	pass "dup: $N peers, each one's ACK and first message back to back"
else
	fail "dup: $N peers, each one's ACK and first message back to back" \
		"$(tail -n 1 "$T/peer")"
fi
log "fakepeer: $(tail -n 1 "$T/peer")"
touch "$T/stop"
if wait "$SRV"; then
	pass "dup: every peer accepted once, its message intact"
else
	fail "dup: every peer accepted once, its message intact" \
		"$(tail -n 1 "$T/srv")"
fi
log "listener: $(tail -n 1 "$T/srv")"

# shellcheck disable=SC2086 # four numbers
set -- $before
expect_eq "dup: SyncookiesSent, SyncookiesRecv, PassiveOpens +N, ListenDrops +0" \
	"$(($(counter SyncookiesSent) - $1)) $(($(counter SyncookiesRecv) - $2)) $(($(counter PassiveOpens) - $3)) $(($(counter ListenDrops) - $4))" \
	"$N $N $N 0"

# nothing left behind on the port: no child that lost, none not freed
check "dup: no socket of port $PORT left in /proc/net/toy" \
	wait_for -t 10 sh -c "! $IP netns exec $NS_B cat /proc/net/toy | grep -q ':$PORT '"
