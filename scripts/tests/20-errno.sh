#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
#
# The error numbers of the AF_TOY socket calls, asserted by the black-box
# program toy-blackbox (socket API and <linux/toy.h> only): socket(),
# bind(), listen()/accept(), connect(), send()/recv() misuse, shutdown(),
# socket options. Run over loopback inside one namespace ("lo: ...") and
# with listener and client in two namespaces joined by veth ("veth: ...").
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-blackbox mkfifo

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"
set -f	# the test lists below are globs for toy-blackbox, not for files

ERRNO_TESTS="socket_* bind_* listen_* accept_* connect_* send_unconnected
recv_unconnected send_oob recv_oob send_zero send_too_big send_epipe
send_sigpipe send_after_shutdown shutdown_unconnected getsockname_unbound
getpeername_unconnected sockopt_unknown
send_too_big_sndbuf"

# Over loopback in namespace A; 10.0.0.99 is on A's veth subnet but absent,
# so a connection attempt to it stays in SYN_SENT (EALREADY test).
# shellcheck disable=SC2086 # the test list is a list of globs
blackbox "lo: " -s "$NS_A" -c "$NS_A" -a 127.0.0.1 -u 10.0.0.99 $ERRNO_TESTS

# socket() does not depend on where the peer is: the rest again over veth.
# shellcheck disable=SC2086,SC2046
blackbox "veth: " -s "$NS_B" -c "$NS_A" -a "$IP_B" -u 10.0.0.99 \
	$(echo $ERRNO_TESTS | sed 's/socket_\* //')
