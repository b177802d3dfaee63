#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 1200
#
# Reliability under impairment: for each netem scenario (applied on both
# veth ends, so data and ACKs suffer alike) toy-verify sends 2000 messages
# of 1 B to 64 KiB (log-uniform: as many tiny messages as 32-64 KiB ones,
# most of them segmented) from $NS_A to $NS_B, and the receiver checks the
# count, the order, every length and every SHA-256: zero mismatch allowed.
# The namespaces' /proc/net/toy_stats must show the impairment was felt
# (RetransSegs under loss, DupSegs under duplication, CsumErrors under
# corruption, OutOfOrder under reordering).
#
# rto_min_ms is lowered to 20 in the two namespaces (and the test says
# so): the veth round trip under TCG is about 0.2 ms, so TCP's 200 ms floor
# (sized for wide-area round trips) makes each retransmission timeout cost
# some 1000 round trips, and at 30% loss both ways the run would take many
# minutes (so would TCP's). The test is about what is delivered, not how
# fast loss is recovered; `make bench` measures speed at the defaults.
#
# Environment: TOY_SEED (default: a new seed per scenario, printed),
# TOY_VERIFY_COUNT (default 2000, 500 for loss30; never lower it to make
# a run pass),
# TOY_SCENARIOS (names to run, e.g. "loss1 dup"), TOY_SCENARIO_TIMEOUT
# (s per scenario, default 150 times TOY_TIMEOUT_SCALE; those named in
# TOY_LONG_SCENARIOS, default "loss30", get twice that), TOY_RTO_MIN_MS
# (default 20; "default" keeps the namespace's own), TOY_RTO_MAX_MS
# (default 1000, with retries 30; "default" keeps both).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-verify

