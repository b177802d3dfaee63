#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers for 56-gso.sh; run inside the namespace that owns DEV.

    toy-gso.py txcsum DEV on|off
        Turn DEV's transmit checksum offload on or off (the ethtool ioctl
        ETHTOOL_STXCSUM: the guest has no ethtool) and print the new state.
        Off, the stack writes every checksum before the device, and a
        super-segment (GSO skb) is cut by AF_TOY's gso_segment callback,
        which must write each segment's checksum itself.

    toy-gso.py capture DEV OUT
        Capture the AF_TOY (IP protocol 253) frames DEV receives until
        SIGTERM, then drain the socket and write to OUT:
            frames N, over_mtu N (IP length > 1500), bad_csum N (the
            checksum over the pseudo-header does not verify), data N,
            eom N, in_order N, gaps N (a data segment above the next
            expected sequence number), resent N (below it), drops N
            (frames the capture socket lost), eom_distinct N (distinct
            data segments with EOM: one per message, whatever was resent)
        and one line per distinct data segment from the connection's
        client (the side that sent the SYN):
            seg RELSEQ LEN FLAGS CRC32
        RELSEQ relative to that SYN's sequence number, CRC32 of the payload:
        what a capture of the same messages sent with net.toy.gso=0 must
        show too, segment for segment.
"""
import array
import fcntl
import signal
import socket
import struct
import sys
import zlib

SIOCETHTOOL = 0x8946
ETHTOOL_GTXCSUM = 0x16
ETHTOOL_STXCSUM = 0x17
ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_STATISTICS = 6
SO_RCVBUFFORCE = 33
PROTO = 253
SYN, EOM = 0x01, 0x10


def ethtool_value(dev, cmd, data=0):
    """One struct ethtool_value ioctl on DEV; returns its data field."""
    buf = array.array("I", [cmd, data])
    addr = buf.buffer_info()[0]
    ifr = struct.pack("16sP", dev.encode(), addr).ljust(40, b"\0")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s.fileno(), SIOCETHTOOL, ifr)
    return buf[1]


def txcsum(dev, state):
    ethtool_value(dev, ETHTOOL_STXCSUM, 1 if state == "on" else 0)
    now = ethtool_value(dev, ETHTOOL_GTXCSUM)
    print("%s tx-checksumming %s" % (dev, "on" if now else "off"))
    return 0 if bool(now) == (state == "on") else 1


def csum_ok(src, dst, seg):
    """The Internet checksum over pseudo-header and segment verifies."""
    data = src + dst + struct.pack("!BBH", 0, PROTO, len(seg)) + seg
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total == 0xFFFF


class Capture:
    def __init__(self):
        self.n = dict.fromkeys(("frames", "over_mtu", "bad_csum", "data",
                                "eom", "in_order", "gaps", "resent"), 0)
        self.client = None      # (addr, port) of the side that sent the SYN
        self.isn = 0
        self.next = None
        self.segs = {}

    def frame(self, pkt):
        if len(pkt) < 14 + 20 or pkt[12:14] != b"\x08\x00":
            return
        ip = pkt[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != PROTO:
            return
        tot = struct.unpack("!H", ip[2:4])[0]
        seg = ip[ihl:tot]
        if len(seg) < 20:
            return
        self.n["frames"] += 1
        if tot > 1500:
            self.n["over_mtu"] += 1
        if not csum_ok(ip[12:16], ip[16:20], seg):
            self.n["bad_csum"] += 1
        sport, = struct.unpack("!H", seg[0:2])
        seq, = struct.unpack("!I", seg[4:8])
        doff, flags = seg[12] * 4, seg[13]
        src = (ip[12:16], sport)
        if flags & SYN and self.client is None and not flags & 0x02:
            self.client, self.isn = src, seq
            self.next = (seq + 1) & 0xFFFFFFFF
            return
        payload = seg[doff:]
        if src != self.client or not payload:
            return
        self.n["data"] += 1
        if flags & EOM:
            self.n["eom"] += 1
        d = (seq - self.next) & 0xFFFFFFFF
        if d == 0:
            self.n["in_order"] += 1
            self.next = (seq + len(payload)) & 0xFFFFFFFF
        elif d < 1 << 31:
            self.n["gaps"] += 1
            self.next = (seq + len(payload)) & 0xFFFFFFFF
        else:
            self.n["resent"] += 1
        rel = (seq - self.isn) & 0xFFFFFFFF
        self.segs[rel] = (len(payload), flags, zlib.crc32(payload))


def capture(dev, out):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
    s.bind((dev, ETH_P_ALL))
    s.settimeout(0.2)
    cap = Capture()
    with open(out + ".ready", "w") as f:
        f.write("capturing\n")
    while not stop:
        try:
            pkt, addr = s.recvfrom(70000)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        if addr[2] != socket.PACKET_OUTGOING:
            cap.frame(pkt)
    s.setblocking(False)
    while True:
        try:
            pkt, addr = s.recvfrom(70000)
        except (BlockingIOError, InterruptedError):
            break
        if addr[2] != socket.PACKET_OUTGOING:
            cap.frame(pkt)
    _, drops = struct.unpack("II", s.getsockopt(SOL_PACKET,
                                                PACKET_STATISTICS, 8))
    with open(out, "w") as f:
        for k, v in cap.n.items():
            f.write("%s %d\n" % (k, v))
        f.write("drops %d\n" % drops)
        # counted once per segment, however often it was sent
        f.write("eom_distinct %d\n" % sum(1 for v in cap.segs.values()
                                           if v[1] & EOM))
        for rel in sorted(cap.segs):
            ln, fl, crc = cap.segs[rel]
            f.write("seg %d %d %#x %08x\n" % (rel, ln, fl, crc))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "txcsum" and argv[3] in ("on", "off"):
        return txcsum(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "capture":
        return capture(argv[2], argv[3])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
