# SPDX-License-Identifier: LGPL-2.1-or-later
"""toysocket: AF_TOY sockets with Python's socket API.

AF_TOY is a reliable, message-oriented transport over IPv4 (a Linux kernel
module): connections are set up and torn down like TCP's, but every send()
is one message and every recv() returns exactly one message.

A program written for TCP with the socket module runs on AF_TOY after two
edits:

    import toysocket as socket                          # was: import socket
    s = socket.socket(socket.AF_TOY, socket.SOCK_SEQPACKET)
                                            # was: AF_INET, SOCK_STREAM

(or ``from toysocket import *`` for ``from socket import *``). Everything
else - bind, listen, accept, connect, send, sendall, recv, close, shutdown,
setsockopt, settimeout, with-blocks, select/poll/epoll on fileno() - keeps
its meaning, and addresses are the same ``(host, port)`` tuples as AF_INET.
``socket.socket()`` with no arguments makes an AF_TOY socket.

Why a module is needed at all: CPython's socket module only knows the
address formats of the families it was built with. For any other family it
refuses to parse or build addresses ("getsockaddrarg: bad family",
"getsockaddrlen: bad family"), so bind(), connect(), accept(),
getsockname(), getpeername() and recvfrom() fail, while everything that
does not carry an address (send, recv, setsockopt, ...) works. This class
does those calls (and recvmsg) itself, through libc with ctypes, on the
same file descriptor, and leaves the rest to socket.socket.

One difference from TCP to keep in mind: recv(bufsize) returns one message;
if the message is longer than bufsize, the rest of it is discarded (as with
UDP). Use a bufsize as large as your largest message, or recv_message(),
which returns one whole message of any size.

Extras: recv_message(), info() (the kernel's TOY_INFO: RTT, congestion
window, retransmissions...), mss(), set_nodelay(), create_connection(),
create_server(), available().
"""

import ctypes
import errno as _errno
import os as _os
import select as _select
import socket as _socket
import struct as _struct
import time as _time

# Everything the socket module has, so "import toysocket as socket" keeps
# SOL_SOCKET, SO_REUSEADDR, gethostname, timeout, ... working.
from socket import *  # noqa: F401,F403 pylint: disable=wildcard-import,unused-wildcard-import

# <linux/toy.h>
AF_TOY = 19
PF_TOY = AF_TOY
IPPROTO_TOY = 253
SOL_TOY = 300
TOY_INFO = 1
TOY_MAXSEG = 2
TOY_NODELAY = 3

STATES = {
    1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
    5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
    9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
}

# struct toy_info: every pad explicit, so the same 96 bytes on any ABI
_INFO = _struct.Struct("=4B15I4Q")
_INFO_FIELDS = (
    "state", "ca_state", "backoff", "pad", "mss", "rtt_us", "rttvar_us",
    "rto_us", "snd_cwnd", "snd_ssthresh", "snd_wnd", "rcv_wnd", "snd_una",
    "snd_nxt", "rcv_nxt", "unacked", "retrans", "lost", "pad2", "bytes_sent",
    "bytes_received", "msgs_sent", "msgs_received",
)

_SOCKADDR_LEN = 16      # struct sockaddr_toy, laid out like sockaddr_in
_MSG_PEEK = getattr(_socket, "MSG_PEEK", 2)
_MSG_TRUNC = getattr(_socket, "MSG_TRUNC", 0x20)
_SOCK_CLOEXEC = getattr(_socket, "SOCK_CLOEXEC", 0o2000000)

try:
    _libc = ctypes.CDLL(None, use_errno=True)      # the running process
    _libc.bind  # pylint: disable=pointless-statement
except (OSError, AttributeError):
    _libc = ctypes.CDLL("libc.so.6", use_errno=True)

_socklen_p = ctypes.POINTER(ctypes.c_uint32)
for _name in ("bind", "connect"):
    getattr(_libc, _name).argtypes = (ctypes.c_int, ctypes.c_char_p,
                                      ctypes.c_uint32)
    getattr(_libc, _name).restype = ctypes.c_int
for _name in ("getsockname", "getpeername"):
    getattr(_libc, _name).argtypes = (ctypes.c_int, ctypes.c_char_p,
                                      _socklen_p)
    getattr(_libc, _name).restype = ctypes.c_int
_libc.accept4.argtypes = (ctypes.c_int, ctypes.c_char_p, _socklen_p,
                          ctypes.c_int)
_libc.accept4.restype = ctypes.c_int


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


def _resolve(host):
    """An IPv4 address string for host ('' means any, as in AF_INET)."""
    if host in ("", None):
        return "0.0.0.0"
    if host == "<broadcast>":
        return "255.255.255.255"
    if host == "localhost":
        return "127.0.0.1"
    try:
        return inet_ntoa(inet_aton(host))
    except OSError:
        return gethostbyname(host)


