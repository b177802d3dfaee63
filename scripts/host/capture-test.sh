#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The dissector against a capture from the VM: the host half of tier
# "capture" (scripts/tiers/12-capture.sh; the VM half is
# scripts/host/capture-guest.sh). Takes the VM run's out.log, extracts the
# pcap and toytrace's saved trace printed there (gzip + base64 between
# "=== BEGIN NAME" / "=== END NAME"), decodes the pcap with tshark and
# userspace/wireshark/toy.lua, and checks:
#  - no malformed frame, no Lua error, every checksum Good;
#  - every frame has a toy_segment_send event with the same addresses,
#    ports, flags, seq, ack, len, window, mss, tsval, tsecr and SACK blocks,
#    raw (toy.relative:FALSE) and relative (toytrace's rseq/rack/rsack);
#  - the segments each side sent that are not in the capture are as many
#    as its netem says it dropped;
#  - the messages the dissector reassembles have the sizes the programs sent;
#  - the run had SACK blocks, retransmissions and out-of-order segments.
#
#   scripts/host/capture-test.sh OUT.LOG [LUA]
#
# LUA (default userspace/wireshark/toy.lua) lets a control run a broken
# copy. TOY_KEEP=1 keeps the work directory. Result lines PASS:/FAIL:/SKIP:.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:?usage: capture-test.sh OUT.LOG [LUA]}
LUA=${2:-$TOP/userspace/wireshark/toy.lua}

if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: capture (no tshark: apt-get install tshark)"
	exit 0
fi
WORK=$(mktemp -d /tmp/toy-capture.XXXXXX)
if [ "${TOY_KEEP:-0}" = 1 ]; then
	echo "# work directory kept: $WORK"
else
	trap 'rm -rf "$WORK"' EXIT
fi

# extract NAME FILE: the block NAME of the log, decoded
extract() {
	awk -v b="=== BEGIN $1" '$0 == b { f = 1; next } /^=== END/ { f = 0 } f' "$OUT" |
		tr -d '\r' | base64 -d | gunzip >"$2"
}
if ! extract cap.pcap "$WORK/cap.pcap" || ! extract raw "$WORK/raw" ||
   ! python3 "$TOP/userspace/python/toytrace.py" --file "$WORK/raw" --json \
	>"$WORK/trace.json" 2>"$WORK/trace.err"; then
	echo "FAIL: capture: the pcap and the trace come out of $OUT"
	exit 1
fi
echo "PASS: capture: the pcap and the trace come out of $OUT"

FIELDS="frame.number ip.src ip.dst toy.source toy.dest toy.flags toy.seq
toy.seq_raw toy.ack_seq toy.ack_seq_raw toy.len toy.window toy.opt.mss
toy.opt.tsval toy.opt.tsecr toy.opt.sack.start toy.opt.sack.end
toy.check.status toy.msg.len toy.analysis.retransmission
toy.analysis.out_of_order toy.malformed _ws.malformed _ws.lua.error"
ts() {	# OUT [tshark options]
	local out=$1 args=() f
	shift
	for f in $FIELDS; do args+=(-e "$f"); done
	tshark -r "$WORK/cap.pcap" -X lua_script:"$LUA" "$@" -T fields \
		-E separator=/t -E occurrence=a -E aggregator=';' "${args[@]}" \
		>"$out" 2>"$out.err"
}
ts "$WORK/rel.txt"
ts "$WORK/raw.txt" -o toy.relative:FALSE

# shellcheck disable=SC2086 # one argument per field name
python3 - "$WORK" "$OUT" $FIELDS <<'PYEOF' | tee "$WORK/results"
import json, re, sys

work, outlog, names = sys.argv[1], sys.argv[2], sys.argv[3:]
F_ACK = 0x02
FLAGBITS = {"SYN": 0x01, "ACK": 0x02, "FIN": 0x04, "RST": 0x08, "EOM": 0x10}


def result(ok, what, why=()):
    for w in (why if not ok else ())[:12]:
        print("# " + w)
    print("%s: %s" % ("PASS" if ok else "FAIL", what))


def load(name):
    rows = []
    for line in open("%s/%s" % (work, name)):
        vals = line.rstrip("\n").split("\t")
        rows.append(dict(zip(names, vals + [""] * (len(names) - len(vals)))))
    return rows


for name in ("rel.txt", "raw.txt"):
    err = [l for l in open("%s/%s.err" % (work, name)) if "Running as user" not in l]
    result(not err, "tshark (%s) stderr is clean" % name, [l.rstrip() for l in err])
rel, raw = load("rel.txt"), load("raw.txt")
log = open(outlog, errors="replace").read()
m = re.search(r"messages of ([0-9 ]+) bytes each way", log)
sizes = sorted(int(x) for x in m.group(1).split()) if m else []
m = re.search(r"netem dropped A (\d+) B (\d+)", log)
dropped = (int(m.group(1)), int(m.group(2))) if m else (-1, -1)
print("# %d frames; messages of %s bytes each way; netem dropped A %d, B %d"
      % (len(rel), sizes, dropped[0], dropped[1]))
result(len(rel) > 10 and len(raw) == len(rel), "capture: %d frames decoded in both passes" % len(rel))

bad = [r["frame.number"] for r in rel if r["_ws.malformed"] or r["toy.malformed"]]
result(not bad, "capture: no malformed frame", ["frames %s" % bad])
bad = [r["frame.number"] for r in rel + raw if r["_ws.lua.error"]]
result(not bad, "capture: no Lua error", ["frames %s" % bad])
bad = [(r["frame.number"], r["toy.check.status"]) for r in rel if r["toy.check.status"] != "1"]
result(not bad, "capture: every checksum Good (offload off)", ["frame, status: %s" % bad])

