# SPDX-License-Identifier: GPL-2.0
"""The boundaries lesson's program, the same over TCP and AF_TOY.

  boundaries.py server tcp|toy ADDR PORT   accept one connection, wait until
      both messages are queued (SIOCINQ for TCP, rx_queue in /proc/net/toy
      for AF_TOY), then recv() until EOF and print one line per recv():
      "recv N bytes: TEXT"
  boundaries.py client tcp|toy ADDR PORT MSG...   one send() per MSG, then
      wait for the server to close
"""
import fcntl
import socket as tcpsocket
import struct
import sys
import time

import toysocket

SIOCINQ = 0x541B


def queued_toy(port):
    """Bytes queued for recv() on the established AF_TOY socket of PORT."""
    with open("/proc/net/toy") as f:
        for line in f:
            w = line.split()
            if len(w) > 5 and w[1].endswith(":%s" % port) and w[3] != "LISTEN":
                return int(w[5])
    return 0


def queued_tcp(conn):
    return struct.unpack("i", fcntl.ioctl(conn, SIOCINQ, b"\0" * 4))[0]


def mksock(kind):
    if kind == "tcp":
        return tcpsocket.socket(tcpsocket.AF_INET, tcpsocket.SOCK_STREAM)
    return toysocket.socket(toysocket.AF_TOY, toysocket.SOCK_SEQPACKET)


def server(kind, addr, port, total):
    s = mksock(kind)
    s.setsockopt(tcpsocket.SOL_SOCKET, tcpsocket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    print("listening", flush=True)
    conn, _ = s.accept()
    # both sends have arrived before the first recv(): the question is only
    # how recv() hands them out (a wait on a condition, 10 s at most)
    end = time.time() + 10
    while time.time() < end:
        q = queued_tcp(conn) if kind == "tcp" else queued_toy(port)
        if q >= total:
            break
        time.sleep(0.05)
    print("queued %d bytes" % q, flush=True)
    while True:
        data = conn.recv(65536)
        if not data:
            break
        print("recv %d bytes: %s" % (len(data), data.decode()), flush=True)
    conn.close()


def client(kind, addr, port, msgs):
    s = mksock(kind)
    s.connect((addr, port))
    for m in msgs:
        s.send(m.encode())
    s.shutdown(tcpsocket.SHUT_WR)
    while s.recv(65536):
        pass
    s.close()


def main():
    role, kind, addr, port = sys.argv[1:5]
    if role == "server":
        server(kind, addr, int(port), int(sys.argv[5]))
    else:
        client(kind, addr, int(port), sys.argv[5:])


if __name__ == "__main__":
    main()
