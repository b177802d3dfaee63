#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the AF_TOY checksums on the cable between the two VMs.

    pcap-check.py PCAP [--corrupt PORT,...] [--jumbo PORT,...]
                  [--csum-errors N]

PCAP is what QEMU's filter-dump saw on side A's NIC (scripts/twovm.sh -p):
every frame both ways, as the guests put them on the cable and before the
receiving guest's kernel sees them. For every IPv4 protocol 253 frame it
recomputes the AF_TOY checksum (RFC 1071 over the pseudo-header and the
segment, as module/wire.c toy_csum) and sorts it: good, bad, or "left
partial" (the field still holds the pseudo-header sum CHECKSUM_PARTIAL
leaves for a device to complete: what a capture on veth shows).

A frame belongs to the corrupt group when either port is in --corrupt or
it went between the first and the last intact frame on those ports (a
flipped bit may land in a port); else to the jumbo group when a port is in
--jumbo. Results (one
PASS/FAIL line each, as the test tiers print them):
  - frames outside --corrupt ports: at least one, every checksum good
  - frames on --corrupt ports (netem corrupt runs): some bad checksums;
    with --csum-errors N (both kernels' CsumErrors during those runs), N
    equals the bad frames that reach AF_TOY's receive path: a valid IPv4
    header checksum (IP drops the others), addressed to one of the VMs.
    netem flips one bit per corrupted frame, which the IPv4 header checksum
    and the AF_TOY checksum each always catch; every such frame reaches the
    receiving guest once (the socket cable loses nothing). A kernel that
    took a wrong checksum, or a host that mended one, breaks the equality
  - frames on --jumbo ports: some longer than 1500 bytes of IP, none
    longer than 9000
Only struct: no scapy, no tshark.
"""
import argparse
import struct
import sys

PROTO_TOY = 253
MACS = (bytes.fromhex("52540000" "0a01"), bytes.fromhex("52540000" "0a02"))


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def sum16(data):
    if len(data) % 2:
        data += b"\0"
    return sum(struct.unpack("!%dH" % (len(data) // 2), data))


def frames(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return
        magic = struct.unpack("<I", hdr[:4])[0]
        end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        if struct.unpack(end + "I", hdr[20:24])[0] != 1:
            sys.exit("pcap-check: %s: not Ethernet" % path)
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            incl = struct.unpack(end + "IIII", rec)[2]
            yield f.read(incl)


def ports(s):
    return set(int(p) for p in s.split(",") if p) if s else set()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pcap")
    ap.add_argument("--corrupt", type=ports, default=set())
    ap.add_argument("--jumbo", type=ports, default=set())
    ap.add_argument("--csum-errors", type=int)
    a = ap.parse_args()

    st = {g: dict(n=0, good=0, bad=0, partial=0, deliverable_bad=0, big=0, max=0)
          for g in ("clean", "corrupt", "jumbo")}
    toy = []            # (index, frame, ip, ihl, tot, seg, ports, csum state)
    total = 0
    for fr in frames(a.pcap):
        total += 1
        if len(fr) < 34 or fr[12:14] != b"\x08\x00":
            continue
        ip = fr[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[0] >> 4 != 4 or ip[9] != PROTO_TOY or len(ip) < ihl + 20:
            continue
        tot = struct.unpack("!H", ip[2:4])[0]
        seg = ip[ihl:tot]
        pseudo = ip[12:20] + struct.pack("!BBH", 0, PROTO_TOY, len(seg))
        if len(seg) < 20:
            # netem hit the IP total length: no whole AF_TOY header to
            # check, no ports to trust; a bad frame, placed by when it went
            toy.append((total, fr, ip, ihl, tot, "bad", set()))
            continue
        if fold(sum16(pseudo) + sum16(seg)) == 0xFFFF:
            state = "good"
        elif struct.unpack("!H", seg[14:16])[0] == fold(sum16(pseudo)):
            state = "partial"
        else:
            state = "bad"
        toy.append((total, fr, ip, ihl, tot, state, set(struct.unpack("!HH", seg[:4]))))
    # The corrupt runs span from the first to the last intact frame on
    # their ports: netem may flip a bit of a port too, so a corrupted frame
    # is placed by when it went, not by its ports. Nothing else speaks
    # AF_TOY meanwhile (the sides meet over TCP).
    cidx = [t[0] for t in toy if t[5] == "good" and t[6] & a.corrupt]
    lo, hi = (min(cidx), max(cidx)) if cidx else (0, -1)
    for idx, fr, ip, ihl, tot, state, pp in toy:
        g = "clean"
        if lo <= idx <= hi or pp & a.corrupt:
            g = "corrupt"
        elif pp & a.jumbo:
            g = "jumbo"
        s = st[g]
        s["n"] += 1
        s["max"] = max(s["max"], tot)
        s["big"] += tot > 1500
        if state != "bad":
            s[state] += 1
            continue
        s["bad"] += 1
        ip_ok = fold(sum16(ip[:ihl])) == 0xFFFF
        if ip_ok and fr[:6] in MACS and tot <= len(ip):
            s["deliverable_bad"] += 1

    print("# pcap-check: %s: %d frames" % (a.pcap, total))
    for g, s in st.items():
        print("# pcap-check: %-7s AF_TOY frames %d: checksum good %d, bad %d "
              "(%d with a valid IP header, to a VM), left partial %d; "
              "IP length max %d, %d over 1500"
              % (g, s["n"], s["good"], s["bad"], s["deliverable_bad"],
                 s["partial"], s["max"], s["big"]))
    fails = 0

    def result(ok, name, why=""):
        nonlocal fails
        if not ok:
            fails += 1
            if why:
                print("# " + why)
        print("%s: two-vm wire: %s" % ("PASS" if ok else "FAIL", name))

    c = st["clean"]
    c["n"] += st["jumbo"]["n"]
    c["good"] += st["jumbo"]["good"]
    c["bad"] += st["jumbo"]["bad"]
    c["partial"] += st["jumbo"]["partial"]
    result(c["n"] > 0 and c["good"] == c["n"],
           "every AF_TOY frame outside the corrupt runs carries a correct "
           "checksum (%d of %d)" % (c["good"], c["n"]),
           "bad %d, left partial %d" % (c["bad"], c["partial"]))
    if a.corrupt:
        k = st["corrupt"]
        result(k["bad"] > 0 and k["partial"] == 0,
               "netem corrupt: %d of %d frames with a bad checksum on the wire"
               % (k["bad"], k["n"]))
        if a.csum_errors is not None:
            result(1 <= a.csum_errors == k["deliverable_bad"],
                   "netem corrupt: the kernels counted %d CsumErrors for the "
                   "%d bad frames that reached them"
                   % (a.csum_errors, k["deliverable_bad"]))
    if a.jumbo:
        j = st["jumbo"]
        result(j["big"] > 0 and j["max"] <= 9000,
               "MTU 9000: %d frames over 1500 bytes of IP, the longest %d"
               % (j["big"], j["max"]))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
