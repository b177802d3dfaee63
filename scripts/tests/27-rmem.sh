#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Receive memory is counted as TCP counts it, by the truesize of every
# skb held: a peer that sends 200,000 one-byte messages to a reader that
# does not read can make the kernel hold about SO_RCVBUF, not a gigabyte.
# The flood's growth of unreclaimable slab (/proc/meminfo SUnreclaim) is
# printed and must stay under 32 MiB (the two sockets' buffers are 2 MiB
# each); then the reader reads, and every message the sender's kernel took
# must arrive: pruning and a shut window lose nothing. The protocol counts
# the pages its sockets hold, as TCP does (/proc/net/protocols): more than
# 0 during the flood, 0 again once the sockets are gone. Then the same
# with 16 MiB buffers and net.toy.mem's hard limit at 1024 pages (4 MiB):
# the protocol holds about that (each CPU may keep 256 pages of its own
# ahead, SK_MEMORY_PCPU_RESERVE), not the 8192 pages the buffers would
# allow; sends fail with ENOBUFS, segments are dropped, nothing is lost.
# Last, a lossy path into a small buffer read slowly: out-of-order data
# is given up under pressure (OfoPruned), the sender notices that the
# receiver reneged on its SACKs (SackForgotten) and sends it again, and
# every message verifies; partial messages are compacted (RcvCollapsed).
# And small messages do not shrink the window below a segment.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

F=$(dirname "$0")/toy-flood.py
T=${TMPDIR:-/tmp}/toy-rmem.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
PORT=$((7600 + $$ % 300))
COUNT=200000
LIMIT_KB=$((32 * 1024))
# the debug kernel's KASAN keeps freed objects in quarantine (up to 1/32 of
# the memory, 32 MiB here): allow for it there (TOY_TIMEOUT_SCALE=2)
if [ "${TOY_TIMEOUT_SCALE:-1}" -gt 1 ]; then
	LIMIT_KB=$((72 * 1024))
fi

unreclaimable() { awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo; }
# the TOY line of /proc/net/protocols: sockets and pages of memory
proto_pages() { awk '$1 == "TOY" { print $4 }' /proc/net/protocols; }
proto_line() { awk '$1 == "protocol" || $1 == "TOY" { print $1, $2, $3, $4, $5 }' /proc/net/protocols | tr '\n' ' '; }
stat_of() {	# stat_of NS NAME
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'
}

run_bg in_ns "$NS_B" python3 "$F" recv "$IP_B:$PORT" "$T/go" "$T/got"
wait_for in_ns "$NS_B" sh -c "grep -q ':$PORT 0.0.0.0:0 LISTEN' /proc/net/toy"
before=$(unreclaimable)
log "$COUNT messages of 1 byte to $IP_B:$PORT; SUnreclaim before: $before kB"
run_bg in_ns "$NS_A" python3 "$F" send "$IP_B:$PORT" "$COUNT" 1 "$T/sent"
wait_for -t 120 test -e "$T/sent" || fail "rmem: the sender stopped"
after=$(unreclaimable)
sent=$(cat "$T/sent")
log "the sender's kernel took $sent messages; SUnreclaim after: $after kB (+$((after - before)) kB)"
log "receiver: $(in_ns "$NS_B" cat /proc/net/toy | awk -v p=":$PORT" '$2 ~ p && $4 == "ESTABLISHED" { print "rx_queue " $6 " bytes, rcv_wnd " $11 }')"
log "receiver: RcvMemDrops $(stat_of "$NS_B" RcvMemDrops) OfoPruned $(stat_of "$NS_B" OfoPruned) RcvCollapsed $(stat_of "$NS_B" RcvCollapsed)"
log "/proc/net/protocols: $(proto_line)"
pages=$(proto_pages)
check "rmem: the protocol counts the memory its sockets hold ($pages pages)" \
	test "${pages:-0}" -gt 0
if [ $((after - before)) -lt $LIMIT_KB ]; then
	pass "rmem: a flood of 1-byte messages to a non-reader pins less than $((LIMIT_KB / 1024)) MiB"
