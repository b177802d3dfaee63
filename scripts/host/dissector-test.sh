#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side test of the Wireshark dissector (userspace/wireshark/toy.lua):
# no VM, no module. scripts/tests/toy-pcap.py writes synthetic captures and
# a JSON of what each frame holds; tshark decodes them with the dissector
# and every field must come out as written.
#
#   scripts/host/dissector-test.sh       (or: make dissector-test)
#
# Result lines as the in-guest tests print them (scripts/tests/lib.sh):
# PASS: / FAIL: / SKIP:, anything else starts with "# ", then a count.
# Exits 1 if a test failed. TOY_KEEP=1 keeps the work directory.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
LUA=$TOP/userspace/wireshark/toy.lua
GEN=$TOP/scripts/tests/toy-pcap.py

if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: dissector (no tshark: apt-get install tshark)"
	echo "# 0 passed, 0 failed, 1 skipped"
	exit 0
fi

WORK=$(mktemp -d /tmp/toy-dissector.XXXXXX)
if [ "${TOY_KEEP:-0}" = 1 ]; then
	echo "# work directory kept: $WORK"
else
	trap 'rm -rf "$WORK"' EXIT
fi
LOG=$WORK/results

pass() { echo "PASS: $*" | tee -a "$LOG"; }
fail() { echo "FAIL: $*" | tee -a "$LOG"; }

echo "# $(tshark -v 2>/dev/null | head -n 1)"

# The fields compared; the checker below reads them in this order.
FIELDS="frame.number ip.src toy.source toy.dest toy.seq toy.seq_raw toy.ack_seq
toy.ack_seq_raw toy.doff toy.flags toy.check toy.check.status toy.window
toy.len toy.verdict toy.opt.mss toy.opt.tsval toy.opt.tsecr
toy.opt.sack.start toy.opt.sack.end toy.opt.sack.dsack toy.payload
toy.msg.data toy.msg.segment toy.msg.reassembled_in
toy.analysis.acks_frame toy.analysis.duplicate_ack_num
toy.analysis.duplicate_ack_frame toy.analysis.retransmission
toy.analysis.out_of_order toy.analysis.lost_segment
toy.analysis.duplicate_ack toy.analysis.spurious_retransmission
toy.check.bad toy.malformed toy.truncated _ws.malformed _ws.lua.error"

# ts FILE OUT [tshark options]: decode FILE into OUT (tab-separated fields,
# repeated ones joined by ';'); tshark's stderr goes to OUT.err
ts() {
	local in=$1 out=$2
	shift 2
	local args=() f
	for f in $FIELDS; do args+=(-e "$f"); done
	tshark -r "$in" -X lua_script:"$LUA" "$@" -T fields -E separator=/t \
		-E occurrence=a -E aggregator=';' "${args[@]}" >"$out" 2>"$out.err"
}

# No Lua error while loading or dissecting: tshark's stderr holds only its
# "Running as user root" line.
lua_clean() {
	if grep -v 'Running as user' "$1.err" | grep -q .; then
		fail "$2: tshark stderr is clean"
		sed 's/^/# /' "$1.err"
	else
		pass "$2: tshark stderr is clean"
	fi
}

if python3 "$GEN" "$WORK/conv.pcap" "$WORK/bad.pcap" "$WORK/fuzz.pcap" | sed 's/^/# /' &&
   python3 "$GEN" --raw "$WORK/raw.pcap" >/dev/null; then
	pass "toy-pcap.py writes the captures"
else
	fail "toy-pcap.py writes the captures"
	exit 1
fi

ts "$WORK/conv.pcap" "$WORK/conv.txt";    lua_clean "$WORK/conv.txt" "conversation"
ts "$WORK/conv.pcap" "$WORK/conv2.txt" -2; lua_clean "$WORK/conv2.txt" "two-pass"
ts "$WORK/raw.pcap" "$WORK/raw.txt";      lua_clean "$WORK/raw.txt" "raw IPv4 linktype"
ts "$WORK/conv.pcap" "$WORK/abs.txt" -o toy.relative:FALSE
lua_clean "$WORK/abs.txt" "absolute sequence numbers"
ts "$WORK/bad.pcap" "$WORK/bad.txt";      lua_clean "$WORK/bad.txt" "malformed headers"
ts "$WORK/fuzz.pcap" "$WORK/fuzz.txt" -2; lua_clean "$WORK/fuzz.txt" "random headers"

