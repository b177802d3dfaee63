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
