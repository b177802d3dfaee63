#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A fake AF_TOY peer for the SYN cookie and TIME_WAIT tests (15, 17).

It speaks from an address no local stack owns (SRC), so that nothing here
answers the listener's segments with resets: it sends with a raw IPv4
socket (IP_HDRINCL) and reads the answers from the link with a packet
socket on IFACE. The listener's namespace needs a neighbour entry that
sends SRC's packets to IFACE's MAC address.

    toy-fakepeer.py flood SRC DST PORT N
        N SYNs from SRC, ports 30000.., never answered (half-open)
    toy-fakepeer.py connect SRC DST PORT IFACE DATA DONEFILE
        SYN (MSS 1400); read the SYN-ACK; one ACK carrying DATA as a
        whole message; wait until DATA is acknowledged and DONEFILE
        exists; reset
    toy-fakepeer.py forge SRC DST PORT IFACE
        an ACK of a connection that never was (a wrong cookie); it must
        be answered with a reset
    toy-fakepeer.py rst SRC DST SPORT DPORT SEQ ACK
        one reset (RST|ACK) with the given numbers, nothing awaited
    toy-fakepeer.py overlap SRC DST PORT IFACE PATTERN
        connect; send the 20-byte message "abcdefghijklmnopqrst" in pieces
        that overlap (PATTERN: front - [0,12) then [6,20); ooo - [12,20)
        first, then [0,16); covering - [0,5) then [0,20)); wait until all
        of it is acknowledged; reset
    toy-fakepeer.py dupack SRC DST PORT IFACE N TOKEN
        N connections from ports 20000.., 10 at a time: SYN, SYN-ACK for
        each; then for each, back to back, the ACK that returns its cookie
        and the first message "dup PORT TOKEN" (ACK|EOM), which returns it
        too; a message not acknowledged is sent again every
        second; wait for the listener's side to close (FIN), then reset.
        Prints how many messages had to be sent again
    toy-fakepeer.py oow SRC DST SPORT DPORT RCVNXT N
        N pure ACKs at a connection whose receiver expects RCVNXT, with
        sequence numbers half the number space away (outside any window);
        prints how long sending them took

