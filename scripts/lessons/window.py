# SPDX-License-Identifier: GPL-2.0
"""The window lesson's programs, over AF_TOY.

  window.py reader ADDR PORT GOFILE   accept one connection, read nothing
      until GOFILE exists, then read every message until EOF and check its
      bytes: "read N messages, B bytes, all as sent"
  window.py writer ADDR PORT N SIZE   N messages of SIZE bytes (message i is
      the byte i % 256, SIZE times), then close
"""
import os
import sys
import time

import toysocket as socket


def reader(addr, port, gofile):
    s = socket.socket(socket.AF_TOY, socket.SOCK_SEQPACKET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    print("listening", flush=True)
    conn, _ = s.accept()
    while not os.path.exists(gofile):   # the script says when
        time.sleep(0.05)
    n = total = bad = 0
    while True:
        m = conn.recv(1 << 20)
        if not m:
            break
        if m != bytes([n % 256]) * len(m):
            bad += 1
        n += 1
        total += len(m)
    print("read %d messages, %d bytes, %s" % (n, total,
          "all as sent" if not bad else "%d wrong" % bad), flush=True)


def writer(addr, port, n, size):
    s = socket.socket(socket.AF_TOY, socket.SOCK_SEQPACKET)
    s.connect((addr, port))
    for i in range(n):
        s.send(bytes([i % 256]) * size)
    s.close()


if __name__ == "__main__":
    if sys.argv[1] == "reader":
        reader(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        writer(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
