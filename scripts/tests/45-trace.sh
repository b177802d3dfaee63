#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# Trace events (module/trace.h, system "toy"), read from a tracefs instance
# of this test's own, checked against what the wire and /proc show:
# the handshake ladder is exactly SYN, SYN|ACK, ACK with ack = seq + 1 both
# ways, sent and received, with MSS and timestamps; a message's segment has
# its seq and length; state changes end where /proc/net/toy stands, through
# FIN_WAIT1/2, TIME_WAIT and its expiry; the last toy_ack shows the srtt,
# rttvar, rto and cwnd /proc/net/toy shows; drops carry their counter's
# name (NoPort, CsumErrors); retransmissions under netem loss and
# timeouts with backoff match RetransSegs and Timeouts; a SYN cookie is
# the SYN-ACK's sequence number; zero-window probes match WindowProbes
# and are dropped at the receiver as OutOfWindow.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-sock toy-echo-server toy-echo-client toy-verify
[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"
TR=/sys/kernel/tracing
[ -d "$TR/events/toy" ] || skip_all "no $TR/events/toy: tracefs not mounted or no tracepoints"
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-trace.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
INST=$TR/instances/toytest$$
mkdir "$INST" || skip_all "cannot create a tracefs instance"
on_exit "echo 0 >'$INST/events/toy/enable'; rmdir '$INST'"
echo 8192 >"$INST/buffer_size_kb"
echo 1 >"$INST/events/toy/enable"

NETNS_A=$(in_ns "$NS_A" readlink /proc/self/ns/net | tr -dc 0-9)
NETNS_B=$(in_ns "$NS_B" readlink /proc/self/ns/net | tr -dc 0-9)
log "netns inodes: A $NETNS_A, B $NETNS_B; instance $INST"

# snap: the instance's buffer so far, into $T/tr
snap() { grep -v '^#' "$INST/trace" >"$T/tr"; }
# reset: empty the buffer
reset() { : >"$INST/trace"; }

# q PROG [AWK-ARGS...]: awk PROG over $T/tr, with f(KEY), the value of
# KEY=... in the line, n(KEY), its number, ev(NAME), whether the line is event NAME, and
# inc(N), N + 1 modulo 2^32, at hand
AWKLIB='
function f(k,  i) {
	for (i = 1; i <= NF; i++)
		if (index($i, k "=") == 1)
			return substr($i, length(k) + 2)
	return ""
}
function n(k) { return f(k) + 0 }
function ev(n) { return index($0, " " n ": ") > 0 }
function inc(n) { return (n + 1) % 4294967296 }
'
q() {
	_qp=$1; shift
	awk "$@" "$AWKLIB $_qp" "$T/tr"
}

counter() {	# counter NS NAME
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'
}

# counter_above NS NAME N: counter NAME of NS is above N (N a number)
counter_above() {
	_ca=$(counter "$1" "$2")
	[ -n "$_ca" ] && [ -n "$3" ] && [ "$_ca" -gt "$3" ]
}

# procline NS LOCAL REMOTE: the /proc/net/toy line of that connection
procline() {
	in_ns "$1" cat /proc/net/toy | awk -v l="$2" -v r="$3" '$2 == l && $3 == r'
}

# --- a connection from SYN to the end of TIME_WAIT --------------------
# TIME_WAIT of A's end lasts 2 x 1000 ms
echo 1000 | in_ns "$NS_A" tee /proc/sys/net/toy/msl_ms >/dev/null
D=$IP_B:7450
MSG=hello-trace
reset
run_bg in_ns "$NS_B" toy-sock -q listen "$D" accept expect "$MSG" \
	touch "$T/got" wait "$T/bclose" close
SRV=$BG_PID
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':7450 .* LISTEN'"
run_bg in_ns "$NS_A" toy-sock -q connect "$D" send "$MSG" wait "$T/fin" \
	close
CLI=$BG_PID
wait_for test -e "$T/got" || fail "connection: the message arrives"
snap
C=$(q 'ev("toy_segment_send") && f("netns") == A && f("dst") == D &&
	f("flags") == "SYN" { print f("src"); exit }' -v A="$NETNS_A" -v D="$D")
log "connection: $C -> $D"
# wait for the last ACK, so that A's numbers stand still
wait_for sh -c "$IP netns exec $NS_A cat /proc/net/toy |
	awk -v l='$C' -v r='$D' '\$2 == l && \$3 == r && \$7 == \$8 { ok = 1 } END { exit !ok }'"
PA=$(procline "$NS_A" "$C" "$D")
PB=$(procline "$NS_B" "$D" "$C")
log "A: $PA"
log "B: $PB"
snap

# the ladder: the first three segments of the connection, as sent
q 'ev("toy_segment_send") && ((f("src") == C && f("dst") == D) ||
	(f("src") == D && f("dst") == C)) {
	print f("netns"), f("src"), f("flags"), f("seq"), f("ack"), f("len"),
	      f("mss"), f("ts"), f("tsval"), f("tsecr")
	if (++n == 3) exit
}' -v C="$C" -v D="$D" >"$T/ladder"
sed 's/^/# ladder: /' "$T/ladder"
SA=$(awk 'NR == 1 { print $4 }' "$T/ladder")
check "handshake: exactly SYN, SYN|ACK, ACK, from A, B, A" awk \
	-v A="$NETNS_A" -v B="$NETNS_B" '
	NR == 1 && $1 == A && $3 == "SYN" { n++ }
	NR == 2 && $1 == B && $3 == "SYN|ACK" { n++ }
	NR == 3 && $1 == A && $3 == "ACK" { n++ }
	END { exit n != 3 }' "$T/ladder"
check "handshake: SYN|ACK acks SYN seq + 1, ACK is SYN seq + 1 and acks SYN|ACK seq + 1" \
	awk "$AWKLIB"'
	NR == 1 { sa = $4 }
	NR == 2 { sb = $4; ok += $5 == inc(sa) }
	NR == 3 { ok += $4 == inc(sa) && $5 == inc(sb) }
	END { exit ok != 2 }' "$T/ladder"
check "handshake: SYN and SYN|ACK carry MSS and timestamps, the SYN|ACK echoes the SYN's" \
	awk 'NR == 1 { v = $9; ok += $7 > 0 && $8 == 1 }
	     NR == 2 { ok += $7 > 0 && $8 == 1 && $10 == v }
	     NR == 3 { ok += $8 == 1 }
	     END { exit ok != 3 }' "$T/ladder"
# each of them also arrived, with the same numbers, at the other end
q 'ev("toy_segment_recv") && ((f("src") == C && f("dst") == D && f("netns") == B) ||
	(f("src") == D && f("dst") == C && f("netns") == A)) {
	print f("netns"), f("src"), f("flags"), f("seq"), f("ack")
	if (++n == 3) exit
}' -v C="$C" -v D="$D" -v A="$NETNS_A" -v B="$NETNS_B" >"$T/rladder"
check "handshake: B received SYN, A SYN|ACK, B ACK, same seq and ack" sh -c \
	"awk '{ print \$1 == $NETNS_A ? \"$NETNS_B\" : \"$NETNS_A\", \$2, \$3, \$4, \$5 }' '$T/ladder' |
	 diff - '$T/rladder' >/dev/null"
