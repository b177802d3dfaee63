#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write synthetic AF_TOY captures for testing the Wireshark dissector.

    toy-pcap.py [--raw] OUT.pcap [OUT-bad.pcap [OUT-fuzz.pcap]]

OUT.pcap is one connection, 10.0.0.1:40000 -> 10.0.0.2:7000: a handshake
with MSS and timestamps, messages of one and of three segments, a lost
segment and the SACK blocks and duplicate ACKs it causes, its
retransmission, two segments out of order, a retransmission of data already
seen answered by a D-SACK, a bad checksum, a checksum left to offload, one
malformed header, and FIN both ways. The client's ISN is 256 bytes short
of 2^32, so its sequence numbers wrap during the second message.

OUT-bad.pcap holds one segment per way toy_hdr_parse() (module/wire.c)
refuses a header, plus a few that are odd but acceptable. OUT-fuzz.pcap
is 600 random, seeded ones.

Next to each pcap, OUT.json lists what the dissector must show for each
frame: its fields (relative numbers, as Wireshark shows TCP's), analysis
flags and the bytes of each message completed in it. Only struct and json:
no scapy. Linktype Ethernet (1), or raw IPv4 (228) with --raw.
"""
import json
import struct
import sys

PROTO = 253                       # IPPROTO_TOY
SYN, ACK, FIN, RST, EOM = 0x01, 0x02, 0x04, 0x08, 0x10
MOD = 1 << 32
C, S = ("10.0.0.1", 40000), ("10.0.0.2", 7000)


def addr(a):
    return bytes(int(x) for x in a.split("."))


def csum(data):
    """RFC 1071 Internet checksum (the complement of the folded sum)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s > 0xffff:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def pseudo(src, dst, length):
    return addr(src) + addr(dst) + struct.pack("!BBH", 0, PROTO, length)


def opt_mss(mss):
    return struct.pack("!BBH", 2, 4, mss)


def opt_ts(val, ecr):
    return b"\x01\x01" + struct.pack("!BBII", 8, 10, val, ecr)


def opt_sack(blocks):
    return b"\x01\x01" + struct.pack("!BB", 5, 2 + 8 * len(blocks)) + \
        b"".join(struct.pack("!II", s % MOD, e % MOD) for s, e in blocks)


def segment(src, dst, sport, dport, seq, ack, flags, win, opts=b"", data=b"",
            doff=None, check="good"):
    """An AF_TOY segment (struct toy_hdr, options, payload)."""
    if doff is None:
        assert len(opts) % 4 == 0
        doff = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHI", sport, dport, seq % MOD, ack % MOD, doff,
                      flags, 0, win)
    seg = hdr + opts + data
    c = csum(pseudo(src, dst, len(seg)) + seg)
    if check == "bad":
        c ^= 0x5a5a
    elif check == "partial":
        # CHECKSUM_PARTIAL: the folded pseudo-header sum, left for the NIC
        c = ~csum(pseudo(src, dst, len(seg))) & 0xffff
    return seg[:14] + struct.pack("!H", c) + seg[16:], c


def ipv4(src, dst, payload, proto=PROTO, ident=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                    0x4000, 64, proto, 0, addr(src), addr(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


class Pcap:
    def __init__(self, raw):
        self.raw, self.recs = raw, []

    def add(self, t, ip, snap=None):
        if not self.raw:
            ip = bytes(6) + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip
        cap = ip if snap is None else ip[:snap + (0 if self.raw else 14)]
        self.recs.append((t, cap, len(ip)))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                                228 if self.raw else 1))
            for t, cap, orig in self.recs:
                sec, usec = int(t), int(round((t - int(t)) * 1e6))
                f.write(struct.pack("<IIII", sec, usec, len(cap), orig) + cap)


class Side:
    """One end of the connection: its ISN, next sequence and TS clock."""

    def __init__(self, ep, isn, ts):
        self.ep, self.isn, self.nxt, self.ts = ep, isn, isn, ts


