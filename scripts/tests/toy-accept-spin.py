#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A listener that is owned by its process as often as it can be (66).

    toy-accept-spin.py ADDR PORT TOKEN READYFILE STOPFILE

Listens on ADDR:PORT and calls a non-blocking accept() in a tight loop,
while HAMMERS forked processes (2) call getsockopt(TOY_NODELAY) on it in
theirs: each call takes the listener with lock_sock(), and as one call
gives it back another is waiting, so the listener is owned most of the
time. A segment that reaches it then waits in its backlog, and segments
that arrive together are all looked up before the first is handled. Every
connection accepted must bring one message "dup PORT TOKEN", PORT being
the peer's own port; it is then closed. Touches READYFILE once listening;
once STOPFILE exists, accepts what is left and prints one line per peer
and a summary:

    accepted A from P peers, M messages right

Exit status 0 if every peer was accepted exactly once and brought its
message intact, 1 otherwise.
"""
import ctypes
import errno
import os
import signal
import sys
import time

import toysocket

LIBC = ctypes.CDLL(None, use_errno=True)
HAMMERS = 2


def hammer(lsn):
    """A forked process: take and give back the listener, until killed
    (also when its parent ends: PR_SET_PDEATHSIG, 1)."""
    LIBC.prctl(1, signal.SIGKILL, 0, 0, 0)
    while True:
        lsn.getsockopt(toysocket.SOL_TOY, toysocket.TOY_NODELAY)


def main(argv):
    if len(argv) != 6:
        print(__doc__)
        return 2
    addr, port, token, ready, stop = argv[1:]
    lsn = toysocket.socket()
    lsn.bind((addr, int(port)))
    lsn.listen(128)
    lsn.setblocking(False)
    pids = []
    for _ in range(HAMMERS):
        pid = os.fork()
        if not pid:
            hammer(lsn)
        pids.append(pid)
    with open(ready, "w", encoding="utf-8"):
        pass
    peers, right, bad, stopping, look = {}, 0, 0, None, 0.0
    fd = lsn.fileno()
    while True:
        # accept4() itself, no poll() first (toysocket's accept() polls)
        newfd = LIBC.accept4(fd, None, None, 0)
        if newfd < 0:
            err = ctypes.get_errno()
            if err not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EINTR):
                raise OSError(err, "accept4")
            now = time.monotonic()
            # the stop file is looked for every 50 ms, not on every call
            if stopping is None and now - look > 0.05:
                look = now
                if os.path.exists(stop):
                    stopping = now
            # one more second of accept() after the peer is done
            elif stopping is not None and now - stopping > 1.0:
                break
            continue
        conn = toysocket.socket(fileno=newfd)
        pport = conn.getpeername()[1]
        peers[pport] = peers.get(pport, 0) + 1
        conn.settimeout(10)
        try:
            msg = conn.recv(4096)
        except OSError as e:
            msg = ("error %s" % e).encode()
        want = ("dup %d %s" % (pport, token)).encode()
        if msg == want:
            right += 1
        else:
            bad += 1
            print("peer port %d: message %r, expected %r" % (pport, msg, want))
        conn.close()
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    for pport, count in sorted(peers.items()):
        if count != 1:
            print("peer port %d: accepted %d times" % (pport, count))
    total = sum(peers.values())
    print("accepted %d from %d peers, %d messages right" %
          (total, len(peers), right))
    return 0 if total == len(peers) == right and not bad else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
