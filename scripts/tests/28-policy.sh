#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# What the receiving host's policy says is obeyed, as for TCP:
# - a socket filter (SO_ATTACH_FILTER) that drops everything keeps a
#   listener's SYNs out (FilterDrops counts them, the client waits in
#   SYN_SENT); the same listener with a filter that takes everything
#   echoes (the control);
# - an IPsec inbound policy that requires ESP for protocol 253 from the
#   client keeps its plain segments out, for a listener and for a port
#   nobody listens on (PolicyDrops; no reset is sent); without the policy
#   the client gets in (the control).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
require toy-echo-server toy-echo-client
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

FILT=$(dirname "$0")/toy-filter.py
BASE=$((7900 + $$ % 50))
log "ports $BASE..$((BASE + 4))"

stat_of() {	# stat_of NS NAME
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'
}
above() {	# above NS NAME VALUE
	[ "$(stat_of "$1" "$2")" -gt "$3" ]
}
listening() {	# listening NS PORT
	in_ns "$1" cat /proc/net/toy | grep -q ":$2 0.0.0.0:0 LISTEN"
}
syn_sent_to() {	# syn_sent_to PORT: a client of NS_A waits in SYN_SENT
	in_ns "$NS_A" cat /proc/net/toy | grep -q " $IP_B:$1 SYN_SENT"
}

# --- socket filter --------------------------------------------------------
run_bg in_ns "$NS_B" python3 "$FILT" "$IP_B:$BASE" drop
wait_for listening "$NS_B" "$BASE"
before=$(stat_of "$NS_B" FilterDrops)
run_bg in_ns "$NS_A" toy-echo-client "$IP_B:$BASE" --timeout 60000 hi
check "filter: a drop-all filter on a listener drops the SYNs (FilterDrops)" \
	wait_for -t 20 above "$NS_B" FilterDrops "$before"
check "filter: the client still waits in SYN_SENT" syn_sent_to "$BASE"
kill "$BG_PID" 2>/dev/null

run_bg in_ns "$NS_B" python3 "$FILT" "$IP_B:$((BASE + 1))" pass
wait_for listening "$NS_B" $((BASE + 1))
check "filter: control: a take-all filter lets the client in, echoed" \
	in_ns "$NS_A" toy-echo-client "$IP_B:$((BASE + 1))" --timeout 20000 hello

# --- IPsec inbound policy --------------------------------------------------
if ! ip -n "$NS_B" xfrm policy add src "$IP_A/32" dst "$IP_B/32" proto 253 \
	dir in tmpl proto esp mode transport level required 2>/dev/null; then
	skip "ipsec: policy requiring ESP for protocol 253" \
	     "ip xfrm policy add failed (no xfrm_user in this kernel?)"
	exit 0
fi
log "ipsec: $(ip -n "$NS_B" xfrm policy list | tr '\n' ' ')"
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:$((BASE + 2))" >/dev/null 2>&1
wait_for listening "$NS_B" $((BASE + 2))
before=$(stat_of "$NS_B" PolicyDrops)
rsts=$(stat_of "$NS_B" OutRsts)
run_bg in_ns "$NS_A" toy-echo-client "$IP_B:$((BASE + 2))" --timeout 60000 hi
C=$BG_PID
check "ipsec: plain segments to a listener are refused (PolicyDrops)" \
	wait_for -t 20 above "$NS_B" PolicyDrops "$before"
check "ipsec: the client still waits in SYN_SENT" syn_sent_to $((BASE + 2))
kill "$C" 2>/dev/null
before=$(stat_of "$NS_B" PolicyDrops)
run_bg in_ns "$NS_A" toy-echo-client "$IP_B:$((BASE + 3))" --timeout 60000 hi
C=$BG_PID
check "ipsec: plain segments to a closed port are refused too (PolicyDrops)" \
	wait_for -t 20 above "$NS_B" PolicyDrops "$before"
check "ipsec: and answered with no reset" test "$(stat_of "$NS_B" OutRsts)" = "$rsts"
kill "$C" 2>/dev/null

ip -n "$NS_B" xfrm policy flush
check "ipsec: control: without the policy the client gets in, echoed" \
	in_ns "$NS_A" toy-echo-client "$IP_B:$((BASE + 2))" --timeout 20000 hello
