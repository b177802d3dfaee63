#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One end of a simultaneous open and close (18-simultaneous.sh).

  toy-simul.py LOCAL REMOTE DIR NAME
      bind LOCAL and say "bound"; when the FIFO DIR/open.NAME is written,
      connect to REMOTE (nobody listens: the peer connects to us at the
      same moment); send "from NAME" and read the peer's message; when
      DIR/close.NAME is written, shutdown(SHUT_WR) and read the end of
      stream; keep the socket open until DIR/done exists. Each step is printed as a line.
Exit status 0 if every step worked.
"""
import os
import socket as pysocket
import sys
import time

import toysocket

WAIT = 60.0


def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def wait_file(path):
    end = time.monotonic() + WAIT
    while not os.path.exists(path):
        if time.monotonic() > end:
            raise TimeoutError("no " + path)
        time.sleep(0.02)


def go(d, step, name):
    """Wait for DIR/STEP.NAME, a FIFO: the shell opens both ends' FIFOs
    one right after the other, so both ends start within a moment, not
    within a polling interval each (the windows checked last about the
    netem delay minus the two ends' skew)."""
    with open(os.path.join(d, "%s.%s" % (step, name)), "rb") as f:
        f.read(1)


def main():
    local, remote, d, name = sys.argv[1:5]
    s = toysocket.socket()
    s.bind(addr(local))
    print("bound", flush=True)
    go(d, "open", name)
    s.settimeout(WAIT)
    s.connect(addr(remote))
    print("connected", flush=True)
    s.send(("from " + name).encode())
    got = s.recv(100).decode()
    print("got " + got, flush=True)
    go(d, "close", name)
    s.shutdown(pysocket.SHUT_WR)
    eof = s.recv(100)
    print("eof" if eof == b"" else "data %r" % eof, flush=True)
    wait_file(os.path.join(d, "done"))
    s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
