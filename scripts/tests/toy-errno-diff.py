#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Differential errno test (21-errno-diff.sh): the same sequences of socket
calls on TCP (AF_INET, SOCK_STREAM) and on AF_TOY (SOCK_SEQPACKET), in the
same kernel, one after the other; the outcome of every call (ok, EOF, or
the errno's name; a value where the call returns one) is compared. TCP's
answers are measured here, never taken from a table.

  toy-errno-diff.py [-p PREFIX] [-b PORT] [-a ADDR] [-s NETNS] [-u ADDR]
                    [-n ADDR] [SEQUENCE...]

  -p PREFIX   prefix of the result names ("lo: ")
  -b PORT     first port; every sequence takes fresh ones (default 21000)
  -a ADDR     the listeners' address (default 127.0.0.1)
  -s NETNS    make listeners (and the sockets of the bind sequences) in
              this named network namespace (/run/netns/NETNS); clients
              stay in the caller's. Default: all in the caller's
  -u ADDR     an address routed from the clients' namespace where nobody
              answers, so a SYN to it stays unanswered (default 10.0.0.99)
  -n ADDR     an address that is not local (default 192.0.2.1)
  SEQUENCE    run only these sequences (default: all)

Output: a side-by-side table as "# " lines, then one result line per
sequence: "PASS: <prefix><sequence>" when TCP and AF_TOY agree on every
call, or when they differ and the sequence is in INTENDED (below);
"FAIL: <prefix><sequence>" after "# " lines naming each call that differs
(or for a sequence in INTENDED where they agree: the table is stale).
Exit status 1 if any FAIL.
"""
# The sequences are named for what they do; % formatting as the other tests
# pylint: disable=missing-function-docstring,consider-using-f-string
# pylint: disable=too-many-lines
import ctypes
import errno
import os
import select
import socket
import struct
import sys
import time

import toysocket

WAIT = 5.0              # seconds for a condition (and for a blocking call)
SHORT = 0.2             # SO_RCVTIMEO / SO_SNDTIMEO of the time-out sequences

# The one table of the differences AF_TOY makes on purpose: sequence ->
# why. A sequence listed here passes when TCP and AF_TOY disagree (and
# fails when they agree: the entry is stale). Every other sequence must
# give the same outcome on both, call by call. userspace/man/toy.7 (ERRORS,
# "Differences from TCP") lists the same.
INTENDED = {
    "send-empty":
        "a message of 0 bytes is EINVAL on AF_TOY (there is no empty "
        "message); TCP sends nothing and returns 0",
    "message-boundaries":
        "SOCK_SEQPACKET: one recv() returns one message; TCP's byte stream "
        "returns both sends at once",
    "recv-short-buffer":
        "SOCK_SEQPACKET: recv() with a short buffer discards the rest of "
        "the message (as UDP); TCP leaves it for the next recv()",
    "recvmsg-eor-trunc":
        "SOCK_SEQPACKET: recvmsg() sets MSG_EOR on a whole message and "
        "MSG_TRUNC on a cut one; a byte stream sets neither",
    "send-oob":
        "no urgent data in AF_TOY: MSG_OOB is EOPNOTSUPP (as SCTP and "
        "unix SEQPACKET); TCP sends one urgent byte",
    "recv-oob":
        "no urgent data in AF_TOY: MSG_OOB is EOPNOTSUPP; TCP says EINVAL "
        "when no urgent byte is there",
    "send-bigger-than-sndbuf":
        "a message is sent whole or not at all: larger than SO_SNDBUF is "
        "EMSGSIZE; TCP sends what fits",
    "so-type":
        "SO_TYPE is SOCK_SEQPACKET (5), TCP's SOCK_STREAM (1)",
}

SOL_SOCKET = socket.SOL_SOCKET
UNKNOWN_LEVEL = 9999    # no protocol has this socket option level
UNKNOWN_OPT = 9999      # no SOL_SOCKET option has this number
POLLRDHUP = getattr(select, "POLLRDHUP", 0x2000)
CLONE_NEWNET = 0x40000000
TCP_INFO = getattr(socket, "TCP_INFO", 11)
TCP_STATES = toysocket.STATES

_libc = ctypes.CDLL(None, use_errno=True)
_socklen_p = ctypes.POINTER(ctypes.c_uint32)
for _n in ("bind", "connect"):
    getattr(_libc, _n).argtypes = (ctypes.c_int, ctypes.c_char_p,
                                   ctypes.c_uint32)
    getattr(_libc, _n).restype = ctypes.c_int
for _n in ("getsockname", "getpeername"):
    getattr(_libc, _n).argtypes = (ctypes.c_int, ctypes.c_char_p, _socklen_p)
    getattr(_libc, _n).restype = ctypes.c_int
_libc.accept4.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                          ctypes.c_int)
_libc.accept4.restype = ctypes.c_int
_libc.setns.argtypes = (ctypes.c_int, ctypes.c_int)
_libc.setns.restype = ctypes.c_int


class _Iovec(ctypes.Structure):  # pylint: disable=too-few-public-methods
    _fields_ = [("iov_base", ctypes.c_void_p), ("iov_len", ctypes.c_size_t)]


class _Msghdr(ctypes.Structure):  # pylint: disable=too-few-public-methods
    _fields_ = [("msg_name", ctypes.c_void_p),
                ("msg_namelen", ctypes.c_uint32),
                ("msg_iov", ctypes.POINTER(_Iovec)),
                ("msg_iovlen", ctypes.c_size_t),
                ("msg_control", ctypes.c_void_p),
                ("msg_controllen", ctypes.c_size_t),
                ("msg_flags", ctypes.c_int)]


_libc.recvmsg.argtypes = (ctypes.c_int, ctypes.POINTER(_Msghdr), ctypes.c_int)
_libc.recvmsg.restype = ctypes.c_ssize_t


def errname(e):
    if e == errno.EOPNOTSUPP:
        return "EOPNOTSUPP"     # errorcode says ENOTSUP, its other name
    return errno.errorcode.get(e, str(e))


def _check(ret):
    """A libc call's return value, or OSError with its errno."""
    if ret < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return ret


def timeval(secs):
    return struct.pack("ll", int(secs), int(round((secs % 1) * 1e6)))


def raw_addr(family, host, port, length=16):
    """A struct sockaddr_in (= sockaddr_toy) with any family, cut to
    @length bytes."""
    raw = (struct.pack("=H", family) + struct.pack("!H", port) +
           socket.inet_aton(host) + bytes(8))
    return raw[:length]


class Env:  # pylint: disable=too-many-instance-attributes
    """Where the sequences run: addresses, ports, namespaces."""

    def __init__(self):
        self.prefix = ""
        self.port = 21000
        self.addr = "127.0.0.1"
        self.unanswered = "10.0.0.99"
        self.nonlocal_addr = "192.0.2.1"
        self.own_ns = None
        self.srv_ns = None

    def fresh_port(self):
        self.port += 1
        return self.port

    def set_server_ns(self, name):
        for d in ("/run/netns", "/var/run/netns"):
            path = os.path.join(d, name)
            if os.path.exists(path):
                self.srv_ns = os.open(path, os.O_RDONLY)
                self.own_ns = os.open("/proc/self/ns/net", os.O_RDONLY)
                return
        sys.exit("toy-errno-diff: no network namespace %s" % name)

    @staticmethod
    def enter(fd):
        if fd is not None:
            _check(_libc.setns(fd, CLONE_NEWNET))


class Proto:
    """One side of the comparison: TCP or AF_TOY. Plain socket.socket
    objects for both; the calls that carry an address go straight to libc
    (one system call each, the same code for both families), so what is
    compared is the kernel's answer, not a library's."""

    def __init__(self, name, family, stype, env):
        self.name = name
        self.family = family
        self.type = stype
        self.env = env
        self.socks = []

    def _keep(self, s):
        """SO_RCVTIMEO and SO_SNDTIMEO of WAIT, so no call blocks for
        ever; closed after the sequence."""
        s.setsockopt(SOL_SOCKET, socket.SO_RCVTIMEO, timeval(WAIT))
        s.setsockopt(SOL_SOCKET, socket.SO_SNDTIMEO, timeval(WAIT))
        self.socks.append(s)
        return s

    def sock(self, server=False):
        """A new blocking socket, in the servers' namespace if @server."""
        if server:
            self.env.enter(self.env.srv_ns)
        try:
            s = socket.socket(self.family, self.type)
        finally:
            if server:
                self.env.enter(self.env.own_ns)
        return self._keep(s)

    def raw_bind(self, s, raw):
        _check(_libc.bind(s.fileno(), raw, len(raw)))

    def raw_connect(self, s, raw):
        _check(_libc.connect(s.fileno(), raw, len(raw)))

    def bind(self, s, a):
        self.raw_bind(s, raw_addr(self.family, a[0], a[1]))

    def connect(self, s, a):
        self.raw_connect(s, raw_addr(self.family, a[0], a[1]))

    def accept(self, s):
        fd = _check(_libc.accept4(s.fileno(), None, None,
                                  socket.SOCK_CLOEXEC))
        return self._keep(socket.socket(self.family, self.type, 0, fd))

    @staticmethod
    def _name(call, s):
        raw = ctypes.create_string_buffer(16)
        size = ctypes.c_uint32(16)
        _check(call(s.fileno(), raw, ctypes.byref(size)))
        port, = struct.unpack("!H", raw.raw[2:4])
        return "%s:%s" % (socket.inet_ntoa(raw.raw[4:8]),
                          "port>0" if port else "0")

    def sockname(self, s):
        return self._name(_libc.getsockname, s)

    def peername(self, s):
        return self._name(_libc.getpeername, s)

    def state(self, s):
        """(state name, retransmissions) of a connecting socket: TCP_INFO's
        tcpi_state and tcpi_retransmits, TOY_INFO's state and retrans (the
        two protocols number their states alike)."""
        if self.family == toysocket.AF_TOY:
            raw = s.getsockopt(toysocket.SOL_TOY, toysocket.TOY_INFO, 96)
            retrans, = struct.unpack_from("=I", raw, 4 + 12 * 4)
        else:
            raw = s.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 104)
            retrans = raw[2]
        return TCP_STATES.get(raw[0], str(raw[0])), retrans

    def close_all(self):
        for s in self.socks:
            s.close()
        self.socks = []


