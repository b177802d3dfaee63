#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""An AF_TOY echo listener with a classic BPF socket filter (28-policy.sh).

  toy-filter.py ADDR:PORT drop|pass   listen with SO_ATTACH_FILTER set to
                                      "ret #0" (drop every segment) or
                                      "ret #-1" (take every one whole), and
                                      echo each message of each connection
"""
import ctypes
import socket as pysocket
import sys

import toysocket

SO_ATTACH_FILTER = 26
BPF_RET_K = 0x06


class SockFilter(ctypes.Structure):  # pylint: disable=too-few-public-methods
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8),
                ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class SockFprog(ctypes.Structure):  # pylint: disable=too-few-public-methods
    _fields_ = [("len", ctypes.c_ushort),
                ("filter", ctypes.POINTER(SockFilter))]


def attach(sock, keep):
    prog = (SockFilter * 1)(SockFilter(BPF_RET_K, 0, 0, keep))
    fprog = SockFprog(1, prog)
    sock.setsockopt(pysocket.SOL_SOCKET, SO_ATTACH_FILTER,
                    bytes(ctypes.string_at(ctypes.addressof(fprog),
                                           ctypes.sizeof(fprog))))
    return prog		# the kernel copied it; keep it alive anyway


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("drop", "pass"):
        sys.exit(__doc__)
    host, port = sys.argv[1].rsplit(":", 1)
    ls = toysocket.create_server((host, int(port)))
    keep = attach(ls, 0 if sys.argv[2] == "drop" else 0xffffffff)
    print("listening with a '%s' filter" % sys.argv[2], flush=True)
    while True:
        c, _ = ls.accept()
        attach(c, 0xffffffff)
        while True:
            m = c.recv(65536)
            if not m:
                break
            c.send(m)
        c.close()
    del keep


if __name__ == "__main__":
    main()
