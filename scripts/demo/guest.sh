#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The AF_TOY demo, run inside the VM by scripts/demo.sh (make demo): two
# hosts (network namespaces) joined by a virtual cable that delays and
# loses packets; an echo service, a file transfer checked with SHA-256, the
# tutorial's Python echo client; toystat and the protocol's counters at
# each step, and a few plain lines on what happened.
#
# TOY_DEMO_TTY=1 (set by demo.sh when its output is a terminal): show the
# file transfer's progress bar; otherwise progress comes as plain lines.
# TOY_DEMO_DELAY (default 20ms) and TOY_DEMO_LOSS (default 5%) shape the link.
. /tests/lib.sh

DELAY=${TOY_DEMO_DELAY:-20ms}
LOSS=${TOY_DEMO_LOSS:-5%}
T=/tmp/demo
mkdir -p "$T/a" "$T/b"
n=0

step() { n=$((n + 1)); printf '\n=== %d. %s\n' "$n" "$*"; }
say() { printf '    %s\n' "$*"; }
# quoted ARG...: the arguments as one would type them
quoted() {
	_q=
	for _a in "$@"; do
		case $_a in
		*[!A-Za-z0-9_./:=,@%+-]*|"") _a="\"$_a\"" ;;
		esac
		_q="$_q${_q:+ }$_a"
	done
	printf '%s' "$_q"
}
# on A|B CMD...: show the command as typed on that host, run it, indent
on() {
	_h=$1; shift
	if [ "$_h" = A ]; then _ns=$NS_A; else _ns=$NS_B; fi
	printf '  %s$ %s\n' "$_h" "$(quoted "$@")"
	in_ns "$_ns" "$@" 2>&1 | sed 's/^/    /'
}
# counter NS NAME: one value of /proc/net/toy_stats
counter() { in_ns "$1" awk -v c="$2" '$1 == c { print $2 }' /proc/net/toy_stats; }

step "Two hosts joined by a cable that delays and loses packets"
setup_pair >/dev/null || { echo "demo: could not set up the namespaces"; exit 1; }
netem "$NS_A" "$DEV_A" delay "$DELAY" loss "$LOSS" >/dev/null
netem "$NS_B" "$DEV_B" delay "$DELAY" loss "$LOSS" >/dev/null
say "host A = $IP_A (namespace $NS_A), host B = $IP_B (namespace $NS_B)"
say "every packet waits $DELAY on its way, and $LOSS of them are lost, both ways"
say "(tc netem on the veth pair); AF_TOY must hide the loss from the programs"

step "B runs an echo server: it listens on port 7000"
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:7000" >"$T/echo-server.log" 2>&1
wait_for grep -q "listening on" "$T/echo-server.log"
on B toystat -l
say "a listener has no peer yet (*:*) and no round trips to time (-)"

step "A connects and sends three messages; B sends each one back"
on A toy-echo-client "$IP_B:7000" "hello, AF_TOY" "each send() is one message" \
	"and each recv() returns exactly one" --info
say "connect() sent a SYN, B answered SYN-ACK, A answered ACK: the three-way"
say "handshake, one round trip (about 2 x $DELAY) before the first message."
say "srtt is the smoothed round-trip time the retransmission timer is built on."

step "A connection held open: toystat on both ends"
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:7001" accept expect "ping" \
	send "pong" expect-eof close
wait_for in_ns "$NS_B" grep -q " $IP_B:7001 .* LISTEN " /proc/net/toy
run_bg in_ns "$NS_A" toy-sock -q connect "$IP_B:7001" send "ping" expect "pong" \
	touch "$T/open" wait "$T/shown" close
wait_for -t 30 test -e "$T/open"
on A toystat
on B toystat -a
say "Recv-Q / Send-Q: bytes waiting for recv() / sent but not yet acknowledged;"
say "RTO: how long AF_TOY waits for an acknowledgement before sending again."

