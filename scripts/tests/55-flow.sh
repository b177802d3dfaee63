#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Flow control and failure: a slow reader makes a blocking sender stall and
# a non-blocking one get EAGAIN (with poll()'s POLLOUT meaning a send will
# not block), while the reader's rx_queue stays within its SO_RCVBUF and
# nothing is lost once it reads again (every message hashed, toy-verify).
# A peer that vanishes (netem loss 100% both ways) makes the sender fail
# with ETIMEDOUT within the retry budget, also while the peer's window is
# closed. Message size limits: 1 MiB messages round-trip byte-identical; a
# message larger than SO_SNDBUF, or than the peer's receive capacity, fails
# with EMSGSIZE, one that just fits does not.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-verify

[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-flow.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
PORT=7200

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# conn NS LOCAL-PORT: the /proc/net/toy line of the connection on that port
conn() {
	in_ns "$1" cat /proc/net/toy | awk -v p=":$2" '
		function ends(s) { return substr(s, length(s) - length(p) + 1) == p }
		$4 != "LISTEN" && (ends($2) || ends($3))'
}

# start_recv NAME ARGS...: toy-verify recv in $NS_B on a new port ($PORT)
start_recv() {
	_n=$1; shift
	PORT=$((PORT + 1))
	"$IP" netns exec "$NS_B" toy-verify recv "$IP_B:$PORT" "$@" >"$T/$_n.r" 2>&1 &
	RPID=$!
	wait_for grep -q listening "$T/$_n.r"
}

# start_send NAME ARGS...: toy-verify send from $NS_A to that port
start_send() {
	_n=$1; shift
	"$IP" netns exec "$NS_A" toy-verify send "$IP_B:$PORT" "$@" >"$T/$_n.s" 2>&1 &
	SPID=$!
}

# finish NAME: wait for both (the receiver at most 10 s longer); $RC_S $RC_R
finish() {
	wait "$SPID"
	RC_S=$?
	_i=0
	while kill -0 "$RPID" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	kill "$RPID" 2>/dev/null
	wait "$RPID"
	RC_R=$?
}

show() {	# show NAME: both sides' output
	sed 's/^/# send: /' "$T/$1.s" | grep -v "\[uptime" | tail -n 15
	sed 's/^/# recv: /' "$T/$1.r" | tail -n 15
}

verified() {	# verified NAME COUNT: the receiver's verdict is OK
	[ "$RC_S" = 0 ] && [ "$RC_R" = 0 ] &&
		grep -q "^toy-verify: OK: $2 of $2 messages intact and in order" "$T/$1.r"
}

# --- slow reader ------------------------------------------------------
# slow_reader NAME SENDER-ARGS...: the reader stops for PAUSE ms after 30
# messages; rx_queue is sampled meanwhile.
PAUSE=4000
RECV_EXTRA=""
slow_reader() {
	_sr=$1; shift
	# shellcheck disable=SC2086 # $RECV_EXTRA: more receiver arguments
	start_recv "$_sr" --rcvbuf 262144 --pause-after 30 --pause-ms $PAUSE \
		--timeout 60000 $RECV_EXTRA
	start_send "$_sr" --count 1000 --min 1 --max 65536 --seed 55 \
		--timeout 60000 "$@"
	wait_for -t 30 grep -q "pausing" "$T/$_sr.r"
	rcvbuf=$(sed -n 's/.*connection from.*SO_RCVBUF \([0-9]*\).*/\1/p' "$T/$_sr.r")
	# sample the reader's rx_queue and the sender's tx_queue while paused
	: >"$T/$_sr.samples"
	_end=$(($(date +%s) + PAUSE / 1000 - 1))
	while [ "$(date +%s)" -lt "$_end" ]; do
		echo "$(conn "$NS_B" "$PORT" | awk '{ print $6, $11 }')" \
		     "$(conn "$NS_A" "$PORT" | awk '{ print $5 }')" >>"$T/$_sr.samples"
		sleep 0.2
	done
	finish
	# columns: reader rx_queue, reader rcv_wnd, sender tx_queue
	max_rx=$(awk 'BEGIN { m = 0 } $1 > m { m = $1 } END { print m }' "$T/$_sr.samples")
	min_wnd=$(awk 'BEGIN { m = -1 } m < 0 || $2 < m { m = $2 } END { print m }' \
		"$T/$_sr.samples")
	max_tx=$(awk 'BEGIN { m = 0 } $3 > m { m = $3 } END { print m }' "$T/$_sr.samples")
	log "$_sr: while the reader slept: rx_queue max $max_rx (SO_RCVBUF" \
	    "${rcvbuf:-?}), rcv_wnd min $min_wnd, sender tx_queue max $max_tx" \
	    "($(wc -l <"$T/$_sr.samples") samples)"
	grep -E "blocking:|non-blocking:|goodput" "$T/$_sr.s" | sed 's/^/# /'
}

slow_reader slow-blocking
if verified slow-blocking 1000; then
	pass "flow: slow reader, blocking sender: 1000 messages intact after the pause"
else
	show slow-blocking
	fail "flow: slow reader, blocking sender: 1000 messages intact after the pause" \
	     "sender exit $RC_S, receiver exit $RC_R"
fi
if [ -n "$rcvbuf" ] && [ "$max_rx" -gt 0 ] && [ "$max_rx" -le "$rcvbuf" ]; then
	pass "flow: slow reader: rx_queue ($max_rx) stays within SO_RCVBUF ($rcvbuf)"
else
	fail "flow: slow reader: rx_queue ($max_rx) stays within SO_RCVBUF (${rcvbuf:-?})" \
	     "samples (rx_queue rcv_wnd tx_queue): $(tr '\n' ';' <"$T/slow-blocking.samples")"
fi
# the reader slept PAUSE ms: a blocking send must have waited most of it
longest=$(sed -n 's/.*longest send() \([0-9]*\) ms.*/\1/p' "$T/slow-blocking.s")
if [ "${longest:-0}" -ge $((PAUSE / 2)) ]; then
	pass "flow: slow reader: a blocking send() stalled (${longest} ms of a ${PAUSE} ms pause)"
else
	fail "flow: slow reader: a blocking send() stalled (${longest:-?} ms of a ${PAUSE} ms pause)" \
	     "the sender should block while the reader's buffer is full"
fi

# a small send buffer and a reader that is slow throughout (1 ms per
# message): EAGAIN and POLLOUT take turns many times
RECV_EXTRA="--read-delay-us 1000"
slow_reader slow-nonblock --nonblock --sndbuf 65536
RECV_EXTRA=""
if verified slow-nonblock 1000; then
	pass "flow: slow reader, O_NONBLOCK sender: 1000 messages intact after the pause"
else
	show slow-nonblock
	fail "flow: slow reader, O_NONBLOCK sender: 1000 messages intact after the pause" \
	     "sender exit $RC_S, receiver exit $RC_R"
fi
# "non-blocking: EAGAIN N times, P polls; EAGAIN right after POLLOUT X,
#  POLLOUT while EAGAIN Y (messages <= S bytes)"
nb=$(grep "non-blocking:" "$T/slow-nonblock.s")
eagain=$(echo "$nb" | sed -n 's/.*EAGAIN \([0-9]*\) times.*/\1/p')
after_pollout=$(echo "$nb" | sed -n 's/.*after POLLOUT \([0-9]*\),.*/\1/p')
while_eagain=$(echo "$nb" | sed -n 's/.*POLLOUT while EAGAIN \([0-9]*\).*/\1/p')
if [ "${eagain:-0}" -gt 0 ]; then
	pass "flow: slow reader: O_NONBLOCK send() gets EAGAIN ($eagain times)"
else
	fail "flow: slow reader: O_NONBLOCK send() gets EAGAIN" "sender: ${nb:-no summary}"
fi
# After POLLOUT a send must not block: strict. The other way, POLLOUT seen
# by a poll right after an EAGAIN, is a race any kernel has (an ACK freed
# space in between): at most 1% of the EAGAINs.
if [ -n "$after_pollout" ] && [ "$after_pollout" = 0 ] &&
   [ $((${while_eagain:-0} * 100)) -le "${eagain:-0}" ]; then
	pass "flow: slow reader: POLLOUT only when a send does not block"
else
	fail "flow: slow reader: POLLOUT only when a send does not block" \
	     "sender: ${nb:-no summary}"
fi

# --- the peer vanishes -------------------------------------------------
# rto_max_ms 3200: a window probe that backed off before the cut (a slow
# guest sees the closed window late) waits at most 3.2 s, not a minute;
# 200 ms doubled four times stays within it
RETRIES=4
RETRIES_WAS=$(in_ns "$NS_A" cat /proc/sys/net/toy/retries)
RTO_MAX_WAS=$(in_ns "$NS_A" cat /proc/sys/net/toy/rto_max_ms)
for ns in "$NS_A" "$NS_B"; do
	echo $RETRIES | in_ns "$ns" tee /proc/sys/net/toy/retries >/dev/null
	echo 3200 | in_ns "$ns" tee /proc/sys/net/toy/rto_max_ms >/dev/null
done
RTO_MIN=$(in_ns "$NS_A" cat /proc/sys/net/toy/rto_min_ms)
RTO_MAX=$(in_ns "$NS_A" cat /proc/sys/net/toy/rto_max_ms)
log "retries lowered from $RETRIES_WAS to $RETRIES and rto_max_ms from $RTO_MAX_WAS" \
    "to $RTO_MAX in both namespaces (rto_min_ms $RTO_MIN), so that giving up" \
    "takes seconds, not minutes"

# budget RTO_MS: the time the retries take at most, from a timeout of
# RTO_MS: RTO_MS * (1 + 2 + ... + 2^retries), each term within rto_max
budget() {
	awk -v r="$1" -v n="$RETRIES" -v max="$RTO_MAX" 'BEGIN {
		t = r	# busybox awk: no ^ operator
		for (k = 0; k <= n; k++) { s += t > max ? max : t; t *= 2 }
		print int(s) }'
}

