#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ICMP errors and path MTU discovery, AF_TOY next to TCP (62-icmp.sh).

PROTO is "toy" (AF_TOY) or "tcp" (plain AF_INET SOCK_STREAM): every
command does exactly the same socket calls for both, so TCP's figures in
the same run are the reference for AF_TOY's. Commands print what they saw;
lines starting "result " are for the shell script to judge.

  toy-icmp.py connect PROTO SRC DST:PORT WAIT
        blocking connect() from SRC (port 0) with SO_SNDTIMEO WAIT seconds;
        prints "result ERRNO MS STATE" (ERRNO 0: connected; EINPROGRESS:
        SO_SNDTIMEO ran out, nothing came back)
  toy-icmp.py prot-unreach IFACE ADDR
        a host at ADDR that speaks neither AF_TOY nor TCP: reads every IPv4
        packet to ADDR of protocol 253 or 6 from IFACE (a packet socket:
        no local stack owns ADDR) and answers it from ADDR with an ICMP
        protocol unreachable (type 3 code 2) quoting its IP header and
        first 8 bytes (RFC 792), through a raw socket (IP_HDRINCL)
  toy-icmp.py icmp TYPE CODE DST QUOTE
        send one ICMP error from this namespace (the kernel picks the
        source address) to DST, quoting QUOTE (hex: an IP header and the
        first bytes of the datagram it is about)
  toy-icmp.py echo-server PROTO ADDR:PORT
        echo every message (TCP: every byte) of one connection at a time
  toy-icmp.py soft-client PROTO SRC DST:PORT IFACE DIR
        the ICMP soft-error sequence of an established connection, in lock
        step with the script through files in DIR (see 62-icmp.sh)
  toy-icmp.py pmtu-recv PROTO ADDR:PORT SEED SIZES
  toy-icmp.py pmtu-send PROTO DST:PORT SEED SIZES
        SIZES (comma-separated) messages of contents drawn from SEED; the
        receiver compares every byte and sends a verdict back; the sender
        prints its MSS at connect and at the end, and the time taken
