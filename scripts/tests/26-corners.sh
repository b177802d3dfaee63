#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# Socket-call corners answered as TCP answers them:
# - after shutdown(SHUT_RD) the peer's messages and FIN are still
#   acknowledged (the peer must not end in ETIMEDOUT);
# - send() after shutdown(SHUT_WR) fails with EPIPE at once, also while
#   the FIN is still unacknowledged (a 200 ms delay keeps it so);
# - a refused connect leaves nothing behind: the same socket connects
#   again, from a port that is really bound (listed in /proc/net/toy);
# - listen(fd, N) admits N + 1 connections to the accept queue, N = 0 too;
# - beyond net.toy.max_orphans a closed connection is reset, not finished
#   (as tcp_max_orphans); with room, the peer reads its end of stream;
# - SO_RCVBUF lowered to 16 KiB after the handshake: eight 200 KiB messages
#   still arrive (the capacity told to the peer is kept);
# - an accepted socket has its listener's IP_RECVERR and IP_TOS, as TCP's
#   (the copy goes through module/compat.h on 6.6 and later).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
require toy-echo-server
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

C=$(dirname "$0")/toy-corners.py
BASE=$((7200 + $$ % 500))
log "ports $BASE..$((BASE + 11))"

listening() {	# listening NS PORT
	in_ns "$1" cat /proc/net/toy | grep -q ":$2 0.0.0.0:0 LISTEN"
}

# --- SHUT_RD --------------------------------------------------------------
FLAG=${TMPDIR:-/tmp}/toy-corners.$$
on_exit "rm -f '$FLAG'"
run_bg in_ns "$NS_B" python3 "$C" shut-rd-server "$IP_B:$BASE" "$FLAG"
wait_for listening "$NS_B" "$BASE"
check "corners: after the peer's SHUT_RD, messages and FIN are still acknowledged" \
	in_ns "$NS_A" python3 "$C" shut-rd-client "$IP_B:$BASE" 5 "$FLAG"

# --- send after SHUT_WR ---------------------------------------------------
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:$((BASE + 1))" >/dev/null 2>&1
wait_for listening "$NS_B" $((BASE + 1))
netem "$NS_A" "$DEV_A" delay 200ms
check "corners: send() after SHUT_WR fails with EPIPE while the FIN is in flight" \
	in_ns "$NS_A" python3 "$C" send-after-shut-wr "$IP_B:$((BASE + 1))"
netem_clear "$NS_A" "$DEV_A"

# --- a refused connect, then a good one on the same socket ---------------
check "corners: a refused connect leaves nothing behind; the socket connects again" \
	in_ns "$NS_A" python3 "$C" refused-then-connect \
	"$IP_B:$((BASE + 2))" "$IP_B:$((BASE + 1))"

# --- listen backlog (no SYN cookies: they would admit more) --------------
in_ns "$NS_B" sh -c 'echo 0 > /proc/sys/net/toy/syncookies'
for n in 0 2; do
	check "corners: listen(fd, $n) admits $((n + 1)) connection(s)" \
		in_ns "$NS_B" python3 "$C" backlog "$IP_B:$((BASE + 3 + n))" "$n"
done

# --- too many orphans ------------------------------------------------------
# after_close_gets PORT WANT: the server's read after the client's close
after_close_gets() {
	_out=${TMPDIR:-/tmp}/toy-corners-ac.$$
	in_ns "$NS_B" python3 "$C" after-close "$IP_B:$1" >"$_out" 2>&1 &
	_srv=$!
	wait_for -t 60 listening "$NS_B" "$1"
	in_ns "$NS_A" python3 "$C" send-close "$IP_B:$1"
	wait "$_srv"
	_got=$(cat "$_out")
	rm -f "$_out"
	[ "$_got" = "$2" ] && return 0
	echo "# after the close: got '$_got', want '$2'"
	return 1
}
ORPH=$(cat /proc/sys/net/toy/max_orphans)
on_exit "echo $ORPH > /proc/sys/net/toy/max_orphans"
check "corners: control: a closed connection ends in the peer's end of stream" \
	after_close_gets $((BASE + 7)) EOF
echo 0 > /proc/sys/net/toy/max_orphans
check "corners: with net.toy.max_orphans 0, a closed connection is reset" \
	after_close_gets $((BASE + 8)) ECONNRESET
echo "$ORPH" > /proc/sys/net/toy/max_orphans

# --- SO_RCVBUF lowered after the handshake ---------------------------------
run_bg in_ns "$NS_B" python3 "$C" shrink-server "$IP_B:$((BASE + 9))" 8 204800 \
	>"$FLAG.shrink" 2>&1
wait_for -t 60 listening "$NS_B" $((BASE + 9))
SRV=$BG_PID
if in_ns "$NS_A" python3 "$C" send-many "$IP_B:$((BASE + 9))" 8 204800 &&
   wait "$SRV"; then
	pass "corners: SO_RCVBUF lowered to 16 KiB after the handshake: 8 x 200 KiB arrive"
else
	sed 's/^/# server: /' "$FLAG.shrink"
	fail "corners: SO_RCVBUF lowered to 16 KiB after the handshake: 8 x 200 KiB arrive" \
	     "$(tail -n 1 "$FLAG.shrink")"
fi
rm -f "$FLAG.shrink"

# --- IP options of the listener on the accepted socket -----------------------
check "corners: an accepted socket has its listener's IP_RECVERR and IP_TOS" \
	in_ns "$NS_B" python3 "$C" inherit "$IP_B:$((BASE + 10))"