def recvmsg_flags(s, n):
    """recvmsg() of @n bytes: its msg_flags (MSG_EOR, MSG_TRUNC)."""
    buf = ctypes.create_string_buffer(max(n, 1))
    iov = _Iovec(ctypes.cast(buf, ctypes.c_void_p), n)
    msg = _Msghdr(None, 0, ctypes.pointer(iov), 1, None, 0, 0)
    got = _check(_libc.recvmsg(s.fileno(), ctypes.byref(msg), 0))
    names = [f for f in ("MSG_EOR", "MSG_TRUNC")
             if msg.msg_flags & getattr(socket, f)]
    return "%d bytes, %s" % (got, "|".join(names) or "no flags")


def sockopt_int(s, level, opt):
    v = s.getsockopt(level, opt)
    if level == SOL_SOCKET and opt == socket.SO_ERROR and v:
        return errname(v)
    return str(v)


def outcome(v):
    """The class of a call's return value."""
    if isinstance(v, (bytes, bytearray)):
        return "EOF" if not v else "ok(%d)" % len(v)
    if isinstance(v, str):
        return "ok:" + v
    return "ok"


class Run:
    """The calls of one sequence on one protocol, and their outcomes."""

    def __init__(self, proto):
        self.p = proto
        self.env = proto.env
        self.steps = []

    def do(self, label, fn, *args):
        """Call fn(*args), record its outcome under @label; its value, or
        None if it failed."""
        try:
            v = fn(*args)
        except OSError as e:
            self.steps.append((label, errname(e.errno) if e.errno
                               else type(e).__name__))
            return None
        except Exception as e:  # pylint: disable=broad-except
            # a step that could not even be made (an earlier one failed)
            self.steps.append((label, "(%s)" % type(e).__name__))
            return None
        self.steps.append((label, outcome(v)))
        return v

    def wait(self, label, s, events):
        """poll() s until one of @events (WAIT at most); records "ready"
        or "timeout"."""
        pl = select.poll()
        try:
            pl.register(s, events)
            ready = bool(pl.poll(WAIT * 1000))
        except (OSError, ValueError) as e:
            self.steps.append((label, "(%s)" % type(e).__name__))
            return False
        self.steps.append((label, "ready" if ready else "timeout"))
        return ready

    def listener(self, n=8):
        """A listening socket at a fresh port, listen(n)."""
        ls = self.p.sock(server=True)
        a = (self.env.addr, self.env.fresh_port())
        self.do("bind", self.p.bind, ls, a)
        self.do("listen(%d)" % n, ls.listen, n)
        return ls, a

    def pair(self):
        """listener, connected client, accepted server socket."""
        ls, a = self.listener()
        c = self.p.sock()
        self.do("connect", self.p.connect, c, a)
        s = self.do("accept", self.p.accept, ls)
        return ls, c, s

    def dead(self):
        """An address where nobody listens (a fresh port)."""
        return (self.env.addr, self.env.fresh_port())