"""
import ctypes
import errno
import os
import select
import socket
import struct
import sys
import time

import toysocket

PROTO_TOY, PROTO_TCP = 253, 6
WAIT = 30.0                 # seconds for any step of the lock step
STATES = toysocket.STATES   # TCP's tcpi_state numbers are the same
TCP_INFO = getattr(socket, "TCP_INFO", 11)
TCP_MAXSEG = getattr(socket, "TCP_MAXSEG", 2)
PACKET_OUTGOING = 4

_libc = ctypes.CDLL(None, use_errno=True)
_libc.connect.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32)
_libc.connect.restype = ctypes.c_int


def say(*a):
    print(*a, flush=True)


def ename(e):
    return errno.errorcode.get(e, str(e)) if e else "0"


def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def sha256_hex(data):
    try:
        import _sha256  # pylint: disable=import-outside-toplevel
        return _sha256.sha256(data).hexdigest()
    except ImportError:
        import hashlib  # pylint: disable=import-outside-toplevel
        return hashlib.sha256(data).hexdigest()


def new_socket(proto):
    if proto == "toy":
        return toysocket.socket()
    if proto == "tcp":
        return socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raise SystemExit("PROTO must be toy or tcp, not %r" % proto)


def state(s, proto):
    try:
        if proto == "toy":
            return s.info()["state_name"]
        return STATES.get(s.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 8)[0],
                          "?")
    except OSError as e:
        return "(%s)" % ename(e.errno)


def mss(s, proto):
    if proto == "toy":
        return s.info()["mss"]
    return s.getsockopt(socket.IPPROTO_TCP, TCP_MAXSEG)


def so_error(s):
    return s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)


def raw_connect(s, dst):
    """A blocking connect() through libc, the same for both families
    (struct sockaddr_toy is laid out as struct sockaddr_in); its errno."""
    host, port = addr(dst)
    raw = struct.pack("=H", s.family) + struct.pack("!H", port) + \
        socket.inet_aton(host) + bytes(8)
    if _libc.connect(s.fileno(), raw, len(raw)) == 0:
        return 0
    return ctypes.get_errno()


def cmd_connect(proto, src, dst, wait):
    s = new_socket(proto)
    s.bind((src, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                 struct.pack("@ll", int(wait), int(wait % 1 * 1e6)))
    t0 = time.monotonic()
    err = raw_connect(s, dst)
    ms = (time.monotonic() - t0) * 1000
    st = state(s, proto)
    say("# %s connect %s:%d -> %s: %s after %.1f ms, state %s" %
        (proto, src, s.getsockname()[1], dst, ename(err), ms, st))
    say("result %s %.1f %s" % (ename(err), ms, st))
    s.close()
    return 0


def icmp_error(typ, code, quote, rest=b"\0\0\0\0"):
    msg = struct.pack("!BBH", typ, code, 0) + rest + quote
    return msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]


def send_icmp(dst, msg, src=None):
    """Send an ICMP message to dst; from src (IP_HDRINCL) if given."""
    if src is None:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.sendto(msg, (dst, 0))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(msg), 0, 0, 64,
                         socket.IPPROTO_ICMP, 0, socket.inet_aton(src),
                         socket.inet_aton(dst))
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        s.sendto(ip + msg, (dst, 0))
    s.close()


def describe(pkt):
    """'proto src:sport -> dst:dport seq S' of an IPv4 packet (or a quote)."""
    ihl = (pkt[0] & 15) * 4
    sport, dport, seq = struct.unpack("!HHI", pkt[ihl:ihl + 8])
    return "%s %s:%d -> %s:%d seq %u" % (
        {PROTO_TOY: "toy", PROTO_TCP: "tcp"}.get(pkt[9], str(pkt[9])),
        socket.inet_ntoa(pkt[12:16]), sport, socket.inet_ntoa(pkt[16:20]),
        dport, seq)


def cmd_icmp(typ, code, dst, quote_hex):
    quote = bytes.fromhex(quote_hex)
    send_icmp(dst, icmp_error(int(typ), int(code), quote))
    say("# ICMP type %s code %s to %s quoting %s (%d bytes)" %
        (typ, code, dst, describe(quote), len(quote)))
    return 0


ETH_P_IP, ETH_P_ALL = 0x0800, 0x0003


def sniffer(iface, outgoing=False):
    """A packet socket on iface for IPv4; only one bound to ETH_P_ALL
    also sees what leaves (dev_queue_xmit_nit() serves the taps only)."""
    proto = ETH_P_ALL if outgoing else ETH_P_IP
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(proto))
    s.bind((iface, proto))
    return s


def cmd_prot_unreach(iface, me):
    sk = sniffer(iface)
    mine = socket.inet_aton(me)
    say("listening on %s for %s" % (iface, me))
    while True:
        pkt, sa = sk.recvfrom(65535)
        if sa[2] == PACKET_OUTGOING or len(pkt) < 28 or pkt[16:20] != mine \
                or pkt[9] not in (PROTO_TOY, PROTO_TCP):
            continue
        ihl = (pkt[0] & 15) * 4
        src = socket.inet_ntoa(pkt[12:16])
        send_icmp(src, icmp_error(3, 2, pkt[:ihl + 8]), src=me)
        say("# protocol unreachable from %s for %s" % (me, describe(pkt)))


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        b = s.recv(n - len(buf))
        if not b:
            raise OSError(errno.ECONNRESET, "end of stream after %d of %d "
                          "bytes" % (len(buf), n))
        buf += b
    return buf


def recv_msg(s, proto, n):
    """One message: AF_TOY's own boundaries; n bytes of the TCP stream."""
    if proto == "toy":
        return s.recv_message()
    return recv_exact(s, n)


