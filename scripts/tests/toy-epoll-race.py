#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Add a connecting socket to epoll just as its handshake ends (73-epoll-connect.sh).

  toy-epoll-race.py HOST:PORT ATTEMPTS [SEED]

Each attempt connects without blocking, then registers the socket with a
new epoll instance for EPOLLOUT at a moment spread around the handshake
time (measured first), and waits. poll() must put itself on the socket's
wait queue before it reads the state: a SYN-ACK processed in between
would otherwise wake nobody, and that epoll instance would never report
the connection. An attempt whose socket a fresh poll() finds writable but
whose epoll instance stays silent, even a second later, lost its wakeup.

Prints one line per lost wakeup and a summary; exit status 1 if any.
"""
import errno
import select
import sys
import time

import toysocket

WAIT = 30.0	# a handshake on a loaded debug kernel, not a speed limit


def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def attempt(dest, delay):
    """One connect; returns (outcome, seconds from register to event)."""
    s = toysocket.socket()
    s.setblocking(False)
    ep = select.epoll()
    try:
        err = s.connect_ex(dest)
        if err not in (0, errno.EINPROGRESS):
            return "connect: " + errno.errorcode.get(err, str(err)), 0.0
        end = time.perf_counter() + delay
        while time.perf_counter() < end:
            pass
        t0 = time.perf_counter()
        ep.register(s.fileno(), select.EPOLLOUT)
        if ep.poll(WAIT):
            return "ok", time.perf_counter() - t0
        p = select.poll()
        p.register(s.fileno(), select.POLLOUT)
        if not p.poll(0):
            return "no handshake in %.0f s" % WAIT, 0.0
        # done long ago, so any wakeup would have been queued by now
        if ep.poll(1.0):
            return "late", time.perf_counter() - t0
        return "lost", 0.0
    finally:
        ep.close()
        s.close()


class Lcg:  # pylint: disable=too-few-public-methods
    """Numerical Recipes' LCG: the guest's python3 has no random module."""

    def __init__(self, seed):
        self.x = seed & 0xffffffff

    def uniform(self, lo, hi):
        self.x = (self.x * 1664525 + 1013904223) & 0xffffffff
        return lo + (hi - lo) * self.x / 2.0 ** 32


def main():
    dest = addr(sys.argv[1])
    attempts = int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else int(time.time())
    rng = Lcg(seed)

    # the handshake time, registering at once
    times = []
    for _ in range(10):
        outcome, t = attempt(dest, 0.0)
        if outcome != "ok":
            print("calibration: " + outcome, flush=True)
            return 1
        times.append(t)
    hs = sorted(times)[len(times) // 2]
    print("# handshake about %.0f us after connect()" % (hs * 1e6), flush=True)

    woken = lost = other = 0
    for i in range(attempts):
        outcome, _ = attempt(dest, hs * rng.uniform(0.2, 1.4))
        if outcome in ("ok", "late"):
            woken += 1
        elif outcome == "lost":
            lost += 1
            print("attempt %d: established, epoll never told" % i, flush=True)
        else:
            other += 1
            print("attempt %d: %s" % (i, outcome), flush=True)
    print("%d attempts: %d reported, %d lost wakeups, %d other"
          % (attempts, woken, lost, other), flush=True)
    return 1 if lost or other else 0


if __name__ == "__main__":
    sys.exit(main())