# ---- the sequences ---------------------------------------------------------

SEQUENCES = []


def sequence(fn):
    """Register fn as the sequence named after it (_ -> -)."""
    SEQUENCES.append((fn.__name__.replace("_", "-"), fn))
    return fn


@sequence
def connect_on_listener(r):
    ls, a = r.listener()
    r.do("connect() on the listener", r.p.connect, ls, a)
    r.do("connect() elsewhere", r.p.connect, ls, r.dead())


@sequence
def connect_twice(r):
    _, a = r.listener()
    c = r.p.sock()
    r.do("connect", r.p.connect, c, a)
    r.do("connect again", r.p.connect, c, a)


@sequence
def connect_after_refused(r):
    _, a = r.listener()
    c = r.p.sock()
    dead = r.dead()
    r.do("connect(nobody there)", r.p.connect, c, dead)
    r.do("connect(nobody there) again", r.p.connect, c, dead)
    r.do("connect(listener)", r.p.connect, c, a)
    r.do("getpeername", r.p.peername, c)


@sequence
def connect_refused(r):
    c = r.p.sock()
    r.do("connect(nobody there)", r.p.connect, c, r.dead())
    r.do("getsockopt(SO_ERROR)", sockopt_int, c, SOL_SOCKET, socket.SO_ERROR)
    r.do("getpeername", r.p.peername, c)


