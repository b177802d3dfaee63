# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for the in-guest AF_TOY tests, in the style of
# tools/testing/selftests/net/lib.sh. POSIX/busybox sh only: the guest has
# no bash. Source it from a test file:
#
#	. "$(dirname "$0")/lib.sh"
#
# Result lines (the only lines the host counts), exactly one per test:
#	PASS: <name>
#	FAIL: <name>        (after one or more "# reason" lines)
#	SKIP: <name>
# Anything else a test prints should start with "# ".
#
# Namespaces:  setup_pair [NS_A NS_B]  -> $NS_A ($DEV_A=veth0, $IP_A=10.0.0.1)
#                                         $NS_B ($DEV_B=veth1, $IP_B=10.0.0.2)
#              setup_routed [NS_A NS_R NS_B] -> A - R - B, R forwards:
#                  $NS_A/$DEV_A=$IP_A (10.1.0.2/24) <-> $NS_R/$DEV_RA=$IP_RA
#                  (10.1.0.1/24), $NS_R/$DEV_RB=$IP_RB (10.2.0.1/24) <->
#                  $NS_B/$DEV_B=$IP_B (10.2.0.2/24); default routes via R
#              ns_create NAME, in_ns NS CMD..., netem NS DEV ARGS...
# Processes:   run_bg CMD... (pid in $BG_PID), wait_for [-t SECS] CMD...
# Results:     check NAME CMD..., check_fails NAME CMD..., pass NAME,
#              fail NAME [REASON...], skip NAME [REASON...], skip_all REASON
# Cleanup:     on exit (trap): background processes are killed, on_exit
#              commands run, namespaces made here deleted (unless TOY_KEEP=1).
#              The test file exits 1 if any test failed.

# busybox sh runs its applets before $PATH, so name iproute2 by full path;
# these functions make plain `ip`/`tc` in a test mean iproute2 too.
for _p in /sbin/ip /usr/sbin/ip /bin/ip /usr/bin/ip; do
	[ -x "$_p" ] && IP=$_p && break
done
for _p in /sbin/tc /usr/sbin/tc /bin/tc /usr/bin/tc; do
	[ -x "$_p" ] && TC=$_p && break
done
: "${IP:=/sbin/ip}" "${TC:=/sbin/tc}"
export IP TC	# for `sh -c "$IP ..."`: a new sh has busybox's ip/tc again
ip() { "$IP" "$@"; }
tc() { "$TC" "$@"; }

TOY_KO=${TOY_KO:-/lib/modules/toy.ko}
TOY_TEST=${TOY_TEST:-$(basename "$0" .sh)}

IP_A=10.0.0.1
IP_B=10.0.0.2
DEV_A=veth0
DEV_B=veth1
NS_A=
NS_B=
NS_R=

_toy_ns=""		# namespaces to delete at exit
_toy_pids=""		# background processes to kill at exit
_toy_on_exit=""		# commands to run at exit
_toy_npass=0
_toy_nfail=0
_toy_nskip=0
_toy_seq=0

# Result lines also go to $TOY_RESULTS (set by /tests/run.sh) if set.
_toy_result() {
	echo "$1: $2"
	[ -n "${TOY_RESULTS:-}" ] && echo "$1: $2" >>"$TOY_RESULTS"
	return 0
}

pass() {
	_toy_npass=$((_toy_npass + 1))
	_toy_result PASS "$1"
}

