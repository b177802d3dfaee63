#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
#
# Segmentation offload (net.toy.gso, module/offload.c). toy-verify sends
# $COUNT messages of 64 KiB from $NS_A to $NS_B, every byte checked, in
# four set-ups:
#   whole:   gso=1 over veth, which takes a super-segment whole (NETIF_F_GSO_SCTP
#            is a software GSO type): the sender counts GsoPackets, its veth
#            sends frames above the MTU, the receiver takes them whole (InGsoPackets)
#            and a capture on the receiving veth sees frames above the MTU.
#   off:     gso=0 and tx-checksumming off on the sender's veth: no super-
#            segment anywhere; the capture records every data segment (its
#            relative sequence number, length, flags, payload CRC) and every
#            checksum verifies. Each checksum was summed as send() copied
#            the bytes in (CsumFromCopy counts every data segment), so the
#            stack never sums a payload again: skb_checksum_help(), counted
#            by a kprobe, runs only for segments without data.
#   split:   gso=1 and tx-checksumming off: the device cannot take the super-
#            segment, so AF_TOY's gso_segment callback cuts it and writes each
#            checksum, from the sum skb_segment() took as it copied the
#            payload (again no skb_checksum_help() for data). The capture
#            must list exactly the segments of "off" (same seed, same
#            messages), every checksum valid, none above the MTU, one EOM
#            per message.
#            (Timestamps, ACK numbers and windows may differ between runs:
#            the capture compares the segments, not those fields.)
#   corrupt: gso=1, netem corrupt on the sender: netem cuts a super-segment it
#            corrupts (through the callback) and the receiver drops the bad
#            segment (CsumErrors), the data still arrives whole.
# Control: in "whole" the capture's checksum check must find the checksums
# a local sender leaves to the device unwritten (bad_csum > 0), so a
# checker that accepted anything would fail that test.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-verify python3