recs = [json.loads(l) for l in open(work + "/trace.json")]
sends = [r for r in recs if r["event"] == "toy_segment_send"]
nrtx = sum(r["event"] == "toy_retransmit" for r in recs)


def flagbits(s):
    return sum(FLAGBITS[f] for f in s.split("|") if f)


def expect(ev):
    """What the dissector should show for the segment of event ev."""
    fl = flagbits(ev["flags"])
    (sa, sp), (da, dp) = ev["src"].split(":"), ev["dst"].split(":")
    blocks = [b.split(":") for b in ev["sack"].split(",")[:ev["nsack"]]]
    rblocks = [b.split("-") for b in ev.get("rsack", "").split()]
    w = {"ip.src": sa, "ip.dst": da, "toy.source": sp, "toy.dest": dp,
         "toy.flags": "0x%02x" % fl, "toy.seq_raw": str(ev["seq"]),
         "toy.seq": str(ev["rseq"]), "toy.len": str(ev["len"]),
         "toy.window": str(ev["win"]),
         "toy.opt.mss": str(ev["mss"]) if ev["mss"] else "",
         "toy.opt.tsval": str(ev["tsval"]) if ev["ts"] else "",
         "toy.opt.tsecr": str(ev["tsecr"]) if ev["ts"] else "",
         "toy.opt.sack.start": ";".join(b[0] for b in rblocks),
         "toy.opt.sack.end": ";".join(b[1] for b in rblocks),
         "sack.raw.start": ";".join(b[0] for b in blocks),
         "sack.raw.end": ";".join(b[1] for b in blocks)}
    if fl & F_ACK:
        w["toy.ack_seq_raw"] = str(ev["ack"])
        w["toy.ack_seq"] = str(ev["rack"])
    return w


def shown(r, q):
    """The same, as tshark decoded frame r (relative pass) and q (raw pass)."""
    g = {k: r[k] for k in ("ip.src", "ip.dst", "toy.source", "toy.dest", "toy.flags",
                           "toy.seq_raw", "toy.seq", "toy.len", "toy.window", "toy.opt.mss",
                           "toy.opt.tsval", "toy.opt.tsecr", "toy.opt.sack.start",
                           "toy.opt.sack.end", "toy.ack_seq_raw", "toy.ack_seq")}
    g["sack.raw.start"], g["sack.raw.end"] = q["toy.opt.sack.start"], q["toy.opt.sack.end"]
    # the raw pass shows raw numbers in toy.seq and toy.ack_seq as well
    g["raw.seq"], g["raw.ack"] = q["toy.seq"], q["toy.ack_seq"]
    return g


used = set()
mism, nfields = [], 0
for r, q in zip(rel, raw):
    g = shown(r, q)
    key = lambda e: (e["src"], e["dst"], flagbits(e["flags"]), str(e["seq"]), str(e["len"]))
    fkey = ("%s:%s" % (g["ip.src"], g["toy.source"]), "%s:%s" % (g["ip.dst"], g["toy.dest"]),
            int(g["toy.flags"] or "0", 16), g["toy.seq_raw"], g["toy.len"])
    cands = [i for i, e in enumerate(sends) if i not in used and key(e) == fkey]
    best, diff = None, None
    for i in cands:
        w = expect(sends[i])
        w["raw.seq"] = w["toy.seq_raw"]
        w["raw.ack"] = w.get("toy.ack_seq_raw", g["raw.ack"])
        d = ["%s: trace %r, dissector %r" % (k, v, g.get(k, "")) for k, v in w.items() if g.get(k, "") != v]
        if best is None or len(d) < len(diff):
            best, diff = i, d
        if not d:
            break
    if best is None:
        mism.append("frame %s (%s): no toy_segment_send event with these addresses, flags, seq, len"
                    % (r["frame.number"], fkey))
        continue
    used.add(best)
    nfields += len(expect(sends[best])) + 2
    for d in diff:
        mism.append("frame %s: %s" % (r["frame.number"], d))
result(not mism, "capture: every frame equals its toy_segment_send event, field by field "
       "(%d frames, %d fields)" % (len(rel), nfields), mism)

A = rel[0]["ip.src"] if rel else ""
unmatched = [e for i, e in enumerate(sends) if i not in used]
fromb = [e for e in unmatched if not e["src"].startswith(A + ":")]
froma = [e for e in unmatched if e["src"].startswith(A + ":")]
for side, un, dr in (("A", froma, dropped[0]), ("B", fromb, dropped[1])):
    result(len(un) == dr, "capture: the segments %s sent that are not in it (%d) are as many as its "
           "netem dropped (%d)" % (side, len(un), dr))

for side, who in (("A", lambda r: r["ip.src"] == A), ("B", lambda r: r["ip.src"] != A)):
    got = sorted(int(x) for r in rel if who(r) for x in r["toy.msg.len"].split(";") if x)
    result(got == sizes, "messages %s sent: reassembled with lengths %s" % (side, sizes), ["got %s" % got])

nsack = sum(bool(r["toy.opt.sack.start"]) for r in rel)
nre = sum(bool(r["toy.analysis.retransmission"]) for r in rel)
nooo = sum(bool(r["toy.analysis.out_of_order"]) for r in rel)
print("# frames with SACK blocks %d, retransmissions %d (toy_retransmit events %d), out-of-order %d"
      % (nsack, nre, nrtx, nooo))
result(nsack > 0 and nrtx > 0 and nre + nooo > 0,
       "capture: the run has SACK blocks, retransmissions and out-of-order segments")
PYEOF
nf=$(grep -c '^FAIL: ' "$WORK/results")
echo "# $(grep -c '^PASS: ' "$WORK/results") passed, $nf failed"
[ "$nf" -eq 0 ]
