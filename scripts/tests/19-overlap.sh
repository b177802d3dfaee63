#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# Overlapping segments are trimmed and their new bytes kept (RFC 793 3.3),
# as TCP keeps them: a raw-socket peer (toy-fakepeer.py, at an address no
# stack owns) sends one 20-byte message in pieces that overlap, and the
# listener must read it whole and acknowledge every byte:
#   front     [0, 12), then [6, 20): partly a duplicate, in order
#   ooo       [12, 20) first (held out of order), then [0, 16) over it
#   covering  [0, 5), then all of it again, [0, 20)
# Before trimming, each of these lost the message (the peer saw no ACK of
# its end and the reader got nothing).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-sock
command -v python3 >/dev/null 2>&1 || skip_all "no python3 in the guest"
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-overlap.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
FAKE=10.0.0.78
FAKEPEER=$(dirname "$0")/toy-fakepeer.py
# $FAKE's packets go to A's veth MAC, where no stack owns $FAKE
"$IP" -n "$NS_B" neigh replace "$FAKE" dev "$DEV_B" nud permanent \
	lladdr "$(in_ns "$NS_A" cat "/sys/class/net/$DEV_A/address")"
PORT=$((7950 + $$ % 40))
log "fake peer $FAKE, listener $IP_B:$PORT.."

n=0
for pattern in front ooo covering; do
	port=$((PORT + n))
	n=$((n + 1))
	run_bg in_ns "$NS_B" toy-sock listen "$IP_B:$port" accept \
		expect "abcdefghijklmnopqrst" touch "$T/got-$pattern" \
		>"$T/sock-$pattern" 2>&1
	wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':$port .* LISTEN'"
	dups=$(in_ns "$NS_B" cat /proc/net/toy_stats | awk '$1 == "DupSegs" { print $2 }')
	if in_ns "$NS_A" python3 "$FAKEPEER" overlap "$FAKE" "$IP_B" "$port" \
		"$DEV_A" "$pattern" >"$T/peer-$pattern" 2>&1; then
		pass "overlap: $pattern: every byte acknowledged"
	else
		sed 's/^/# peer: /' "$T/peer-$pattern"
		fail "overlap: $pattern: every byte acknowledged" \
		     "$(tail -n 1 "$T/peer-$pattern")"
	fi
	if wait_for -t 10 test -e "$T/got-$pattern"; then
		pass "overlap: $pattern: the reader gets the message whole"
	else
		sed 's/^/# reader: /' "$T/sock-$pattern"
		fail "overlap: $pattern: the reader gets the message whole" \
		     "$(tail -n 1 "$T/sock-$pattern")"
	fi
	log "$pattern: DupSegs +$(( $(in_ns "$NS_B" cat /proc/net/toy_stats |
		awk '$1 == "DupSegs" { print $2 }') - dups ))"
done