[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"
[ -e /proc/sys/net/toy/gso ] || skip_all "no net.toy.gso in this module"

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-gso.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
HERE=$(dirname "$0")
COUNT=${TOY_GSO_COUNT:-64}
SEED=${TOY_SEED:-$(($(date +%s) % 100000 + $$))}
PORT=7300
log "seed $SEED, $COUNT messages of 65536 bytes per set-up"

stat() { in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'; }
# calls of skb_checksum_help(), the stack's own pass over a payload, through
# a kprobe (empty if kprobes are not available)
TR=/sys/kernel/tracing
KP=""
if echo "p:toygso$$ skb_checksum_help" >>"$TR/kprobe_events" 2>/dev/null; then
	if echo 1 >"$TR/events/kprobes/toygso$$/enable"; then
		KP=toygso$$
		on_exit "echo 0 >'$TR/events/kprobes/toygso$$/enable'; echo '-:toygso$$' >>'$TR/kprobe_events'"
	else
		echo "-:toygso$$" >>"$TR/kprobe_events"
	fi
fi
kph() { [ -n "$KP" ] && awk -v k="$KP" '$1 == k { print $2 }' "$TR/kprobe_profile"; }
# txc packets|bytes: the sender's veth transmit counter
txc() { in_ns "$NS_A" sh -c "cat /sys/class/net/$DEV_A/statistics/tx_$1"; }
cap() { awk -v k="$2" '$1 == k { print $2 }' "$T/$1.cap"; }
gso() { gso_set "$NS_A" "$1"; }

# run NAME: one transfer with a capture on the receiving veth; sets
# $rc (toy-verify's), d_gso d_segs d_in d_csum (counter deltas), d_pk d_by
# (sender veth tx packets and bytes)
run() {
	PORT=$((PORT + 1))
	rm -f "$T/$1.cap" "$T/$1.cap.ready"
	# not in_ns: a function backgrounded is a subshell, and $! would be its pid
	"$IP" netns exec "$NS_B" python3 "$HERE/toy-gso.py" capture "$DEV_B" "$T/$1.cap" &
	_cpid=$!
	_toy_pids="$_toy_pids $_cpid"
	wait_for test -e "$T/$1.cap.ready"
	g0=$(stat "$NS_A" GsoPackets) s0=$(stat "$NS_A" GsoSegs)
	i0=$(stat "$NS_B" InGsoPackets) c0=$(stat "$NS_B" CsumErrors)
	p0=$(txc packets) b0=$(txc bytes)
	f0=$(stat "$NS_A" CsumFromCopy) o0=$(stat "$NS_A" OutSegs) h0=$(kph)
	"$IP" netns exec "$NS_B" toy-verify recv "$IP_B:$PORT" --timeout 120000 >"$T/$1.r" 2>&1 &
	_rpid=$!
	wait_for grep -q listening "$T/$1.r"
	in_ns "$NS_A" toy-verify send "$IP_B:$PORT" --count "$COUNT" --min 65536 \
		--max 65536 --seed "$SEED" --timeout 120000 >"$T/$1.s" 2>&1
	rc=$?
	wait "$_rpid"
	_rrc=$?
	[ "$_rrc" = 0 ] || rc=$_rrc
	kill -TERM "$_cpid"
	wait "$_cpid"
	wait_for test -s "$T/$1.cap"
	d_gso=$(($(stat "$NS_A" GsoPackets) - g0))
	d_segs=$(($(stat "$NS_A" GsoSegs) - s0))
	d_in=$(($(stat "$NS_B" InGsoPackets) - i0))
	d_csum=$(($(stat "$NS_B" CsumErrors) - c0))
	d_pk=$(($(txc packets) - p0))
	d_by=$(($(txc bytes) - b0))
	d_copy=$(($(stat "$NS_A" CsumFromCopy) - f0))
	d_out=$(($(stat "$NS_A" OutSegs) - o0))
	d_help=""
	[ -n "$KP" ] && d_help=$(($(kph) - h0))
	log "$1: verify rc $rc; GsoPackets +$d_gso GsoSegs +$d_segs OutSegs +$d_out" \
	    "CsumFromCopy +$d_copy (A), skb_checksum_help +${d_help:-?};" \
	    "InGsoPackets +$d_in CsumErrors +$d_csum (B); $DEV_A sent $d_pk" \
	    "frames, $d_by bytes; capture: $(grep -v '^seg' "$T/$1.cap" | tr '\n' ' ')"
	[ "$rc" = 0 ] || { sed 's/^/# send: /' "$T/$1.s"; sed 's/^/# recv: /' "$T/$1.r"; }
}

# --- whole -------------------------------------------------------------
gso 1
run whole
check "gso: whole: $COUNT x 64 KiB verified" test "$rc" = 0
check "gso: whole: the sender sent super-segments (GsoPackets $d_gso, GsoSegs $d_segs)" \
	test "$d_gso" -gt 0 -a "$d_segs" -gt "$d_gso"
check "gso: whole: $DEV_A sent frames above the MTU (avg $((d_by / (d_pk + 1))) B)" \
	test "$d_by" -gt $((d_pk * 1514))
check "gso: whole: the receiver took super-segments whole (InGsoPackets $d_in)" \
	test "$d_in" -gt 0
check "gso: whole: capture on $DEV_B sees frames above the MTU ($(cap whole over_mtu))" \
	test "$(cap whole over_mtu)" -gt 0
check "gso: whole: control: the capture finds the unwritten checksums ($(cap whole bad_csum))" \
	test "$(cap whole bad_csum)" -gt 0
check "gso: whole: no checksum error at the receiver" test "$d_csum" = 0
check "gso: whole: veth checksums: no segment summed in the copy (CsumFromCopy +$d_copy)" \
	test "$d_copy" = 0

# data segments at least: 46 per 64 KiB message (MSS 1448 or less)
DATA_SEGS=$((COUNT * 46))
# check_help NAME TEXT: skb_checksum_help() ran for fewer segments than
# carried data (only control segments are left to it); a skip without kprobes
check_help() {
	if [ -z "$KP" ]; then
		skip "gso: $1: $2" "no kprobes in this kernel"
	else
		check "gso: $1: $2 (skb_checksum_help +$d_help, fewer than $COUNT)" \
			test "$d_help" -lt "$COUNT"
	fi
}

# --- off, then split: the same messages, tx checksums written in software
if ! in_ns "$NS_A" python3 "$HERE/toy-gso.py" txcsum "$DEV_A" off; then
	skip "gso: off/split" "cannot turn tx-checksumming off on $DEV_A"
else
	gso 0
	run off
	check "gso: off: $COUNT x 64 KiB verified" test "$rc" = 0
	check "gso: off: no super-segment (GsoPackets +$d_gso, InGsoPackets +$d_in)" \
		test "$d_gso" = 0 -a "$d_in" = 0
	check "gso: off: every frame at most the MTU, every checksum valid" \
		test "$(cap off over_mtu)" = 0 -a "$(cap off bad_csum)" = 0 \
		-a "$(cap off frames)" -gt 0
	check "gso: off: every data segment summed as it was copied in (CsumFromCopy +$d_copy, at least $DATA_SEGS)" \
		test "$d_copy" -ge "$DATA_SEGS"
	check_help off "the stack summed no payload again"

	gso 1
	run split
	check "gso: split: $COUNT x 64 KiB verified" test "$rc" = 0
	check "gso: split: super-segments sent (GsoPackets +$d_gso), none arrived whole (+$d_in)" \
		test "$d_gso" -gt 0 -a "$d_in" = 0
	check "gso: split: $DEV_A sent no frame above the MTU" \
		test "$d_by" -le $((d_pk * 1514))
	check_help split "the callback wrote the checksums, not the stack"
	check "gso: split: every captured checksum valid, none above the MTU" \
		test "$(cap split bad_csum)" = 0 -a "$(cap split over_mtu)" = 0 \
		-a "$(cap split frames)" -gt 0 -a "$(cap split drops)" = 0
	# one EOM per message and one for toy-verify's hello (which says
	# how many messages follow), in both runs, counting each segment once:
	# a slow guest (the debug kernel) drops some at the receiver's
	# backlog, before the capture, and the sender sends them again
	check "gso: split: one EOM per message ($(cap split eom_distinct), gso=0: $(cap off eom_distinct))" \
		test "$(cap split eom_distinct)" = $((COUNT + 1)) \
		-a "$(cap off eom_distinct)" = $((COUNT + 1))
	grep '^seg' "$T/off.cap" >"$T/off.segs"
	grep '^seg' "$T/split.cap" >"$T/split.segs"
	log "data segments: off $(grep -c . "$T/off.segs"), split $(grep -c . "$T/split.segs")"
	check "gso: split: the same segments as gso=0 (seq, length, flags, payload CRC)" \
		cmp "$T/off.segs" "$T/split.segs"
	in_ns "$NS_A" python3 "$HERE/toy-gso.py" txcsum "$DEV_A" on
fi

# --- corrupt -----------------------------------------------------------
gso 1
if netem "$NS_A" "$DEV_A" corrupt 10%; then
	run corrupt
	netem_clear "$NS_A" "$DEV_A"
	check "gso: corrupt: $COUNT x 64 KiB verified" test "$rc" = 0
	check "gso: corrupt: super-segments sent (GsoPackets +$d_gso)" test "$d_gso" -gt 0
	check "gso: corrupt: the receiver dropped corrupted segments (CsumErrors +$d_csum)" \
		test "$d_csum" -gt 0
else
	skip "gso: corrupt" "tc netem corrupt failed"
fi