# vanish NAME WHY [LIMIT-MS]: cut the link both ways, expect ETIMEDOUT
# within the retry budget (or LIMIT-MS)
vanish() {
	_vn=$1 _why=$2
	_line=$(conn "$NS_A" "$PORT")
	_rto=$(echo "$_line" | awk '{ print int($16 / 1000) }')
	[ "${_rto:-0}" -ge "$RTO_MIN" ] || _rto=$RTO_MIN
	_budget=$(budget "$_rto")
	# the least it can take: every backed-off wait after the first
	_least=$(awk -v b="$(budget "$RTO_MIN")" -v r="$RTO_MIN" \
		'BEGIN { print int((b - r) * 0.9) }')
	_limit=$((_budget + _budget / 4 + 1000))
	if [ -n "${3:-}" ]; then
		_least=0 _limit=$3 _budget=$3
	fi
	log "$_vn: sender before the cut: $_line"
	netem "$NS_A" "$DEV_A" loss 100%
	netem "$NS_B" "$DEV_B" loss 100%
	_t0=$(uptime_s)
	log "$_vn: link cut at uptime $_t0 s; rto ${_rto} ms, retries $RETRIES:" \
	    "budget $_budget ms, ETIMEDOUT expected within $_limit ms" \
	    "(and not before $_least ms)"
	_wend=$(($(date +%s) + _limit / 1000 + 15))
	while kill -0 "$SPID" 2>/dev/null && [ "$(date +%s)" -lt "$_wend" ]; do
		sleep 0.1
	done
	_t1=$(uptime_s)
	if kill -0 "$SPID" 2>/dev/null; then
		log "$_vn: the sender still waits after $(awk -v a="$_t0" -v b="$_t1" \
			'BEGIN { printf "%.1f", b - a }') s; its connection:"
		conn "$NS_A" "$PORT" | sed 's/^/#   /'
		log "$_vn: A: $(in_ns "$NS_A" cat /proc/net/toy_stats |
			grep -E '^(Timeouts|WindowProbes|ConnTimeouts|RetransSegs) ' | tr '\n' ' ')"
		kill "$SPID"
	fi
	finish
	netem_clear "$NS_A" "$DEV_A"
	netem_clear "$NS_B" "$DEV_B"
	_err=$(grep -E "^toy-verify: send.*: E[A-Z]+ " "$T/$_vn.s" | tail -n 1)
	[ -n "$_err" ] && log "$_vn: $_err"
	_at=$(echo "$_err" | sed -n 's/.* at uptime \([0-9.]*\)$/\1/p')
	_ms=$(awk -v a="$_t0" -v b="${_at:-$_t1}" 'BEGIN { print int((b - a) * 1000) }')
	case $_err in
	*ETIMEDOUT*)
		if [ "$_ms" -le "$_limit" ] && [ "$_ms" -ge "$_least" ]; then
			pass "flow: peer vanishes $_why: ETIMEDOUT after $_ms ms (budget $_budget ms)"
		else
			fail "flow: peer vanishes $_why: ETIMEDOUT after $_ms ms (budget $_budget ms)" \
			     "expected between $_least and $_limit ms"
		fi ;;
	*)
		show "$_vn"
		fail "flow: peer vanishes $_why: ETIMEDOUT within the budget ($_budget ms)" \
		     "the sender did not fail with ETIMEDOUT (${_err:-still waiting}) after $_ms ms"
		;;
	esac
}