# The comparisons, against what the generator says it wrote.
# shellcheck disable=SC2086 # one argument per field name
python3 - "$WORK" $FIELDS <<'EOF' | tee -a "$LOG"
import json, sys

work, names = sys.argv[1], sys.argv[2:]
ANALYSIS = {"retransmission": "toy.analysis.retransmission",
            "out_of_order": "toy.analysis.out_of_order",
            "lost_segment": "toy.analysis.lost_segment",
            "duplicate_ack": "toy.analysis.duplicate_ack",
            "spurious": "toy.analysis.spurious_retransmission",
            "bad_checksum": "toy.check.bad", "malformed": "toy.malformed"}
META = {"frame", "msgs", "analysis", "name", "truncated"}


def load(name):
    rows = []
    for line in open("%s/%s" % (work, name)):
        vals = line.rstrip("\n").split("\t")
        rows.append(dict(zip(names, vals + [""] * (len(names) - len(vals)))))
    return rows


def norm(v):
    """A JSON expectation as tshark prints it."""
    if v is None:
        return ""
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    return str(v)


def result(ok, what, why=()):
    for w in why if not ok else ():
        print("# " + w)
    print("%s: %s" % ("PASS" if ok else "FAIL", what))


conv = load("conv.txt")
want = json.load(open(work + "/conv.json"))
result(len(conv) == len(want), "conversation: %d frames decoded" % len(want),
       ["tshark printed %d frames" % len(conv)])

# every field the generator wrote, frame by frame
for w, got in zip(want, conv):
    bad = []
    for k, v in w.items():
        if k in META or norm(v) == got.get(k, ""):
            continue
        bad.append("frame %d %s: want %r, got %r" % (w["frame"], k, norm(v), got.get(k)))
    flags = {a for a, f in ANALYSIS.items() if got[f]}
    if flags != set(w["analysis"]):
        bad.append("frame %d analysis: want %s, got %s" % (w["frame"], sorted(w["analysis"]), sorted(flags)))
    result(not bad, "frame %d: %d fields and analysis flags as written" % (w["frame"], len(w)), bad)

