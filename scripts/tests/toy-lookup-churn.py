#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Connections churned on a few fixed 4-tuples (67-lookup-churn.sh).

  toy-lookup-churn.py LOCAL_IP PORT0 NPORTS REMOTE SECONDS

NPORTS worker processes, worker i bound to LOCAL_IP:PORT0+i (SO_REUSEADDR),
each for SECONDS: connect to REMOTE (an echo server), send one message of
random bytes and random length, read the echo, compare, close first (so its
end keeps TIME_WAIT), and connect again from the same port: the new
connection takes over the 4-tuple from its TIME_WAIT (toy_hash_conn()).
A connect() that finds the old connection not yet in TIME_WAIT (our FIN
still unanswered: EADDRNOTAVAIL) is tried again on a fresh socket.
Prints per worker and in total: cycles completed, connect retries, other
errors, echoes that differed. Exit 0 if no echo differed and at least
NPORTS cycles were completed in all, else 1 (a port may be jammed for a
while: the forged SYNs of 67-lookup-churn.sh's blast make simultaneous
opens of its 4-tuple).
"""
import errno
import os
import socket as pysocket
import struct
import sys
import time

import toysocket

WAIT = 10	# seconds any one call may take (SO_SNDTIMEO, settimeout)


def connect_from(local, remote):
    s = toysocket.socket()
    try:
        s.setsockopt(pysocket.SOL_SOCKET, pysocket.SO_REUSEADDR, 1)
        s.setsockopt(pysocket.SOL_SOCKET, pysocket.SO_SNDTIMEO,
                     struct.pack("ll", WAIT, 0))
        s.bind(local)
        s.connect(remote)
    except OSError:
        s.close()
        raise
    return s


def worker(local, remote, seconds):
    ok = retries = errors = bad = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            s = connect_from(local, remote)
        except OSError as e:
            if e.errno in (errno.EADDRNOTAVAIL, errno.EADDRINUSE):
                retries += 1	# the 4-tuple is not in TIME_WAIT yet
            else:
                errors += 1
            continue
        msg = os.urandom(1 + os.urandom(2)[0] * 8)
        try:
            s.settimeout(WAIT)
            s.send(msg)
            got = s.recv(4096)
            if got == msg:
                ok += 1
            else:
                bad += 1
        except OSError:
            errors += 1
        s.close()
    print("# %s:%d: %d cycles, %d connect retries, %d errors, %d echoes"
          " differed" % (local[0], local[1], ok, retries, errors, bad),
          flush=True)
    return ok, bad


def main():
    lip, port0, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    host, rport = sys.argv[4].rsplit(":", 1)
    seconds = float(sys.argv[5])
    pids = []
    for i in range(n):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            ok, bad = worker((lip, port0 + i), (host, int(rport)), seconds)
            os.write(w, b"%d %d" % (ok, bad))
            os._exit(0)  # pylint: disable=protected-access
        os.close(w)
        pids.append((pid, r))
    total = bad = idle = 0
    for pid, r in pids:
        out = os.read(r, 64).split()
        os.waitpid(pid, 0)
        k, b = (int(out[0]), int(out[1])) if len(out) == 2 else (0, 1)
        total += k
        bad += b
        idle += k == 0
    print("toy-lookup-churn: %d cycles on %d ports, %d echoes differed,"
          " %d ports without a cycle" % (total, n, bad, idle), flush=True)
    return 0 if not bad and total >= n else 1


if __name__ == "__main__":
    sys.exit(main())
