#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# toytrace (userspace/python/toytrace.py), live, on its own tracefs
# instance, while two namespaces run: a handshake, a message and a close;
# echoes through netem loss; a bulk transfer. The ladder must show exactly
# SYN, SYN|ACK, ACK first with relative seq/ack 0/1 (and the raw numbers
# ack = seq + 1 both ways), each side's states from SYN_SENT / SYN_RECV to
# TIME_WAIT / CLOSE, one retransmission mark (with its reason) per
# toy_retransmit event, lost arrows, and for the bulk transfer a summary
# that says so and counts every data segment; a SYN to a port with no
# socket drawn with B's NoPort drop and its ACK+RST. --csv and --json of
# the saved trace parse and carry the fields; toyplot draws a text chart of
# it; the instance is gone after SIGINT and after SIGTERM.
# shellcheck disable=SC2016 # awk programs in single quotes
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

# toytrace is userspace: on the debug kernel (TOY_TIMEOUT_SCALE=2) it would
# add 70 s to make check and no kernel path 45-trace does not already take
[ "${TOY_TIMEOUT_SCALE:-1}" -gt 1 ] &&
	skip_all "debug kernel: toytrace is userspace; 45-trace covers the events here"
command -v python3 >/dev/null 2>&1 ||
	skip_all "no python3 in this initramfs (TOY_PYTHON=0?)"
