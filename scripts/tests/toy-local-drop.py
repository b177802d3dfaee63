#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Segments the local queue refuses (63-local-drop.sh).

  toy-local-drop.py HOST:PORT DIR

Connects to the echo server at HOST:PORT (which also resolves the
neighbour) and says "connected". When DIR/full exists (the shell has put a
one-packet netem queue with a long delay on the link), fills that queue
with one UDP datagram, sends a message on the connection and starts a
second, non-blocking connect(): the queue refuses both the message and the
SYN. Says "sent". When DIR/clear exists (the queue is gone), the message's
echo must come back and the second connect() complete, each within WAIT
seconds. Each step is printed as a line; exit status 0 if
every step worked.
"""
import os
import select
import socket as pysocket
import sys
import time

import toysocket

WAIT = 30.0
MSG = b"refused once, sent again" * 10


def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def wait_file(path):
    end = time.monotonic() + WAIT
    while not os.path.exists(path):
        if time.monotonic() > end:
            raise TimeoutError("no " + path)
        time.sleep(0.02)


def main():
    dest = addr(sys.argv[1])
    d = sys.argv[2]
    c1 = toysocket.create_connection(dest, timeout=WAIT)
    print("connected", flush=True)

    wait_file(os.path.join(d, "full"))
    udp = pysocket.socket(pysocket.AF_INET, pysocket.SOCK_DGRAM)
    udp.sendto(b"filler", (dest[0], 9))
    c1.send(MSG)
    c2 = toysocket.socket()
    c2.setblocking(False)
    err = c2.connect_ex(dest)
    print("sent (connect: %d)" % err, flush=True)

    wait_file(os.path.join(d, "clear"))
    ok = True
    try:
        got = c1.recv(len(MSG) + 1)
        print("echo %s" % ("matches" if got == MSG else "differs"), flush=True)
        ok = got == MSG
    except OSError as e:
        print("echo: %s" % e, flush=True)
        ok = False
    p = select.poll()
    p.register(c2.fileno(), select.POLLOUT)
    if not p.poll(WAIT * 1000):
        print("second connect: not done after %.0f s" % WAIT, flush=True)
        return 1
    err = c2.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_ERROR)
    if err:
        print("second connect: " + os.strerror(err), flush=True)
        return 1
    print("second connect done", flush=True)
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
