#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# What an unprivileged user (uid 65534) may do, as for TCP:
# - bind a port below net.ipv4.ip_unprivileged_port_start only with
#   CAP_NET_BIND_SERVICE: EACCES otherwise. Controls: root binds the same
#   port, the same user binds a high port, and after lowering the sysctl
#   in the namespace the same user binds the same low port.
# - read /proc/net/toy, but without the sequence numbers (0), which are
#   exact in-window numbers for an injection; root reads them.
# - as root of a user namespace of its own, make new sockets' buffers at
#   most 4 MiB (net.toy.rmem_default), not 64 MiB; the initial namespace's
#   root may (the control).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
require toy-echo-server
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

PRIV=$(dirname "$0")/toy-priv.py
NOBODY=65534
LOW=$((80 + $$ % 900))		# below 1024, printed for a rerun
HIGH=$((20000 + $$ % 10000))
log "uid $NOBODY, low port $LOW, high port $HIGH"

# bind_as UID PORT WANT: bind in NS_A as UID; the result must be WANT
bind_as() {
	_got=$(in_ns "$NS_A" python3 "$PRIV" bind "$1" "$2" 2>&1)
	[ "$_got" = "$3" ] && return 0
	echo "# uid $1 port $2: got '$_got', want '$3'"
	return 1
}

start=$(in_ns "$NS_A" cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
log "ip_unprivileged_port_start $start"
check "privilege: uid $NOBODY cannot bind port $LOW (EACCES)" \
	bind_as "$NOBODY" "$LOW" EACCES
check "privilege: root binds port $LOW" bind_as 0 "$LOW" bound
check "privilege: uid $NOBODY binds port $HIGH" \
	bind_as "$NOBODY" "$HIGH" bound
in_ns "$NS_A" sh -c "echo $LOW > /proc/sys/net/ipv4/ip_unprivileged_port_start"
check "privilege: with ip_unprivileged_port_start=$LOW, uid $NOBODY binds port $LOW" \
	bind_as "$NOBODY" "$LOW" bound
in_ns "$NS_A" sh -c "echo $start > /proc/sys/net/ipv4/ip_unprivileged_port_start"

PORT=$((7000 + $$ % 1000))
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:$PORT" >/dev/null 2>&1
wait_for in_ns "$NS_B" sh -c "grep -q ':$PORT 0.0.0.0:0 LISTEN' /proc/net/toy" ||
	fail "privilege: echo server listening"

OUT=${TMPDIR:-/tmp}/toy-priv.$$
on_exit "rm -f '$OUT'"
if in_ns "$NS_A" python3 "$PRIV" seqs "$NOBODY" "$IP_B:$PORT" >"$OUT" 2>&1; then
	sed 's/^/# /' "$OUT"
	# shellcheck disable=SC2046 # the words of one line
	set -- $(grep '^root ' "$OUT")
	check "privilege: root reads the connection and its sequence numbers" \
		test "$2" = ESTABLISHED -a "$3$4$5" != 000
	# shellcheck disable=SC2046
	set -- $(grep '^uid ' "$OUT")
	check "privilege: uid $NOBODY reads the connection, sequence numbers 0" \
		test "$3" = ESTABLISHED -a "$4 $5 $6" = "0 0 0"
else
	sed 's/^/# /' "$OUT"
	fail "privilege: connect and read /proc/net/toy as root and as uid $NOBODY"
fi

# --- buffer sysctls from an unprivileged user namespace ----------------------
userns_write() {	# userns_write BYTES WANT
	_got=$(python3 "$PRIV" userns "$1" 2>&1)
	[ "$_got" = "$2" ] && return 0
	echo "# rmem_default=$1 in a user namespace: got '$_got', want '$2'"
	return 1
}
case $(python3 "$PRIV" userns 4194304 2>&1) in
unshare:*)
	# the debug kernel is built without CONFIG_USER_NS
	skip "privilege: root of a user namespace cannot set rmem_default to 64 MiB" \
	     "no user namespaces in this kernel"
	;;
*)
	check "privilege: root of a user namespace cannot set rmem_default to 64 MiB" \
		userns_write 67108864 EINVAL
	check "privilege: ... but can set it to 4 MiB" \
		userns_write 4194304 written
	;;
esac
old=$(in_ns "$NS_A" cat /proc/sys/net/toy/rmem_default)
check "privilege: control: the initial user namespace's root sets 64 MiB" \
	in_ns "$NS_A" sh -c 'echo 67108864 > /proc/sys/net/toy/rmem_default'
in_ns "$NS_A" sh -c "echo $old > /proc/sys/net/toy/rmem_default"
