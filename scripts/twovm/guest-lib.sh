# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for a script that runs in both VMs of scripts/twovm.sh (busybox
# sh), on top of /tests/lib.sh. Installed as /toy/twovm-lib.sh:
#
#	. /toy/twovm-lib.sh
#
# Sides: $ROLE is A or B (from twovm.sh), $PEER the other one;
#        $MY_IP/$PEER_IP are 10.0.0.1 (A) and 10.0.0.2 (B), on $DEV (eth0)
# twovm_up [MTU]  bring the NIC up with the address (and MTU), wait for the
#                 link, print the kernel, check AF_TOY is there, then meet
#                 the other side
# meet NAME [SECS] wait until the other side reaches `meet NAME` too:
#                 B listens on a fresh TCP port (busybox nc), A connects
#                 until that works; both go on together. The only way the
#                 two VMs coordinate: over the cable, no host in between.
#                 SECS bounds the wait (default 300): past it, FAIL and
#                 exit 1 (the script cannot go on alone).
# on_side X CMD...  run CMD on side X only (status 0 on the other side)
# stats           /proc/net/toy_stats; counter FILE NAME: one value of it
. /tests/lib.sh

ROLE=${TOY_ROLE:?TOY_ROLE (A or B) is set by scripts/twovm.sh}
DEV=eth0
IP_A=10.0.0.1
IP_B=10.0.0.2
if [ "$ROLE" = A ]; then
	PEER=B MY_IP=$IP_A PEER_IP=$IP_B
else
	PEER=A MY_IP=$IP_B PEER_IP=$IP_A
fi
TOY_TEST=two-vm
export TOY_TEST
_meet_seq=0

meet() {
	_mn=$1 _mt=${2:-300}
	_meet_seq=$((_meet_seq + 1))
	_mp=$((9000 + _meet_seq))
	if [ "$ROLE" = B ]; then
		timeout "$_mt" nc -l -p "$_mp" </dev/null >/dev/null 2>&1 && return 0
	else
		wait_for -t "$_mt" nc -w 5 "$PEER_IP" "$_mp" </dev/null && return 0
	fi
	fail "$ROLE: meet the other side at '$_mn' (TCP port $_mp)" \
	     "side $PEER did not get there within ${_mt}s"
	# without the other side nothing further can run: stop here, not
	# at each later meeting in turn
	exit 1
}

on_side() {
	_os=$1; shift
	[ "$ROLE" = "$_os" ] || return 0
	"$@"
}

stats() { cat /proc/net/toy_stats; }
counter() { awk -v n="$2" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' "$1"; }

twovm_up() {
	_mtu=${1:-1500}
	wait_for -t 30 test -e "/sys/class/net/$DEV" ||
		{ fail "$ROLE: virtio-net NIC $DEV appears" "no $DEV: $(ls /sys/class/net)"; return 1; }
	if ! { ip addr add "$MY_IP/24" dev "$DEV" &&
	       ip link set "$DEV" mtu "$_mtu" &&
	       ip link set "$DEV" up; }; then
		fail "$ROLE: configure $DEV" "ip failed"
		return 1
	fi
	wait_for -t 30 sh -c "$IP link show $DEV | grep -q LOWER_UP" ||
		{ fail "$ROLE: $DEV link up" "$(ip link show "$DEV")"; return 1; }
	log "side $ROLE: $(hostname) kernel $(uname -r), $DEV $MY_IP/24 mtu $_mtu," \
	    "$(cat "/sys/class/net/$DEV/address"), driver" \
	    "$(basename "$(readlink "/sys/class/net/$DEV/device/driver")")"
	# toy.ko may not have loaded (a kernel it was not built for): say so
	# now, not at the first socket(); the other side gives up at `up`
	if [ ! -e /proc/net/toy ]; then
		fail "$ROLE: AF_TOY loaded on kernel $(uname -r)" \
		     "no /proc/net/toy: $(dmesg | grep -E 'toy|sysctl table' | tail -n 3 | tr '\n' ' ')"
		return 1
	fi
	meet up 120
}
