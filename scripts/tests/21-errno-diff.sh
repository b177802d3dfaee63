#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Differential errno test: the same sequences of socket calls on TCP
# (AF_INET, SOCK_STREAM) and on AF_TOY (SOCK_SEQPACKET), in this kernel,
# and the outcome of every call compared (toy-errno-diff.py): calls in the
# wrong state, bind/connect/accept/listen misuse, shutdown, unknown socket
# options, send/recv after shutdown, close and reset, refused and pending
# connects, time-outs, the listen backlog. TCP is the reference, measured
# here; the differences AF_TOY makes on purpose (message semantics) are the
# INTENDED table in toy-errno-diff.py and toy(7). One result per sequence,
# over loopback in one namespace ("errno-diff lo: ...") and with the
# listeners in a second namespace behind veth ("errno-diff veth: ...").
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
require mkfifo

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

D=$(dirname "$0")/toy-errno-diff.py
# the namespaces are this test's own: fixed ports, below the ephemeral range
log "10.0.0.99 (on A's veth subnet, absent) never answers"
for ns in "$NS_A" "$NS_B"; do
	log "$ns: net.ipv4.tcp_syncookies $(in_ns "$ns" cat /proc/sys/net/ipv4/tcp_syncookies)," \
	    "net.toy.syncookies $(in_ns "$ns" cat /proc/sys/net/toy/syncookies)"
done

# errdiff PREFIX ARGS...: run toy-errno-diff.py in namespace A, its table
# as comments, its PASS/FAIL lines as lib.sh results as they come
errdiff() {
	_p=$1; shift
	_fifo=${TMPDIR:-/tmp}/toy-errdiff.$$.fifo
	rm -f "$_fifo"
	mkfifo "$_fifo" || { fail "${_p}toy-errno-diff.py" "mkfifo failed"; return 1; }
	log "toy-errno-diff.py -p '$_p' $*"
	in_ns "$NS_A" python3 "$D" -p "$_p" "$@" >"$_fifo" 2>&1 &
	_pid=$!
	while IFS= read -r _l; do
		case $_l in
		"PASS: "*) pass "${_l#PASS: }" ;;
		"FAIL: "*) fail "${_l#FAIL: }" ;;
		"# "*) echo "$_l" ;;
		*) echo "# $_l" ;;
		esac
	done <"$_fifo"
	wait "$_pid"
	_rc=$?
	rm -f "$_fifo"
	# 0/1: results were printed; anything else is a crash or usage error
	[ "$_rc" -le 1 ] ||
		fail "${_p}toy-errno-diff.py" "toy-errno-diff.py exited with status $_rc"
}

errdiff "errno-diff lo: " -b 20000 -a 127.0.0.1 -u 10.0.0.99
errdiff "errno-diff veth: " -b 25000 -a "$IP_B" -s "$NS_B" -u 10.0.0.99