def pack_address(address):
    """(host, port) -> the 16 bytes of a struct sockaddr_toy."""
    if not isinstance(address, tuple) or len(address) != 2:
        raise TypeError("AF_TOY address must be a (host, port) tuple, not %r"
                        % (address,))
    host, port = address
    if not isinstance(port, int) or not 0 <= port <= 65535:
        raise OverflowError("port must be 0-65535, not %r" % (port,))
    return (_struct.pack("=H", AF_TOY) + _struct.pack("!H", port) +
            inet_aton(_resolve(host)) + bytes(8))


def unpack_address(raw):
    """The bytes of a struct sockaddr_toy -> (host, port)."""
    if len(raw) < 8:
        raise OSError(_errno.EINVAL, "short AF_TOY address")
    port, = _struct.unpack("!H", raw[2:4])
    return inet_ntoa(raw[4:8]), port


def _raise_errno(what):
    err = ctypes.get_errno()
    raise OSError(err, "%s: %s" % (what, _os.strerror(err)))


def _wait(fd, events, deadline):
    """poll() fd for events until deadline (time.monotonic(), or None)."""
    poller = _select.poll()
    poller.register(fd, events)
    while True:
        if deadline is None:
            left = None
        else:
            left = max(0, int((deadline - _time.monotonic()) * 1000))
        if poller.poll(left):
            return
        if deadline is not None and _time.monotonic() >= deadline:
            raise timeout("timed out")


