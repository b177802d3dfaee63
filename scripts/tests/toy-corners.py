#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Socket-call corners where AF_TOY must answer as TCP does
(26-corners.sh). Each command prints what it saw as "# " lines and exits
0 if the kernel behaved, 1 if not.

  toy-corners.py shut-rd-server ADDR:PORT FLAG
                                              listen; shutdown(SHUT_RD) on
                                              the accepted socket, then
                                              create FLAG; stay
  toy-corners.py shut-rd-client ADDR:PORT N FLAG
                                              connect, wait for FLAG, send N
                                              messages and SHUT_WR; all
                                              must be acknowledged
  toy-corners.py send-after-shut-wr ADDR:PORT send() right after SHUT_WR
  toy-corners.py refused-then-connect DEAD LIVE
                                              connect to DEAD (refused),
                                              then to LIVE on the same socket
  toy-corners.py backlog ADDR:PORT N          listen(N), accept nothing,
                                              connect N + 2 clients
  toy-corners.py after-close ADDR:PORT        once a client has connected
                                              and closed, accept it, read a
                                              message, then print what the
                                              next read gives: EOF or errno
  toy-corners.py send-close ADDR:PORT         connect, send one message,
                                              close
  toy-corners.py shrink-server ADDR:PORT N SIZE
                                              accept, set SO_RCVBUF to 16 KiB,
                                              read N messages of SIZE bytes
  toy-corners.py send-many ADDR:PORT N SIZE   connect, send N messages of
                                              SIZE bytes, wait for the end
  toy-corners.py inherit ADDR:PORT            listeners at PORT and PORT+1
                                              with IP_RECVERR 1 / 0 and two
                                              IP_TOS values: each accepted
                                              socket must have them (TCP's
                                              are printed as the reference)