class Conversation:
    def __init__(self, pc):
        self.pc, self.t, self.frames = pc, 1700000000.0, []
        self.c = Side(C, 0xffffff00, 1000)          # wraps 256 bytes in
        self.s = Side(S, 0x12345678, 70000)
        self.peer = {id(self.c): self.s, id(self.s): self.c}

    def send(self, side, flags, data=b"", seq=None, ack=None, dt=0.001,
             extra=b"", mss=None, sack=(), check="good", expect=None,
             ts=True, win=65536):
        """Write one segment; record the fields the dissector must show."""
        self.t += dt
        peer = self.peer[id(side)]
        seq = side.nxt if seq is None else seq
        if ack is None:
            ack = peer.nxt if flags & ACK else 0
        opts = b""
        if mss:
            opts += opt_mss(mss)
        if ts:
            side.ts += 1
            opts += opt_ts(side.ts, peer.ts if flags & ACK else 0)
        if sack:
            opts += opt_sack([(peer.isn + s, peer.isn + e) for s, e in sack])
        opts += extra
        seg, c = segment(side.ep[0], peer.ep[0], side.ep[1], peer.ep[1],
                         seq, ack, flags, win, opts, data, check=check)
        self.pc.add(self.t, ipv4(side.ep[0], peer.ep[0], seg,
                                 ident=len(self.frames) + 1))
        end = (seq + len(data) + (flags & SYN) + (1 if flags & FIN else 0)) % MOD
        if check == "good" and not extra and \
                ((end - side.nxt) % MOD) < (1 << 31):
            side.nxt = end
        f = {"frame": len(self.frames) + 1, "ip.src": side.ep[0],
             "toy.source": side.ep[1], "toy.dest": peer.ep[1],
             "toy.seq": (seq - side.isn) % MOD, "toy.seq_raw": seq % MOD,
             "toy.ack_seq": (ack - peer.isn) % MOD if flags & ACK else ack % MOD,
             "toy.ack_seq_raw": ack % MOD, "toy.doff": (20 + len(opts)) // 4,
             "toy.flags": "0x%02x" % flags, "toy.check": "0x%04x" % c,
             "toy.check.status": {"good": 1, "bad": 0, "partial": 3}[check],
             "toy.window": win, "toy.len": len(data), "toy.verdict": 0,
             "toy.opt.mss": mss, "toy.opt.tsval": side.ts if ts else None,
             "toy.opt.tsecr": (peer.ts if flags & ACK else 0) if ts else None,
             "toy.opt.sack.start": [s for s, _ in sack],
             "toy.opt.sack.end": [e for _, e in sack],
             "toy.payload": data.hex(), "msgs": [], "analysis": []}
        f.update(expect or {})
        self.frames.append(f)
        return f