@sequence
def io_never_connected(r):
    c = r.p.sock()
    r.do("send", c.send, b"x")
    r.do("recv", c.recv, 10)
    r.do("send(MSG_DONTWAIT)", c.send, b"x", socket.MSG_DONTWAIT)
    r.do("recv(MSG_DONTWAIT)", c.recv, 10, socket.MSG_DONTWAIT)


@sequence
def io_bound_only(r):
    c = r.p.sock(server=True)
    r.do("bind", r.p.bind, c, r.dead())
    r.do("send", c.send, b"x")
    r.do("recv", c.recv, 10)


@sequence
def io_on_listener(r):
    ls, _ = r.listener()
    r.do("send() on the listener", ls.send, b"x")
    r.do("recv() on the listener", ls.recv, 10)


@sequence
def accept_not_listening(r):
    s = r.p.sock(server=True)
    r.do("accept() unbound", r.p.accept, s)
    r.do("bind", r.p.bind, s, r.dead())
    r.do("accept() bound", r.p.accept, s)


@sequence
def accept_on_connected(r):
    _, c, s = r.pair()
    r.do("accept() on the client", r.p.accept, c)
    r.do("accept() on the accepted socket", r.p.accept, s)


@sequence
def listen_on_connected(r):
    _, c, s = r.pair()
    r.do("listen() on the client", c.listen, 1)
    r.do("listen() on the accepted socket", s.listen, 1)


@sequence
def listen_twice(r):
    ls, _ = r.listener()
    r.do("listen(1) again", ls.listen, 1)


@sequence
def listen_unbound(r):
    s = r.p.sock(server=True)
    r.do("listen(1) unbound", s.listen, 1)
    r.do("getsockname", r.p.sockname, s)


@sequence
def bind_twice(r):
    s = r.p.sock(server=True)
    a = r.dead()
    r.do("bind", r.p.bind, s, a)
    r.do("bind() same address", r.p.bind, s, a)
    r.do("bind() other port", r.p.bind, s, r.dead())


@sequence
def bind_after_connect(r):
    _, c, _ = r.pair()
    r.do("bind() on the client", r.p.bind, c,
         ("0.0.0.0", r.env.fresh_port()))


@sequence
def bind_nonlocal(r):
    s = r.p.sock(server=True)
    r.do("bind(non-local address)", r.p.bind, s,
         (r.env.nonlocal_addr, r.env.fresh_port()))
    r.do("getsockname", r.p.sockname, s)


@sequence
def bind_in_use_listener(r):
    _, a = r.listener()
    s = r.p.sock(server=True)
    r.do("bind() the listener's address", r.p.bind, s, a)
    r.do("bind() the listener's port, any address", r.p.bind, s,
         ("0.0.0.0", a[1]))


@sequence
def bind_in_use_listener_reuseaddr(r):
    ls = r.p.sock(server=True)
    a = r.dead()
    r.do("setsockopt(SO_REUSEADDR)", ls.setsockopt, SOL_SOCKET,
         socket.SO_REUSEADDR, 1)
    r.do("bind", r.p.bind, ls, a)
    r.do("listen(8)", ls.listen, 8)
    s = r.p.sock(server=True)
    r.do("setsockopt(SO_REUSEADDR)", s.setsockopt, SOL_SOCKET,
         socket.SO_REUSEADDR, 1)
    r.do("bind() the listener's address", r.p.bind, s, a)


@sequence
def bind_in_use_bound(r):
    a = r.dead()
    s1 = r.p.sock(server=True)
    r.do("bind", r.p.bind, s1, a)
    s2 = r.p.sock(server=True)
    r.do("bind() the same address", r.p.bind, s2, a)


@sequence
def bind_in_use_bound_reuseaddr(r):
    a = r.dead()
    s1 = r.p.sock(server=True)
    s2 = r.p.sock(server=True)
    for s in (s1, s2):
        r.do("setsockopt(SO_REUSEADDR)", s.setsockopt, SOL_SOCKET,
             socket.SO_REUSEADDR, 1)
    r.do("bind", r.p.bind, s1, a)
    r.do("bind() the same address", r.p.bind, s2, a)
    r.do("listen() the second", s2.listen, 1)
    r.do("listen() the first", s1.listen, 1)