def cmd_echo_server(proto, a):
    if proto == "toy":
        ls = toysocket.create_server(addr(a))
    else:
        ls = socket.create_server(addr(a))
    say("listening on %s (%s)" % (a, proto))
    while True:
        c, peer = ls.accept()
        say("# connection from %s:%d" % peer)
        try:
            while True:
                m = c.recv_message() if proto == "toy" else c.recv(65536)
                if not m:
                    break
                c.sendall(m)
        except OSError as e:
            say("# echo: %s" % ename(e.errno))
        c.close()


# --- the soft-error sequence -------------------------------------------------

class Flow:
    """The client's own segments, as they leave on IFACE."""

    def __init__(self, iface, proto):
        self.sk = sniffer(iface, outgoing=True)
        self.sk.setblocking(False)
        self.proto = PROTO_TOY if proto == "toy" else PROTO_TCP
        self.key = None

    def set(self, s):
        src, sport = s.getsockname()
        dst, dport = s.getpeername()
        self.key = (socket.inet_aton(src), socket.inet_aton(dst), sport, dport)

    def packets(self, timeout=0.0):
        """Outgoing packets of the flow: those queued, or the first ones
        within timeout seconds."""
        out = []
        end = time.monotonic() + timeout
        while True:
            try:
                pkt, sa = self.sk.recvfrom(65535)
            except BlockingIOError:
                left = end - time.monotonic()
                if out or left <= 0:
                    return out
                select.select([self.sk], [], [], left)
                continue
            if sa[1] != ETH_P_IP or sa[2] != PACKET_OUTGOING or \
                    pkt[9] != self.proto:
                continue
            ihl = (pkt[0] & 15) * 4
            ports = struct.unpack("!HH", pkt[ihl:ihl + 4])
            if (pkt[12:16], pkt[16:20]) + ports == self.key:
                out.append(pkt)

    def payload(self, pkt):
        ihl = (pkt[0] & 15) * 4
        if self.proto == PROTO_TOY:
            doff, flags = pkt[ihl + 12], pkt[ihl + 13]
            syn_fin = (flags & 0x01 != 0) + (flags & 0x04 != 0)
        else:
            doff, flags = pkt[ihl + 12] >> 4, pkt[ihl + 13]
            syn_fin = (flags & 0x02 != 0) + (flags & 0x01 != 0)
        tot = struct.unpack("!H", pkt[2:4])[0]
        return tot - ihl - doff * 4, syn_fin


def seq_of(pkt):
    ihl = (pkt[0] & 15) * 4
    return struct.unpack("!I", pkt[ihl + 4:ihl + 8])[0]


def quote_with_seq(pkt, seq):
    ihl = (pkt[0] & 15) * 4
    q = bytearray(pkt[:ihl + 8])
    q[ihl + 4:ihl + 8] = struct.pack("!I", seq & 0xffffffff)
    return bytes(q)


def wait_file(path):
    end = time.monotonic() + WAIT
    while not os.path.exists(path):
        if time.monotonic() > end:
            raise SystemExit("# gave up waiting for %s" % path)
        time.sleep(0.05)


def put_file(path, text):
    with open(path + ".tmp", "w") as f:  # pylint: disable=unspecified-encoding
        f.write(text)
    os.rename(path + ".tmp", path)


def seqs(s, proto):
    if proto != "toy":
        return ""
    i = s.info()
    return " (TOY_INFO snd_una %u snd_nxt %u)" % (i["snd_una"], i["snd_nxt"])


def round_trip(s, proto, m):
    try:
        s.sendall(m)
        back = recv_msg(s, proto, len(m))
        return "ok" if back == m else "mismatch"
    except OSError as e:        # socket.timeout too, without an errno
        return ename(e.errno) if e.errno else "timeout"


