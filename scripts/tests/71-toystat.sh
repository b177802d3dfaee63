#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# toystat against live connections: addresses, queues, RTT on a link with
# a known delay, retransmissions on a lossy one, listeners, state and
# address filters, TIME_WAIT after an active close, the counters of -s,
# and parsing /proc/net/toy by column name (a file with its columns
# shuffled reads the same).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toystat toy-sock awk
[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"

T=${TMPDIR:-/tmp}/toy-stat.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"
# 20 ms each way: every round trip takes at least 40 ms
netem "$NS_A" "$DEV_A" delay 20ms || skip_all "tc netem not available"
netem "$NS_B" "$DEV_B" delay 20ms

# proc NS FIELD LOCALPORT: FIELD of the connection (not the listener) on
# LOCALPORT, from /proc/net/toy by column name
proc() {
	in_ns "$1" awk -v f="$2" -v p=":$3" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["state"] != "LISTEN" &&
		substr($c["local"], length($c["local"]) - length(p) + 1) == p {
			print $c[f]; exit }' /proc/net/toy
}

# is NS FIELD PORT VALUE: /proc/net/toy's FIELD of that socket is VALUE
is() { [ "$(proc "$1" "$2" "$3")" = "$4" ]; }

# col FILE ROWPATTERN N: the Nth word of the line of FILE matching ROWPATTERN
col() {
	awk -v n="$3" -v p="$2" '$0 ~ p { print $n; exit }' "$1"
}

# show NAME FILE: FAIL NAME with FILE's content
show_fail() {
	_n=$1; shift
	echo "# $_n:"
	for _f in "$@"; do sed 's/^/#   /' "$_f"; done
	fail "$_n"
}

# B accepts and does not read until told; A sends 3 messages, then more
# over a lossy link, then closes first (so A ends in TIME_WAIT).
burst=""
i=0
while [ $i -lt 30 ]; do burst="$burst sendn 1000"; i=$((i + 1)); done
recvs=""
i=0
while [ $i -lt 33 ]; do recvs="$recvs recv"; i=$((i + 1)); done

# shellcheck disable=SC2086 # step lists
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:7600" accept wait "$T/go" \
	$recvs expect-eof close >"$T/srv" 2>&1
SRV=$BG_PID
wait_for in_ns "$NS_B" grep -q " $IP_B:7600 0.0.0.0:0 LISTEN " /proc/net/toy
# shellcheck disable=SC2086
run_bg in_ns "$NS_A" toy-sock connect "$IP_B:7600" addr sendn 1000 sendn 2000 \
	sendn 3000 touch "$T/sent" wait "$T/burst" $burst touch "$T/sent2" \
	wait "$T/go" close >"$T/cli" 2>&1
CLI=$BG_PID
wait_for -t 20 test -e "$T/sent"
CPORT=$(sed -n "s/.*local $IP_A:\([0-9]*\).*/\1/p" "$T/cli")
[ -n "$CPORT" ] || CPORT=$(sed -n "s/.*$IP_A:\([0-9]*\).*/\1/p" "$T/cli" | head -n 1)
log "client port $CPORT"
# everything delivered to B and acknowledged to A
wait_for -t 20 is "$NS_B" rx_queue 7600 6000
wait_for -t 20 is "$NS_A" tx_queue "$CPORT" 0

in_ns "$NS_B" toystat >"$T/b"
in_ns "$NS_A" toystat >"$T/a"
# State Recv-Q Send-Q Local Peer RTT RTO cwnd Retrans
if [ "$(col "$T/b" '^ESTABLISHED' 2)" = 6000 ] &&
   [ "$(col "$T/b" '^ESTABLISHED' 3)" = 0 ] &&
   [ "$(col "$T/b" '^ESTABLISHED' 4)" = "$IP_B:7600" ] &&
   [ "$(col "$T/b" '^ESTABLISHED' 5)" = "$IP_A:$CPORT" ] &&
   ! grep -q LISTEN "$T/b"; then
	pass "toystat: receiver's Recv-Q is the 6000 bytes of 3 unread messages"
else
	show_fail "toystat: receiver's Recv-Q is the 6000 bytes of 3 unread messages" "$T/b"
fi
if [ "$(col "$T/a" '^ESTABLISHED' 4)" = "$IP_A:$CPORT" ] &&
   [ "$(col "$T/a" '^ESTABLISHED' 5)" = "$IP_B:7600" ] &&
   [ "$(col "$T/a" '^ESTABLISHED' 3)" = 0 ]; then
	pass "toystat: sender's addresses, Send-Q 0 once acknowledged"
else
	show_fail "toystat: sender's addresses, Send-Q 0 once acknowledged" "$T/a"
fi
rtt=$(col "$T/a" '^ESTABLISHED' 6)
srtt_us=$(proc "$NS_A" srtt_us "$CPORT")
if [ -n "$rtt" ] && [ "${rtt%.*}" -ge 40 ] && [ "${rtt%.*}" -lt 2000 ] &&
   [ "$rtt" = "$((srtt_us / 1000)).$((srtt_us % 1000 / 100))" ]; then
	pass "toystat: RTT $rtt ms over a 2 x 20 ms link, as /proc's srtt_us $srtt_us"
else
	show_fail "toystat: RTT over a 2 x 20 ms link (got '$rtt', srtt_us $srtt_us)" "$T/a"
fi
if [ "$(col "$T/a" '^ESTABLISHED' 8)" = "$(proc "$NS_A" cwnd "$CPORT")" ] &&
   [ "$(col "$T/a" '^ESTABLISHED' 8)" -gt 0 ]; then
	pass "toystat: cwnd as in /proc/net/toy"
else
	show_fail "toystat: cwnd as in /proc/net/toy" "$T/a"
fi

# listeners: only with -l (or -a), peer shown as *:*
in_ns "$NS_B" toystat -l >"$T/bl"
toystat -N "$NS_B" -a >"$T/ba"
if [ "$(grep -c '^LISTEN' "$T/bl")" = 1 ] && ! grep -q ESTABLISHED "$T/bl" &&
   grep -q "^LISTEN .* $IP_B:7600  *\*:\* " "$T/bl" &&
   grep -q '^LISTEN' "$T/ba" && grep -q '^ESTABLISHED' "$T/ba"; then
	pass "toystat: -l lists the listener only, -a both, -N enters a namespace"
else
	show_fail "toystat: -l lists the listener only, -a both, -N enters a namespace" "$T/bl" "$T/ba"
fi

# filters (-H: no header, so a count of lines is a count of sockets)
nrows() { in_ns "$NS_A" toystat -H "$@" | grep -c .; }
if [ "$(nrows state established)" = 1 ] && [ "$(nrows state time-wait)" = 0 ] &&
   [ "$(nrows state TIME_WAIT state ESTABLISHED)" = 1 ] &&
   [ "$(nrows exclude established)" = 0 ] &&
   [ "$(nrows dport = :7600)" = 1 ] && [ "$(nrows dport 7601)" = 0 ] &&
   [ "$(nrows sport "$CPORT")" = 1 ] && [ "$(nrows src "$IP_A")" = 1 ] &&
   [ "$(nrows dst "$IP_B:7600")" = 1 ] && [ "$(nrows dst "$IP_A")" = 0 ]; then
	pass "toystat: state, exclude, sport, dport, src and dst filters"
else
	fail "toystat: state, exclude, sport, dport, src and dst filters" \
	     "established $(nrows state established) time-wait $(nrows state time-wait) dport7600 $(nrows dport 7600) sport $(nrows sport "$CPORT") src $(nrows src "$IP_A") dst $(nrows dst "$IP_B:7600")"
fi

# -k: every /proc column, the same values /proc shows (idle connection)
in_ns "$NS_A" toystat -k sport "$CPORT" >"$T/k"
ok=1
for f in local remote state snd_una snd_nxt rcv_nxt snd_wnd rcv_wnd cwnd retrans inode; do
	grep -q " $f=$(proc "$NS_A" "$f" "$CPORT")\( \|\$\)" "$T/k" || { ok=0; echo "# $f differs"; }
done
[ $ok = 1 ] && pass "toystat: -k shows /proc's values by column name" ||
	show_fail "toystat: -k shows /proc's values by column name" "$T/k"

# parse by name: the same file with its columns in reverse order
in_ns "$NS_A" cat /proc/net/toy >"$T/proc"
awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\n") }' \
	"$T/proc" >"$T/proc-rev"
toystat --proc "$T/proc" -a >"$T/p1"
toystat --proc "$T/proc-rev" -a >"$T/p2"
if cmp -s "$T/p1" "$T/p2" && grep -q "^ESTABLISHED .*$IP_A:$CPORT" "$T/p2"; then
	pass "toystat: reads columns by name (reversed columns, same output)"
else
	show_fail "toystat: reads columns by name (reversed columns, same output)" "$T/p1" "$T/p2"
fi

# retransmissions: 30% loss on A's data, then 30 more messages
netem "$NS_A" "$DEV_A" delay 20ms loss 30%
touch "$T/burst"
wait_for -t 60 test -e "$T/sent2"
wait_for -t 60 is "$NS_A" tx_queue "$CPORT" 0
netem "$NS_A" "$DEV_A" delay 20ms
in_ns "$NS_A" toystat >"$T/a2"
re=$(col "$T/a2" '^ESTABLISHED' 9)
if [ -n "$re" ] && [ "$re" -gt 0 ] && [ "$re" = "$(proc "$NS_A" retrans "$CPORT")" ]; then
	pass "toystat: Retrans $re after 30% loss, as in /proc/net/toy"
else
	show_fail "toystat: Retrans after 30% loss (got '$re', /proc $(proc "$NS_A" retrans "$CPORT"))" "$T/a2"
fi
if [ "$(col "$T/b" '^ESTABLISHED' 2)" = 6000 ] &&
   wait_for -t 20 sh -c "toystat -N $NS_B -H | grep -q '^ESTABLISHED  *36000 '"; then
	pass "toystat: Recv-Q grows to 36000 bytes with 30 more messages"
else
	in_ns "$NS_B" toystat >"$T/b2"
	show_fail "toystat: Recv-Q grows to 36000 bytes with 30 more messages" "$T/b2"
fi

in_ns "$NS_A" toystat -s >"$T/s"
in_ns "$NS_A" cat /proc/net/toy_stats >"$T/stats"
ok=1
for c in InSegs OutSegs RetransSegs ActiveOpens OutMsgs; do
	v=$(awk -v c="$c" '$1 == c { print $2 }' "$T/stats")
	grep -q "^  $c  *$v  " "$T/s" || { ok=0; echo "# $c: /proc says '$v'"; }
done
rs=$(awk '$1 == "RetransSegs" { print $2 }' "$T/stats")
if [ $ok = 1 ] && [ "$rs" -gt 0 ] &&
   grep -q "^  $rs of [0-9]* segments sent were retransmissions" "$T/s" &&
   grep -q "^AF_TOY sockets (/proc/net/toy): 1 (ESTABLISHED 1)" "$T/s"; then
	pass "toystat: -s shows /proc/net/toy_stats ($rs retransmitted segments)"
else
	show_fail "toystat: -s shows /proc/net/toy_stats" "$T/s" "$T/stats"
fi

# A closes first: FIN_WAIT, then TIME_WAIT once B has read all and closed
touch "$T/go"
wait "$CLI"
if wait "$SRV"; then
	wait_for -t 30 sh -c "toystat -N $NS_A -H state time-wait | grep -q ."
	in_ns "$NS_A" toystat >"$T/a3"
	if [ "$(in_ns "$NS_A" toystat -H state time-wait | grep -c .)" = 1 ] &&
	   grep -q "^TIME_WAIT .* $IP_A:$CPORT  *$IP_B:7600 " "$T/a3" &&
	   [ "$(in_ns "$NS_A" toystat -H state established | grep -c .)" = 0 ] &&
	   [ "$(in_ns "$NS_B" toystat -H -a | grep -c .)" = 0 ]; then
		pass "toystat: the side that closed first is in TIME_WAIT, the other is gone"
	else
		show_fail "toystat: the side that closed first is in TIME_WAIT, the other is gone" "$T/a3"
	fi
else
	show_fail "toystat: the side that closed first is in TIME_WAIT (server failed)" "$T/srv"
fi
