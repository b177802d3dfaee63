#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side test of toytrace --file and toyplot (userspace/python): no VM,
# no module. The input is a real trace a VM run of scripts/tests/46-toytrace.sh
# saved (toytrace --save) and we keep in userspace/tests/toytrace-sample.trace.gz:
# a handshake, a message and a close (connection #1, port 20126), then 30
# echoes of 4000 bytes through netem loss 15% (#2, port 20127). The ladder,
# the filters, --csv/--json and the plots are checked against the raw lines.
#
#   scripts/host/toytrace-test.sh       (or: make toytrace-test)
#
# Needs python3; the PNG checks need gnuplot (Debian: gnuplot-nox, which
# `make toytrace-test` and the "host" tier install through scripts/deps.sh).
# Result lines PASS: / FAIL: / SKIP:, then a count; exits 1 if one failed.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
# the interpreter itself (python3 may be a wrapper that needs $PATH)
PY=$(python3 -c 'import sys; print(sys.executable)')
TT="python3 -B $TOP/userspace/python/toytrace.py"
TP="python3 -B $TOP/userspace/python/toyplot.py"
SAMPLE=$TOP/userspace/tests/toytrace-sample.trace.gz
WORK=$(mktemp -d /tmp/toy-toytrace.XXXXXX)
[ "${TOY_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
np=0 nf=0 ns=0
pass() { echo "PASS: $1"; np=$((np + 1)); }
fail() { echo "FAIL: $1"; [ $# -gt 1 ] && echo "# $2"; nf=$((nf + 1)); }
skip() { echo "SKIP: $1"; [ $# -gt 1 ] && echo "# $2"; ns=$((ns + 1)); }
check() {	# NAME CMD...
	local n=$1; shift
	if "$@" >"$WORK/out" 2>&1; then pass "$n"; else
		fail "$n" "'$*' failed"; sed 's/^/#   /' "$WORK/out" | tail -n 10; fi
}
eq() {	# NAME GOT WANT (WANT a number above 0)
	if [ "$3" -gt 0 ] 2>/dev/null && [ "$2" = "$3" ]; then pass "$1"
	else fail "$1" "got '$2', want '$3'"; fi
}

gzip -dc "$SAMPLE" >"$WORK/raw"
A1=10.0.0.1:33529 B1=10.0.0.2:20126 A2=10.0.0.1:42303 B2=10.0.0.2:20127
nev=$(grep -c ': toy_' "$WORK/raw")
echo "# sample: $nev events"

# arrows CONN LADDER: DIR LABEL... per arrow (DIR A>B, B>A or lost)
arrows() {
	awk -F'|' -v c="#$1" '{ split($1, h, " ") }
	h[2] == c && NF >= 3 && $2 ~ /seq=/ {
		m = $2
		d = m ~ />$/ ? "A>B" : m ~ /^</ ? "B>A" : "lost"
		gsub(/^[<-]+ *| *-*>$|^ +| +$/, "", m)
		sub(/-+$/, "", m)
		print d, m
	}' "$2"
}

$TT --file "$SAMPLE" >"$WORK/ladder" 2>/dev/null
$TT --file "$SAMPLE" --rate 0 >"$WORK/ladder0" 2>/dev/null
check "ladder (--file .gz): SYN A>B seq=0, SYN+ACK B>A seq=0 ack=1, ACK A>B seq=1 ack=1" \
	sh -c "$(declare -f arrows); arrows 1 '$WORK/ladder' | awk '
	NR == 1 { ok += \$1 == \"A>B\" && \$2 == \"SYN\" && \$3 == \"seq=0\" }
	NR == 2 { ok += \$1 == \"B>A\" && \$2 == \"SYN+ACK\" && \$3 == \"seq=0\" && \$4 == \"ack=1\" }
	NR == 3 { ok += \$1 == \"A>B\" && \$2 == \"ACK\" && \$3 == \"seq=1\" && \$4 == \"ack=1\" }
	NR > 3 && \$2 ~ /SYN/ { bad = 1 }
	END { exit ok != 3 || bad }'"
check "ladder: A's header names A $A1 and B $B1" \
	grep -q "^# connection #1: A $A1 (netns [0-9]*) <-> B $B1 " "$WORK/ladder"

# --rate 0: every segment an arrow, every retransmission a mark
nsend=$(grep -c ": toy_segment_send: .*src=$A2 dst=$B2 " "$WORK/raw")
eq "--rate 0: one arrow per segment A sent on #2" \
	"$(arrows 2 "$WORK/ladder0" | grep -vc '^B>A')" "$nsend"
nrtx=$(grep -c ": toy_retransmit: .*src=$A2 " "$WORK/raw")
eq "--rate 0: one retransmission mark per toy_retransmit" \
	"$(grep -c '#2 .* A: retransmit seq=[0-9-]* ([A-Z]*, #[0-9]*)' "$WORK/ladder0")" "$nrtx"
eq "--rate 0: one RTO mark (with its backoff) per toy_rto" \
	"$(grep -c '#2 .* A: RTO backoff=[1-9][0-9]* rto=[0-9]*ms' "$WORK/ladder0")" \
	"$(grep -c ": toy_rto: .*src=$A2 " "$WORK/raw")"
check "--rate 0: no summary" sh -c "! grep -q summaris '$WORK/ladder0'"
nlost=$(arrows 2 "$WORK/ladder0" | grep -c 'X lost')
# a lost segment: sent, never received; count them in the raw lines
rlost=$(awk '/: toy_segment_(send|recv): / {
	k = ""; for (i = 1; i <= NF; i++) if ($i ~ /^(src|dst|seq|ack|len|tsval|flags)=/) k = k " " $i
	if ($0 ~ /toy_segment_send/) s[k]++; else r[k]++ }
	END { for (k in s) if (k ~ /src=10.0.0.1:42303/ && s[k] > r[k]) n += s[k] - r[k]; print n + 0 }' "$WORK/raw")
eq "--rate 0: one lost arrow per segment A sent that B never received" "$nlost" "$rlost"

# the default rate summarises, and the sums still add up
eq "--rate 200: still one retransmission mark per toy_retransmit" \
	"$(grep -c '#2 .* A: retransmit seq=' "$WORK/ladder")" "$nrtx"
eq "--rate 200: still one lost arrow per segment never received" \
	"$(arrows 2 "$WORK/ladder" | grep -c 'X lost')" "$rlost"
check "--rate 200: says that it summarises" grep -q '^# toytrace: more than 200 lines' "$WORK/ladder"

# filters
$TT --file "$SAMPLE" --csv --conn "$B1,$A1" >"$WORK/c1.csv" 2>/dev/null
eq "--conn: only that connection's events" \
	"$(($(wc -l <"$WORK/c1.csv") - 1))" \
	"$(grep ': toy_' "$WORK/raw" | grep -c -e "src=$A1 dst=$B1" -e "src=$B1 dst=$A1" -e "src=$B1 dst=0.0.0.0:0")"
$TT --file "$SAMPLE" --json --port 20127 >"$WORK/p.json" 2>/dev/null
eq "--port: only events with that port" "$(wc -l <"$WORK/p.json")" \
	"$(grep ': toy_' "$WORK/raw" | grep -c ':20127 ')"
$TT --file "$SAMPLE" --json --addr 10.0.0.9 >"$WORK/none.json" 2>/dev/null
check "--addr: an address that is not there, no events" test ! -s "$WORK/none.json"

eq "--count 5: five records" \
	"$($TT --file "$SAMPLE" --json --count 5 2>/dev/null | wc -l)" 5

# CSV and JSON: one record per event, the same ones
$TT --file "$SAMPLE" --csv >"$WORK/all.csv" 2>/dev/null
$TT --file "$SAMPLE" --json >"$WORK/all.json" 2>/dev/null
check "--csv/--json: $nev records each, same events, same t, fields" \
	python3 - "$WORK/all.csv" "$WORK/all.json" "$nev" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
recs = [json.loads(l) for l in open(sys.argv[2])]
assert len(rows) == len(recs) == int(sys.argv[3]), (len(rows), len(recs))
for r, j in zip(rows, recs):
    assert r["event"] == j["event"] and float(r["t"]) == j["t"]
    for k, v in j.items():
        assert str(v) == r[k], (k, v, r[k])
assert rows[0]["t"] == "0.0" or float(rows[0]["t"]) >= 0
EOF

# toyplot: gnuplot PNGs and the text chart
$TT --file "$SAMPLE" --csv --port 20127 >"$WORK/loss.csv" 2>/dev/null
if command -v gnuplot >/dev/null 2>&1; then
	$TP "$WORK/loss.csv" --out "$WORK/plots" >"$WORK/plot.out" 2>&1
	check "toyplot: timeseq.png and cwnd.png are PNG files" sh -c "
		for f in timeseq cwnd; do
			head -c 8 '$WORK/plots/'\$f.png | od -An -tx1 | tr -d ' \n' |
				grep -qx 89504e470d0a1a0a || exit 1
		done"
	eq "toyplot: one red bar per data segment A sent again" \
		"$(wc -l <"$WORK/plots/rtx.dat")" \
		"$(awk -F, 'NR > 1 && $2 == "toy_segment_send" && $4 == "A" && $14 > 0 {
			if (seen[$12]++) n++ } END { print n + 0 }' "$WORK/loss.csv")"
	check "toyplot: SACK blocks and cwnd samples plotted" sh -c \
		"test -s '$WORK/plots/sack.dat' && test -s '$WORK/plots/cc.dat'"
else
	skip "toyplot: PNGs" "no gnuplot (apt-get install gnuplot-nox)"
fi
PATH=/nonexistent "$PY" -B "$TOP/userspace/python/toyplot.py" \
	"$WORK/loss.csv" --out "$WORK/noplot" >"$WORK/text" 2>&1
check "toyplot without gnuplot: a text chart with retransmissions (R), no PNG" \
	sh -c "grep -q '^time-sequence' '$WORK/text' && grep -q '|.*R' '$WORK/text' &&
	       grep -q '^cwnd' '$WORK/text' && ! ls '$WORK/noplot/'*.png"

echo "# $np passed, $nf failed, $ns skipped"
[ "$nf" -eq 0 ]