class socket(_socket.socket):  # pylint: disable=function-redefined
    """socket.socket that also speaks AF_TOY (the default family).

    For other families every method is socket.socket's own.
    """

    def __init__(self, family=AF_TOY, type=SOCK_SEQPACKET, proto=0,
                 fileno=None):  # pylint: disable=redefined-builtin
        super().__init__(family, type, proto, fileno)

    def _toy(self):
        return self.family == AF_TOY

    def _deadline(self):
        t = self.gettimeout()
        return None if t is None else _time.monotonic() + t

    def bind(self, address):
        if not self._toy():
            return super().bind(address)
        raw = pack_address(address)
        if _libc.bind(self.fileno(), raw, len(raw)) < 0:
            _raise_errno("bind to %s:%d" % (_resolve(address[0]), address[1]))
        return None

    def connect_ex(self, address):
        """connect() that returns an errno value (0: connected)."""
        if not self._toy():
            return super().connect_ex(address)
        raw = pack_address(address)
        fd = self.fileno()
        if _libc.connect(fd, raw, len(raw)) == 0:
            return 0
        err = ctypes.get_errno()
        t = self.gettimeout()
        # As CPython: a socket with a timeout waits for the handshake here
        # (its descriptor is non-blocking); a blocking one waits after EINTR
        # only. EINPROGRESS on a blocking socket means SO_SNDTIMEO ran out.
        if not ((err == _errno.EINPROGRESS and t) or err == _errno.EINTR):
            return err
        try:
            _wait(fd, _select.POLLOUT, self._deadline())
        except timeout:
            return _errno.EWOULDBLOCK    # what CPython's connect_ex says
        return self.getsockopt(SOL_SOCKET, SO_ERROR)

    def connect(self, address):
        if not self._toy():
            return super().connect(address)
        err = self.connect_ex(address)
        if err == _errno.EWOULDBLOCK and self.gettimeout():
            raise timeout("timed out")
        if err == _errno.EINPROGRESS:
            raise BlockingIOError(err, _os.strerror(err))
        if err:
            raise OSError(err, "connect to %s:%d: %s" % (
                _resolve(address[0]), address[1], _os.strerror(err)))
        return None

    def _accept_fd(self):
        fd = self.fileno()
        deadline = self._deadline()
        raw = ctypes.create_string_buffer(_SOCKADDR_LEN)
        while True:
            if deadline is not None:     # O_NONBLOCK is set: poll first
                _wait(fd, _select.POLLIN, deadline)
            size = ctypes.c_uint32(_SOCKADDR_LEN)
            newfd = _libc.accept4(fd, raw, ctypes.byref(size), _SOCK_CLOEXEC)
            if newfd >= 0:
                return newfd, unpack_address(raw.raw[:size.value])
            err = ctypes.get_errno()
            if err == _errno.EINTR:
                continue                 # signal handlers run meanwhile
            if err in (_errno.EAGAIN, _errno.EWOULDBLOCK) and deadline:
                continue
            raise OSError(err, "accept: %s" % _os.strerror(err))

    def accept(self):
        """Wait for a connection: (new socket, (host, port) of the peer)."""
        if not self._toy():
            return super().accept()
        newfd, addr = self._accept_fd()
        sock = socket(self.family, self.type, self.proto, fileno=newfd)
        # as socket.socket.accept: the new socket follows the default
        if getdefaulttimeout() is None and self.gettimeout():
            sock.setblocking(True)
        return sock, addr

    def _name(self, call, what):
        raw = ctypes.create_string_buffer(_SOCKADDR_LEN)
        size = ctypes.c_uint32(_SOCKADDR_LEN)
        if call(self.fileno(), raw, ctypes.byref(size)) < 0:
            _raise_errno(what)
        return unpack_address(raw.raw[:size.value])

    def getsockname(self):
        if not self._toy():
            return super().getsockname()
        return self._name(_libc.getsockname, "getsockname")

    def getpeername(self):
        if not self._toy():
            return super().getpeername()
        return self._name(_libc.getpeername, "getpeername")

    def recvfrom(self, bufsize, flags=0):
        """recv() and the peer's address (a connection has only one)."""
        if not self._toy():
            return super().recvfrom(bufsize, flags)
        return self.recv(bufsize, flags), self.getpeername()

    def recvfrom_into(self, buffer, nbytes=0, flags=0):
        if not self._toy():
            return super().recvfrom_into(buffer, nbytes, flags)
        return self.recv_into(buffer, nbytes, flags), self.getpeername()

    def recvmsg(self, bufsize, ancbufsize=0, flags=0):
        """recvmsg(): (data, [], msg_flags, address). msg_flags has
        MSG_EOR for a whole message and MSG_TRUNC when the message was
        longer than bufsize. Ancillary data is not supported (AF_TOY sends
        none).
        """
        if not self._toy():
            return super().recvmsg(bufsize, ancbufsize, flags)
        if bufsize < 0:
            raise ValueError("negative buffer size in recvmsg()")
        buf = ctypes.create_string_buffer(max(bufsize, 1))
        name = ctypes.create_string_buffer(_SOCKADDR_LEN)
        iov = _Iovec(ctypes.cast(buf, ctypes.c_void_p), bufsize)
        deadline = self._deadline()
        fd = self.fileno()
        while True:
            if deadline is not None:     # O_NONBLOCK is set: poll first
                _wait(fd, _select.POLLIN, deadline)
            msg = _Msghdr(ctypes.cast(name, ctypes.c_void_p), _SOCKADDR_LEN,
                          ctypes.pointer(iov), 1, None, 0, 0)
            n = _libc.recvmsg(fd, ctypes.byref(msg), flags)
            if n >= 0:
                addr = (unpack_address(name.raw[:msg.msg_namelen])
                        if msg.msg_namelen >= 8 else None)
                return buf.raw[:min(n, bufsize)], [], msg.msg_flags, addr
            err = ctypes.get_errno()
            if err == _errno.EINTR:
                continue
            if err in (_errno.EAGAIN, _errno.EWOULDBLOCK) and deadline:
                continue
            raise OSError(err, "recvmsg: %s" % _os.strerror(err))

    def dup(self):
        return socket(self.family, self.type, self.proto,
                      fileno=_os.dup(self.fileno()))

    # ---- AF_TOY extras ------------------------------------------------

    def next_message_size(self):
        """Length of the next message, left queued; 0 at end of stream.

        recv(MSG_PEEK | MSG_TRUNC) returns a message's real length; Python's
        recv() would hand back only the bytes copied, recv_into() tells it.
        """
        return self.recv_into(bytearray(1), 1, _MSG_PEEK | _MSG_TRUNC)

    def recv_message(self, flags=0):
        """One whole message of any size; b'' at end of stream."""
        n = self.next_message_size()
        if n == 0:
            return b""
        return self.recv(n, flags)

    def info(self):
        """The kernel's TOY_INFO for this socket, as a dict."""
        raw = self.getsockopt(SOL_TOY, TOY_INFO, _INFO.size)
        d = dict(zip(_INFO_FIELDS, _INFO.unpack(raw[:_INFO.size])))
        d.pop("pad")
        d.pop("pad2")
        d["state_name"] = STATES.get(d["state"], "UNKNOWN")
        return d

    def mss(self):
        """Payload bytes per segment (TOY_MAXSEG)."""
        return self.getsockopt(SOL_TOY, TOY_MAXSEG)

    def set_nodelay(self, on=True):
        """TOY_NODELAY: acknowledge every segment at once."""
        self.setsockopt(SOL_TOY, TOY_NODELAY, 1 if on else 0)


def available():
    """True when this kernel has AF_TOY (the toy module is loaded)."""
    try:
        socket().close()
        return True
    except OSError:
        return False


def create_connection(address, timeout=None):  # pylint: disable=redefined-outer-name
    """A connected AF_TOY socket, like socket.create_connection()."""
    s = socket()
    try:
        if timeout is not None:
            s.settimeout(timeout)
        s.connect(address)
        return s
    except BaseException:
        s.close()
        raise


def create_server(address, backlog=128, reuse_port=False):
    """A listening AF_TOY socket with SO_REUSEADDR, like
    socket.create_server()."""
    if reuse_port:
        raise ValueError("SO_REUSEPORT is not supported by AF_TOY")
    s = socket()
    try:
        s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        s.bind(address)
        s.listen(backlog)
        return s
    except BaseException:
        s.close()
        raise