check "data: A sent '$MSG' as len=${#MSG}, EOM, seq = SYN seq + 1" q '
	ev("toy_segment_send") && f("netns") == A && f("src") == C && f("len") == L &&
	f("seq") == inc(S) && f("flags") ~ /EOM/ { ok = 1 } END { exit !ok }' -v A="$NETNS_A" -v C="$C" -v L="${#MSG}" -v S="$SA"
check "data: B received it, same seq and len" q '
	ev("toy_segment_recv") && f("netns") == B && f("src") == C && f("len") == L &&
	f("seq") == inc(S) { ok = 1 } END { exit !ok }' -v B="$NETNS_B" -v C="$C" -v L="${#MSG}" -v S="$SA"

# states: where each end stands, as /proc/net/toy says
STA=$(q 'ev("toy_state_change") && f("netns") == A && f("src") == C {
	s = s f("oldstate") ">" f("newstate") " " } END { print s }' \
	-v A="$NETNS_A" -v C="$C")
STB=$(q 'ev("toy_state_change") && f("netns") == B && f("src") == D &&
	f("dst") == C { s = s f("oldstate") ">" f("newstate") " " }
	END { print s }' -v B="$NETNS_B" -v C="$C" -v D="$D")
log "A states: $STA"
log "B states: $STB"
expect_eq "states: A went CLOSE > SYN_SENT > ESTABLISHED, as /proc shows it" \
	"$STA" "CLOSE>SYN_SENT SYN_SENT>$(echo "$PA" | awk '{ print $4 }') "
expect_eq "states: B's child went CLOSE > SYN_RECV > ESTABLISHED, as /proc shows it" \
	"$STB" "CLOSE>SYN_RECV SYN_RECV>$(echo "$PB" | awk '{ print $4 }') "

# the sender's numbers after its last ACK are /proc/net/toy's
ACKA=$(q 'ev("toy_ack") && f("netns") == A && f("src") == C {
	l = f("snd_una") " " f("srtt_us") " " f("rttvar_us") " " f("rto_us") " " f("cwnd")
	} END { print l }' -v A="$NETNS_A" -v C="$C")
expect_eq "toy_ack: snd_una srtt_us rttvar_us rto_us cwnd equal /proc/net/toy's" \
	"$ACKA" "$(echo "$PA" | awk '{ print $7, $14, $15, $16, $17 }')"
expect_eq "toy_ack: srtt_us is a real sample (not 0)" \
	"$(echo "$ACKA" | awk '{ print ($2 > 0) }')" 1

# the close: A goes through TIME_WAIT, which ends after 2 x msl. B closes
# once its end took A's FIN (CLOSE_WAIT) and A's took the ACK of it
# (FIN_WAIT2): "A closed" alone does not say the FIN arrived, and FINs
# that cross make a simultaneous close (CLOSING)
touch "$T/fin"
check "close: B's end took A's FIN (CLOSE_WAIT)" wait_for sh -c \
	"$IP netns exec $NS_B cat /proc/net/toy | grep -q '^[0-9]* $D $C CLOSE_WAIT'"
check "close: A's end took its ACK (FIN_WAIT2)" wait_for sh -c \
	"$IP netns exec $NS_A cat /proc/net/toy | grep -q '^[0-9]* $C $D FIN_WAIT2'"
touch "$T/bclose"
check "close: A's end is in TIME_WAIT" wait_for sh -c \
	"$IP netns exec $NS_A cat /proc/net/toy | grep -q '^[0-9]* $C $D TIME_WAIT'"
check "close: and leaves it" wait_for -t 10 sh -c \
	"! $IP netns exec $NS_A cat /proc/net/toy | grep -q ' $C $D '"
snap
STA=$(q 'ev("toy_state_change") && f("netns") == A && f("src") == C {
	s = s f("oldstate") ">" f("newstate") " " } END { print s }' \
	-v A="$NETNS_A" -v C="$C")
log "A states: $STA"
expect_eq "close: A went FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE" "$STA" \
	"CLOSE>SYN_SENT SYN_SENT>ESTABLISHED ESTABLISHED>FIN_WAIT1 FIN_WAIT1>FIN_WAIT2 FIN_WAIT2>TIME_WAIT TIME_WAIT>CLOSE "
expect_eq "close: one toy_timewait_expire for A's end" \
	"$(q 'ev("toy_timewait_expire") && f("netns") == A && f("src") == C &&
	      f("dst") == D { n++ } END { print n + 0 }' \
	      -v A="$NETNS_A" -v C="$C" -v D="$D")" 1
STB=$(q 'ev("toy_state_change") && f("netns") == B && f("src") == D &&
	f("dst") == C { s = s f("oldstate") ">" f("newstate") " " }
	END { print s }' -v B="$NETNS_B" -v C="$C" -v D="$D")
expect_eq "close: B's child went CLOSE_WAIT, LAST_ACK, CLOSE" "$STB" \
	"CLOSE>SYN_RECV SYN_RECV>ESTABLISHED ESTABLISHED>CLOSE_WAIT CLOSE_WAIT>LAST_ACK LAST_ACK>CLOSE "
wait "$CLI" "$SRV"

# --- drops with a reason ----------------------------------------------
reset
np=$(counter "$NS_B" NoPort)
check_fails "drop: a connect to a port without a socket fails" \
	in_ns "$NS_A" toy-sock -q connect "$IP_B:7451"
snap
expect_eq "drop: reason=NoPort in B, as many as NoPort counted" \
	"$(q 'ev("toy_segment_drop") && f("netns") == B && f("dst") == D &&
	      f("reason") == "NoPort" && f("flags") == "SYN" { n++ } END { print n + 0 }' \
	      -v B="$NETNS_B" -v D="$IP_B:7451")" "$(($(counter "$NS_B" NoPort) - np))"
check "drop: B answered the SYN with RST|ACK, ack = its seq + 1" q '
	ev("toy_segment_drop") && f("netns") == B && f("dst") == D { s = f("seq") }
	ev("toy_segment_send") && f("netns") == B && f("src") == D && s != "" &&
	f("flags") == "ACK|RST" && f("ack") == inc(s) { ok = 1 } END { exit !ok }' -v B="$NETNS_B" -v D="$IP_B:7451"

if command -v python3 >/dev/null 2>&1; then
	reset
	ce=$(counter "$NS_B" CsumErrors)
	# a segment whose checksum is off by one, through a raw socket
	in_ns "$NS_A" python3 - "$(dirname "$0")/toy-fakepeer.py" "$IP_A" "$IP_B" <<'EOF'
import importlib.util, struct, sys
spec = importlib.util.spec_from_file_location("fp", sys.argv[1])
fp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fp)
src, dst = sys.argv[2], sys.argv[3]
seg = bytearray(fp.segment(src, dst, 40999, 7452, 123456789, 0, fp.SYN))
c = struct.unpack("!H", seg[14:16])[0]
seg[14:16] = struct.pack("!H", c ^ 1)
fp.send(src, dst, bytes(seg))
EOF
	check "drop: bad checksum counted (CsumErrors)" wait_for counter_above \
		"$NS_B" CsumErrors "$ce"
	snap
	check "drop: reason=CsumErrors with the segment's ports and seq" q '
		ev("toy_segment_drop") && f("netns") == B && f("reason") == "CsumErrors" &&
		f("src") == S && f("seq") == 123456789 { ok = 1 } END { exit !ok }' -v B="$NETNS_B" -v S=$IP_A:40999
	check_fails "drop: and it was not traced as received" q '
		ev("toy_segment_recv") && f("seq") == 123456789 { ok = 1 } END { exit !ok }' 
else
	skip "drop: bad checksum" "no python3 in the guest"
fi

# --- retransmissions under loss ---------------------------------------
reset
rs=$(counter "$NS_A" RetransSegs)
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:7453" >"$T/echo" 2>&1
wait_for grep -q listening "$T/echo"
netem "$NS_A" "$DEV_A" loss 15%
check "loss: 40 x 4000-byte echoes through 15% loss" sh -c \
	"$IP netns exec $NS_A toy-echo-client $IP_B:7453 --count 40 --size 4000 |
	 grep -q 'all 40 echoes matched'"
netem_clear "$NS_A" "$DEV_A"
# A's end may still owe a FIN lost to netem: only in TIME_WAIT (or gone)
# can it resend nothing more, so the trace and the counter agree
check "loss: A's end has nothing left to resend (TIME_WAIT or closed)" \
	wait_for sh -c "$IP netns exec $NS_A cat /proc/net/toy |
	awk -v r='$IP_B:7453' 'NR > 1 && \$3 == r && \$4 != \"TIME_WAIT\" { n++ }
	END { exit n > 0 }'"
snap
rs=$(($(counter "$NS_A" RetransSegs) - rs))
nr=$(q 'ev("toy_retransmit") && f("netns") == A { n++ } END { print n + 0 }' \
	-v A="$NETNS_A")
log "loss: $nr toy_retransmit events in A, RetransSegs +$rs; reasons:" \
	"$(q 'ev("toy_retransmit") && f("netns") == A { print f("reason") }' \
	     -v A="$NETNS_A" | sort | uniq -c | tr '\n' ' ')"
expect_eq "loss: one toy_retransmit per RetransSegs, and some" \
	"$nr" "$([ "$rs" -gt 0 ] && echo "$rs")"
check "loss: every reason is RTO, FAST, RACK or TLP, and each segment was sent before" \
	q '
	ev("toy_segment_send") && f("netns") == A { sent[f("seq")]++ }
	ev("toy_retransmit") && f("netns") == A {
		n++
		if (f("reason") ~ /^(RTO|FAST|RACK|TLP)$/ && sent[f("seq")] >= 2) ok++
	}
	END { exit !(n > 0 && ok == n) }' -v A="$NETNS_A"

# --- a timeout with backoff -------------------------------------------
reset
to=$(counter "$NS_A" Timeouts)
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:7454" accept echo
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':7454 .* LISTEN'"
run_bg in_ns "$NS_A" toy-sock -q connect "$IP_B:7454" touch "$T/c4" \
	wait "$T/go4" send rto-message expect rto-message close
CLI=$BG_PID
wait_for test -e "$T/c4"
netem "$NS_A" "$DEV_A" loss 100%
touch "$T/go4"
check "rto: the timer fires twice, backing off" wait_for -t 20 sh -c \
	"grep -q 'toy_rto: netns=$NETNS_A .* backoff=2 ' '$INST/trace'"
netem_clear "$NS_A" "$DEV_A"
check "rto: the message gets through once the link is back" wait "$CLI"
snap
to=$(($(counter "$NS_A" Timeouts) - to))
q 'ev("toy_rto") && f("netns") == A && f("dst") == D {
	print f("backoff"), f("rto_us"), f("retries") }' \
	-v A="$NETNS_A" -v D="$IP_B:7454" >"$T/rto"