# a fast reader, a sender in full flow
start_recv vanish --timeout 60000 --progress 100
start_send vanish --count 100000 --min 1 --max 65536 --timeout 60000
if wait_for -t 30 grep -q "200 messages" "$T/vanish.r"; then
	vanish vanish "while sending"
else
	show vanish
	fail "flow: peer vanishes while sending: ETIMEDOUT within the budget" \
	     "the transfer did not get going"
	kill "$SPID" "$RPID" 2>/dev/null
fi

# the reader sleeps, its window closes, then it vanishes: only window
# probes are in flight, and they must give up as retransmissions do
probes0=$(in_ns "$NS_A" cat /proc/net/toy_stats | awk '$1 == "WindowProbes" { print $2 }')
start_recv vanish-zw --rcvbuf 65536 --pause-after 10 --pause-ms 120000 \
	--timeout 180000
start_send vanish-zw --count 100000 --min 1 --max 65536 --timeout 180000
wait_for -t 30 grep -q "pausing" "$T/vanish-zw.r"
# cut as soon as the sender sees the closed window (snd_wnd < 1 MSS), so
# its probes have backed off at most once or twice
_i=0
while [ $_i -lt 100 ]; do
	conn "$NS_A" "$PORT" | awk '$10 < 1460 { ok = 1 } END { exit !ok }' && break
	sleep 0.1; _i=$((_i + 1))
