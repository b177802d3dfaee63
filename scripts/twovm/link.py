#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run a command with the two ends of one TCP connection on 127.0.0.1.

    link.py COMMAND [ARG...]

The cable between the two VMs of scripts/twovm.sh. It listens on
127.0.0.1 port 0 (the kernel picks a free port: nothing to guess, no race
with other runs on the machine), connects to itself and accepts, then puts
the two connected sockets at file descriptors 3 (side A) and 4 (side B),
closes the listener and execs COMMAND with TOY_TWOVM_LINK set to the
addresses. Each QEMU takes one end with `-netdev socket,id=n0,fd=3`: QEMU
then sends every Ethernet frame as a 4-byte length and the frame. No
privileges, no tap, nothing reachable from outside the host.
"""
import fcntl
import os
import socket
import sys

if len(sys.argv) < 2:
    sys.exit(__doc__)
lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lst.bind(("127.0.0.1", 0))
lst.listen(1)
a = socket.create_connection(lst.getsockname())
b, _ = lst.accept()
lst.close()
# Frames are latency-sensitive small writes: no Nagle delay on the cable.
for s in (a, b):
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
os.environ["TOY_TWOVM_LINK"] = "%s:%d <-> %s:%d" % (a.getsockname() + a.getpeername())
# via fds >= 10 first, so that neither end is closed if it already sat at 3 or 4
high = [fcntl.fcntl(s.fileno(), fcntl.F_DUPFD, 10) for s in (a, b)]
a.close()
b.close()
for fd, h in zip((3, 4), high):
    os.dup2(h, fd, inheritable=True)
    os.close(h)
os.execvp(sys.argv[1], sys.argv[1:])