require toytrace toy-sock toy-echo-server toy-echo-client toy-verify
[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"
TR=/sys/kernel/tracing
[ -d "$TR/events/toy" ] || skip_all "no $TR/events/toy: tracefs not mounted or no tracepoints"
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-toytrace.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
# random ports, printed: P1 handshake, P2 loss, P3 bulk
P1=$((20000 + $$ % 10000))
P2=$((P1 + 1))
P3=$((P1 + 2))
P4=$((P1 + 3))
log "ports: handshake $P1, loss $P2, bulk $P3, no socket $P4"
# the ladder summarises beyond RATE lines a second on a connection: low,
# so that even a slow kernel's bulk transfer crosses it. 25 messages: the
# guest's toytrace reads 1,600 events a second, and the test waits for it
RATE=50
NBULK=25
log "ladder rate $RATE lines/s, bulk $NBULK messages"
echo 1000 | in_ns "$NS_A" tee /proc/sys/net/toy/msl_ms >/dev/null

expect_eq() {	# NAME GOT WANT: equal, and WANT is a number above 0
	if [ -n "$3" ] && [ "$3" -gt 0 ] && [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}
# inst_gone PID: toytrace PID's instance is not (or no longer) there
inst_gone() { [ ! -e "$TR/instances/toytrace-$1" ]; }
listening() { in_ns "$NS_B" cat /proc/net/toy | grep -q ":$1 .* LISTEN"; }

run_bg toytrace --port "$P1" --port "$P2" --port "$P3" --port "$P4" --save "$T/raw" \
	--rate "$RATE" -o "$T/ladder" 2>"$T/err"
TT=$BG_PID
check "toytrace: its own instance toytrace-$TT, reading" wait_for -t 30 \
	sh -c "[ -d $TR/instances/toytrace-$TT ] && grep -q reading '$T/err'"

# --- handshake, a message, close through TIME_WAIT ----------------------
MSG=hello-toytrace
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:$P1" accept expect "$MSG" \
	touch "$T/got" wait "$T/aclosed" close
wait_for listening "$P1"
run_bg in_ns "$NS_A" toy-sock -q connect "$IP_B:$P1" send "$MSG" \
	wait "$T/fin" close touch "$T/aclosed"
CLI=$BG_PID
wait_for test -e "$T/got" || fail "handshake: the message arrives"
touch "$T/fin"
wait "$CLI"
check "handshake: A's end leaves TIME_WAIT" wait_for -t 10 sh -c \
	"! $IP netns exec $NS_A cat /proc/net/toy | grep -q ':$P1 '"

# --- echoes through 15% loss -------------------------------------------
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:$P2" >"$T/echo" 2>&1
wait_for grep -q listening "$T/echo"
netem "$NS_A" "$DEV_A" loss 15%
check "loss: 30 x 4000-byte echoes through 15% loss" sh -c \
	"$IP netns exec $NS_A toy-echo-client $IP_B:$P2 --count 30 --size 4000 |
	 grep -q 'all 30 echoes matched'"
netem_clear "$NS_A" "$DEV_A"

# --- a bulk transfer ----------------------------------------------------
# and a second toytrace on it with a 16 kB ring buffer: what it says when
# it cannot keep up (logged, not asserted: that depends on the speed)
run_bg toytrace --port "$P3" --buffer-kb 16 -o "$T/ladder-small" 2>"$T/err-small"
TS=$BG_PID
wait_for -t 30 grep -q reading "$T/err-small"
in_ns "$NS_B" toy-verify recv "$IP_B:$P3" --timeout 60000 >"$T/bulk.r" 2>&1 &
RPID=$!
wait_for grep -q listening "$T/bulk.r"
check "bulk: $NBULK messages of 20..60 kB" in_ns "$NS_A" toy-verify send \
	"$IP_B:$P3" --count "$NBULK" --min 20000 --max 60000 --seed 46 --timeout 60000
wait "$RPID"

# --- a SYN to a port without a socket -----------------------------------
check_fails "drop: a connect to a port without a socket fails" \
	in_ns "$NS_A" toy-sock -q connect "$IP_B:$P4"

# toytrace keeps up: wait until it has saved the bulk's last events
sleep_until_quiet() {	# the save file stops growing for a second
	_a=$(wc -c <"$T/raw"); sleep 1; [ "$(wc -c <"$T/raw")" = "$_a" ]
}
wait_for -t 60 sleep_until_quiet
kill -INT "$TS"
wait "$TS"
log "toytrace --buffer-kb 16 on the bulk transfer: $(tr '\n' ' ' <"$T/err-small")"
kill -INT "$TT"
check "toytrace: exits 0 on SIGINT" wait "$TT"
check "toytrace: SIGINT removed its instance" inst_gone "$TT"
log "toytrace: $(tr '\n' ' ' <"$T/err")"
log "raw: $(grep -c ': toy_' "$T/raw") events saved"

# ARROWS CONN: the ladder's arrows of connection #CONN: DIR LABEL... with
# DIR A>B, B>A or lost
arrows() {
	awk -F'|' -v c="#$1" '{ split($1, h, " ") }
	h[2] == c && NF >= 3 && $2 ~ /seq=/ {
		m = $2
		d = m ~ />$/ ? "A>B" : m ~ /^</ ? "B>A" : "lost"
		gsub(/^[<-]+ *| *-*>$|^ +| +$/, "", m)
		sub(/-+$/, "", m)
		print d, m
	}' "$T/ladder"
}
# STATES CONN SIDE: the states side A (left) or B (right) went through
states() {
	awk -F'|' -v c="#$1" -v s="$2" '{ split($1, h, " ") }
	h[2] == c && NF >= 3 && $2 ~ /^ *$/ {
		if (s == "A" && h[3] != "") printf "%s ", h[3]
		split($3, r, " ")
		if (s == "B" && r[1] ~ /^[A-Z_0-9]+$/) printf "%s ", r[1]
	}' "$T/ladder"
}
conn_of() {	# the ladder's number of the connection to port $1
	sed -n "s/^# connection #\([0-9]*\): A .* B [0-9.]*:$1 .*/\1/p" "$T/ladder" | head -n 1
}
C1=$(conn_of "$P1")
C2=$(conn_of "$P2")
C3=$(conn_of "$P3")
log "connections in the ladder: handshake #$C1, loss #$C2, bulk #$C3"
echo "# ladder of the handshake connection:"
grep -E "^ *[0-9.]+ +#$C1 |^# connection #$C1:" "$T/ladder" | head -n 40 | sed 's/^/#   /'

arrows "$C1" >"$T/a1"
check "ladder: the first three arrows are SYN A>B seq=0, SYN+ACK B>A seq=0 ack=1, ACK A>B seq=1 ack=1" \
	awk 'NR == 1 { ok += $1 == "A>B" && $2 == "SYN" && $3 == "seq=0" && $4 ~ /^len=0/ }
	     NR == 2 { ok += $1 == "B>A" && $2 == "SYN+ACK" && $3 == "seq=0" && $4 == "ack=1" }
	     NR == 3 { ok += $1 == "A>B" && $2 == "ACK" && $3 == "seq=1" && $4 == "ack=1" }
	     END { exit ok != 3 }' "$T/a1"
check "ladder: no other SYN in that connection" awk '
	NR > 2 && $2 ~ /SYN/ { exit 1 }' "$T/a1"
check "ladder: the message A>B, seq=1, len=${#MSG}, EOM" awk -v l="len=${#MSG}" '
	$1 == "A>B" && $2 ~ /EOM/ && $3 == "seq=1" && $5 == l { ok = 1 } END { exit !ok }' "$T/a1"
check "ladder: each side's FIN, A first" awk '
	$2 ~ /FIN/ { s = s substr($1, 1, 1) } END { exit s != "AB" }' "$T/a1"

expect_states() {	# NAME CONN SIDE WANT
	_got=$(states "$2" "$3")
	if [ "$_got" = "$4" ]; then pass "$1"; else fail "$1" "got '$_got', want '$4'"; fi
}
expect_states "ladder: A's states SYN_SENT ESTABLISHED FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE" \
	"$C1" A "SYN_SENT ESTABLISHED FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE "
expect_states "ladder: B's states SYN_RECV ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE" \
	"$C1" B "SYN_RECV ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE "
check "ladder: A's TIME_WAIT over is marked" grep -q "#$C1 .*A: TIME_WAIT over" "$T/ladder"

# the raw numbers behind the relative ones, from --json of the saved trace
toytrace --file "$T/raw" --json >"$T/json" 2>/dev/null
check "json: SYN|ACK ack = SYN seq + 1, ACK ack = SYN|ACK seq + 1 (raw)" \
	python3 - "$T/json" "$IP_B:$P1" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
segs = [r for r in recs if r["event"] == "toy_segment_send" and
        sys.argv[2] in (r["src"], r["dst"])][:3]
syn, synack, ack = segs
assert [s["flags"] for s in segs] == ["SYN", "SYN|ACK", "ACK"], segs
assert synack["ack"] == (syn["seq"] + 1) % 2**32
assert ack["ack"] == (synack["seq"] + 1) % 2**32
assert ack["seq"] == synack["ack"]
assert (syn["rseq"], synack["rseq"], synack["rack"], ack["rseq"], ack["rack"]) == (0, 0, 1, 1, 1)
EOF

# --- retransmissions ----------------------------------------------------
nrtx=$(grep ': toy_retransmit: ' "$T/raw" | grep -c ":$P2 ")
marks=$(grep -c "#$C2 .*: retransmit seq=[0-9]*-[0-9]* (\(RTO\|FAST\|RACK\|TLP\), #[0-9]*)" "$T/ladder")
log "loss: $nrtx toy_retransmit events saved; $marks marks in the ladder"
expect_eq "loss: one retransmission mark (with its reason) per toy_retransmit, and some" \
	"$marks" "$nrtx"
nlost=$(arrows "$C2" | grep -c '^lost .*X lost')
log "loss: $nlost arrows end in the middle (lost)"
check "loss: segments netem dropped are drawn lost" test "$nlost" -gt 0

# --- the bulk transfer ------------------------------------------------------
check "bulk: the ladder says it summarises" grep -q \
	'^# toytrace: more than [0-9]* lines in a second on a connection: summarising' "$T/ladder"
nsent=$(grep ': toy_segment_send: ' "$T/raw" | grep "src=$IP_A:[0-9]* dst=$IP_B:$P3 " |
	grep -vc ' len=0 ')
drawn=$(arrows "$C3" | awk '$1 != "B>A" && !/ len=0 /' | wc -l)
summ=$(awk -v c="#$C3" '$2 == c && /summarised: [0-9]+ data segments A->B/ {
	n += $5 } END { print n + 0 }' "$T/ladder")
log "bulk: $nsent data segments A>B saved; ladder: $drawn arrows + $summ summarised"
grep -e "#$C3 .*summarised" -e '^# toytrace: more' "$T/ladder" | head -n 4 | sed 's/^/#   /'
expect_eq "bulk: arrows + summarised = every data segment A sent" \
	"$((drawn + summ))" "$nsent"
check "bulk: most of it summarised" test "$summ" -gt "$drawn"

# --- the drop ------------------------------------------------------------
C4=$(conn_of "$P4")
# the SYN arrives (toy_segment_recv), then B drops it: a margin mark
drop_drawn() {
	grep -q "#$C4 .* B: drop SYN seq=0 len=0 (NoPort)" "$T/ladder" &&
		arrows "$C4" | grep -q '^B>A ACK+RST seq=0 ack=1 '
}
check "drop: B's margin says drop SYN seq=0 (NoPort), then ACK+RST B>A ack=1" drop_drawn

# --- CSV and JSON of the saved trace ------------------------------------
toytrace --file "$T/raw" --csv >"$T/csv" 2>"$T/err3"
log "toytrace --file --csv: $(tr '\n' ' ' <"$T/err3")"
nev=$(grep -c ': toy_' "$T/raw")
check "toyplot: a text chart of the bulk transfer from the CSV" sh -c \
	"toyplot '$T/csv' --text >'$T/chart' && grep -q '^time-sequence' '$T/chart' &&
	 grep -q '^cwnd' '$T/chart'"
sed -n '1,22p' "$T/chart" | sed 's/^/#   /'
check "csv/json: one record per saved event ($nev), with their fields" \
	python3 - "$T/csv" "$T/json" "$nev" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
recs = [json.loads(l) for l in open(sys.argv[2])]
n = int(sys.argv[3])
assert len(rows) == n and len(recs) == n, (len(rows), len(recs), n)
for need in ("t", "event", "conn", "side", "netns", "src", "dst", "flags",
             "seq", "ack", "rseq", "rack", "len", "win", "tsval", "reason",
             "oldstate", "newstate", "cwnd", "ssthresh", "srtt_us"):
    assert need in rows[0], need
ts = [float(r["t"]) for r in rows]
assert ts == sorted(ts) and ts[0] >= 0
for r, j in zip(rows, recs):
    assert r["event"] == j["event"] and float(r["t"]) == j["t"]
    if j["event"] == "toy_segment_send":
        assert int(r["seq"]) == j["seq"] and "win" in j and "tsval" in j
    if j["event"] == "toy_ack":
        assert int(r["cwnd"]) == j["cwnd"] and "srtt_us" in j
evs = {j["event"] for j in recs}
for e in ("toy_segment_send", "toy_segment_recv", "toy_state_change",
          "toy_ack", "toy_retransmit"):
    assert e in evs, e
EOF

# --- SIGTERM ------------------------------------------------------------
run_bg toytrace --json -o /dev/null 2>"$T/err2"
TT=$BG_PID
wait_for -t 30 grep -q reading "$T/err2"
check "toytrace: a live instance while it runs" test -d "$TR/instances/toytrace-$TT"
kill -TERM "$TT"
check "toytrace: exits 0 on SIGTERM" wait "$TT"
check "toytrace: SIGTERM removed its instance" inst_gone "$TT"
