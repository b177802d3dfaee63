#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Bulk on a lossless path must not lose what the receiver's own kernel
# could have kept (issue 13: a bulk run on veth retransmitted ~1100
# segments and was half idle).
#
# 1. Memory per segment: a reader that does not read holds MSGS messages
#    of 64 KiB; the receiver's kmalloc-4k objects (/proc/slabinfo) must
#    not grow by one per full segment, as they did when toy_xmit() reserved
#    TOY_MAX_HEADER (304 bytes) in front of each 1448-byte payload: 2104
#    bytes with skb_shared_info, a kmalloc-4k object, truesize 4.3 KiB,
#    and a receive window shrunk to a third of what the buffer holds.
#    The smaller kmalloc caches must grow instead (the segments are held
#    somewhere: with the payload in the sender's pages, only each
#    segment's header skb, in kmalloc-512 or skbuff_small_head), and
#    every message must then arrive. The sender sends one segment per
#    packet here (net.toy.gso 0): a super-segment arrives whole, one skb
#    for up to 45 segments.
# 2. Backlog: COUNT messages of 64 KiB (toy-verify: every byte hashed) to
#    a reader whose CPU a busy loop shares, so that it is preempted while
#    it owns the socket and works through the backlog (__release_sock()
#    counts what it already took twice until the backlog is empty). The
#    receiver must drop no segment (BacklogDrops, RcvWndDrops,
#    RcvMemDrops): the path loses nothing, so neither may the endpoints.
#    With the old backlog limit and headroom this run dropped segments.
#    The sender's timeouts and retransmissions are printed, not asserted:
#    a reader preempted long enough (the debug kernel) delays ACKs past
#    the RTO without any loss. No speed is asserted; goodput is printed.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-verify
require_toysocket

[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"
[ -r /proc/slabinfo ] || skip_all "no /proc/slabinfo"

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-bulk.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
PORT=$((7900 + $$ % 50))
MSGS=${TOY_BULK_MSGS:-8}
COUNT=${TOY_BULK_COUNT:-1000}
F=$(dirname "$0")/toy-flood.py

slab() { awk -v c="$1" '$1 == c { n = $2 } END { print n + 0 }' /proc/slabinfo; }
stat_of() {	# stat_of NS NAME
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 + 0 }'
}
log "port $PORT, $MSGS held messages, $COUNT bulk messages of 65536 bytes"

# --- 1. memory per segment ---------------------------------------------
gso=$(gso_get "$NS_A")
gso_set "$NS_A" 0
run_bg in_ns "$NS_B" python3 "$F" recv "$IP_B:$PORT" "$T/go" "$T/got"
wait_for in_ns "$NS_B" sh -c "grep -q ':$PORT 0.0.0.0:0 LISTEN' /proc/net/toy"
# 6.3 and later keep small skb heads in a cache of their own
small() {
	echo $(($(slab kmalloc-512) + $(slab kmalloc-1k) + $(slab kmalloc-2k) +
		$(slab skbuff_small_head)))
}
k4=$(slab kmalloc-4k) ks=$(small)
run_bg in_ns "$NS_A" python3 "$F" send "$IP_B:$PORT" "$MSGS" 65536 "$T/sent"
held() {
	in_ns "$NS_B" cat /proc/net/toy | awk -v p=":$PORT" -v n="$1" \
		'$2 ~ p && $4 != "LISTEN" && $6 + 0 >= n { f = 1 } END { exit !f }'
}
if wait_for -t 60 held $((MSGS * 65536)); then
	d4=$(($(slab kmalloc-4k) - k4)) ds=$(($(small) - ks))
	segs=$((MSGS * (65536 / 1448)))
	log "receiver holds $((MSGS * 65536)) bytes ($segs full segments):" \
	    "kmalloc-4k +$d4, kmalloc-512..2k and skbuff_small_head +$ds"
	if [ "$d4" -lt $((segs / 4)) ] && [ "$ds" -ge $((segs / 2)) ]; then
		pass "bulk: a full segment's skb is at most a kmalloc-2k object, not kmalloc-4k"
	else
		fail "bulk: a full segment's skb is at most a kmalloc-2k object, not kmalloc-4k" \
		     "kmalloc-4k +$d4, kmalloc-512..2k +$ds for $segs segments"
	fi