done
log "vanish-zw: reader: $(conn "$NS_B" "$PORT")"
# probes back off like retransmissions, from wherever they were: each
# probe the live reader answered before the cut doubled the next wait (a
# loaded machine may see the closed window late). Allow four times the
# retry budget from that backoff.
probes=$(($(in_ns "$NS_A" cat /proc/net/toy_stats |
	awk '$1 == "WindowProbes" { print $2 }') - probes0))
log "vanish-zw: $probes window probes before the cut"
vanish vanish-zw "behind a closed window" \
	$(($(budget $((RTO_MIN << (probes > 10 ? 10 : probes)))) * 4 + 1000))

for ns in "$NS_A" "$NS_B"; do
	echo "$RETRIES_WAS" | in_ns "$ns" tee /proc/sys/net/toy/retries >/dev/null
	echo "$RTO_MAX_WAS" | in_ns "$ns" tee /proc/sys/net/toy/rto_max_ms >/dev/null
done

# --- message size limits ----------------------------------------------
start_recv big --timeout 60000
start_send big --count 3 --min 1048576 --max 1048576 --echo --window 1 \
	--timeout 60000
finish
if verified big 3 && grep -q "3 of 3 echos checked, 0 mismatched" "$T/big.s"; then
	pass "flow: 1 MiB messages (1048576 bytes) round-trip byte-identical"
else
	show big
	fail "flow: 1 MiB messages (1048576 bytes) round-trip byte-identical" \
	     "sender exit $RC_S, receiver exit $RC_R"
fi