def cmd_soft_client(proto, src, dst, iface, d):
    # pylint: disable=too-many-locals,too-many-statements
    flow = Flow(iface, proto)
    s = new_socket(proto)
    s.bind((src, 0))
    s.settimeout(WAIT)
    s.connect(addr(dst))
    flow.set(s)
    say("# %s connection %s:%d -> %s" % ((proto,) + s.getsockname() + (dst,)))
    m1 = b"before the ICMP" * 10
    say("# first round trip: %s" % round_trip(s, proto, m1))

    # 1. out of window: the connection is idle, snd_una == snd_nxt; the
    # quote says snd_nxt + 2^31, as far from the window as can be
    pkts = flow.packets()
    if not pkts:
        raise SystemExit("# saw none of our own segments on %s" % iface)
    last = pkts[-1]
    plen, sf = flow.payload(last)
    nxt = (seq_of(last) + plen + sf) & 0xffffffff
    say("# idle: snd_nxt %u by the wire%s; quoting seq %u" %
        (nxt, seqs(s, proto), (nxt + (1 << 31)) & 0xffffffff))
    put_file(d + "/oow.quote", quote_with_seq(last, nxt + (1 << 31)).hex())
    wait_file(d + "/oow.sent")
    rt = round_trip(s, proto, b"after an out-of-window ICMP" * 10)
    err = so_error(s)
    st = state(s, proto)
    say("result oow so_error=%s state=%s echo=%s" % (ename(err), st, rt))

    # 2. in window: R drops everything to B, so the next message stays
    # unacknowledged; quote its first transmission as it left
    flow.packets()                      # drain
    put_file(d + "/block", "")
    wait_file(d + "/blocked")
    m3 = b"in flight while R says host unreachable" * 10
    s.sendall(m3)
    data = [p for p in flow.packets(timeout=5) if flow.payload(p)[0] > 0]
    if not data:
        raise SystemExit("# the message never left")
    q = data[0]
    ihl = (q[0] & 15) * 4
    say("# in flight: seq %u, %d bytes%s; quoting it" %
        (seq_of(q), flow.payload(q)[0], seqs(s, proto)))
    put_file(d + "/inwin.quote", q[:ihl + 8].hex())
    wait_file(d + "/inwin.sent")
    t0 = time.monotonic()
    err = 0
    while time.monotonic() - t0 < 1.0:
        err = so_error(s)
        if err:
            break
        time.sleep(0.01)
    ms = (time.monotonic() - t0) * 1000
    st = state(s, proto)
    say("result inwin so_error=%s ms=%.1f state=%s" % (ename(err), ms, st))

    # 3. R forwards again: the message in flight gets through, is echoed
    put_file(d + "/unblock", "")
    wait_file(d + "/unblocked")
    try:
        back = recv_msg(s, proto, len(m3))
        rt = "ok" if back == m3 else "mismatch"
    except OSError as e:
        rt = ename(e.errno) if e.errno else "timeout"
    err = so_error(s)
    st = state(s, proto)
    rt2 = round_trip(s, proto, b"and after" * 10) if rt == "ok" else "-"
    say("result after so_error=%s state=%s echo=%s next=%s" %
        (ename(err), st, rt, rt2))
    s.close()
    return 0


def soft_client(proto, src, dst, iface, d):
    """cmd_soft_client, then D/done whatever happened, so that the
    script stops waiting for the next step at once."""
    try:
        return cmd_soft_client(proto, src, dst, iface, d)
    finally:
        put_file(d + "/done", "")


# --- path MTU ------------------------------------------------------------------

def content(seed, i, n):
    import _random  # pylint: disable=import-outside-toplevel
    if n == 0:
        return b""
    return _random.Random(seed * 1000 + i).getrandbits(8 * n).to_bytes(
        n, "little")