step "A closes first: FIN, ACK, FIN, ACK; A keeps the connection in TIME_WAIT"
touch "$T/shown"
wait_for -t 30 sh -c "toystat -N $NS_A -H state time-wait | grep -q ':7001 '"
on A toystat state time-wait
on B toystat -a
msl=$(in_ns "$NS_A" cat /proc/sys/net/toy/msl_ms)
say "the side that closes first waits 2 x MSL (msl_ms = $msl ms, so"
say "$((2 * msl / 1000)) s) in TIME_WAIT: a late duplicate of an old segment cannot"
say "be taken for part of a new connection on the same ports, and A can"
say "still answer if its last ACK was lost and B sends its FIN again."
say "B, which closed second, is gone as soon as its FIN is acknowledged."

step "A downloads a 2 MB file from B, checked with SHA-256 on arrival"
dd if=/dev/urandom of="$T/b/photo.jpg" bs=1000 count=2000 2>/dev/null
run_bg in_ns "$NS_B" toy-file-server "$IP_B:7300" "$T/b" >"$T/file-server.log" 2>&1
wait_for grep -q "serving" "$T/file-server.log"
re0=$(counter "$NS_B" RetransSegs)
printf '  A$ toy-file-client %s get photo.jpg -o %s\n' "$IP_B:7300" "$T/a"
if [ "${TOY_DEMO_TTY:-0}" = 1 ]; then
	# stderr is the console, a terminal: a progress bar
	in_ns "$NS_A" toy-file-client "$IP_B:7300" get photo.jpg -o "$T/a" |
		sed 's/^/    /'
else
	in_ns "$NS_A" toy-file-client "$IP_B:7300" get photo.jpg -o "$T/a" 2>&1 |
		sed 's/^/    /'
fi
printf '  $ sha256sum (busybox) of both copies\n'
sha256sum "$T/b/photo.jpg" "$T/a/photo.jpg" | sed 's/^/    /'
re1=$(counter "$NS_B" RetransSegs)
say "the file went as messages: NAME, SIZE, $(((2000000 + 65535) / 65536)) chunks of 64 KiB, SHA256,"
say "and A answered OK. Each recv() returned one whole message, so there are"
say "no length prefixes and no loops gathering bytes, as a TCP byte stream"
say "would need. B retransmitted $((re1 - re0)) segments the cable lost on the way."

step "The Python tutorial's echo client, on AF_TOY"
if command -v python3 >/dev/null 2>&1; then
	run_bg in_ns "$NS_B" python3 /usr/share/af_toy/python/echo_server.py "$IP_B" 7788 \
		>"$T/py-server.log" 2>&1
	wait_for -t 30 grep -q "listening" "$T/py-server.log"
	on A python3 /usr/share/af_toy/python/echo_client.py "$IP_B" 7788 \
		"你好" "the tutorial's code, two lines changed"
	say "import toysocket as socket; socket.socket(socket.AF_TOY,"
	say "socket.SOCK_SEQPACKET): the rest is the tutorial's TCP client as written."
else
	say "(no python3 in this VM image: step skipped)"
fi

step "What the protocol counted (/proc/net/toy_stats, via toystat -s)"
on B toystat -s -z
out=$(counter "$NS_B" OutSegs)
re=$(counter "$NS_B" RetransSegs)
to=$(counter "$NS_B" Timeouts)
fr=$(counter "$NS_B" FastRetrans)
sb=$(counter "$NS_B" SackBlocksRecv)
say "B sent most of the data (the file): $out segments, $re of them"
say "retransmissions. $fr were fast retransmits: A's duplicate ACKs and $sb"
say "SACK blocks told B which segment was missing, without waiting for the"
say "timer. $to times the retransmission timer (RTO) ran out first, and B"
say "sent again what was still unacknowledged, with a smaller cwnd."
say "A, which mostly acknowledged, sent $(counter "$NS_A" OutSegs) segments," \
	"$(counter "$NS_A" RetransSegs) of them again."
say "Every message still arrived once, whole and in order: the echoes"
say "matched and the file's SHA-256 is the same on both hosts."
