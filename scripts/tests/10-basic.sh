#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
#
# End to end with the demo programs: libtoy's own checks, the echo server
# and client across a veth pair (handshake, echo, payload bytes compared),
# over loopback, with several clients, and over a lossy, reordering and
# duplicating link (netem).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-echo-server toy-echo-client toy-libtest

T=${TMPDIR:-/tmp}/toy-basic.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"

check "libtoy: address parsing, state names, error messages" toy-libtest

# Without the module every echo below would fail the same way; 00-module
# reports that once.
[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

# expect_out NAME FILE PATTERN...: PASS if FILE has a line matching every
# (grep basic regex) PATTERN, else FAIL showing FILE.
expect_out() {
	_en=$1 _ef=$2; shift 2
	for _ep in "$@"; do
		if ! grep -q -- "$_ep" "$_ef"; then
			echo "# $_en: no line matching '$_ep' in:"
			sed 's/^/#   /' "$_ef" | tail -n 20
			fail "$_en"
			return 1
		fi
	done
	pass "$_en"
}

# client NAME OUTFILE ARGS...: run toy-echo-client in $NS_A; FAIL on a
# non-zero exit (with its output), otherwise return 0 without a result.
client() {
	_cn=$1 _co=$2; shift 2
	if in_ns "$NS_A" toy-echo-client "$@" >"$_co" 2>&1; then
		return 0
	fi
	echo "# $_cn: toy-echo-client $* failed:"
	sed 's/^/#   /' "$_co" | tail -n 20
	fail "$_cn"
	return 1
}

# --- across the veth pair ------------------------------------------------
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:7000" >"$T/server.log" 2>&1
SERVER=$BG_PID
if wait_for grep -q "listening on $IP_B:7000" "$T/server.log"; then
	pass "echo: server says it listens on $IP_B:7000"
else
	fail "echo: server says it listens on $IP_B:7000" \
	     "server output: $(cat "$T/server.log")"
fi

if client "echo: hello world across veth" "$T/c1" "$IP_B:7000" hello world; then
	expect_out "echo: hello world across veth" "$T/c1" \
		"^connected to $IP_B:7000 from $IP_A:[1-9][0-9]*\$" \
		"^sent 5 bytes, got 5 bytes back: hello\$" \
		"^sent 5 bytes, got 5 bytes back: world\$"
fi
check "echo: server logged the connection from $IP_A" \
	wait_for -t 5 grep -q "connection from $IP_A:[0-9]* closed: echoed 2 messages, 10 bytes" \
	"$T/server.log"

if client "echo: 200 x 1000-byte messages, bytes compared" "$T/c2" \
	"$IP_B:7000" --count 200 --size 1000; then
	expect_out "echo: 200 x 1000-byte messages, bytes compared" "$T/c2" \
		"all 200 echoes matched"
fi

if client "echo: 20 x 60000-byte messages (segmented), bytes compared" \
	"$T/c3" "$IP_B:7000" --count 20 --size 60000; then
	expect_out "echo: 20 x 60000-byte messages (segmented), bytes compared" \
		"$T/c3" "all 20 echoes matched"
fi

if client "echo: 8 messages in flight, 300 x 3000 bytes" "$T/c4" \
	"$IP_B:7000" --count 300 --size 3000 --window 8; then
	expect_out "echo: 8 messages in flight, 300 x 3000 bytes" "$T/c4" \
		"all 300 echoes matched"
fi

# Four clients at once, each with its own payload sizes.
pids=""
for i in 1 2 3 4; do
	in_ns "$NS_A" toy-echo-client "$IP_B:7000" --count 50 \
		--size $((i * 700)) >"$T/p$i" 2>&1 &
	pids="$pids $!"
done
ok=1
for p in $pids; do
	wait "$p" || ok=0
done
for i in 1 2 3 4; do
	grep -q "all 50 echoes matched" "$T/p$i" || ok=0
done
if [ $ok = 1 ]; then
	pass "echo: 4 concurrent clients"
else
	for i in 1 2 3 4; do sed "s/^/# client $i: /" "$T/p$i"; done
	fail "echo: 4 concurrent clients"
fi

if in_ns "$NS_A" toy-echo-client "$IP_B:7001" hi >"$T/c5" 2>&1; then
	fail "echo: client reports a refused connection" \
	     "toy-echo-client to a port nobody listens on succeeded"
else
	expect_out "echo: client reports a refused connection" "$T/c5" \
		"connect to $IP_B:7001: connection refused"
fi

if client "echo: TOY_INFO after a run says ESTABLISHED" "$T/c6" \
	"$IP_B:7000" --info --count 10 --size 100; then
	expect_out "echo: TOY_INFO after a run says ESTABLISHED" "$T/c6" \
		"^state ESTABLISHED mss [1-9]" "msgs 10/10 bytes 1000/1000"
fi

# --- an impaired link: the transport must hide loss, reordering and
# --- duplication; every echo is still byte-compared.
impaired() {	# impaired NAME NETEM-ARGS
	_in=$1; shift
	if ! netem "$NS_A" "$DEV_A" "$@" >/dev/null 2>&1 ||
	   ! netem "$NS_B" "$DEV_B" "$@" >/dev/null 2>&1; then
		netem_clear "$NS_A" "$DEV_A"
		skip "$_in" "tc netem $* not available"
		return
	fi
	if client "$_in" "$T/imp" "$IP_B:7000" --timeout 20000 --count 60 \
		--size 2500 --window 4; then
		expect_out "$_in" "$T/imp" "all 60 echoes matched"
	fi
	netem_clear "$NS_A" "$DEV_A"
	netem_clear "$NS_B" "$DEV_B"
}
impaired "echo: 5% loss both ways" loss 5%
impaired "echo: reordering (25% of packets delayed 20 ms)" delay 20ms reorder 75% 50%
impaired "echo: 10% duplicated packets" duplicate 10%
impaired "echo: 1% corrupted packets (checksum)" corrupt 1%

kill "$SERVER" 2>/dev/null

# --- loopback inside one namespace; a --once server exits by itself ------
run_bg in_ns "$NS_A" toy-echo-server 127.0.0.1:7002 --once >"$T/lo.log" 2>&1
LO=$BG_PID
wait_for grep -q "listening on 127.0.0.1:7002" "$T/lo.log"
if client "echo: over loopback in one namespace" "$T/c7" 127.0.0.1:7002 \
	--count 100 --size 20000; then
	expect_out "echo: over loopback in one namespace" "$T/c7" \
		"^connected to 127.0.0.1:7002 from 127.0.0.1:" \
		"all 100 echoes matched"
fi
# the summary line comes last, just before the server exits
wait_for -t 10 grep -q "connection from 127.0.0.1:[0-9]* closed" "$T/lo.log"
if wait "$LO"; then
	pass "echo: --once server exits 0 after its connection"
else
	fail "echo: --once server exits 0 after its connection" \
	     "exit status $?: $(cat "$T/lo.log")"
fi