# messages: each completed one shown whole, bytes equal, on the right frame
for w, got in zip(want, conv):
    gotm = [m for m in got["toy.msg.data"].split(";") if m]
    for i, m in enumerate(w["msgs"]):
        ok = i < len(gotm) and gotm[i] == m
        result(ok, "frame %d: message of %d bytes shown whole, bytes equal" % (w["frame"], len(m) // 2),
               [] if ok else ["got %d messages: %s" % (len(gotm), [len(x) // 2 for x in gotm])])
    if len(gotm) > len(w["msgs"]):
        result(False, "frame %d: no message beyond those sent" % w["frame"])
big = next(g for g in conv if g["toy.msg.segment"] == "6;7;8")
result(big["frame.number"] == "8", "the 3-segment message is reassembled on its EOM segment (frame 8)")

# expert infos, by frame: the planted ones and no others
def frames_with(rows, field):
    return sorted(int(r["frame.number"]) for r in rows if r[field])
for what, key in [("bad checksum", "bad_checksum"), ("retransmission", "retransmission"),
                  ("duplicate ACK", "duplicate_ack"), ("out-of-order", "out_of_order"),
                  ("previous segment not captured", "lost_segment")]:
    exp = sorted(w["frame"] for w in want if key in w["analysis"])
    got = frames_with(conv, ANALYSIS[key])
    result(bool(exp) and got == exp, "expert info %s on frames %s" % (what, exp), ["got %s" % got])
malformed = sorted(set(frames_with(conv, "toy.malformed") + frames_with(conv, "_ws.malformed")))
planted = [w["frame"] for w in want if "malformed" in w["analysis"]]
result(malformed == planted, "conversation: malformed only the planted frame %s" % planted, ["got %s" % malformed])
result(not frames_with(conv, "_ws.lua.error"), "conversation: no Lua error in any frame")

# a later pass shows what the first computed, and knows where messages end
conv2 = load("conv2.txt")
diff = [r["frame.number"] for r, s in zip(conv, conv2)
        if {k: v for k, v in r.items() if k != "toy.msg.reassembled_in"} !=
           {k: v for k, v in s.items() if k != "toy.msg.reassembled_in"}]
result(len(conv2) == len(conv) and not diff, "two-pass (tshark -2) decodes as one pass", ["frames differ: %s" % diff])
ri = {r["frame.number"]: r["toy.msg.reassembled_in"] for r in conv2 if r["toy.msg.reassembled_in"]}
result(ri == {"6": "8", "7": "8", "13": "18", "14": "18", "20": "21"},
       "two-pass: segments point to the frame reassembling their message", ["got %s" % ri])

raw = load("raw.txt")
result(raw == conv, "raw IPv4 (linktype 228) decodes as Ethernet")

absn = load("abs.txt")
ok = all(r["toy.seq"] == r["toy.seq_raw"] and r["toy.ack_seq"] == r["toy.ack_seq_raw"] for r in absn)
result(ok and len(absn) == len(conv), "toy.relative:FALSE shows raw sequence numbers")

fz = load("fuzz.txt")
errs = [r["frame.number"] for r in fz if r["_ws.lua.error"]]
result(len(fz) == len(json.load(open(work + "/fuzz.json"))) and not errs,
       "random headers: %d frames, no Lua error" % len(fz), ["Lua errors in frames %s" % errs[:10]])

# one frame per refusal of toy_hdr_parse(): the verdict, flagged malformed
bad = load("bad.txt")
wantb = json.load(open(work + "/bad.json"))
for w, got in zip(wantb, bad):
    v = w["toy.verdict"]
    why = []
    if got["toy.verdict"] != norm(v):
        why.append("verdict: want %r, got %r" % (norm(v), got["toy.verdict"]))
    # an expert info of group Malformed also adds the hidden _ws.malformed
    if bool(got["toy.malformed"]) != bool(v) or bool(got["_ws.malformed"]) != bool(v):
        why.append("malformed flagged: %s" % bool(got["toy.malformed"]))
    if bool(got["toy.truncated"]) != bool(w.get("truncated")):
        why.append("truncated flagged: %s" % bool(got["toy.truncated"]))
    if got["_ws.lua.error"]:
        why.append("Lua error")
    result(not why and len(bad) == len(wantb),
           "header '%s': verdict %s%s" % (w["name"], "none (ICMP quote)" if v is None else v,
                                          ", malformed" if v else ""), why)
EOF

# The ladder tshark draws from the Info column.
echo "# tshark -z flow,any,network:"
tshark -r "$WORK/conv.pcap" -X lua_script:"$LUA" -q -z flow,any,network \
	>"$WORK/flow.txt" 2>"$WORK/flow.txt.err"
sed 's/^/#   /' "$WORK/flow.txt"
arrows=$(grep -c -e '-->' -e '<--' "$WORK/flow.txt")
nframes=$(wc -l <"$WORK/conv.txt")
if [ "$arrows" -eq "$nframes" ] && grep -q '\[SYN\] Seq=0' "$WORK/flow.txt" &&
   grep -q '\[SYN, ACK\] Seq=0 Ack=1' "$WORK/flow.txt"; then
	pass "flow,any,network draws a ladder: $arrows arrows for $nframes frames"
else
	fail "flow,any,network draws a ladder: $arrows arrows for $nframes frames"
fi

# `make install-dissector` puts it where Wireshark finds it unasked: the
# personal plugin directory of a scratch HOME, then tshark without -X.
plug=$WORK/home/.local/lib/wireshark/plugins
if make -s -C "$TOP" install-dissector WS_LUA_DIR="$plug" >/dev/null &&
   [ "$(HOME=$WORK/home tshark -r "$WORK/conv.pcap" -c 2 -T fields -e toy.seq 2>/dev/null |
	tr '\n' ' ')" = "0 0 " ]; then
	pass "make install-dissector: tshark loads it from the plugin directory"
else
	fail "make install-dissector: tshark loads it from the plugin directory"
fi

np=$(grep -c '^PASS: ' "$LOG")
nf=$(grep -c '^FAIL: ' "$LOG")
echo "# $np passed, $nf failed"
[ "$nf" -eq 0 ]