# emsgsize NAME SIZE EXPECT RECV-ARGS -- SEND-ARGS: one message of SIZE
# bytes: EXPECT ok (verified) or EMSGSIZE (send fails)
emsgsize() {
	_en=$1 _sz=$2 _ex=$3 _what=$4; shift 4
	_ra=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do _ra="$_ra $1"; shift; done
	shift
	# shellcheck disable=SC2086 # receiver arguments are separate words
	start_recv "$_en" --timeout 30000 $_ra
	start_send "$_en" --count 2 --min "$_sz" --max "$_sz" --timeout 30000 "$@"
	finish
	_buf=$(sed -n 's/.*connected to.* SO_SNDBUF \([0-9]*\).*/\1/p' "$T/$_en.s")
	if [ "$_ex" = ok ]; then
		if verified "$_en" 2; then
			pass "flow: a $_sz-byte message $_what is accepted"
		else
			show "$_en"
			fail "flow: a $_sz-byte message $_what is accepted" \
			     "sender exit $RC_S, receiver exit $RC_R (SO_SNDBUF ${_buf:-?})"
		fi
	elif grep -q "send message 0 ($_sz bytes).*: EMSGSIZE" "$T/$_en.s"; then
		pass "flow: a $_sz-byte message $_what fails with EMSGSIZE"
	else
		show "$_en"
		fail "flow: a $_sz-byte message $_what fails with EMSGSIZE" \
		     "sender exit $RC_S (SO_SNDBUF ${_buf:-?})"
	fi
}

# SO_SNDBUF 65536 is doubled by the kernel to 131072, as for TCP
emsgsize snd-over 131073 EMSGSIZE "(SO_SNDBUF 131072 + 1)" -- --sndbuf 65536
emsgsize snd-fit 131072 ok "(exactly SO_SNDBUF 131072)" -- --sndbuf 65536
# the peer's SO_RCVBUF 131072 holds 65536 bytes of payload: its window
emsgsize rcv-over 65537 EMSGSIZE "(the peer's capacity 65536 + 1)" \
	--rcvbuf 65536 --
emsgsize rcv-fit 65536 ok "(exactly the peer's capacity 65536)" \
	--rcvbuf 65536 --

# --- receive-buffer autotuning -----------------------------------------
# A receiver that starts small (rmem_default 64 KiB: a window of 32 KiB)
# and reads as fast as data comes, over a 50 ms round trip: each round
# trip the reader takes about a window, so the buffer grows (RcvBufGrown)
# and the window the sender sees opens beyond 32 KiB. Needs well under
# 1 MB/s, so it holds on any machine; the goodput is make bench's.
echo 65536 | in_ns "$NS_B" tee /proc/sys/net/toy/rmem_default >/dev/null
netem "$NS_A" "$DEV_A" delay 25ms
netem "$NS_B" "$DEV_B" delay 25ms
grown_now() {
	in_ns "$NS_B" cat /proc/net/toy_stats |
		awk '$1 == "RcvBufGrown" { n = $2 } END { print n + 0 }'
}
grown0=$(grown_now)
start_recv autotune --timeout 60000
start_send autotune --count 400 --min 16384 --max 16384 --window 64 \
	--timeout 60000
: >"$T/autotune.wnd"
while kill -0 "$SPID" 2>/dev/null; do
	conn "$NS_B" "$PORT" | awk '{ print $11 }' >>"$T/autotune.wnd"
	sleep 0.2
done
finish
netem_clear "$NS_A" "$DEV_A"
netem_clear "$NS_B" "$DEV_B"
echo $((2 << 20)) | in_ns "$NS_B" tee /proc/sys/net/toy/rmem_default >/dev/null
grown=$(( $(grown_now) - grown0 ))
maxwnd=$(sort -n "$T/autotune.wnd" | tail -n 1)
log "autotuning: RcvBufGrown +$grown, the receiver's window up to ${maxwnd:-?} bytes (it started at 32768)"
if verified autotune 400; then
	pass "flow: autotuning: 400 x 16 KiB over a 50 ms round trip verify"
else
	show autotune
	fail "flow: autotuning: 400 x 16 KiB over a 50 ms round trip verify" \
	     "sender exit $RC_S, receiver exit $RC_R"
fi
if [ "$grown" -gt 0 ] && [ "${maxwnd:-0}" -gt 32768 ]; then
	pass "flow: autotuning: a fast reader's receive buffer grows (window beyond 32 KiB)"
else
	fail "flow: autotuning: a fast reader's receive buffer grows (window beyond 32 KiB)" \
	     "RcvBufGrown +$grown, window at most ${maxwnd:-?}"
fi