# fail NAME [REASON...]
fail() {
	_n=$1; shift
	[ $# -gt 0 ] && echo "# $*"
	_toy_nfail=$((_toy_nfail + 1))
	_toy_result FAIL "$_n"
}

# skip NAME [REASON...]
skip() {
	_n=$1; shift
	[ $# -gt 0 ] && echo "# $*"
	_toy_nskip=$((_toy_nskip + 1))
	_toy_result SKIP "$_n"
}

# skip_all REASON: the whole file cannot run here.
skip_all() {
	skip "$TOY_TEST" "$@"
	exit 0
}

# log MSG...: a comment line.
log() { echo "# $*"; }

# _toy_run CMD...: run CMD, output in $_toy_out, status in $_toy_rc.
_toy_run() {
	_toy_seq=$((_toy_seq + 1))
	_toy_out=${TMPDIR:-/tmp}/toy-check.$$.$_toy_seq
	"$@" >"$_toy_out" 2>&1
	_toy_rc=$?
}

_toy_show_out() {
	if [ -s "$_toy_out" ]; then
		echo "# output (last 20 lines):"
		tail -n 20 "$_toy_out" | sed 's/^/#   /'
	fi
	rm -f "$_toy_out"
}

# check NAME CMD...: PASS if CMD exits 0, else FAIL with its output.
check() {
	_cn=$1; shift
	_toy_run "$@"
	if [ "$_toy_rc" -eq 0 ]; then
		[ "${TOY_VERBOSE:-0}" = 1 ] && _toy_show_out
		rm -f "$_toy_out"
		pass "$_cn"
		return 0
	fi
	echo "# $_cn: '$*' exited with status $_toy_rc"
	_toy_show_out
	fail "$_cn"
	return 1
}

# check_fails NAME CMD...: PASS if CMD exits non-zero.
check_fails() {
	_cn=$1; shift
	_toy_run "$@"
	if [ "$_toy_rc" -ne 0 ]; then
		rm -f "$_toy_out"
		pass "$_cn"
		return 0
	fi
	echo "# $_cn: '$*' succeeded but should have failed"
	_toy_show_out
	fail "$_cn"
	return 1
}

# expect_eq NAME GOT WANT: PASS if GOT is WANT (and WANT is not empty).
expect_eq() {
	if [ -n "$3" ] && [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', want '$3'"
	fi
}

# require CMD...: skip the whole file unless every CMD is available.
require() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || skip_all "$_c not available"
	done
}

# require_toysocket: skip the whole file unless AF_TOY is loaded and
# Python can speak it (userspace/python/toysocket.py).
require_toysocket() {
	[ -e /proc/net/toy ] ||
		skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"
	command -v python3 >/dev/null 2>&1 ||
		skip_all "no python3 in this initramfs (TOY_PYTHON=0?)"
	python3 -c 'import toysocket' 2>/dev/null ||
		skip_all "python3 cannot import toysocket"
}

# on_exit CMD: run the shell command CMD at exit (last added runs first).
on_exit() {
	_toy_on_exit="$1
$_toy_on_exit"
}

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

# unique_ns PREFIX: print a namespace name unique to this test process.
unique_ns() {
	_toy_seq=$((_toy_seq + 1))
	echo "$1-$$-$_toy_seq"
}

# gso_get NS: NS's net.toy.gso, or nothing if the module has none.
gso_get() { in_ns "$1" cat /proc/sys/net/toy/gso 2>/dev/null || true; }
# gso_set NS VALUE: set NS's net.toy.gso; a no-op without VALUE or sysctl.
gso_set() {
	[ -n "$2" ] && [ -e /proc/sys/net/toy/gso ] || return 0
	echo "$2" | in_ns "$1" tee /proc/sys/net/toy/gso >/dev/null
}

# ns_create NAME: make a network namespace with lo up; deleted at exit.
ns_create() {
	ip netns add "$1" || { echo "# ip netns add $1 failed"; return 1; }
	_toy_ns="$_toy_ns $1"
	ip -n "$1" link set lo up
	# TOY_GSO=0|1: net.toy.gso in every namespace a test makes
	if [ -n "${TOY_GSO:-}" ] && [ -e /proc/sys/net/toy/gso ]; then
		echo "# net.toy.gso=$TOY_GSO in $1 (TOY_GSO)"
		gso_set "$1" "$TOY_GSO"
	fi
}

ns_del() {
	ip netns del "$1" 2>/dev/null
}

# in_ns NS CMD...: run CMD inside NS.
in_ns() {
	_ns=$1; shift
	ip netns exec "$_ns" "$@"
}

# setup_pair [NS_A NS_B]: two namespaces (default toyA-$$, toyB-$$) joined
# by a veth pair: $NS_A/$DEV_A=$IP_A/24 <-> $NS_B/$DEV_B=$IP_B/24, all up.
setup_pair() {
	NS_A=${1:-toyA-$$}
	NS_B=${2:-toyB-$$}
	ns_create "$NS_A" || return 1
	ns_create "$NS_B" || return 1
	ip link add "$DEV_A" netns "$NS_A" type veth peer name "$DEV_B" netns "$NS_B" ||
		{ echo "# creating veth $DEV_A/$DEV_B failed"; return 1; }
	if ! { ip -n "$NS_A" addr add "$IP_A/24" dev "$DEV_A" &&
	       ip -n "$NS_B" addr add "$IP_B/24" dev "$DEV_B" &&
	       ip -n "$NS_A" link set "$DEV_A" up &&
	       ip -n "$NS_B" link set "$DEV_B" up; }; then
		echo "# configuring veth $DEV_A/$DEV_B failed"
		return 1
	fi
	# veth carrier and IPv4 address are usable at once (no DAD for v4);
	# wait until both ends report the link up.
	wait_for -t 5 sh -c "$IP -n $NS_A link show $DEV_A | grep -q LOWER_UP &&
			     $IP -n $NS_B link show $DEV_B | grep -q LOWER_UP"
}

# setup_routed [NS_A NS_R NS_B]: three namespaces (default toyA-$$,
# toyR-$$, toyB-$$), A and B on different subnets with a router R between
# them (net.ipv4.ip_forward=1 in R only):
#	$NS_A $DEV_A $IP_A/24 -- $DEV_RA $IP_RA/24 $NS_R $DEV_RB $IP_RB/24 -- $DEV_B $IP_B/24 $NS_B
# A's and B's default routes go through R; all links are up (MTU 1500).
setup_routed() {
	NS_A=${1:-toyA-$$}
	NS_R=${2:-toyR-$$}
	NS_B=${3:-toyB-$$}
	IP_A=10.1.0.2 IP_RA=10.1.0.1 IP_RB=10.2.0.1 IP_B=10.2.0.2
	DEV_A=veth0 DEV_RA=vethra DEV_RB=vethrb DEV_B=veth1
	ns_create "$NS_A" || return 1
	ns_create "$NS_R" || return 1
	ns_create "$NS_B" || return 1
	if ! { ip link add "$DEV_A" netns "$NS_A" type veth peer name "$DEV_RA" netns "$NS_R" &&
	       ip link add "$DEV_B" netns "$NS_B" type veth peer name "$DEV_RB" netns "$NS_R" &&
	       ip -n "$NS_A" addr add "$IP_A/24" dev "$DEV_A" &&
	       ip -n "$NS_R" addr add "$IP_RA/24" dev "$DEV_RA" &&
	       ip -n "$NS_R" addr add "$IP_RB/24" dev "$DEV_RB" &&
	       ip -n "$NS_B" addr add "$IP_B/24" dev "$DEV_B" &&
	       ip -n "$NS_A" link set "$DEV_A" up &&
	       ip -n "$NS_R" link set "$DEV_RA" up &&
	       ip -n "$NS_R" link set "$DEV_RB" up &&
	       ip -n "$NS_B" link set "$DEV_B" up &&
	       ip -n "$NS_A" route add default via "$IP_RA" &&
	       ip -n "$NS_B" route add default via "$IP_RB" &&
	       echo 1 | in_ns "$NS_R" tee /proc/sys/net/ipv4/ip_forward >/dev/null; }; then
		echo "# configuring the routed namespaces $NS_A - $NS_R - $NS_B failed"
		return 1
	fi
	wait_for -t 5 sh -c "$IP -n $NS_A link show $DEV_A | grep -q LOWER_UP &&
			     $IP -n $NS_R link show $DEV_RA | grep -q LOWER_UP &&
			     $IP -n $NS_R link show $DEV_RB | grep -q LOWER_UP &&
			     $IP -n $NS_B link show $DEV_B | grep -q LOWER_UP"
}

# link_third NS_X ADDR_X C_ADDR DEV_X DEV_C TARGET: a veth pair from a third
# namespace $NS_C to NS_X, and a route in $NS_C to TARGET (an address of the
# A-B link) through it, with reverse-path filtering off in NS_X, so that C
# can send segments with A's or B's source address (60-blind-attack, fuzz)
link_third() {
	ip link add "$5" netns "$NS_C" type veth peer name "$4" netns "$1" &&
	ip -n "$1" addr add "$2/24" dev "$4" &&
	ip -n "$NS_C" addr add "$3/24" dev "$5" &&
	ip -n "$1" link set "$4" up &&
	ip -n "$NS_C" link set "$5" up &&
	ip -n "$NS_C" route add "$6/32" dev "$5" &&
	for _k in all default "$4"; do
		echo 0 | in_ns "$1" tee "/proc/sys/net/ipv4/conf/$_k/rp_filter" >/dev/null
	done
}

# netem NS DEV ARGS...: set (replace) a netem root qdisc and say so.
netem() {
	_ns=$1 _dev=$2; shift 2
	echo "# netem $_ns/$_dev: $*"
	# shellcheck disable=SC2068 # the netem arguments are separate words
	tc -n "$_ns" qdisc replace dev "$_dev" root netem $@
}

# netem_clear NS DEV: remove the root qdisc again.
netem_clear() {
	tc -n "$1" qdisc del dev "$2" root 2>/dev/null
	return 0
}

# run_bg CMD...: start CMD in the background; its pid is in $BG_PID and it
# is killed at exit. "run_bg in_ns NS CMD..." runs ip netns exec itself,
# which execs CMD: a shell function in the background is a subshell, and
# a kill of its pid would leave CMD running.
run_bg() {
	if [ "$1" = in_ns ]; then
		shift
		_ns=$1; shift
		"$IP" netns exec "$_ns" "$@" &
	else
		"$@" &
	fi
	BG_PID=$!
	_toy_pids="$_toy_pids $BG_PID"
}

# wait_for [-t SECS] CMD...: poll CMD every 0.1 s until it succeeds;
# 1 (with a comment) after SECS (default 10).
wait_for() {
	_wt=10
	if [ "$1" = "-t" ]; then _wt=$2; shift 2; fi
	_wend=$(($(date +%s) + _wt))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(date +%s)" -ge "$_wend" ] && break
		sleep 0.1
	done
	echo "# wait_for: gave up after ${_wt}s: $*"
	return 1
}

_toy_cleanup() {
	_rc=$?
	trap - EXIT INT TERM
	for _p in $_toy_pids; do
		kill "$_p" 2>/dev/null
	done
	for _p in $_toy_pids; do
		wait "$_p" 2>/dev/null
	done
	if [ -n "$_toy_on_exit" ]; then
		eval "$_toy_on_exit"
	fi
	if [ "${TOY_KEEP:-0}" != 1 ]; then
		for _n in $_toy_ns; do
			ns_del "$_n"
		done
	fi
	[ "$_toy_nfail" -gt 0 ] && [ "$_rc" -eq 0 ] && _rc=1
	exit "$_rc"
}
trap _toy_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