sed 's/^/# rto: backoff rto_us retries: /' "$T/rto"
expect_eq "rto: one toy_rto per Timeouts" "$(wc -l <"$T/rto" | tr -d ' ')" "$to"
check "rto: backoff 1, 2, ... and rto_us doubling each time" awk '
	{ ok += $1 == NR && $3 == NR && (NR == 1 || $2 == 2 * prev); prev = $2 }
	END { exit !(NR >= 2 && ok == NR) }' "$T/rto"
check "rto: each timeout resent the message (reason=RTO)" q '
	ev("toy_retransmit") && f("netns") == A && f("dst") == D &&
	f("reason") == "RTO" { n++ } END { exit n < R }' -v A="$NETNS_A" -v D="$IP_B:7454" -v R="$(wc -l <"$T/rto")"

# --- a SYN cookie -------------------------------------------------------
reset
cs=$(counter "$NS_B" SyncookiesSent)
cr=$(counter "$NS_B" SyncookiesRecv)
echo 2 | in_ns "$NS_B" tee /proc/sys/net/toy/syncookies >/dev/null
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:7455" accept expect cookie-msg close
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':7455 .* LISTEN'"
check "cookie: a connection through a SYN cookie" \
	in_ns "$NS_A" toy-sock -q connect "$IP_B:7455" send cookie-msg close