@sequence
def bind_in_use_connection(r):
    _, a = r.listener()
    c = r.p.sock()
    mine = ("0.0.0.0", r.env.fresh_port())
    r.do("bind", r.p.bind, c, mine)
    r.do("connect", r.p.connect, c, a)
    s = r.p.sock()
    r.do("bind() the connection's port", r.p.bind, s, mine)
    s2 = r.p.sock()
    r.do("setsockopt(SO_REUSEADDR)", s2.setsockopt, SOL_SOCKET,
         socket.SO_REUSEADDR, 1)
    r.do("bind() it with SO_REUSEADDR", r.p.bind, s2, mine)


@sequence
def bind_bad_address(r):
    s = r.p.sock(server=True)
    port = r.env.fresh_port()
    r.do("bind(addrlen 8)", r.p.raw_bind, s,
         raw_addr(r.p.family, "0.0.0.0", port, 8))
    r.do("bind(family AF_UNIX)", r.p.raw_bind, s,
         raw_addr(socket.AF_UNIX, "0.0.0.0", port))
    r.do("bind(family AF_UNIX, addrlen 8)", r.p.raw_bind, s,
         raw_addr(socket.AF_UNIX, "0.0.0.0", port, 8))
    r.do("bind", r.p.bind, s, ("0.0.0.0", port))


@sequence
def bind_unspec_any(r):
    s = r.p.sock(server=True)
    r.do("bind(family AF_UNSPEC, INADDR_ANY)", r.p.raw_bind, s,
         raw_addr(socket.AF_UNSPEC, "0.0.0.0", r.env.fresh_port()))
    r.do("getsockname", r.p.sockname, s)


@sequence
def connect_bad_address(r):
    _, a = r.listener()
    c = r.p.sock()
    r.do("connect(addrlen 8)", r.p.raw_connect, c,
         raw_addr(r.p.family, a[0], a[1], 8))
    r.do("connect(family AF_UNIX)", r.p.raw_connect, c,
         raw_addr(socket.AF_UNIX, a[0], a[1]))


@sequence
def connect_unspec_disconnects(r):
    _, c, _ = r.pair()
    r.do("connect(AF_UNSPEC)", r.p.raw_connect, c,
         raw_addr(socket.AF_UNSPEC, "0.0.0.0", 0))
    r.do("getpeername", r.p.peername, c)


@sequence
def getpeername_unconnected(r):
    s = r.p.sock()
    r.do("getpeername() fresh", r.p.peername, s)
    ls, _ = r.listener()
    r.do("getpeername() on the listener", r.p.peername, ls)


@sequence
def getsockname_unbound(r):
    s = r.p.sock()
    r.do("getsockname", r.p.sockname, s)


@sequence
def shutdown_unconnected(r):
    s = r.p.sock()
    for how in ("SHUT_RD", "SHUT_WR", "SHUT_RDWR"):
        r.do("shutdown(%s)" % how, s.shutdown, getattr(socket, how))


@sequence
def shutdown_bad_how(r):
    s = r.p.sock()
    r.do("shutdown(3) unconnected", s.shutdown, 3)
    _, c, _ = r.pair()
    r.do("shutdown(3)", c.shutdown, 3)
    r.do("shutdown(-1)", c.shutdown, -1)
    r.do("send", c.send, b"x")


@sequence
def shutdown_listener(r):
    ls, a = r.listener()
    r.do("shutdown(SHUT_WR) on the listener", ls.shutdown, socket.SHUT_WR)
    r.do("getsockname", r.p.sockname, ls)
    r.do("shutdown(SHUT_RD) on the listener", ls.shutdown, socket.SHUT_RD)
    ls.setblocking(False)
    r.do("accept(nonblocking)", r.p.accept, ls)
    c = r.p.sock()
    r.do("connect", r.p.connect, c, a)


@sequence
def shutdown_twice(r):
    _, c, _ = r.pair()
    r.do("shutdown(SHUT_WR)", c.shutdown, socket.SHUT_WR)
    r.do("shutdown(SHUT_WR) again", c.shutdown, socket.SHUT_WR)
    r.do("shutdown(SHUT_RDWR)", c.shutdown, socket.SHUT_RDWR)


@sequence
def sockopt_unknown_level(r):
    s = r.p.sock()
    r.do("getsockopt(level %d)" % UNKNOWN_LEVEL, s.getsockopt,
         UNKNOWN_LEVEL, 1)
    r.do("setsockopt(level %d)" % UNKNOWN_LEVEL, s.setsockopt,
         UNKNOWN_LEVEL, 1, 1)
    _, c, _ = r.pair()
    r.do("getsockopt(level %d) connected" % UNKNOWN_LEVEL, c.getsockopt,
         UNKNOWN_LEVEL, 1)
    r.do("setsockopt(level %d) connected" % UNKNOWN_LEVEL, c.setsockopt,
         UNKNOWN_LEVEL, 1, 1)