[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-rel.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"

COUNT=${TOY_VERIFY_COUNT:-2000}
RTO_MIN=${TOY_RTO_MIN_MS:-20}
[ "$RTO_MIN" = default ] && RTO_MIN=""
RTO_MAX=${TOY_RTO_MAX_MS:-1000}
RETRIES=30
[ "$RTO_MAX" = default ] && RTO_MAX=""
SCEN_TIMEOUT=${TOY_SCENARIO_TIMEOUT:-$((150 * ${TOY_TIMEOUT_SCALE:-1}))}
# Scenarios given twice the limit: 30% loss each way recovers largely by
# timeouts (51% of round trips fail) and takes 2-3 minutes.
TOY_LONG=${TOY_LONG_SCENARIOS-loss30}
# Scenarios known to be too slow for the limit (skipped unless named in
# TOY_SCENARIOS or TOY_KNOWN_FAILURES=1): none at present.
TOY_KNOWN_SLOW=${TOY_KNOWN_SLOW-}
PORT=7100
SUMMARY=""

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# stat FILE NAME: a counter from a saved /proc/net/toy_stats
stat() { awk -v n="$2" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' "$1"; }

# delta NAME SIDE: counter NAME's increase in namespace SIDE (A or B)
delta() { echo $(($(stat "$T/after.$2" "$1") - $(stat "$T/before.$2" "$1"))); }

conns() {	# this test's connections, both namespaces
	in_ns "$NS_A" cat /proc/net/toy | grep -v "^sl\|LISTEN" | sed 's/^/A: /'
	in_ns "$NS_B" cat /proc/net/toy | grep -v "^sl\|LISTEN" | sed 's/^/B: /'
}

snapshot() {	# snapshot before|after
	in_ns "$NS_A" cat /proc/net/toy_stats >"$T/$1.A"
	in_ns "$NS_B" cat /proc/net/toy_stats >"$T/$1.B"
}

if [ -n "$RTO_MAX" ]; then
	log "rto_max_ms lowered to $RTO_MAX and retries raised to $RETRIES in both" \
	    "namespaces (TOY_RTO_MAX_MS=default keeps both): at 30% loss each way" \
	    "51% of round trips fail, so runs of 10 failed timeouts in a row occur" \
	    "in every run; doubling up to 60 s then stalls for minutes, and 15 in a" \
	    "row (the default limit) aborts about one run in twenty"
	for ns in "$NS_A" "$NS_B"; do
		echo "$RTO_MAX" | in_ns "$ns" tee /proc/sys/net/toy/rto_max_ms >/dev/null
		echo "$RETRIES" | in_ns "$ns" tee /proc/sys/net/toy/retries >/dev/null
	done
fi
if [ -n "$RTO_MIN" ]; then
	log "rto_min_ms lowered from $(in_ns "$NS_A" cat /proc/sys/net/toy/rto_min_ms)" \
	    "to $RTO_MIN in both namespaces (TOY_RTO_MIN_MS=default keeps it): the" \
	    "veth RTT here is ~0.2 ms, so a 200 ms floor makes every timeout cost" \
	    "~1000 RTTs and the loss scenarios would take many minutes"
	for ns in "$NS_A" "$NS_B"; do
		echo "$RTO_MIN" | in_ns "$ns" tee /proc/sys/net/toy/rto_min_ms >/dev/null
	done
fi
log "sysctls: rto_min_ms $(in_ns "$NS_A" cat /proc/sys/net/toy/rto_min_ms)" \
    "retries $(in_ns "$NS_A" cat /proc/sys/net/toy/retries)" \
    "delack_ms $(in_ns "$NS_A" cat /proc/sys/net/toy/delack_ms)" \
    "rto_max_ms $(in_ns "$NS_A" cat /proc/sys/net/toy/rto_max_ms)" \
    "rmem/wmem_default $(in_ns "$NS_A" cat /proc/sys/net/toy/rmem_default)"

# --- the verifier itself, over AF_TOY: a fault it must notice ---------
# (the host-side self-test covers every fault kind over AF_UNIX)
PORT=$((PORT + 1))
run_bg "$IP" netns exec "$NS_B" toy-verify recv "$IP_B:$PORT" --timeout 30000 \
	>"$T/neg.r" 2>&1
NEG_R=$BG_PID
if wait_for grep -q listening "$T/neg.r"; then
	in_ns "$NS_A" toy-verify send "$IP_B:$PORT" --count 200 --seed 1 \
		--timeout 30000 --inject swap:50 >"$T/neg.s" 2>&1
	neg_s=$?
	wait "$NEG_R"
	neg_r=$?
	if [ "$neg_s" = 1 ] && [ "$neg_r" = 1 ] &&
	   grep -q "index 51 arrived where 50 was expected" "$T/neg.r" &&
	   grep -q "out of order 2," "$T/neg.r"; then
		pass "reliability: toy-verify notices two swapped messages over AF_TOY"
	else
		sed 's/^/# send: /' "$T/neg.s"
		sed 's/^/# recv: /' "$T/neg.r"
		fail "reliability: toy-verify notices two swapped messages over AF_TOY" \
		     "sender exit $neg_s, receiver exit $neg_r (both should be 1)"
	fi
else
	fail "reliability: toy-verify notices two swapped messages over AF_TOY" \
	     "receiver did not listen: $(cat "$T/neg.r")"
fi

# expect NAME COUNTER SIDE: the counter moved in that namespace
expect_counter() {
	_d=$(delta "$2" "$3")
	if [ "$_d" -gt 0 ]; then
		pass "reliability: $1: $2 > 0 in ns $3 (+$_d)"
	else
		fail "reliability: $1: $2 > 0 in ns $3 (+$_d)" \
		     "the impairment left no trace in /proc/net/toy_stats of ns $3"
	fi
}

# scenario NAME NETEM-ARGS: one run of the matrix
scenario() {
	_name=$1; shift
	if [ -n "${TOY_SCENARIOS:-}" ]; then
		case " $TOY_SCENARIOS " in *" $_name "*) ;; *) return 1 ;; esac
	fi
	_what="$_name ($*)"
	# Known failures (issue 3 is open): they deliver correctly, but too
	# slowly to finish in time. Skipped, and said so, unless asked for
	# (TOY_KNOWN_FAILURES=1, or naming them in TOY_SCENARIOS).
	case " $TOY_KNOWN_SLOW " in
	*" $_name "*)
		if [ "${TOY_KNOWN_FAILURES:-0}" != 1 ] && [ -z "${TOY_SCENARIOS:-}" ]; then
			skip "reliability: $_what: 2000 messages intact, in order" \
			     "known failure: does not finish within ${SCEN_TIMEOUT} s yet (TOY_KNOWN_FAILURES=1 runs it)"
			return 1
		fi
		;;
	esac
	_limit=$SCEN_TIMEOUT
	case " $TOY_LONG " in *" $_name "*) _limit=$((2 * SCEN_TIMEOUT)) ;; esac
	PORT=$((PORT + 1))
	log "---- scenario $_what: $COUNT messages, 1..65536 bytes log-uniform," \
	    "netem on both ends: $*; limit ${_limit} s"
	if ! netem "$NS_A" "$DEV_A" "$@" || ! netem "$NS_B" "$DEV_B" "$@"; then
		netem_clear "$NS_A" "$DEV_A"
		skip "reliability: $_what" "tc netem $* failed"
		return 1
	fi
	snapshot before
	_seed=${TOY_SEED:+--seed $TOY_SEED}
	# the receiver outlives the scenario, so a stuck connection can be
	# looked at before it is killed
	"$IP" netns exec "$NS_B" toy-verify recv "$IP_B:$PORT" \
		--timeout $(((_limit + 30) * 1000)) --progress 500 \
		>"$T/$_name.r" 2>&1 &
	_rpid=$!
	wait_for grep -q listening "$T/$_name.r"
	_t0=$(uptime_s)
	# shellcheck disable=SC2086 # $_seed is empty or two words
	"$IP" netns exec "$NS_A" toy-verify send "$IP_B:$PORT" --count "$COUNT" \
		--min 1 --max 65536 $_seed --timeout $(((_limit + 30) * 1000)) \
		--info --info-every 5000 >"$T/$_name.s" 2>&1 &
	_spid=$!
	# wait for the sender; every 10 s note the connections' state
	_deadline=$(($(date +%s) + _limit))
	_next=$(($(date +%s) + 10))
	: >"$T/$_name.mon"
	while kill -0 "$_spid" 2>/dev/null && [ "$(date +%s)" -lt "$_deadline" ]; do
		sleep 0.2
		if [ "$(date +%s)" -ge "$_next" ]; then
			_next=$((_next + 10))
			{ echo "at $(uptime_s) s:"
			  conns; } >>"$T/$_name.mon"
		fi
	done
	_t1=$(uptime_s)
	_rc_s=124
	if kill -0 "$_spid" 2>/dev/null; then
		log "$_name: the sender did not finish in ${_limit}s; connections now:"
		conns | sed 's/^/#   /'
		log "$_name: and 10 s before, 20 s before:"
		tail -n 6 "$T/$_name.mon" | sed 's/^/#   /'
		kill "$_spid" 2>/dev/null
		wait "$_spid"
	else
		wait "$_spid"
		_rc_s=$?
	fi
	# the receiver ends with the sender; give it a moment, no more
	_i=0
	while kill -0 "$_rpid" 2>/dev/null && [ $_i -lt 50 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	kill "$_rpid" 2>/dev/null
	wait "$_rpid"
	_rc_r=$?
	snapshot after
	netem_clear "$NS_A" "$DEV_A"
	netem_clear "$NS_B" "$DEV_B"

	_secs=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.1f", b - a }')
	grep -E "seed|goodput|TOY_INFO|blocking" "$T/$_name.s" | sed 's/^/# /'
	log "$_name: A (sender): $(for c in OutSegs RetransSegs FastRetrans Timeouts \
		DupSegs CsumErrors SackBlocksRecv DSackRecv ReorderSeen SpuriousUndo \
		TailLossProbes RackTimeouts; do printf '%s +%s ' $c "$(delta $c A)"; done)"
	log "$_name: B (receiver): $(for c in InSegs DupSegs OutOfOrder CsumErrors \
		DelayedAcks RcvWndDrops DSackSent; do printf '%s +%s ' $c "$(delta $c B)"; done)"
	SUMMARY="$SUMMARY
#   $(printf '%-10s %6ss  %s' "$_name" "$_secs" "netem $*")"
	if [ "$_rc_s" = 0 ] || [ "$_rc_s" = 4 ]; then
		if [ "$_rc_r" = 0 ] &&
		   grep -q "^toy-verify: OK: $COUNT of $COUNT messages intact and in order" \
			"$T/$_name.r"; then
			log "$_name: $COUNT messages verified in ${_secs}s"
			pass "reliability: $_what: $COUNT messages intact, in order"
			if [ "$_rc_s" = 4 ]; then
				grep "after the verdict" "$T/$_name.s" | sed 's/^/# /'
				log "$_name: B's OutRsts +$(delta OutRsts B) NoPort +$(delta NoPort B)," \
				    "A's InRsts +$(delta InRsts A)"
				fail "reliability: $_what: the connection closes cleanly" \
				     "the sender read a reset, not the end of stream, after the verdict"
			fi
			return 0
		fi
	fi
	log "$_name: sender exit $_rc_s, receiver exit $_rc_r after ${_secs}s"
	sed 's/^/# send: /' "$T/$_name.s" | tail -n 12
	sed 's/^/# recv: /' "$T/$_name.r" | tail -n 25
	fail "reliability: $_what: $COUNT messages intact, in order"
	return 0
}

