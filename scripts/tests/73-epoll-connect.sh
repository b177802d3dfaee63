#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# A non-blocking connect() registered with epoll just as its handshake
# ends must still be reported (EPOLLOUT). toy-epoll-race.py registers each
# socket at a random moment around the measured handshake time, so some
# registrations land while the SYN-ACK is being processed; a poll() that
# reads the state before joining the wait queue loses those wakeups.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
require toy-epoll-server
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-epoll-race.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
PORT=$((7500 + $$ % 100))
N=${TOY_EPOLL_ATTEMPTS:-400}
SEED=${TOY_SEED:-$(awk 'BEGIN { srand(); print int(rand() * 1000000) }')}
# the SYN-ACK comes back from a timer (netem), on either CPU
netem "$NS_B" "$DEV_B" delay 1ms
log "$N attempts to $IP_B:$PORT, seed $SEED"

run_bg in_ns "$NS_B" toy-epoll-server "$IP_B:$PORT" >"$T/server" 2>&1
wait_for grep -q "echo service on" "$T/server"

if in_ns "$NS_A" python3 "$(dirname "$0")/toy-epoll-race.py" \
	"$IP_B:$PORT" "$N" "$SEED" >"$T/race" 2>&1; then
	sed 's/^/# /' "$T/race" | grep -v '^# #' | tail -n 1
	pass "epoll-connect: every handshake reported to an epoll registered around it"
else
	fail "epoll-connect: every handshake reported to an epoll registered around it" \
		"$(tail -n 15 "$T/race")"
fi