@sequence
def sockopt_unknown_name(r):
    s = r.p.sock()
    r.do("getsockopt(SOL_SOCKET, %d)" % UNKNOWN_OPT, s.getsockopt,
         SOL_SOCKET, UNKNOWN_OPT)
    r.do("setsockopt(SOL_SOCKET, %d)" % UNKNOWN_OPT, s.setsockopt,
         SOL_SOCKET, UNKNOWN_OPT, 1)


@sequence
def send_after_shut_wr(r):
    _, c, s = r.pair()
    r.do("shutdown(SHUT_WR)", c.shutdown, socket.SHUT_WR)
    r.do("send", c.send, b"x")
    r.do("send again", c.send, b"x")
    r.do("peer: recv", s.recv, 10)
    r.do("peer: send", s.send, b"y")
    r.do("recv", c.recv, 10)


@sequence
def recv_after_shut_rd(r):
    _, c, s = r.pair()
    r.do("shutdown(SHUT_RD)", c.shutdown, socket.SHUT_RD)
    r.do("recv", c.recv, 10)
    r.do("send", c.send, b"x")
    r.do("peer: recv", s.recv, 10)


@sequence
def recv_after_peer_close(r):
    _, c, s = r.pair()
    r.do("peer: close", s.close)
    r.do("recv", c.recv, 10)
    r.do("recv again", c.recv, 10)
    r.do("getsockopt(SO_ERROR)", sockopt_int, c, SOL_SOCKET, socket.SO_ERROR)


@sequence
def send_after_peer_close(r):
    _, c, s = r.pair()
    r.do("peer: close", s.close)
    r.wait("poll(POLLRDHUP): the peer's end of stream", c, POLLRDHUP)
    r.do("send", c.send, b"x")
    r.wait("poll(POLLHUP): the peer's reset", c, select.POLLHUP)
    r.do("send again", c.send, b"x")
    r.do("recv", c.recv, 10)


def peer_reset(r):
    """A connection the peer resets: it closes with a message unread."""
    _, c, s = r.pair()
    r.do("send", c.send, b"x")
    r.wait("peer: poll(POLLIN)", s, select.POLLIN)
    r.do("peer: close with the message unread", s.close)
    r.wait("poll(POLLERR): the reset", c, select.POLLERR)
    return c


@sequence
def send_after_peer_reset(r):
    c = peer_reset(r)
    r.do("send", c.send, b"x")
    r.do("send again", c.send, b"x")
    r.do("recv", c.recv, 10)
    r.do("getpeername", r.p.peername, c)


@sequence
def recv_after_peer_reset(r):
    c = peer_reset(r)
    r.do("recv", c.recv, 10)
    r.do("recv again", c.recv, 10)
    r.do("send", c.send, b"x")


@sequence
def so_error_after_peer_reset(r):
    c = peer_reset(r)
    r.do("getsockopt(SO_ERROR)", sockopt_int, c, SOL_SOCKET, socket.SO_ERROR)
    r.do("send", c.send, b"x")
    r.do("recv", c.recv, 10)


@sequence
def linger0_close(r):
    _, c, s = r.pair()
    r.do("setsockopt(SO_LINGER, {1, 0})", c.setsockopt, SOL_SOCKET,
         socket.SO_LINGER, struct.pack("ii", 1, 0))
    r.do("close", c.close)
    r.wait("peer: poll(POLLERR)", s, select.POLLERR)
    r.do("peer: recv", s.recv, 10)
    r.do("peer: recv again", s.recv, 10)


@sequence
def nb_connect_pending(r):
    c = r.p.sock()
    c.setblocking(False)
    a = (r.env.unanswered, r.env.fresh_port())
    r.do("connect(nobody answers, nonblocking)", r.p.connect, c, a)
    r.do("connect again", r.p.connect, c, a)
    r.do("connect elsewhere", r.p.connect, c, r.dead())
    r.do("getpeername", r.p.peername, c)
    r.do("getsockopt(SO_ERROR)", sockopt_int, c, SOL_SOCKET, socket.SO_ERROR)
    r.do("send", c.send, b"x")
    r.do("recv", c.recv, 10)
    r.do("listen", c.listen, 1)


@sequence
def nb_connect_established(r):
    _, a = r.listener()
    c = r.p.sock()
    c.setblocking(False)
    r.do("connect(nonblocking)", r.p.connect, c, a)
    r.wait("poll(POLLOUT)", c, select.POLLOUT)
    r.do("connect again", r.p.connect, c, a)
    r.do("connect a third time", r.p.connect, c, a)