if scenario loss1 loss 1%; then
	expect_counter "loss 1%" RetransSegs A
fi
if scenario loss10 loss 10%; then
	expect_counter "loss 10%" RetransSegs A
fi
# 30% loss sends a quarter of the messages: its paths (tail loss probes,
# RACK timeouts, RTO backoff) are all taken within the first hundred, and
# the full 2000 took 191 s of the stock tier's 955 (197 s of the debug
# tier's 1300) in a CI run, where TCP's 200 ms RTO floor would take longer
# still. A TOY_VERIFY_COUNT given is kept as is.
FULL_COUNT=$COUNT
if [ -z "${TOY_VERIFY_COUNT:-}" ]; then
	COUNT=$((FULL_COUNT / 4))
fi
if scenario loss30 loss 30%; then
	expect_counter "loss 30%" RetransSegs A
	# a lost tail is probed, an overdue segment caught by RACK's timer
	expect_counter "loss 30%" TailLossProbes A
	expect_counter "loss 30%" RackTimeouts A
fi
COUNT=$FULL_COUNT
if scenario dup duplicate 10%; then
	expect_counter "duplicate 10%" DupSegs B
	# each duplicate is reported back (RFC 2883) and heard
	expect_counter "duplicate 10%" DSackSent B
	expect_counter "duplicate 10%" DSackRecv A