echo 1 | in_ns "$NS_B" tee /proc/sys/net/toy/syncookies >/dev/null
snap
expect_eq "cookie: SyncookiesSent and SyncookiesRecv +1 each" \
	"$(($(counter "$NS_B" SyncookiesSent) - cs)) $(($(counter "$NS_B" SyncookiesRecv) - cr))" "1 1"
CK=$(q 'ev("toy_syncookie_send") && f("netns") == B && f("src") == D {
	print f("dst"), f("cookie"), f("mss") }' -v B="$NETNS_B" -v D="$IP_B:7455")
log "cookie: peer, cookie, mss: $CK"
# shellcheck disable=SC2086 # three words
set -- $CK
expect_eq "cookie: the SYN|ACK's seq is the cookie" \
	"$(q 'ev("toy_segment_send") && f("netns") == B && f("src") == D &&
	      f("dst") == P && f("flags") == "SYN|ACK" { print f("seq") }' \
	      -v B="$NETNS_B" -v D="$IP_B:7455" -v P="${1:-none}")" "${2:-none}"
expect_eq "cookie: toy_syncookie_recv takes the same cookie and MSS back" \
	"$(q 'ev("toy_syncookie_recv") && f("netns") == B && f("dst") == P {
	      print f("cookie"), f("mss") }' -v B="$NETNS_B" -v P="${1:-none}")" "${2:-none} ${3:-}"