else
	fail "rmem: a flood of 1-byte messages to a non-reader pins less than $((LIMIT_KB / 1024)) MiB" \
	     "SUnreclaim grew by $((after - before)) kB"
fi

touch "$T/go"
if wait_for -t 200 test -e "$T/got"; then
	got=$(cat "$T/got")
	log "the reader got $got messages"
	check "rmem: every message the sender's kernel took arrives ($sent)" \
		test "$got" = "$sent"
else
	fail "rmem: every message the sender's kernel took arrives ($sent)" \
	     "the reader did not reach the end of stream"
fi

# nothing stays charged once the sockets are gone: the global figure may
# keep what each CPU holds back (SK_MEMORY_PCPU_RESERVE, 256 pages a CPU)
RESERVE=$((256 * $(grep -c '^processor' /proc/cpuinfo)))
check "rmem: the protocol's memory returns to at most the CPUs' reserve ($RESERVE pages)" \
	wait_for -t 60 sh -c "[ \$(awk '\$1 == \"TOY\" { print \$4 }' /proc/net/protocols) -le $RESERVE ]"

# --- net.toy.mem: a hard limit for the whole protocol ----------------------
MEM=$(cat /proc/sys/net/toy/mem)
on_exit "echo '$MEM' > /proc/sys/net/toy/mem"
echo "256 512 1024" > /proc/sys/net/toy/mem
for ns in "$NS_A" "$NS_B"; do
	in_ns "$ns" sh -c 'echo 16777216 > /proc/sys/net/toy/rmem_default;
			   echo 16777216 > /proc/sys/net/toy/wmem_default'
done
log "net.toy.mem was '$MEM', now '$(cat /proc/sys/net/toy/mem)' (pages)"
rm -f "$T/go" "$T/got" "$T/sent"
PORT=$((PORT + 1))
run_bg in_ns "$NS_B" python3 "$F" recv "$IP_B:$PORT" "$T/go" "$T/got"
wait_for in_ns "$NS_B" sh -c "grep -q ':$PORT 0.0.0.0:0 LISTEN' /proc/net/toy"
run_bg in_ns "$NS_A" python3 "$F" send "$IP_B:$PORT" 100000 100 "$T/sent"
wait_for -t 120 test -e "$T/sent" || fail "mem: the sender stopped"
sent=$(cat "$T/sent")
pages=$(proto_pages)
log "mem: the sender's kernel took $sent messages of 100 bytes; $(proto_line)"
log "mem: receiver RcvMemDrops $(stat_of "$NS_B" RcvMemDrops)"
check "mem: the protocol holds about net.toy.mem's hard limit ($pages <= 1024 + 2 x 256 pages)" \
	test "${pages:-0}" -le 1536
echo "$MEM" > /proc/sys/net/toy/mem
touch "$T/go"
if wait_for -t 200 test -e "$T/got"; then
	check "mem: every message the sender's kernel took arrives ($sent)" \
		test "$(cat "$T/got")" = "$sent"
else
	fail "mem: every message the sender's kernel took arrives ($sent)" \
	     "the reader did not reach the end of stream"
fi