Segments are built as module/wire.h lays them out; the checksum is
module/wire.c's toy_csum(). Exit status 0 on success.
"""
import os
import socket
import struct
import sys
import time

PROTO = 253
SYN, ACK, FIN, RST, EOM = 0x01, 0x02, 0x04, 0x08, 0x10
HDR = struct.Struct("!HHIIBBHI")    # ports, seq, ack, doff, flags, check, wnd


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def now_us():
    return int(time.monotonic() * 1e6) & 0xffffffff or 1


def segment(src, dst, sport, dport, seq, ack, flags, opts=b"", data=b""):
    hlen = HDR.size + len(opts)
    seg = HDR.pack(sport, dport, seq, ack, hlen // 4, flags, 0,
                   1 << 20) + opts + data
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + \
        struct.pack("!BBH", 0, PROTO, len(seg))
    c = csum(pseudo + seg)
    return seg[:14] + struct.pack("!H", c) + seg[16:]


def ts_opt(tsval, tsecr):
    return b"\x01\x01\x08\x0a" + struct.pack("!II", tsval, tsecr)


def raw_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, PROTO)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return s


def ip_packet(src, dst, seg):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 0, 0x4000,
                       64, PROTO, 0, socket.inet_aton(src),
                       socket.inet_aton(dst)) + seg


def send(src, dst, seg):
    s = raw_socket()
    s.sendto(ip_packet(src, dst, seg), (dst, 0))
    s.close()


def sniffer(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(0x0800))
    s.bind((iface, 0x0800))
    return s


def parse_opts(b):
    opts, i = {}, 0
    while i < len(b):
        if b[i] == 0:
            break
        if b[i] == 1:
            i += 1
            continue
        kind, olen = b[i], b[i + 1]
        if kind == 2:
            opts["mss"] = struct.unpack("!H", b[i + 2:i + 4])[0]
        elif kind == 8:
            opts["tsval"], opts["tsecr"] = struct.unpack("!II",
                                                         b[i + 2:i + 10])
        i += olen
    return opts


def expect(sk, src, dst, sport, dport, want, timeout=5.0):
    """The next segment dst:dport -> src:sport for which want(flags)."""
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return None
        sk.settimeout(left)
        try:
            pkt = sk.recv(65535)
        except socket.timeout:
            return None
        ihl = (pkt[0] & 15) * 4
        if pkt[9] != PROTO or socket.inet_ntoa(pkt[12:16]) != dst or \
                socket.inet_ntoa(pkt[16:20]) != src:
            continue
        seg = pkt[ihl:]
        p, q, seq, ack, doff, flags, _, wnd = HDR.unpack(seg[:HDR.size])
        if p != dport or q != sport or not want(flags):
            continue
        return dict(seq=seq, ack=ack, flags=flags, wnd=wnd,
                    data=seg[doff * 4:], **parse_opts(seg[HDR.size:doff * 4]))


def isn():
    return struct.unpack("!I", os.urandom(4))[0]


def flood(src, dst, port, n):
    for i in range(int(n)):
        opts = b"\x02\x04" + struct.pack("!H", 1448) + ts_opt(now_us(), 0)
        send(src, dst, segment(src, dst, 30000 + i, port, isn(), 0, SYN,
                               opts))
    print("sent %s SYNs from %s" % (n, src))
    return 0


def handshake(sk, src, dst, port, sport=None):
    """SYN (MSS 1400, timestamps) and the SYN-ACK: (sport, iss, SYN-ACK),
    or None, said, if no right SYN-ACK came."""
    sport, iss = sport or 40000 + os.getpid() % 10000, isn()
    opts = b"\x02\x04" + struct.pack("!H", 1400) + ts_opt(now_us(), 0)
    send(src, dst, segment(src, dst, sport, port, iss, 0, SYN, opts))
    sa = expect(sk, src, dst, sport, port,
                lambda f: f & (SYN | ACK) == SYN | ACK)
    if not sa or sa["ack"] != (iss + 1) & 0xffffffff:
        print("no SYN-ACK for ISN %u: %r" % (iss, sa))
        return None
    return sport, iss, sa


def connect(src, dst, port, iface, data, donefile):
    sk = sniffer(iface)
    # MSS 1400 is not in the cookie's MSS table: the listener rounds it down
    hs = handshake(sk, src, dst, port)
    if not hs:
        return 1
    sport, iss, sa = hs
    print("SYN-ACK: seq %u mss %s tsecr %s" % (sa["seq"], sa.get("mss"),
                                                sa.get("tsecr")))
    seq, ack = (iss + 1) & 0xffffffff, (sa["seq"] + 1) & 0xffffffff
    payload = data.encode()
    send(src, dst, segment(src, dst, sport, port, seq, ack, ACK | EOM,
                           ts_opt(now_us(), sa.get("tsval", 0)), payload))
    end_seq = (seq + len(payload)) & 0xffffffff
    got = expect(sk, src, dst, sport, port,
                 lambda f: f & ACK and not f & RST, timeout=10)
    while got and got["ack"] != end_seq:
        got = expect(sk, src, dst, sport, port,
                     lambda f: f & ACK and not f & RST, timeout=10)
    if not got:
        print("%d bytes riding on the cookie's ACK were not acknowledged"
              % len(payload))
        return 1
    print("data acknowledged")
    for _ in range(100):
        if os.path.exists(donefile):
            break
        time.sleep(0.1)
    send(src, dst, segment(src, dst, sport, port, end_seq, 0, RST))
    return 0


def forge(src, dst, port, iface):
    sk = sniffer(iface)
    sport, seq, ack = 50000 + os.getpid() % 10000, isn(), isn()
    send(src, dst, segment(src, dst, sport, port, seq, ack, ACK,
                           ts_opt(now_us(), 0)))
    rst = expect(sk, src, dst, sport, port, lambda f: f & RST)
    if not rst or rst["seq"] != ack:
        print("no reset (seq %u) for the forged ACK: %r" % (ack, rst))
        return 1
    print("forged ACK %u answered with a reset" % ack)
    return 0


def rst(src, dst, sport, dport, seq, ack):
    send(src, dst, segment(src, dst, sport, int(dport), int(seq), int(ack),
                           RST | ACK))
    print("reset %s:%d -> %s:%s seq %s ack %s sent" %
          (src, sport, dst, dport, seq, ack))
    return 0


OVERLAPS = {"front": ((0, 12), (6, 20)), "ooo": ((12, 20), (0, 16)),
            "covering": ((0, 5), (0, 20))}


def overlap(src, dst, port, iface, pattern):
    msg = b"abcdefghijklmnopqrst"
    sk = sniffer(iface)
    hs = handshake(sk, src, dst, port)
    if not hs:
        return 1
    sport, iss, sa = hs
    base, ack = (iss + 1) & 0xffffffff, (sa["seq"] + 1) & 0xffffffff
    for lo, hi in OVERLAPS[pattern]:
        flags = ACK | (EOM if hi == len(msg) else 0)
        send(src, dst, segment(src, dst, sport, port,
                               (base + lo) & 0xffffffff, ack, flags,
                               ts_opt(now_us(), sa.get("tsval", 0)),
                               msg[lo:hi]))
        print("sent [%d, %d) %r" % (lo, hi, msg[lo:hi]))
    end_seq = (base + len(msg)) & 0xffffffff
    got = expect(sk, src, dst, sport, port,
                 lambda f: f & ACK and not f & RST, timeout=10)
    while got and got["ack"] != end_seq:
        got = expect(sk, src, dst, sport, port,
                     lambda f: f & ACK and not f & RST, timeout=10)
    send(src, dst, segment(src, dst, sport, port, end_seq, 0, RST))
    if not got:
        print("the %d bytes were not all acknowledged" % len(msg))
        return 1
    print("all %d bytes acknowledged" % len(msg))
    return 0


def dupack(src, dst, port, iface, n, token, burst=10):
    sk, raw, resent, done = sniffer(iface), raw_socket(), 0, 0
    while done < int(n):
        conns = {}
        for i in range(done, min(done + burst, int(n))):
            hs = handshake(sk, src, dst, port, 20000 + i)
            if not hs:
                return 1
            sport, iss, sa = hs
            seq, ack = (iss + 1) & 0xffffffff, (sa["seq"] + 1) & 0xffffffff
            msg = ("dup %d %s" % (sport, token)).encode()
            tsecr = sa.get("tsval", 0)
            conns[sport] = dict(
                end_seq=(seq + len(msg)) & 0xffffffff, acked=False, fin=None,
                ack=ip_packet(src, dst, segment(src, dst, sport, port, seq,
                                                ack, ACK,
                                                ts_opt(now_us(), tsecr))),
                data=ip_packet(src, dst, segment(src, dst, sport, port, seq,
                                                 ack, ACK | EOM,
                                                 ts_opt(now_us(), tsecr),
                                                 msg)))
        # each one's ACK and message back to back: both return its cookie
        for c in conns.values():
            raw.sendto(c["ack"], (dst, 0))
            raw.sendto(c["data"], (dst, 0))
        for _ in range(10):
            end = time.monotonic() + 1.0
            while time.monotonic() < end and \
                    any(not c["fin"] for c in conns.values()):
                sk.settimeout(max(0.01, end - time.monotonic()))
                try:
                    pkt = sk.recv(65535)
                except socket.timeout:
                    break
                ihl = (pkt[0] & 15) * 4
                if pkt[9] != PROTO or socket.inet_ntoa(pkt[16:20]) != src:
                    continue
                p, q, _, a, _, flags, _, _ = HDR.unpack(pkt[ihl:ihl +
                                                            HDR.size])
                c = conns.get(q)
                if p != port or not c or flags & RST or not flags & ACK:
                    continue
                c["acked"] = c["acked"] or a == c["end_seq"]
                if flags & FIN:
                    c["fin"] = a
            if all(c["fin"] for c in conns.values()):
                break
            for c in conns.values():
                if not c["acked"]:
                    raw.sendto(c["data"], (dst, 0))
                    resent += 1
        for sport, c in conns.items():
            if c["fin"] != c["end_seq"]:
                print("port %d: no FIN acknowledging the message" % sport)
                return 1
            send(src, dst, segment(src, dst, sport, port, c["end_seq"], 0,
                                   RST))
        done += len(conns)
    print("%s connections, %d messages sent again" % (n, resent))
    return 0


def oow(src, dst, sport, dport, rcv_nxt, n):
    s = raw_socket()
    base = int(rcv_nxt) + (1 << 31)
    t0 = time.monotonic()
    for i in range(int(n)):
        seg = segment(src, dst, sport, int(dport), (base + i) & 0xffffffff,
                      0, ACK)
        s.sendto(ip_packet(src, dst, seg), (dst, 0))
    print("%s out-of-window ACKs sent in %.3f s" % (n, time.monotonic() - t0))
    return 0


def main(argv):
    cmds = {"flood": (flood, 4), "connect": (connect, 6), "forge": (forge, 4),
            "rst": (rst, 6), "oow": (oow, 6), "overlap": (overlap, 5),
            "dupack": (dupack, 6)}
    if len(argv) < 2 or argv[1] not in cmds or \
            len(argv) - 2 != cmds[argv[1]][1]:
        print(__doc__)
        return 2
    args = argv[2:]
    args[2] = int(args[2])
    return cmds[argv[1]][0](*args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