"""
import errno
import os
import select
import socket as pysocket
import struct
import sys
import time

import toysocket

WAIT = 20.0	# seconds for a condition; a loaded machine is slow
IP_RECVERR = 11	# <linux/in.h>; Python's socket module does not name it


def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def until(cond, secs=WAIT):
    """Poll cond() until it is true or secs pass; its last value."""
    end = time.monotonic() + secs
    while True:
        v = cond()
        if v or time.monotonic() > end:
            return v
        time.sleep(0.05)


def shut_rd_server(a, flag):
    ls = toysocket.create_server(addr(a))
    c, peer = ls.accept()
    c.shutdown(pysocket.SHUT_RD)
    print("# accepted %s:%d, shut down for reading" % peer, flush=True)
    with open(flag, "w"):  # pylint: disable=unspecified-encoding
        pass
    # keep the socket until killed
    select.select([], [], [], 3600)


def shut_rd_client(a, n, flag):
    s = toysocket.create_connection(addr(a), timeout=WAIT)
    # only once the peer has shut down its reading side
    if not until(lambda: os.path.exists(flag)):
        print("# the server never shut down its reading side")
        return 1
    for i in range(n):
        s.send(b"m%d" % i * 100)
    s.shutdown(pysocket.SHUT_WR)
    ok = until(lambda: s.info()["unacked"] == 0)
    i = s.info()
    print("# after SHUT_WR: state %s unacked %d retrans %d" %
          (i["state_name"], i["unacked"], i["retrans"]))
    return 0 if ok else 1


def send_after_shut_wr(a):
    s = toysocket.create_connection(addr(a), timeout=WAIT)
    # blocking: with a timeout Python polls for POLLOUT before send()
    s.settimeout(None)
    s.shutdown(pysocket.SHUT_WR)
    try:
        s.send(b"late", pysocket.MSG_NOSIGNAL)
        print("# send after SHUT_WR succeeded")
        return 1
    except OSError as e:
        print("# send after SHUT_WR: %s (state %s)" %
              (errno.errorcode.get(e.errno), s.info()["state_name"]))
        return 0 if e.errno == errno.EPIPE else 1


def proc_lists(local):
    with open("/proc/net/toy") as f:  # pylint: disable=unspecified-encoding
        return any(line.split()[1] == local for line in f)


def refused_then_connect(dead, live):
    s = toysocket.socket()
    # blocking calls, bounded by SO_SNDTIMEO: after a refused non-blocking
    # connect, the next connect() reports ECONNABORTED first, as TCP's does
    s.setsockopt(pysocket.SOL_SOCKET, pysocket.SO_SNDTIMEO,
                 struct.pack("ll", int(WAIT), 0))
    err = s.connect_ex(addr(dead))
    print("# connect to %s: %s" % (dead, errno.errorcode.get(err, err)))
    if err != errno.ECONNREFUSED:
        return 1
    err = s.connect_ex(addr(live))
    if err:
        print("# connect to %s afterwards: %s" %
              (live, errno.errorcode.get(err, err)))
        return 1
    local = "%s:%d" % s.getsockname()
    s.send(b"hello")
    echo = s.recv(64)
    listed = proc_lists(local)
    print("# connected from %s, echo %r, in /proc/net/toy: %s" %
          (local, echo, listed))
    return 0 if echo == b"hello" and listed else 1


def children(local):
    """Connections accepted into the queue of the listener at @local."""
    with open("/proc/net/toy") as f:  # pylint: disable=unspecified-encoding
        return sum(w[1] == local and w[3] == "ESTABLISHED"
                   for w in (line.split() for line in f))


def backlog(a, n):
    ls = toysocket.create_server(addr(a), backlog=n)
    local = "%s:%d" % ls.getsockname()
    clients = []
    for _ in range(n + 2):
        c = toysocket.socket()
        c.setblocking(False)
        err = c.connect_ex(addr(a))
        if err not in (0, errno.EINPROGRESS):
            print("# connect: %s" % errno.errorcode.get(err, err))
            return 1
        clients.append(c)

    # TCP admits N + 1 to the accept queue: wait for them, then until
    # every client still waiting has sent its SYN again, unanswered
    until(lambda: children(local) >= n + 1)
    until(lambda: all(c.info()["retrans"] >= 1 for c in clients
                      if c.info()["state_name"] == "SYN_SENT") and
          any(c.info()["state_name"] == "SYN_SENT" for c in clients))
    got = children(local)
    print("# listen(%d): %d of %d clients accepted into the queue" %
          (n, got, n + 2))
    ls.close()
    return 0 if got == n + 1 else 1


def after_close(a):
    ls = toysocket.create_server(addr(a))
    local = "%s:%d" % ls.getsockname()
    # accept only after the client is done: its connection completed
    # (queued for accept) and its close arrived (no longer ESTABLISHED,
    # whether it ended in end of stream or in a reset)
    if not select.select([ls], [], [], 2 * WAIT)[0]:
        print("# nobody connected")
        return 1
    until(lambda: children(local) == 0)
    ls.settimeout(WAIT)
    c, _ = ls.accept()
    c.settimeout(WAIT)
    first = c.recv(64)
    try:
        nxt = c.recv(64)
        print("EOF" if nxt == b"" else "data %r" % nxt)
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))
    return 0 if first == b"bye" else 1


def send_close(a):
    s = toysocket.create_connection(addr(a), timeout=WAIT)
    s.send(b"bye")
    s.close()
    return 0


def pattern(i, size):
    return bytes([(i * 7 + 1) & 0xff]) * size


def shrink_server(a, n, size):
    ls = toysocket.create_server(addr(a))
    c, _ = ls.accept()
    c.setsockopt(pysocket.SOL_SOCKET, pysocket.SO_RCVBUF, 16384)
    print("# SO_RCVBUF now %d" %
          c.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_RCVBUF))
    c.settimeout(4 * WAIT)
    for i in range(n):
        m = c.recv(size + 1)
        if m != pattern(i, size):
            print("# message %d: %d bytes, not the ones sent" % (i, len(m)))
            return 1
    print("# all %d messages of %d bytes read" % (n, size))
    c.close()
    return 0


def send_many(a, n, size):
    s = toysocket.create_connection(addr(a), timeout=4 * WAIT)
    for i in range(n):
        s.send(pattern(i, size))
    s.shutdown(pysocket.SHUT_WR)
    end = s.recv(1)
    return 0 if end == b"" else 1


def inherit(a):
    """An accepted socket starts with its listener's IP options, as a TCP
    child (a clone of the listener) does: IP_RECVERR decides whether an
    ICMP soft error fails the next call (icmp.c), IP_TOS marks every
    segment. Returns 1 if AF_TOY's child differs from its listener."""
    host, port = addr(a)
    bad = 0
    for i, (recverr, tos) in enumerate(((1, 0x10), (0, 0x08))):
        for name, mk in (("TCP", lambda: pysocket.socket(pysocket.AF_INET,
                                                          pysocket.SOCK_STREAM)),
                         ("AF_TOY", toysocket.socket)):
            ls = mk()
            ls.setsockopt(pysocket.SOL_IP, IP_RECVERR, recverr)
            ls.setsockopt(pysocket.SOL_IP, pysocket.IP_TOS, tos)
            ls.bind((host, port + i))
            ls.listen(1)
            ls.settimeout(WAIT)
            c = mk()
            c.settimeout(WAIT)
            c.connect((host, port + i))
            s, _ = ls.accept()
            got = (s.getsockopt(pysocket.SOL_IP, IP_RECVERR),
                   s.getsockopt(pysocket.SOL_IP, pysocket.IP_TOS))
            print("# %s: listener IP_RECVERR %d IP_TOS %#x -> accepted "
                  "IP_RECVERR %d IP_TOS %#x" % ((name, recverr, tos) + got))
            if name == "AF_TOY" and got != (recverr, tos):
                bad = 1
            for x in (s, c, ls):
                x.close()
    return bad


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "shut-rd-server":
        shut_rd_server(args[0], args[1])
        return 0
    if cmd == "shut-rd-client":
        return shut_rd_client(args[0], int(args[1]), args[2])
    if cmd == "send-after-shut-wr":
        return send_after_shut_wr(args[0])
    if cmd == "refused-then-connect":
        return refused_then_connect(args[0], args[1])
    if cmd == "backlog":
        return backlog(args[0], int(args[1]))
    if cmd == "after-close":
        return after_close(args[0])
    if cmd == "send-close":
        return send_close(args[0])
    if cmd == "shrink-server":
        return shrink_server(args[0], int(args[1]), int(args[2]))
    if cmd == "send-many":
        return send_many(args[0], int(args[1]), int(args[2]))
    if cmd == "inherit":
        return inherit(args[0])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