# --- zero-window probes ---------------------------------------------------
reset
wp=$(counter "$NS_A" WindowProbes)
in_ns "$NS_B" toy-verify recv "$IP_B:7456" --rcvbuf 65536 --pause-after 5 \
	--pause-ms 4000 --timeout 60000 >"$T/zw.r" 2>&1 &
RPID=$!
wait_for grep -q listening "$T/zw.r"
check "zero window: 30 messages to a reader that pauses 4 s" \
	in_ns "$NS_A" toy-verify send "$IP_B:7456" --count 30 --min 20000 \
	--max 60000 --seed 45 --timeout 60000
wait "$RPID"
snap
wp=$(($(counter "$NS_A" WindowProbes) - wp))
nz=$(q 'ev("toy_zero_window_probe") && f("netns") == A { n++ } END { print n + 0 }' \
	-v A="$NETNS_A")
log "zero window: $nz probes traced, WindowProbes +$wp"
expect_eq "zero window: one toy_zero_window_probe per WindowProbes, and some" \
	"$nz" "$([ "$wp" -gt 0 ] && echo "$wp")"
check "zero window: each probe is at snd_una - 1 (a sent ACK with that seq)" \
	q '
	ev("toy_zero_window_probe") && f("netns") == A { p[f("seq")] = 1; n++ }
	ev("toy_segment_send") && f("netns") == A && (f("seq") in p) &&
	f("len") == 0 && f("flags") == "ACK" { ok++; delete p[f("seq")] }
	END { exit !(n > 0 && ok > 0) }' -v A="$NETNS_A"
check "zero window: B dropped the probes as OutOfWindow (and ACKed them)" q '
	ev("toy_zero_window_probe") && f("netns") == A { p[f("seq")] = 1 }
	ev("toy_segment_drop") && f("netns") == B && (f("seq") in p) &&
	f("reason") == "OutOfWindow" && f("len") == 0 { ok++ }
	END { exit !ok }' -v A="$NETNS_A" -v B="$NETNS_B"
check "zero window: the reader's window update (dir=sent), and the sender saw it open" \
	q '
	ev("toy_window_update") && f("netns") == B && f("dir") == "sent" &&
	n("new_wnd") > n("old_wnd") { s = 1 }
	ev("toy_window_update") && f("netns") == A && f("dir") == "recv" &&
	n("old_wnd") < 1400 && n("new_wnd") >= 1400 { r = 1 }
	END { exit !(s && r) }' -v A="$NETNS_A" -v B="$NETNS_B"