fi
if scenario reorder delay 10ms reorder 25% 50%; then
	expect_counter "reorder 25%" OutOfOrder B
fi
if scenario corrupt corrupt 2%; then
	# corrupted data arrives at B, corrupted ACKs at A: both count
	expect_counter "corrupt 2%" CsumErrors B
	expect_counter "corrupt 2%" RetransSegs A
fi
if scenario jitter delay 50ms 20ms; then
	# the sender's smoothed RTT must have seen the 2 x 50 ms
	# (the last TOY_INFO: the final one, or --info-every's if it timed out)
	srtt=$(sed -n 's/^toy-verify: .*TOY_INFO.* srtt \([0-9]*\) us.*/\1/p' "$T/jitter.s" |
		tail -n 1)
	if [ "${srtt:-0}" -ge 60000 ]; then
		pass "reliability: delay 50ms 20ms: sender's srtt ${srtt} us >= 60 ms"
	else
		fail "reliability: delay 50ms 20ms: sender's srtt ${srtt:-?} us >= 60 ms" \
		     "a 100 ms round trip should show in TOY_INFO"
	fi
	# 40 ms of spread reorders segments, and the sender must notice
	expect_counter "delay 50ms 20ms" ReorderSeen A
fi
if scenario all loss 10% duplicate 10% corrupt 2% delay 10ms 5ms reorder 25% 50%; then
	expect_counter "all combined" RetransSegs A
	expect_counter "all combined" DupSegs B
	expect_counter "all combined" CsumErrors B
	expect_counter "all combined" OutOfOrder B
fi

log "matrix timings (sender start to verdict):$SUMMARY"