def cmd_pmtu_recv(proto, a, seed, sizes):
    if proto == "toy":
        ls = toysocket.create_server(addr(a))
    else:
        ls = socket.create_server(addr(a))
    say("listening on %s (%s)" % (a, proto))
    ls.settimeout(2 * WAIT)
    c, peer = ls.accept()
    c.settimeout(2 * WAIT)
    say("# connection from %s:%d" % peer)
    bad = []
    try:
        for i, n in enumerate(sizes):
            if proto == "tcp":
                n = struct.unpack("!I", recv_exact(c, 4))[0]
            m = recv_msg(c, proto, n)
            want = content(seed, i, sizes[i])
            if m != want:
                off = next((k for k in range(min(len(m), len(want)))
                            if m[k] != want[k]), min(len(m), len(want)))
                bad.append("message %d: %d bytes, want %d, first difference "
                           "at byte %d" % (i, len(m), len(want), off))
            if len(m) >= 1 << 20:
                say("# message %d: %d bytes, SHA-256 %s" %
                    (i, len(m), sha256_hex(m)))
    except OSError as e:
        bad.append("receiving: %s" % (ename(e.errno) if e.errno else e))
    verdict = "OK %d messages byte-identical" % len(sizes) if not bad else \
        "BAD " + "; ".join(bad[:3])
    say("# receiver: " + verdict)
    try:
        if proto == "tcp":
            c.sendall(verdict.encode() + b"\n")
        else:
            c.send(verdict.encode())
    except OSError:
        pass
    c.close()
    return 0 if not bad else 1


def cmd_pmtu_send(proto, dst, seed, sizes):
    s = new_socket(proto)
    s.settimeout(2 * WAIT)
    s.connect(addr(dst))
    say("# %s %s:%d -> %s, seed %d, %d messages: %s bytes" %
        ((proto,) + s.getsockname() + (dst, seed, len(sizes),
                                        ",".join(map(str, sizes)))))
    say("result mss-connect %d" % mss(s, proto))
    msgs = [content(seed, i, n) for i, n in enumerate(sizes)]
    for m in msgs:
        if len(m) >= 1 << 20:
            say("# sending %d bytes, SHA-256 %s" % (len(m), sha256_hex(m)))
    t0 = time.monotonic()
    try:
        for m in msgs:
            if proto == "toy":
                if s.send(m) != len(m):
                    raise OSError(errno.EMSGSIZE, "short send")
            else:
                s.sendall(struct.pack("!I", len(m)) + m)
        if proto == "toy":
            verdict = s.recv_message().decode()
        else:
            verdict = b""
            while not verdict.endswith(b"\n"):
                b = s.recv(4096)
                if not b:
                    break
                verdict += b
            verdict = verdict.decode().strip()
    except OSError as e:
        verdict = "sender: %s" % (ename(e.errno) if getattr(e, "errno", 0)
                                   else "timed out")
    secs = time.monotonic() - t0
    extra = ""
    if proto == "toy":
        i = s.info()
        extra = " (TOY_MAXSEG %d, retrans %d)" % (s.mss(), i["retrans"])
    say("# after %.2f s: %s; state %s%s" % (secs, verdict, state(s, proto),
                                            extra))
    say("result mss-after %d" % mss(s, proto))
    say("result seconds %.2f" % secs)
    say("result verdict %s" % verdict)
    s.close()
    return 0 if verdict.startswith("OK") else 1


def main(argv):
    cmds = {
        "connect": (lambda p, s, d, w: cmd_connect(p, s, d, float(w)), 4),
        "prot-unreach": (cmd_prot_unreach, 2),
        "icmp": (cmd_icmp, 4),
        "echo-server": (cmd_echo_server, 2),
        "soft-client": (soft_client, 5),
        "pmtu-recv": (lambda p, a, s, z: cmd_pmtu_recv(
            p, a, int(s), [int(x) for x in z.split(",")]), 4),
        "pmtu-send": (lambda p, a, s, z: cmd_pmtu_send(
            p, a, int(s), [int(x) for x in z.split(",")]), 4),
    }
    if len(argv) < 2 or argv[1] not in cmds or \
            len(argv) - 2 != cmds[argv[1]][1]:
        print(__doc__)
        return 2
    return cmds[argv[1]][0](*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