@sequence
def nb_connect_refused(r):
    c = r.p.sock()
    c.setblocking(False)
    a = r.dead()
    r.do("connect(nobody there, nonblocking)", r.p.connect, c, a)
    r.wait("poll(POLLOUT)", c, select.POLLOUT)
    r.do("getsockopt(SO_ERROR)", sockopt_int, c, SOL_SOCKET, socket.SO_ERROR)
    r.do("getsockopt(SO_ERROR) again", sockopt_int, c, SOL_SOCKET,
         socket.SO_ERROR)
    r.do("connect again", r.p.connect, c, a)


@sequence
def nb_connect_refused_retry(r):
    c = r.p.sock()
    c.setblocking(False)
    a = r.dead()
    r.do("connect(nobody there, nonblocking)", r.p.connect, c, a)
    r.wait("poll(POLLOUT)", c, select.POLLOUT)
    r.do("connect again", r.p.connect, c, a)
    r.do("connect a third time", r.p.connect, c, a)


@sequence
def connect_sndtimeo(r):
    c = r.p.sock()
    r.do("setsockopt(SO_SNDTIMEO, %gs)" % SHORT, c.setsockopt, SOL_SOCKET,
         socket.SO_SNDTIMEO, timeval(SHORT))
    a = (r.env.unanswered, r.env.fresh_port())
    r.do("connect(nobody answers)", r.p.connect, c, a)
    r.do("connect again", r.p.connect, c, a)


@sequence
def accept_nonblocking_empty(r):
    ls, _ = r.listener()
    ls.setblocking(False)
    r.do("accept(nonblocking)", r.p.accept, ls)


@sequence
def accept_rcvtimeo(r):
    ls, _ = r.listener()
    r.do("setsockopt(SO_RCVTIMEO, %gs)" % SHORT, ls.setsockopt, SOL_SOCKET,
         socket.SO_RCVTIMEO, timeval(SHORT))
    r.do("accept", r.p.accept, ls)


@sequence
def recv_nonblocking_empty(r):
    _, c, _ = r.pair()
    r.do("recv(MSG_DONTWAIT)", c.recv, 10, socket.MSG_DONTWAIT)
    r.do("setsockopt(SO_RCVTIMEO, %gs)" % SHORT, c.setsockopt, SOL_SOCKET,
         socket.SO_RCVTIMEO, timeval(SHORT))
    r.do("recv", c.recv, 10)


def backlog(r, n):
    """listen(n), connect n + 2 clients one by one, accepting none: which
    get into the accept queue? A client is settled when it is connected or
    has sent its SYN again unanswered."""
    ls, a = r.listener(n)
    got = []
    for i in range(n + 2):
        c = r.p.sock()
        c.setblocking(False)
        r.do("connect #%d (nonblocking)" % (i + 1), r.p.connect, c, a)

        def settled(c=c):
            st, retrans = r.p.state(c)
            return st == "ESTABLISHED" or (st == "SYN_SENT" and retrans >= 1)
        end = time.monotonic() + WAIT
        while not settled() and time.monotonic() < end:
            time.sleep(0.02)
        got.append(r.p.state(c)[0])
    r.do("clients' states", lambda: ", ".join(
        "%d %s" % (got.count(st), st) for st in sorted(set(got))))
    ls.setblocking(False)
    n_acc = 0
    while r.do("accept #%d" % (n_acc + 1), r.p.accept, ls) is not None:
        n_acc += 1
    r.do("accepted", lambda: str(n_acc))


@sequence
def listen_backlog_0(r):
    backlog(r, 0)


@sequence
def listen_backlog_2(r):
    backlog(r, 2)


# -- the intended differences (INTENDED) --

@sequence
def send_empty(r):
    _, c, s = r.pair()
    r.do("send(b'')", c.send, b"")
    r.do("send(b'x')", c.send, b"x")
    r.do("peer: recv", s.recv, 10)


@sequence
def message_boundaries(r):
    _, c, s = r.pair()
    r.do("send(3 bytes)", c.send, b"abc")
    r.do("send(4 bytes)", c.send, b"defg")
    r.do("shutdown(SHUT_WR)", c.shutdown, socket.SHUT_WR)
    r.wait("peer: poll(POLLRDHUP)", s, POLLRDHUP)
    r.do("peer: recv(100)", s.recv, 100)


@sequence
def recv_short_buffer(r):
    _, c, s = r.pair()
    r.do("send(10 bytes)", c.send, b"0123456789")
    r.wait("peer: poll(POLLIN)", s, select.POLLIN)
    r.do("peer: recv(4)", s.recv, 4)
    r.do("peer: recv(100, MSG_DONTWAIT)", s.recv, 100, socket.MSG_DONTWAIT)


@sequence
def recvmsg_eor_trunc(r):
    _, c, s = r.pair()
    r.do("send(10 bytes)", c.send, b"0123456789")
    r.do("send(10 bytes)", c.send, b"0123456789")
    r.do("shutdown(SHUT_WR)", c.shutdown, socket.SHUT_WR)
    r.wait("peer: poll(POLLRDHUP)", s, POLLRDHUP)
    r.do("peer: recvmsg(4): msg_flags", recvmsg_flags, s, 4)
    r.do("peer: recvmsg(100): msg_flags", recvmsg_flags, s, 100)


