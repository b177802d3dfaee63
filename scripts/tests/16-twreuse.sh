#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# A 4-tuple in TIME_WAIT can be used again, as with TCP:
# - the server closed first and keeps TIME_WAIT; the client connects again
#   from the same port: its SYN is newer (RFC 6191: timestamp, sequence
#   number), so the TIME_WAIT ends and the listener takes the SYN;
# - the client closed first and keeps TIME_WAIT; it binds the same port
#   again (SO_REUSEADDR) and connects: an explicitly bound port may take
#   over its own TIME_WAIT, timestamps keeping the connections apart
#   (tcp_twsk_unique()).
# TIME_WAIT lasts 2 x 30 s here (the default), so each second connection
# is bounded by 20 s (SO_SNDTIMEO): without reuse it stalls or fails with
# EADDRNOTAVAIL. TimeWaitReused counts each.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

R=$(dirname "$0")/toy-twreuse.py
PORT=$((7850 + $$ % 40))
CPORT=$((41000 + $$ % 1000))
log "server $IP_B:$PORT.., client port $CPORT.."

counter() {	# counter NS NAME
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'
}
listening() {
	in_ns "$NS_B" cat /proc/net/toy | grep -q ":$1 0.0.0.0:0 LISTEN"
}

n=0
for who in server client; do
	port=$((PORT + n))
	cport=$((CPORT + n))
	n=$((n + 1))
	ns=$NS_B
	[ "$who" = client ] && ns=$NS_A
	before=$(counter "$ns" TimeWaitReused)
	out=${TMPDIR:-/tmp}/toy-twreuse.$$.$who
	on_exit "rm -f '$out'"
	run_bg in_ns "$NS_B" python3 "$R" server "0.0.0.0:$port" "$who" >"$out" 2>&1
	SRV=$BG_PID
	wait_for -t 30 listening "$port"
	if in_ns "$NS_A" python3 "$R" client "$IP_A:$cport" "$IP_B:$port" "$who" &&
	   wait "$SRV"; then
		pass "twreuse: $who closed first: the same 4-tuple connects again during TIME_WAIT"
	else
		sed 's/^/# server: /' "$out"
		fail "twreuse: $who closed first: the same 4-tuple connects again during TIME_WAIT" \
		     "$(tail -n 1 "$out")"
	fi
	sed 's/^/# server: /' "$out"
	after=$(counter "$ns" TimeWaitReused)
	if [ "$after" -gt "$before" ]; then
		pass "twreuse: $who closed first: TimeWaitReused counts it"
	else
		fail "twreuse: $who closed first: TimeWaitReused counts it" \
		     "TimeWaitReused stayed at $before"
	fi
done
