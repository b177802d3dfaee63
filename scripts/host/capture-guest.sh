#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The in-VM half of scripts/host/capture-test.sh (run by
# scripts/tiers/12-capture.sh through `scripts/vm.sh -s`): one scripted
# AF_TOY exchange between two namespaces, captured on A's veth end by
# toy-capture.py (checksum offload off on both ends, so the frames carry
# full checksums) while toytrace records the trace events of the same run.
# The exchange: handshake; A sends messages of 1, 3000 and 20000 bytes, B
# echoes each; A closes, B closes (FIN both ways); netem on both ends
# loses and reorders, so that SACK, retransmissions and out-of-order show up.
# The pcap and toytrace's saved trace go out on the console, gzipped and
# base64-encoded between the lines "=== BEGIN NAME" and "=== END NAME".
# shellcheck source=scripts/tests/lib.sh
. /tests/lib.sh

CAP=/toy/files/toy-capture.py
T=/tmp/toy-capture.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
[ -e /proc/net/toy ] || skip_all "AF_TOY is not available (no /proc/net/toy)"
[ -r "$CAP" ] || skip_all "no $CAP (vm.sh -f)"
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

P=$((20000 + $$ % 10000))
SIZES="1 3000 20000"
log "port $P, messages of $SIZES bytes each way"

run_bg toytrace --port "$P" --save "$T/raw" -o /dev/null 2>"$T/tt.err"
TT=$BG_PID
wait_for -t 30 grep -q reading "$T/tt.err" || fail "toytrace: reading"
run_bg "$IP" netns exec "$NS_A" python3 "$CAP" "$DEV_A" "$T/cap.pcap" --ready "$T/ready" \
	--csum-off "$DEV_A" 2>"$T/cap.err"
CP=$BG_PID
# B's end too: B's segments arrive on A's end as B's veth sent them
in_ns "$NS_B" python3 -c "
import sys; sys.path.insert(0, '/toy/files'); import importlib
importlib.import_module('toy-capture').csum_off('$DEV_B')" ||
	fail "checksum offload off on $DEV_B"
wait_for -t 30 test -e "$T/ready" || fail "capture: ready"

# one packet per segment (net.toy.gso 0 on both ends): netem counts a
# super-segment it drops as one, and the test matches its drops with the
# segments missing from the capture
for ns in "$NS_A" "$NS_B"; do
	[ -e /proc/sys/net/toy/gso ] &&
		echo 0 | in_ns "$ns" tee /proc/sys/net/toy/gso >/dev/null
done

# only AF_TOY through netem, so that its drop count is theirs: static
# neighbours (no ARP), no IPv6 on the link (no ND, MLD)
mac() { in_ns "$1" cat "/sys/class/net/$2/address"; }
ip -n "$NS_A" neigh replace "$IP_B" lladdr "$(mac "$NS_B" "$DEV_B")" dev "$DEV_A" nud permanent
ip -n "$NS_B" neigh replace "$IP_A" lladdr "$(mac "$NS_A" "$DEV_A")" dev "$DEV_B" nud permanent
for _ns in "$NS_A:$DEV_A" "$NS_B:$DEV_B"; do
	_f=/proc/sys/net/ipv6/conf/${_ns#*:}/disable_ipv6
	in_ns "${_ns%%:*}" sh -c "[ ! -e $_f ] || echo 1 >$_f"
done
# loss and reordering on both ends' egress: the capture on A's end sees
# what A's netem lets out (AF_PACKET taps the transmit path at the
# device, after the qdisc) and what B's netem let through
NETEM="delay 2ms reorder 70% 50% loss 15%"
netem "$NS_A" "$DEV_A" "$NETEM"
netem "$NS_B" "$DEV_B" "$NETEM"

run_bg in_ns "$NS_B" toy-sock listen "$IP_B:$P" accept echo close
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':$P .* LISTEN'"
steps=""
for s in $SIZES; do steps="$steps sendn $s recv"; done
# shellcheck disable=SC2086 # one word per step
check "exchange: A sends $SIZES, receives the echoes, closes" \
	in_ns "$NS_A" toy-sock connect "$IP_B:$P" $steps close
time_wait() {	# A's end of the connection is in TIME_WAIT
	in_ns "$NS_A" cat /proc/net/toy | awk -v r="$IP_B:$P" '$3 == r && $4 == "TIME_WAIT" { ok = 1 } END { exit !ok }'
}
check "exchange: A's end reaches TIME_WAIT (both FINs acknowledged)" wait_for -t 20 time_wait

quiet() {	# the trace file stops growing for a second
	_a=$(wc -c <"$T/raw"); sleep 1; [ "$(wc -c <"$T/raw")" = "$_a" ]
}
wait_for -t 30 quiet
kill -INT "$TT"; wait "$TT"
kill -TERM "$CP"; wait "$CP"
# what netem dropped is what was sent and the capture did not see
dropped() { tc -s -n "$1" qdisc show dev "$2" | sed -n 's/.*dropped \([0-9]*\).*/\1/p' | head -n 1; }
log "netem dropped A $(dropped "$NS_A" "$DEV_A") B $(dropped "$NS_B" "$DEV_B")"
netem_clear "$NS_A" "$DEV_A"
netem_clear "$NS_B" "$DEV_B"
log "$(cat "$T/cap.err") $(tr '\n' ' ' <"$T/tt.err")"
log "trace: $(grep -c ': toy_' "$T/raw") events, $(grep -c ': toy_retransmit: ' "$T/raw") retransmissions"
check "capture: a pcap with frames" test "$(wc -c <"$T/cap.pcap")" -gt 24
for f in cap.pcap raw; do
	echo "=== BEGIN $f"
	gzip -c "$T/$f" | base64
	echo "=== END $f"
done
# until the UART has sent it all: init's TOY-EXIT line must not be cut
# off by the power-off (seen once in 8 runs without this)
python3 -c "import ctypes; ctypes.CDLL(None).tcdrain(1)"