@sequence
def send_oob(r):
    _, c, _ = r.pair()
    r.do("send(MSG_OOB)", c.send, b"x", socket.MSG_OOB)


@sequence
def recv_oob(r):
    _, c, _ = r.pair()
    r.do("recv(MSG_OOB)", c.recv, 1, socket.MSG_OOB)


@sequence
def send_bigger_than_sndbuf(r):
    _, c, _ = r.pair()
    r.do("setsockopt(SO_SNDBUF, 64 KiB)", c.setsockopt, SOL_SOCKET,
         socket.SO_SNDBUF, 65536)
    r.do("send(1 MiB, MSG_DONTWAIT)", c.send, bytes(1 << 20),
         socket.MSG_DONTWAIT)


@sequence
def so_type(r):
    s = r.p.sock()
    r.do("getsockopt(SO_TYPE)", sockopt_int, s, SOL_SOCKET, socket.SO_TYPE)


# ---- running and comparing -------------------------------------------------

def run_one(proto, fn):
    r = Run(proto)
    try:
        fn(r)
    finally:
        proto.close_all()
    return r.steps


def table(rows):
    """rows: (sequence, call, tcp, toy, verdict); print them aligned."""
    head = ("sequence", "call", "TCP", "AF_TOY", "verdict")
    w = [max(len(x[i]) for x in rows + [head]) for i in range(4)]
    fmt = "# %%-%ds  %%-%ds  %%-%ds  %%-%ds  %%s" % tuple(w)
    print(fmt % head)
    print(fmt % tuple("-" * n for n in w + [7]))
    for row in rows:
        print(fmt % row)


def compare(name, tcp, toy):
    """Table rows and the calls that differ, for one sequence."""
    rows, diffs = [], []
    for i in range(max(len(tcp), len(toy))):
        label = (tcp[i] if i < len(tcp) else toy[i])[0]
        a = tcp[i][1] if i < len(tcp) else "-"
        b = toy[i][1] if i < len(toy) else "-"
        if a == b:
            verdict = "same"
        else:
            verdict = "intended" if name in INTENDED else "DIFF"
            diffs.append((label, a, b))
        rows.append((name, label, a, b, verdict))
    return rows, diffs


def parse_args(argv, env):
    names = []
    opts = {"-p": "prefix", "-b": "port", "-a": "addr", "-u": "unanswered",
            "-n": "nonlocal_addr"}
    while argv:
        a = argv.pop(0)
        if a in opts and argv:
            v = argv.pop(0)
            setattr(env, opts[a], int(v) if a == "-b" else v)
        elif a == "-s" and argv:
            env.set_server_ns(argv.pop(0))
        elif a.startswith("-"):
            sys.exit(__doc__)
        else:
            names.append(a)
    known = [n for n, _ in SEQUENCES]
    for n in names + list(INTENDED):
        if n not in known:
            sys.exit("toy-errno-diff: no sequence %s" % n)
    return names


def main():
    env = Env()
    names = parse_args(sys.argv[1:], env)
    tcp = Proto("TCP", socket.AF_INET, socket.SOCK_STREAM, env)
    toy = Proto("AF_TOY", toysocket.AF_TOY, socket.SOCK_SEQPACKET, env)
    print("# TCP (AF_INET, SOCK_STREAM) and AF_TOY (SOCK_SEQPACKET): "
          "listeners at %s%s, unanswered %s, non-local %s" %
          (env.addr, " in another namespace" if env.srv_ns is not None
           else "", env.unanswered, env.nonlocal_addr))
    rows, results = [], []
    for name, fn in SEQUENCES:
        if names and name not in names:
            continue
        r_tcp = run_one(tcp, fn)
        r_toy = run_one(toy, fn)
        seq_rows, diffs = compare(name, r_tcp, r_toy)
        rows += seq_rows
        results.append((name, diffs))
    table(rows)

    failed = 0
    for name, diffs in results:
        full = env.prefix + name
        if name in INTENDED:
            if diffs:
                print("PASS: %s (intended: %s)" % (full, INTENDED[name]))
            else:
                print("# %s: TCP and AF_TOY agree, but INTENDED lists it "
                      "as a difference: %s" % (name, INTENDED[name]))
                print("FAIL: %s" % full)
                failed += 1
        elif diffs:
            for label, a, b in diffs:
                print("# %s: %s: TCP %s, AF_TOY %s" % (name, label, a, b))
            print("FAIL: %s" % full)
            failed += 1
        else:
            print("PASS: %s" % full)
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
