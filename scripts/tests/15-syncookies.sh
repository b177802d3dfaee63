#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
#
# SYN cookies (net.toy.syncookies, module/syncookies.c): with 2 every
# connection to a listener of backlog 1 goes through a cookie and carries
# data both ways intact; with 1 cookies start only when the half-open
# queue is full; with 0 a SYN beyond the backlog is dropped and the client
# gets in later; a forged ACK gets a reset and no connection. As TCP's, a
# listener of backlog N holds N + 1 connections.
# toy-fakepeer.py plays a peer at an address nobody answers for
# ($FAKE), so half-open connections stay half-open and no reset from our
# side interferes.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-echo-server toy-echo-client toy-sock
[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-cookies.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
FAKE=10.0.0.77
FAKEPEER=$(dirname "$0")/toy-fakepeer.py
HAVE_PY=0
command -v python3 >/dev/null 2>&1 && HAVE_PY=1
# $FAKE's packets go to veth0's MAC, where no stack owns $FAKE
ip -n "$NS_B" neigh replace "$FAKE" dev "$DEV_B" nud permanent \
	lladdr "$(ip netns exec "$NS_A" cat "/sys/class/net/$DEV_A/address")"

# fakepeer ARGS...: toy-fakepeer.py in $NS_A
fakepeer() {
	in_ns "$NS_A" python3 "$FAKEPEER" "$@"
}

# counter NS NAME: a counter of NS's /proc/net/toy_stats
counter() {
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'
}

cookies() {
	in_ns "$NS_B" sh -c "echo $1 >/proc/sys/net/toy/syncookies"
}

# moved NAME COUNTER BEFORE [MIN]: PASS if COUNTER of $NS_B went up by at
# least MIN (default 1) since BEFORE.
moved() {
	_now=$(counter "$NS_B" "$2")
	if [ "$((_now - $3))" -ge "${4:-1}" ]; then
		pass "$1"
	else
		fail "$1" "$2 went from $3 to $_now, expected +${4:-1}"
	fi
}

still() {
	_now=$(counter "$NS_B" "$2")
	if [ "$_now" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "$2 went from $3 to $_now"
	fi
}

# client NAME PATTERN ARGS...: toy-echo-client in $NS_A must succeed and
# print PATTERN (it compares every byte that comes back).
client() {
	_cn=$1 _cp=$2; shift 2
	if in_ns "$NS_A" toy-echo-client "$@" >"$T/client" 2>&1 &&
	   grep -q "$_cp" "$T/client"; then
		pass "$_cn"
	else
		fail "$_cn" "toy-echo-client $*: $(tail -n 3 "$T/client")"
	fi
}

# --- the sysctl and the counters -----------------------------------------
check "sysctl: syncookies is 1 by default" \
	sh -c "[ \"\$($IP netns exec $NS_B cat /proc/sys/net/toy/syncookies)\" = 1 ]"
check_fails "sysctl: syncookies refuses 3" cookies 3
check "toy_stats: SyncookiesSent, SyncookiesRecv, SyncookiesFailed" sh -c \
	"$IP netns exec $NS_B cat /proc/net/toy_stats | grep -c '^Syncookies\(Sent\|Recv\|Failed\) 0$' | grep -qx 3"

# --- 2: always -----------------------------------------------------------
cookies 2
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:7000" --backlog 1 >"$T/s0" 2>&1
wait_for grep -q listening "$T/s0" || fail "always: echo server starts"
sent=$(counter "$NS_B" SyncookiesSent)
recv=$(counter "$NS_B" SyncookiesRecv)
opens=$(counter "$NS_B" PassiveOpens)
client "always: backlog 1, hello echoed" "got 5 bytes back: hello" \
	"$IP_B:7000" hello
client "always: 20 x 60000-byte messages both ways, bytes compared" \
	"all 20 echoes matched" "$IP_B:7000" --count 20 --size 60000
pids=""
for i in 1 2 3 4; do
	in_ns "$NS_A" toy-echo-client "$IP_B:7000" --count 30 \
		--size $((i * 900)) >"$T/p$i" 2>&1 &
	pids="$pids $!"
done
ok=1
for p in $pids; do wait "$p" || ok=0; done
for i in 1 2 3 4; do grep -q "all 30 echoes matched" "$T/p$i" || ok=0; done
if [ $ok = 1 ]; then
	pass "always: 4 concurrent clients on backlog 1"
else
	for i in 1 2 3 4; do sed "s/^/# client $i: /" "$T/p$i"; done
	fail "always: 4 concurrent clients on backlog 1"
fi
moved "always: SyncookiesSent counts 6 connections" SyncookiesSent "$sent" 6
moved "always: SyncookiesRecv counts 6 connections" SyncookiesRecv "$recv" 6
moved "always: PassiveOpens counts them too" PassiveOpens "$opens" 6

if [ $HAVE_PY = 1 ]; then
	sent=$(counter "$NS_B" SyncookiesSent)
	fakepeer flood "$FAKE" "$IP_B" 7000 3 >/dev/null
	check "always: 3 unanswered SYNs get 3 cookies" wait_for -t 5 sh -c \
		"[ \$($IP netns exec $NS_B cat /proc/net/toy_stats | awk '\$1 == \"SyncookiesSent\" { print \$2 }') -ge $((sent + 3)) ]"
	check_fails "always: and leave no half-open connection" sh -c \
		"$IP netns exec $NS_B cat /proc/net/toy | grep -q '$FAKE:'"

	run_bg in_ns "$NS_B" toy-sock listen "$IP_B:7100" accept info \
		expect "data on the cookie ACK" touch "$T/got" close \
		>"$T/sock" 2>&1
	wait_for -t 5 sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':7100 .* LISTEN'"
	sent=$(counter "$NS_B" SyncookiesSent)
	check "always: a message riding on the ACK that returns the cookie" \
		fakepeer connect "$FAKE" "$IP_B" 7100 "$DEV_A" \
		"data on the cookie ACK" "$T/got"
	check "always: the listener accepted it and read the message" \
		wait_for -t 5 test -e "$T/got"
	moved "always: its SYN-ACK was a cookie" SyncookiesSent "$sent"
	check "always: the cookie kept the peer's MSS 1400 as 1398" \
		grep -q "state ESTABLISHED mss 1398 " "$T/sock"

	failed=$(counter "$NS_B" SyncookiesFailed)
	check "always: a forged ACK (wrong cookie) is answered with a reset" \
		fakepeer forge "$FAKE" "$IP_B" 7000 "$DEV_A"
	moved "always: SyncookiesFailed counts the forged ACK" SyncookiesFailed "$failed"
	check_fails "always: no connection from the forged ACK" sh -c \
		"$IP netns exec $NS_B cat /proc/net/toy | grep -q '$FAKE:5'"
else
	skip "always: cookie ACK with data, forged ACK" "no python3 in the guest"
fi

# --- 1: when the half-open queue is full ---------------------------------
cookies 1
if [ $HAVE_PY = 1 ]; then
	run_bg in_ns "$NS_B" toy-echo-server "$IP_B:7001" --backlog 4 >"$T/s1" 2>&1
	wait_for grep -q listening "$T/s1"
	# as TCP's, a listener of backlog N is full with N + 1
	fakepeer flood "$FAKE" "$IP_B" 7001 5 >/dev/null
	check "overflow: 5 half-open connections fill backlog 4" wait_for -t 5 \
		sh -c "[ \$($IP netns exec $NS_B cat /proc/net/toy | grep -c '$FAKE:.* SYN_RECV') -ge 5 ]"
	sent=$(counter "$NS_B" SyncookiesSent)
	drops=$(counter "$NS_B" ListenDrops)
	client "overflow: a client still gets in, through a cookie" \
		"all 5 echoes matched" "$IP_B:7001" --count 5 --size 3000
	moved "overflow: SyncookiesSent moved" SyncookiesSent "$sent"
	still "overflow: ListenDrops did not move" ListenDrops "$drops"

	cookies 0
	drops=$(counter "$NS_B" ListenDrops)
	sent=$(counter "$NS_B" SyncookiesSent)
	run_bg in_ns "$NS_A" toy-echo-client "$IP_B:7001" hi >/dev/null 2>&1
	check "never, queue full: the SYN is dropped (ListenDrops)" wait_for -t 5 \
		sh -c "[ \$($IP netns exec $NS_B cat /proc/net/toy_stats | awk '\$1 == \"ListenDrops\" { print \$2 }') -gt $drops ]"
	still "never, queue full: no cookie sent" SyncookiesSent "$sent"
	kill "$BG_PID" 2>/dev/null
else
	skip "overflow: cookies only when the half-open queue is full" \
		"no python3 in the guest"
fi

# --- 0: never; the backlog drains and the client gets in -----------------
cookies 0
run_bg in_ns "$NS_B" sh -c "echo \$\$ >'$T/s2.pid'; exec toy-echo-server $IP_B:7002 --backlog 1" >"$T/s2" 2>&1
wait_for grep -q listening "$T/s2"
SERVER=$(cat "$T/s2.pid")
on_exit "kill -CONT $SERVER 2>/dev/null"
# a stopped server accepts nothing: two established connections fill its
# backlog of 1 (N + 1, as TCP's)
kill -STOP "$SERVER"
in_ns "$NS_A" toy-echo-client "$IP_B:7002" first >"$T/c1" 2>&1 &
C1=$!
in_ns "$NS_A" toy-echo-client "$IP_B:7002" second >"$T/c2" 2>&1 &
C2=$!
wait_for -t 5 sh -c "[ \$($IP netns exec $NS_B cat /proc/net/toy | grep -c ':7002 $IP_A:.* ESTABLISHED') -ge 2 ]"
drops=$(counter "$NS_B" ListenDrops)
sent=$(counter "$NS_B" SyncookiesSent)
in_ns "$NS_A" toy-echo-client "$IP_B:7002" --timeout 20000 third >"$T/c3" 2>&1 &
C3=$!
check "never, accept queue full: the third SYN is dropped (ListenDrops)" \
	wait_for -t 5 sh -c "[ \$($IP netns exec $NS_B cat /proc/net/toy_stats | awk '\$1 == \"ListenDrops\" { print \$2 }') -gt $drops ]"
still "never: no cookie sent" SyncookiesSent "$sent"
kill -CONT "$SERVER"
if wait "$C1" && wait "$C2" && wait "$C3" &&
   grep -q "got 5 bytes back: first" "$T/c1" &&
   grep -q "got 6 bytes back: second" "$T/c2" &&
   grep -q "got 5 bytes back: third" "$T/c3"; then
	pass "never: all three clients get in once the server accepts again"
else
	fail "never: all three clients get in once the server accepts again" \
	     "$(cat "$T/c1" "$T/c2" "$T/c3")"
fi