def conversation(pc):
    cv = Conversation(pc)
    c, s = cv.c, cv.s
    cv.send(c, SYN, mss=536)
    cv.send(s, SYN | ACK, mss=536)
    cv.send(c, ACK)
    hello = b"hello"
    cv.send(c, ACK | EOM, hello, expect={"msgs": [hello.hex()]})
    cv.send(s, ACK)
    # a 1272-byte message in three segments, crossing the 2^32 wrap
    m2 = bytes((i * 7) % 251 for i in range(1272))
    cv.send(c, ACK, m2[:536])
    cv.send(c, ACK, m2[536:1072], dt=0.0002)
    cv.send(c, ACK | EOM, m2[1072:], dt=0.0002, expect={"msgs": [m2.hex()]})
    cv.send(s, ACK, dt=0.01)
    pong = b"pong: 1272 bytes"
    cv.send(s, ACK | EOM, pong, expect={"msgs": [pong.hex()]})
    cv.send(c, ACK)
    # msg3 arrives, msg4 is lost before the capture point, msg5 and msg6
    # arrive above the hole: the receiver SACKs them in duplicate ACKs
    m3, m4, m5, m6 = b"3" * 200, b"4" * 100, b"5" * 100, b"6" * 100
    x = c.nxt
    f12 = cv.send(c, ACK | EOM, m3, expect={"msgs": [m3.hex()]})
    c.nxt += len(m4)
    cv.send(c, ACK | EOM, m5, dt=0.0001, expect={"analysis": ["lost_segment"]})
    cv.send(c, ACK | EOM, m6, dt=0.0001)
    rel = (x - c.isn) % MOD
    f15 = cv.send(s, ACK, ack=x + 200, dt=0.01,
                  expect={"toy.analysis.acks_frame": f12["frame"]})
    cv.send(s, ACK, ack=x + 200, sack=[(rel + 300, rel + 400)], dt=0.0001,
            expect={"analysis": ["duplicate_ack"], "toy.analysis.duplicate_ack_num": 1,
                    "toy.analysis.duplicate_ack_frame": f15["frame"]})
    cv.send(s, ACK, ack=x + 200, sack=[(rel + 300, rel + 500)], dt=0.0001,
            expect={"analysis": ["duplicate_ack"], "toy.analysis.duplicate_ack_num": 2,
                    "toy.analysis.duplicate_ack_frame": f15["frame"]})
    # the hole filled 30 ms later: a retransmission the capture never saw
    # the original of; it completes msg4, msg5 and msg6 at once
    cv.send(c, ACK | EOM, m4, seq=x + 200, dt=0.03,
            expect={"analysis": ["retransmission"], "msgs": [m4.hex(), m5.hex(), m6.hex()]})
    cv.send(s, ACK, dt=0.01)
    # a two-segment message whose halves arrive swapped, 0.5 ms apart
    m7 = bytes(range(256)) * 2 + b"seven" * 25
    y = c.nxt
    cv.send(c, ACK | EOM, m7[536:], seq=y + 536, expect={"analysis": ["lost_segment"]})
    c.nxt = y
    cv.send(c, ACK, m7[:536], dt=0.0005, expect={"analysis": ["out_of_order"], "msgs": [m7.hex()]})
    c.nxt = y + len(m7)
    cv.send(s, ACK, dt=0.01)
    # a retransmission of data seen already (its ACK was lost); the
    # receiver reports the duplicate with a D-SACK block below its ACK
    m8 = b"eight" * 10
    z = c.nxt
    cv.send(c, ACK | EOM, m8, expect={"msgs": [m8.hex()]})
    cv.send(c, ACK | EOM, m8, seq=z, dt=0.2, expect={"analysis": ["retransmission"]})
    zr = (z - c.isn) % MOD
    cv.send(s, ACK, sack=[(zr, zr + len(m8))], dt=0.01, expect={"toy.opt.sack.dsack": 1})
    # a corrupted segment (dropped, so outside the analysis), then the good one
    m9 = b"nine" * 5
    cv.send(c, ACK | EOM, m9, check="bad", expect={"analysis": ["bad_checksum"], "toy.payload": m9.hex()})
    cv.send(c, ACK | EOM, m9, dt=0.2, expect={"msgs": [m9.hex()]})
    cv.send(s, ACK, check="partial", dt=0.01)
    # one malformed header: a timestamps option claiming 30 of 12 bytes
    cv.send(c, ACK, ts=False, extra=b"\x01\x01\x08\x1e" + bytes(8),
                expect={"toy.verdict": 4, "analysis": ["malformed"], "toy.opt.tsval": None})
    # teardown: FIN both ways
    cv.send(c, FIN | ACK, dt=0.05)
    cv.send(s, ACK, dt=0.01)
    cv.send(s, FIN | ACK, dt=0.001)
    cv.send(c, ACK, dt=0.01)
    return cv.frames