# --- out-of-order data given up, and sent again ----------------------------
PORT=$((PORT + 1))
SEED=$$
netem "$NS_A" "$DEV_A" loss 5%
# Small segments (MTU 400: 300 bytes of payload or so) make skbs that are
# mostly overhead, so the small buffer fills with memory before payload:
# with full 1448-byte segments in 2 KiB slabs the window alone kept the
# receiver out of pressure, and nothing was pruned or compacted (at MTU
# 700, with the payload in page fragments, one run in five compacted
# nothing). One segment per packet (net.toy.gso 0): a super-segment
# arrives whole, one compact skb for many segments, and makes no such
# pressure.
gso=$(gso_get "$NS_A")
gso_set "$NS_A" 0
ip -n "$NS_A" link set dev "$DEV_A" mtu 400
ip -n "$NS_B" link set dev "$DEV_B" mtu 400
pruned=$(stat_of "$NS_B" OfoPruned)
collapsed=$(stat_of "$NS_B" RcvCollapsed)
forgot=$(stat_of "$NS_A" SackForgotten)
# Whether the pressure comes while something is held out of order is a
# matter of timing (the window counts memory too, so a sender that keeps
# to it rarely overruns it): transfer again, up to six times, until all
# three checks below have happened once. Every transfer verifies.
bad=0
for attempt in 1 2 3 4 5 6; do
	PORT=$((PORT + 1))
	run_bg in_ns "$NS_B" toy-verify recv "$IP_B:$PORT" --rcvbuf 32768 \
		--read-delay-us 300 >"$T/vr.$attempt" 2>&1
	wait_for in_ns "$NS_B" sh -c "grep -q ':$PORT 0.0.0.0:0 LISTEN' /proc/net/toy"
	in_ns "$NS_A" toy-verify send "$IP_B:$PORT" --count 400 --max 30000 \
		--seed "$((SEED + attempt))" --timeout 120000 >"$T/vs" 2>&1 ||
		{ bad=$attempt; cat "$T/vs"; }
	[ "$(stat_of "$NS_B" OfoPruned)" -gt "$pruned" ] &&
		[ "$(stat_of "$NS_B" RcvCollapsed)" -gt "$collapsed" ] &&
		[ "$(stat_of "$NS_A" SackForgotten)" -gt "$forgot" ] && break
	log "transfer $attempt: the pressure has not yet given up data held out of order, compacted a message and made the sender forget its SACK marks"
done
check "rmem: through 5% loss into a 32 KiB buffer read slowly, every message verifies ($attempt transfers, seeds $((SEED + 1))..$((SEED + attempt)))" \
	test "$bad" = 0
netem_clear "$NS_A" "$DEV_A"
ip -n "$NS_A" link set dev "$DEV_A" mtu 1500
ip -n "$NS_B" link set dev "$DEV_B" mtu 1500
gso_set "$NS_A" "$gso"
log "receiver: OfoPruned +$(($(stat_of "$NS_B" OfoPruned) - pruned)) RcvMemDrops $(stat_of "$NS_B" RcvMemDrops) RcvCollapsed $(stat_of "$NS_B" RcvCollapsed); sender: SackForgotten +$(($(stat_of "$NS_A" SackForgotten) - forgot))"
# That the pressure came is a matter of timing: on the debug kernel the
# reader keeps up, so there the counters are only printed.
if [ "${TOY_TIMEOUT_SCALE:-1}" -gt 1 ]; then
	log "debug kernel: pressure counters printed above, not asserted"
else
	check "rmem: the receiver gave up out-of-order data under pressure (OfoPruned)" \
		test "$(stat_of "$NS_B" OfoPruned)" -gt "$pruned"
	check "rmem: messages of up to 30000 bytes were compacted under pressure (RcvCollapsed)" \
		test "$(stat_of "$NS_B" RcvCollapsed)" -gt "$collapsed"
	check "rmem: the sender saw it and forgot its SACK marks (SackForgotten)" \
		test "$(stat_of "$NS_A" SackForgotten)" -gt "$forgot"
fi

# --- small messages must not shrink the window below one segment ------------
# Over loopback one segment holds up to 65484 bytes: after many 20-byte
# messages, one of 60000 bytes must still go (the window is learned from
# full-sized segments only). It used to stall forever, probes answered.
PORT=$((PORT + 1))
run_bg in_ns "$NS_B" toy-echo-server "127.0.0.1:$PORT" >/dev/null 2>&1
wait_for in_ns "$NS_B" sh -c "grep -q ':$PORT 0.0.0.0:0 LISTEN' /proc/net/toy"
check "rmem: after 200 messages of 20 bytes, one of 60000 bytes still goes (loopback)" \
	in_ns "$NS_B" python3 -c "
import toysocket
s = toysocket.create_connection(('127.0.0.1', $PORT), timeout=30)
for i in range(200):
    s.send(b'y' * 20)
    assert s.recv(100) == b'y' * 20
s.send(b'z' * 60000)
got = s.recv(70000)
assert got == b'z' * 60000, len(got)
print('# mss', s.mss(), 'echoed', len(got))
"
