#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tiny messages at a reader that does not read (27-rmem.sh).

  toy-flood.py recv ADDR:PORT GO OUT
      accept one connection; read nothing until the file GO exists; then
      read every message to the end of stream and write their number to OUT
  toy-flood.py send ADDR:PORT N SIZE OUT
      connect and send N messages of SIZE bytes without blocking, until
      the kernel has taken none for 3 s (or says ENOBUFS: net.toy.mem is
      full); write how many it took to OUT,
      then send nothing more and close (the rest is the kernel's to
      deliver)
"""
import errno
import os
import select
import sys
import time

import toysocket


def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def write(path, text):
    with open(path + ".tmp", "w") as f:  # pylint: disable=unspecified-encoding
        f.write(text + "\n")
    os.rename(path + ".tmp", path)


def recv(a, go, out):
    ls = toysocket.create_server(addr(a))
    c, _ = ls.accept()
    while not os.path.exists(go):
        time.sleep(0.05)
    c.settimeout(60)
    n = 0
    while c.recv(65536):
        n += 1
    write(out, str(n))


def send(a, count, size, out):
    s = toysocket.create_connection(addr(a), timeout=20)
    s.setblocking(False)
    msg = b"x" * size
    p = select.poll()
    p.register(s.fileno(), select.POLLOUT)
    n = 0
    while n < count:
        try:
            s.send(msg)
            n += 1
        except OSError as e:
            if e.errno == errno.ENOBUFS:    # the protocol's memory is full
                break
            if e.errno != errno.EAGAIN:
                raise
            if not p.poll(3000):
                break
    write(out, str(n))
    s.setblocking(True)
    s.close()


def main():
    if sys.argv[1] == "recv":
        recv(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