def malformed(pc):
    """One frame per refusal of toy_hdr_parse(), with the verdict expected
    (TOY_HDR_*: 0 OK, 1 SHORT, 2 BADLEN, 3 BADFLAGS, 4 BADOPT, 5 UNKNOWNOPT)."""
    t, out = 1700000100.0, []
    src, dst = "10.0.0.3", "10.0.0.4"
    ts = opt_ts(1, 1)
    cases = [
        ("short", 1, dict(raw=bytes(12))),
        ("doff 4", 2, dict(doff=4)),
        ("doff 16", 2, dict(doff=16, opts=bytes(44))),
        ("doff past the end", 2, dict(doff=10, opts=bytes(8))),
        ("reserved flag", 3, dict(flags=ACK | 0x20)),
        ("SYN+FIN", 3, dict(flags=SYN | FIN)),
        ("data without ACK", 3, dict(flags=EOM, data=b"x")),
        ("EOM without data", 3, dict(flags=ACK | EOM)),
        ("option length 1", 4, dict(opts=b"\x01\x01\x08\x01")),
        ("kind without length", 4, dict(opts=b"\x01\x01\x01\x08")),
        ("MSS without SYN", 4, dict(opts=opt_mss(1000))),
        ("inverted SACK", 4, dict(opts=opt_sack([(100, 50)]))),
        ("SACK 7 bytes", 4, dict(opts=b"\x01\x05\x09" + bytes(7) + b"\x00\x00")),
        ("TS length 8", 4, dict(opts=b"\x08\x08" + bytes(6))),
        ("two TS", 4, dict(opts=ts + ts)),
        ("MSS 10 on SYN", 4, dict(flags=SYN, opts=opt_mss(10))),
        ("unknown kind 3", 5, dict(opts=b"\x03\x03\x00\x00")),
        ("END then junk", 0, dict(opts=b"\x00\xff\xff\xff")),
        ("NOPs only", 0, dict(opts=b"\x01" * 4)),
        ("SYN, MSS, TS", 0, dict(flags=SYN, opts=opt_mss(1460) + ts)),
    ]
    for name, verdict, kw in cases:
        t += 0.001
        if "raw" in kw:
            seg = kw["raw"]
        else:
            seg, _ = segment(src, dst, 5000, 6000, 1, 1, kw.get("flags", ACK), 100,
                             kw.get("opts", b""), kw.get("data", b""), doff=kw.get("doff"))
        pc.add(t, ipv4(src, dst, seg))
        out.append({"frame": len(out) + 1, "name": name, "toy.verdict": verdict})
    # cut short by the snapshot length: not malformed, just not all there
    seg, _ = segment(src, dst, 5000, 6000, 1, 1, ACK | EOM, 100, ts, b"z" * 100)
    pc.add(t + 0.001, ipv4(src, dst, seg), snap=20 + 20)
    out.append({"frame": len(out) + 1, "name": "snaplen", "toy.verdict": 0, "truncated": True})
    # an ICMP port unreachable quoting the first 8 bytes of a segment
    seg, _ = segment(dst, src, 6000, 5000, 7, 7, ACK, 100, ts)
    inner = ipv4(dst, src, seg)[:20 + 8]
    icmp = struct.pack("!BBHI", 3, 3, 0, 0) + inner
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    pc.add(t + 0.002, ipv4(src, dst, icmp, proto=1))
    out.append({"frame": len(out) + 1, "name": "ICMP quote", "toy.verdict": None})
    return out


def fuzz(pc, n=600):
    """Random headers, options and cuts (seeded: the same every run) for a
    dissector that must never raise a Lua error, whatever it is fed."""
    import random
    rnd, out = random.Random(253), []
    kinds = [0, 1, 2, 5, 8, 3, 10, 255]
    for i in range(n):
        opts = bytes(rnd.choice(kinds) if rnd.random() < 0.5 else rnd.randrange(256)
                     for _ in range(4 * rnd.randrange(11)))
        doff = rnd.randrange(256) if rnd.random() < 0.3 else None
        seg, _ = segment("10.0.0.%d" % rnd.randrange(1, 4), "10.0.0.9", rnd.choice([1, 2]), 7,
                         rnd.randrange(MOD), rnd.randrange(MOD), rnd.randrange(256),
                         rnd.randrange(MOD), opts, bytes(rnd.randrange(50)), doff=doff)
        seg = bytearray(seg[:rnd.randrange(len(seg) + 1)] if rnd.random() < 0.2 else seg)
        for _ in range(rnd.randrange(4)):
            if seg:
                seg[rnd.randrange(len(seg))] = rnd.randrange(256)
        snap = rnd.randrange(80) if rnd.random() < 0.2 else None
        pc.add(1700000200.0 + i * 0.001, ipv4("10.0.0.1", "10.0.0.9", bytes(seg)), snap=snap)
        out.append({"frame": i + 1})
    return out


def main(argv):
    raw = "--raw" in argv
    args = [a for a in argv[1:] if a != "--raw"]
    if not args:
        sys.exit(__doc__)
    outs = [(args[0], conversation)]
    outs += list(zip(args[1:3], (malformed, fuzz)))
    for path, build in outs:
        pc = Pcap(raw)
        frames = build(pc)
        pc.write(path)
        with open(path.rsplit(".", 1)[0] + ".json", "w") as f:
            json.dump(frames, f, indent=1)
        print("%s: %d frames" % (path, len(frames)))


if __name__ == "__main__":
    main(sys.argv)
