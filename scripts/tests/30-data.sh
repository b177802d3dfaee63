#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
#
# Data transfer through AF_TOY sockets, asserted by toy-blackbox: message
# boundaries (sizes 1..65536, random sizes, many tiny messages), MSG_TRUNC
# and MSG_PEEK, non-blocking receive and poll() (POLLIN, POLLOUT,
# POLLRDHUP), shutdown and half-close, addresses, TOY_INFO/TOY_MAXSEG/
# TOY_NODELAY, many connections. Over loopback inside one namespace
# ("lo: ...") and across veth between two namespaces ("veth: ...").
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-blackbox mkfifo

# blackbox PREFIX ARGS...: run toy-blackbox with result names prefixed by
# PREFIX and turn its PASS/FAIL/SKIP lines into lib.sh results as they come.
blackbox() {
	_bp=$1; shift
	_fifo=${TMPDIR:-/tmp}/toy-bb.$$.fifo
	rm -f "$_fifo"
	mkfifo "$_fifo" || { fail "${_bp}toy-blackbox" "mkfifo failed"; return 1; }
	toy-blackbox -p "$_bp" "$@" >"$_fifo" 2>&1 &
	_bpid=$!
	while IFS= read -r _l; do
		case $_l in
		"PASS: "*) pass "${_l#PASS: }" ;;
		"FAIL: "*) fail "${_l#FAIL: }" ;;
		"SKIP: "*) skip "${_l#SKIP: }" ;;
		*) echo "$_l" ;;
		esac
	done <"$_fifo"
	wait "$_bpid"
	_brc=$?
	rm -f "$_fifo"
	# 0/1: results were printed; anything else is a crash or usage error
	[ "$_brc" -le 1 ] ||
		fail "${_bp}toy-blackbox" "toy-blackbox exited with status $_brc"
}

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"
set -f	# the test lists below are globs for toy-blackbox, not for files

DATA_TESTS="msg_* recv_trunc_flag recv_dontwait recv_nonblock poll_*
shutdown_drain shutdown_half_close names_connected toy_* echo_bidir
close_with_unread many_connections
recvfrom_addr flow_control"

# shellcheck disable=SC2086 # the test list is a list of globs
blackbox "lo: " -s "$NS_A" -c "$NS_A" -a 127.0.0.1 $DATA_TESTS
# shellcheck disable=SC2086
blackbox "veth: " -s "$NS_B" -c "$NS_A" -a "$IP_B" $DATA_TESTS
