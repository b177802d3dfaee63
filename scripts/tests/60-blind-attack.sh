#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 170
#
# A blind attacker (issue 10): a third namespace C knows the 4-tuple of a
# live connection from A to B but none of its numbers, and forges segments
# at both ends with random sequence and acknowledgment numbers
# (`toy-hostile attack --both`: RSTs, SYNs, data, ACKs, ACKs far off, and
# timestamps 2^30 in the future). C reaches B and A over veth pairs of its
# own, with host routes to their addresses on the A-B link; rp_filter is
# off so the spoofed sources are taken.
# Meanwhile toy-verify moves messages from A to B (SHA-256 of each, at most
# 4 in flight so the RTT is the path's, not a queue's). The connection must
# survive with every message intact, the sender's smoothed RTT must not be
# poisoned (after the attack within 2x of before, or under 2 ms), and the
# victims must count what they refused (/proc/net/toy_stats).
# TOY_SEED fixes the seeds (toy-verify's and toy-hostile's).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-verify toy-hostile
[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"
setup_pair "$(unique_ns toyA)" "$(unique_ns toyB)" ||
	skip_all "could not set up the veth namespaces"
NS_C=$(unique_ns toyC)
ns_create "$NS_C" || skip_all "could not create $NS_C"

T=${TMPDIR:-/tmp}/toy-blind.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
PORT=7600
SEED=${TOY_SEED:-$(( $(date +%s) % 100000 ))}
# 100,000 on Debian's kernel; a tenth of it on the debug kernel
# (TOY_TIMEOUT_SCALE=2), where KASAN makes every segment costly
if [ "${TOY_TIMEOUT_SCALE:-1}" -gt 1 ]; then
	ATTACK_COUNT=${TOY_ATTACK_COUNT:-10000}
else
	ATTACK_COUNT=${TOY_ATTACK_COUNT:-100000}
fi
SRTT_FLOOR=2000		# us: below this, a change is noise, not poison
# the debug kernel's round trips swing by tens of milliseconds with the
# machine's load (KASAN, lockdep); a poisoned srtt is seconds
if [ "${TOY_TIMEOUT_SCALE:-1}" -gt 1 ]; then
	SRTT_FLOOR=${TOY_SRTT_FLOOR:-50000}
fi
# counters whose rise means "a segment was refused" (printed either way):
# a name that contains one of these words (AckOutOfWindow, DSackIgnored,
# OowAcksLimited: forgeries left unanswered, ...)
REFUSALS='Challenge|Paws|PAWS|OutOfWindow|WndDrops|BadSegs|BadAck|Refused|Ignored|Blind|Limited'
log "seed $SEED (TOY_SEED=$SEED replays it), $ATTACK_COUNT forged segments"

link_third "$NS_B" 10.0.2.2 10.0.2.3 vethbc vethcb "$IP_B" &&
link_third "$NS_A" 10.0.1.1 10.0.1.3 vethac vethca "$IP_A" ||
	skip_all "could not link $NS_C to $NS_A and $NS_B"
wait_for -t 5 sh -c "$IP -n $NS_C link show vethcb | grep -q LOWER_UP &&
		     $IP -n $NS_C link show vethca | grep -q LOWER_UP"

counters() {	# counters NS: "name value" lines
	in_ns "$1" cat /proc/net/toy_stats
}
# deltas BEFORE AFTER: "name +N" for every counter that moved
deltas() {
	awk 'NR == FNR { b[$1] = $2; next } $2 != b[$1] { printf "%s +%d\n", $1, $2 - b[$1] }' "$1" "$2"
}
# the sender's connection, one field by column name
conn_field() {
	in_ns "$NS_A" cat /proc/net/toy | awk -v c="$1" -v r="$IP_B:$PORT" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$3 == r && $4 == "ESTABLISHED" { print $col[c]; exit }'
}
progress() {	# messages the receiver has verified so far
	sed -n "s/^toy-verify: \([0-9][0-9]*\) messages$/\1/p" "$T/recv" |
		tail -n 1
}
progressed() { [ "$(progress)" -ge "$1" ] 2>/dev/null; }

# --- calibration ----------------------------------------------------------
# The transfer must outlast the attack on any kernel (the debug kernel is
# several times slower): time 400 messages, and 5000 forged segments at a
# port nobody uses, then size the transfer to about three times the attack
# (forgeries at a live connection cost more than at a closed port).
uptime_s() { cut -d' ' -f1 /proc/uptime; }
run_bg in_ns "$NS_B" toy-verify recv "$IP_B:$((PORT - 1))" --timeout 60000 \
	>"$T/cal.recv" 2>&1
wait_for grep -q listening "$T/cal.recv" || skip_all "toy-verify recv did not start"
t0=$(uptime_s)
in_ns "$NS_A" toy-verify send "$IP_B:$((PORT - 1))" --count 400 --min 1 \
	--max 2048 --window 4 --seed "$SEED" >"$T/cal.send" 2>&1 ||
	skip_all "calibration transfer failed: $(tail -n 2 "$T/cal.send")"
t1=$(uptime_s)
in_ns "$NS_C" toy-hostile attack "$IP_A:9" "$IP_B:9" --count 5000 \
	--seed "$SEED" >"$T/cal.attack" 2>&1 ||
	skip_all "toy-hostile failed: $(tail -n 2 "$T/cal.attack")"
SEG_RATE=$(sed -n 's/.* \([0-9][0-9]*\) segments\/s.*/\1/p' "$T/cal.attack")
COUNT=${TOY_BLIND_MESSAGES:-$(awk -v a="$t0" -v b="$t1" \
	-v r="${SEG_RATE:-1000}" -v n="$ATTACK_COUNT" 'BEGIN {
	mps = 400 / (b - a + 0.001); c = int(mps * (3 * n / r + 10))
	if (c < 2000) c = 2000; if (c > 200000) c = 200000; print c }')}
log "calibration: 400 messages in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s," \
    "forged segments at ${SEG_RATE:-?}/s: $COUNT messages for the transfer"

# --- the connection --------------------------------------------------------
run_bg in_ns "$NS_B" toy-verify recv "$IP_B:$PORT" --timeout 120000 \
	--progress 200 >"$T/recv" 2>&1
RPID=$BG_PID
wait_for grep -q listening "$T/recv" || skip_all "toy-verify recv did not start"
run_bg in_ns "$NS_A" toy-verify send "$IP_B:$PORT" --count "$COUNT" \
	--min 1 --max 2048 --window 4 --seed "$SEED" --timeout 120000 \
	--info >"$T/send" 2>&1
SPID=$BG_PID
if ! wait_for -t 30 progressed 400; then
	fail "blind: the connection moves data before the attack" \
	     "no progress: $(tail -n 3 "$T/recv")"
	exit 1
fi
LOCAL=$(conn_field local)
counters "$NS_A" >"$T/a.before"
counters "$NS_B" >"$T/b.before"
SRTT0=$(conn_field srtt_us)
log "connection $LOCAL -> $IP_B:$PORT; sender's srtt before: ${SRTT0:-?} us," \
    "$(progress) of $COUNT messages verified"

# --- the attack ---------------------------------------------------------------
: >"$T/srtt.during"
in_ns "$NS_C" toy-hostile attack "$LOCAL" "$IP_B:$PORT" --both \
	--count "$ATTACK_COUNT" --seed "$SEED" >"$T/attack" 2>&1 &
APID=$!
while kill -0 "$APID" 2>/dev/null; do
	conn_field srtt_us >>"$T/srtt.during"
	sleep 0.2
done
wait "$APID"
ARC=$?
SRTT1=$(conn_field srtt_us)
ALIVE=$(conn_field state)
counters "$NS_A" >"$T/a.after"
counters "$NS_B" >"$T/b.after"
sed 's/^/# /' "$T/attack"
log "sender's srtt: before ${SRTT0:-?} us, after ${SRTT1:-?} us (max during" \
    "the attack $(sort -n "$T/srtt.during" | tail -n 1) us);" \
    "$(progress) of $COUNT messages verified when the attack ended"
[ "$ARC" = 0 ] || fail "blind: toy-hostile attack ran" "exit status $ARC"

# --- the verdicts ----------------------------------------------------------
# the transfer goes on to its end: every message verified, a clean close
wait "$SPID"
SRC=$?
wait "$RPID"
RRC=$?
grep -E 'seed|TOY_INFO|OK:' "$T/send" | sed 's/^/# send: /'
if [ "$ALIVE" = ESTABLISHED ] && [ "$SRC" = 0 ] && [ "$RRC" = 0 ] &&
   grep -q "^toy-verify: OK: $COUNT of $COUNT messages intact and in order" "$T/recv"; then
	pass "blind: the connection survives the attack, all $COUNT messages verified"
else
	tail -n 5 "$T/send" | sed 's/^/# send: /'
	tail -n 8 "$T/recv" | sed 's/^/# recv: /'
	fail "blind: the connection survives the attack, all $COUNT messages verified" \
	     "state after the attack: ${ALIVE:-gone}; sender exit $SRC, receiver exit $RRC"
fi

if [ -z "$SRTT0" ] || [ -z "$SRTT1" ]; then
	fail "blind: the sender's srtt is not poisoned" \
	     "no srtt to compare (before '${SRTT0}', after '${SRTT1}'): the connection is gone"
else
	LIMIT=$((2 * SRTT0))
	[ "$LIMIT" -ge "$SRTT_FLOOR" ] || LIMIT=$SRTT_FLOOR
	if [ "$SRTT1" -le "$LIMIT" ]; then
		pass "blind: the sender's srtt is not poisoned"
	else
		fail "blind: the sender's srtt is not poisoned" \
		     "srtt $SRTT1 us after the attack, $SRTT0 us before: more than max(2x, ${SRTT_FLOOR} us) = $LIMIT us"
	fi
fi

deltas "$T/a.before" "$T/a.after" >"$T/a.delta"
deltas "$T/b.before" "$T/b.after" >"$T/b.delta"
log "A's counters during the attack: $(tr '\n' ' ' <"$T/a.delta")"
log "B's counters during the attack: $(tr '\n' ' ' <"$T/b.delta")"
# delta NAME FILE: the rise of one counter (0 if it did not move)
delta() { awk -v k="$1" '$1 == k { sub(/^\+/, "", $2); print $2; f = 1 } END { if (!f) print 0 }' "$2"; }
resets=$(( $(delta EstabResets "$T/a.delta") + $(delta EstabResets "$T/b.delta") ))
if [ "$resets" = 0 ]; then
	pass "blind: no forged reset resets a connection (EstabResets +0)"
else
	fail "blind: no forged reset resets a connection (EstabResets +0)" \
	     "EstabResets +$resets"
fi
refused=$(cat "$T/a.delta" "$T/b.delta" | grep -E "^[A-Za-z]*($REFUSALS)[A-Za-z]* " |
	awk '{ sub(/^\+/, "", $2); n += $2 } END { print n + 0 }')
log "refusals counted (counters matching $REFUSALS): $refused; InRsts A" \
    "+$(delta InRsts "$T/a.delta") B +$(delta InRsts "$T/b.delta")"
if [ "$refused" -gt 0 ]; then
	pass "blind: the victims count the forged segments they refuse"
else
	fail "blind: the victims count the forged segments they refuse" \
	     "no counter matching $REFUSALS moved"
fi

# Out-of-window forgeries may each be answered with a duplicate ACK (with a
# D-SACK), but the peer must not take those for loss (RFC 6675: a duplicate
# ACK SACKs something new). Not zero: on a loaded machine veth may drop a
# real segment meanwhile; before the rule, one in 25 to 35 of them made a
# fast retransmit.
fr=$(( $(delta FastRetrans "$T/a.delta") + $(delta FastRetrans "$T/b.delta") ))
dups=$(( $(delta DSackSent "$T/a.delta") + $(delta DSackSent "$T/b.delta") ))
log "fast retransmits $fr for $dups duplicate ACKs drawn by the forgeries"
if [ $((fr * 100)) -le "$dups" ]; then
	pass "blind: the forgeries' duplicate ACKs are not taken for loss (FastRetrans <= 1% of DSackSent)"
else
	fail "blind: the forgeries' duplicate ACKs are not taken for loss (FastRetrans <= 1% of DSackSent)" \
	     "FastRetrans A +$(delta FastRetrans "$T/a.delta") B +$(delta FastRetrans "$T/b.delta"):" \
	     "duplicate ACKs elicited by out-of-window forgeries (DupSegs, DSackSent above) look like loss"
fi
