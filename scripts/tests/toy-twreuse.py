#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reuse of a 4-tuple that TIME_WAIT holds (16-twreuse.sh).

  toy-twreuse.py server ADDR:PORT WHO
      accept two connections; on the first, read "1" and, if WHO is
      "server", close first (the server keeps TIME_WAIT), else wait for
      the client's end of stream and close; on the second read "2"
  toy-twreuse.py client LOCAL REMOTE WHO
      from LOCAL (bound, SO_REUSEADDR) connect to REMOTE, send "1" and end
      the connection (WHO closes first); once the 4-tuple is in TIME_WAIT
      on WHO's side, connect again from the same LOCAL and send "2"
Each prints what it did; exit status 0 if every step worked.
"""
import os
import socket as pysocket
import struct
import sys
import time

import toysocket

WAIT = 20


def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def time_wait(local, remote):
    """Is local -> remote in TIME_WAIT in this namespace?"""
    with open("/proc/net/toy") as f:  # pylint: disable=unspecified-encoding
        return any(w[1] == local and w[2] == remote and w[3] == "TIME_WAIT"
                   for w in (line.split() for line in f))


def server(a, who):
    ls = toysocket.create_server(addr(a))
    ls.settimeout(3 * WAIT)
    c, peer = ls.accept()
    c.settimeout(WAIT)
    if c.recv(10) != b"1":
        return 1
    if who == "client":
        if c.recv(10) != b"":
            return 1
    c.close()
    print("# first connection from %s:%d ended" % peer, flush=True)
    c, peer = ls.accept()
    c.settimeout(WAIT)
    got = c.recv(10)
    print("# second connection from %s:%d: %r" % (peer[0], peer[1], got))
    return 0 if got == b"2" else 1


def connect_from(local, remote):
    s = toysocket.socket()
    s.setsockopt(pysocket.SOL_SOCKET, pysocket.SO_REUSEADDR, 1)
    # blocking, bounded by SO_SNDTIMEO
    s.setsockopt(pysocket.SOL_SOCKET, pysocket.SO_SNDTIMEO,
                 struct.pack("ll", WAIT, 0))
    s.bind(addr(local))
    s.connect(addr(remote))
    return s


def client(local, remote, who):
    s = connect_from(local, remote)
    s.send(b"1")
    if who == "client":
        s.close()
        where = "%s:%s" % addr(local), "%s:%s" % addr(remote)
    else:
        s.settimeout(WAIT)
        if s.recv(10) != b"":
            return 1
        s.close()
        where = None
    end = time.monotonic() + WAIT
    while where and not time_wait(*where):
        if time.monotonic() > end:
            print("# no TIME_WAIT on the client")
            return 1
        time.sleep(0.05)
    t0 = time.monotonic()
    try:
        s = connect_from(local, remote)
    except OSError as e:
        print("# second connect: %s" % os.strerror(e.errno))
        return 1
    print("# second connect from the same port took %.0f ms" %
          ((time.monotonic() - t0) * 1000))
    s.send(b"2")
    s.close()
    return 0


def main():
    if sys.argv[1] == "server":
        return server(sys.argv[2], sys.argv[3])
    return client(sys.argv[2], sys.argv[3], sys.argv[4])


if __name__ == "__main__":
    sys.exit(main())