else
	fail "bulk: the receiver holds $MSGS unread messages" \
	     "$(in_ns "$NS_B" cat /proc/net/toy | tr '\n' ';')"
fi
touch "$T/go"
if wait_for -t 60 test -s "$T/got" && [ "$(cat "$T/got")" = "$MSGS" ]; then
	pass "bulk: the $MSGS held messages arrive once read"
else
	fail "bulk: the $MSGS held messages arrive once read" "got: $(cat "$T/got" 2>/dev/null)"
fi

gso_set "$NS_A" "$gso"

# --- 2. backlog under a preempted reader --------------------------------
PORT=$((PORT + 50))
command -v taskset >/dev/null || skip "bulk: no taskset: no backlog run"
if command -v taskset >/dev/null; then
	for c in BacklogDrops RcvWndDrops RcvMemDrops InSegs; do
		eval "b_$c=\$(stat_of \"$NS_B\" $c)"
	done
	for c in Timeouts RetransSegs; do eval "a_$c=\$(stat_of \"$NS_A\" $c)"; done
	run_bg taskset 2 sh -c 'while :; do :; done'
	run_bg taskset 2 "$IP" netns exec "$NS_B" toy-verify recv "$IP_B:$PORT" \
		--count "$COUNT" >"$T/r" 2>&1
	rpid=$BG_PID
	wait_for in_ns "$NS_B" sh -c "grep -q ':$PORT 0.0.0.0:0 LISTEN' /proc/net/toy"
	taskset 1 "$IP" netns exec "$NS_A" toy-verify send "$IP_B:$PORT" \
		--count "$COUNT" --min 65536 --max 65536 >"$T/s" 2>&1
	src=$?
	wait "$rpid"
	rrc=$?
	grep -E "seed|goodput|TOY_INFO" "$T/s" "$T/r" | sed "s|^$T/||; s/^/# /"
	for c in BacklogDrops RcvWndDrops RcvMemDrops InSegs; do
		eval "d_$c=\$((\$(stat_of \"$NS_B\" $c) - b_$c))"
	done
	for c in Timeouts RetransSegs; do
		eval "d_$c=\$((\$(stat_of \"$NS_A\" $c) - a_$c))"
	done
	# shellcheck disable=SC2154 # set by eval above
	log "receiver: InSegs +$d_InSegs BacklogDrops +$d_BacklogDrops" \
	    "RcvWndDrops +$d_RcvWndDrops RcvMemDrops +$d_RcvMemDrops;" \
	    "sender: Timeouts +$d_Timeouts RetransSegs +$d_RetransSegs"
	if [ "$src" = 0 ] && [ "$rrc" = 0 ] &&
	   grep -q "^toy-verify: OK: $COUNT of $COUNT messages intact and in order" "$T/r"; then
		pass "bulk: $COUNT messages of 64 KiB intact, in order"
	else
		fail "bulk: $COUNT messages of 64 KiB intact, in order" \
		     "sender $src, receiver $rrc: $(tail -n 3 "$T/r")"
	fi
	# shellcheck disable=SC2154 # set by eval above
	if [ "$d_BacklogDrops" = 0 ] && [ "$d_RcvWndDrops" = 0 ] &&
	   [ "$d_RcvMemDrops" = 0 ]; then
		pass "bulk: lossless path, preempted reader: the receiver drops no segment"
	else
		fail "bulk: lossless path, preempted reader: the receiver drops no segment" \
		     "BacklogDrops +$d_BacklogDrops RcvWndDrops +$d_RcvWndDrops RcvMemDrops +$d_RcvMemDrops"
	fi
fi
