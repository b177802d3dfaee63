#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# toystat on sample /proc/net/toy and /proc/net/toy_stats files (no module
# needed; `make test`): the table, filters, -l/-a, -k, -s, and columns read
# by name (a file with the columns in another order, one with a column
# missing and an unknown one added). The VM test 71-toystat does the same
# against live connections.
#
# Usage: toystat-test.sh PATH-TO-TOYSTAT
TOYSTAT=${1:?usage: toystat-test.sh TOYSTAT}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0

ok() { echo "PASS: toystat: $1"; }
ko() { echo "FAIL: toystat: $1"; failed=1; }
# same NAME EXPECTED-FILE CMD...: CMD's output is EXPECTED-FILE's content
same() {
	_n=$1 _e=$2; shift 2
	if "$@" >"$T/out" 2>&1 && cmp -s "$_e" "$T/out"; then ok "$_n"; else
		ko "$_n"; echo "# expected:"; sed 's/^/#   /' "$_e"
		echo "# got:"; sed 's/^/#   /' "$T/out"; fi
}

cat >"$T/toy" <<'P'
sl local remote state tx_queue rx_queue snd_una snd_nxt rcv_nxt snd_wnd rcv_wnd uid inode srtt_us rttvar_us rto_us cwnd retrans
0 10.0.0.2:7000 0.0.0.0:0 LISTEN 0 0 0 0 0 0 0 0 12345 0 0 1000000 0 0
1 10.0.0.1:40922 10.0.0.2:7000 ESTABLISHED 100 20 2898122838 2898122938 1809284875 1048576 1048556 0 10518 41234 8867 240000 654956 3
2 10.0.0.1:40924 10.0.0.2:7000 TIME_WAIT 0 0 1 1 1 0 0 0 0 10999 0 200000 14600 0
P
cat >"$T/want-default" <<'P'
State        Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  RTT(ms)  RTO(ms)    cwnd  Retrans
ESTABLISHED      20     100  10.0.0.1:40922      10.0.0.2:7000         41.2    240.0  654956        3
TIME_WAIT         0       0  10.0.0.1:40924      10.0.0.2:7000         10.9    200.0   14600        0
P
same "default: connections, not listeners" "$T/want-default" "$TOYSTAT" --proc "$T/toy"

cat >"$T/want-l" <<'P'
State   Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  RTT(ms)  RTO(ms)  cwnd  Retrans
LISTEN       0       0  10.0.0.2:7000       *:*                      -        -     -        -
P
same "-l: listeners only" "$T/want-l" "$TOYSTAT" --proc "$T/toy" -l
[ "$("$TOYSTAT" --proc "$T/toy" -a -H | wc -l)" = 3 ] && ok "-a -H: all, no header" || ko "-a -H: all, no header"

printf 'TIME_WAIT  0  0  10.0.0.1:40924  10.0.0.2:7000  10.9  200.0  14600  0\n' >"$T/want-tw"
same "state time-wait" "$T/want-tw" "$TOYSTAT" --proc "$T/toy" -H state time-wait
same "state TIME_WAIT (the /proc spelling)" "$T/want-tw" "$TOYSTAT" --proc "$T/toy" -H state TIME_WAIT
same "sport = :40924" "$T/want-tw" "$TOYSTAT" --proc "$T/toy" -H sport = :40924
same "exclude established" "$T/want-tw" "$TOYSTAT" --proc "$T/toy" -H exclude established
[ "$("$TOYSTAT" --proc "$T/toy" -H -a dport 7000 | wc -l)" = 2 ] &&
[ "$("$TOYSTAT" --proc "$T/toy" -H -a src 10.0.0.2 | wc -l)" = 1 ] &&
[ "$("$TOYSTAT" --proc "$T/toy" -H dst 10.0.0.2:7000 | wc -l)" = 2 ] &&
[ "$("$TOYSTAT" --proc "$T/toy" -H dst 10.0.0.3 | wc -l)" = 0 ] &&
[ "$("$TOYSTAT" --proc "$T/toy" -H state connected | wc -l)" = 2 ] &&
[ "$("$TOYSTAT" --proc "$T/toy" -H state synchronized state listening | wc -l)" = 3 ] &&
	ok "address, port and state-group filters" || ko "address, port and state-group filters"
"$TOYSTAT" --proc "$T/toy" state bogus >/dev/null 2>&1; [ $? = 2 ] &&
	ok "unknown state: exit 2" || ko "unknown state: exit 2"

"$TOYSTAT" --proc "$T/toy" -k sport 40922 >"$T/k"
grep -q '^sl=1 local=10.0.0.1:40922 remote=10.0.0.2:7000 state=ESTABLISHED .* srtt_us=41234 .* retrans=3$' "$T/k" &&
	ok "-k: every column as name=value" || ko "-k: every column as name=value"

# the same table with the columns reversed, then with cwnd missing and an
# unknown column added: read by name, the output does not change
awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\n") }' \
	"$T/toy" >"$T/toy-rev"
same "columns read by name, not position" "$T/want-default" "$TOYSTAT" --proc "$T/toy-rev"
awk '{ $17 = ""; print $0, (NR == 1 ? "future_col" : "42") }' "$T/toy" >"$T/toy-new"
"$TOYSTAT" --proc "$T/toy-new" -H >"$T/new"
grep -q '^ESTABLISHED  *20  *100 .* 41.2  *240.0  *-  *3$' "$T/new" &&
	ok "a missing column shows as -, an unknown one is ignored" ||
	{ ko "a missing column shows as -, an unknown one is ignored"; cat "$T/new"; }
"$TOYSTAT" --proc "$T/toy-new" -k | grep -q ' future_col=42$' &&
	ok "-k shows columns it does not know" || ko "-k shows columns it does not know"

printf 'InSegs 100\nOutSegs 120\nRetransSegs 6\nFastRetrans 0\nSomethingNew 5\n' >"$T/stats"
"$TOYSTAT" --proc "$T/toy" --stats "$T/stats" -s >"$T/s"
grep -q '^  RetransSegs  *6  segments sent again' "$T/s" &&
grep -q '^  SomethingNew  *5 *$' "$T/s" &&
grep -q '^  FastRetrans  *0 ' "$T/s" &&
grep -q '^  6 of 120 segments sent were retransmissions (5.0%)$' "$T/s" &&
grep -q '^AF_TOY sockets ([^)]*): 3 (ESTABLISHED 1, TIME_WAIT 1, LISTEN 1)$' "$T/s" &&
	ok "-s: counters with explanations, retransmission rate, sockets per state" ||
	{ ko "-s: counters with explanations, retransmission rate, sockets per state"; cat "$T/s"; }
"$TOYSTAT" --proc "$T/toy" --stats "$T/stats" -s -z | grep -q FastRetrans &&
	ko "-s -z: zero counters left out" || ok "-s -z: zero counters left out"
"$TOYSTAT" --proc "$T/nonexistent" 2>"$T/err"; [ $? = 1 ] && grep -q "is the toy module loaded" "$T/err" &&
	ok "missing /proc file: exit 1 with a hint" || ko "missing /proc file: exit 1 with a hint"
exit $failed
