# SPDX-License-Identifier: GPL-2.0
"""The UDP lesson's programs: N numbered messages over UDP and over AF_TOY.

  udp.py server ADDR PORT     UDP on PORT, AF_TOY on PORT; prints "listening";
      then reads AF_TOY messages until EOF, and when the client's "done"
      arrives over AF_TOY (after its UDP datagrams), takes what UDP has;
      prints "udp: K of N: ..." and "toy: K of N: ..."
  udp.py client ADDR PORT N   N datagrams "msg-I" over UDP, N messages over
      AF_TOY, then "done" over AF_TOY and close
"""
import socket as tcpsocket
import sys

import toysocket


def server(addr, port):
    u = tcpsocket.socket(tcpsocket.AF_INET, tcpsocket.SOCK_DGRAM)
    u.bind((addr, port))
    ls = toysocket.socket(toysocket.AF_TOY, toysocket.SOCK_SEQPACKET)
    ls.setsockopt(tcpsocket.SOL_SOCKET, tcpsocket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1)
    print("listening", flush=True)
    c, _ = ls.accept()
    toy = []
    while True:
        m = c.recv(65536)
        if not m or m == b"done":
            break
        toy.append(m.decode())
    # the datagrams were sent before "done", on the same cable
    u.setblocking(False)
    udp = []
    while True:
        try:
            udp.append(u.recv(65536).decode())
        except BlockingIOError:
            break
    for name, got in (("udp", udp), ("toy", toy)):
        nums = [int(x.split("-")[1]) for x in got]
        print("%s: %d received, in order: %s, first missing: %s" % (
            name, len(got), "yes" if nums == sorted(nums) else "no",
            next((i for i in range(len(nums) + 1) if i not in set(nums)), "-")), flush=True)


def client(addr, port, n):
    u = tcpsocket.socket(tcpsocket.AF_INET, tcpsocket.SOCK_DGRAM)
    t = toysocket.socket(toysocket.AF_TOY, toysocket.SOCK_SEQPACKET)
    t.connect((addr, port))
    for i in range(n):
        u.sendto(("msg-%d" % i).encode(), (addr, port))
    for i in range(n):
        t.send(("msg-%d" % i).encode())
    t.send(b"done")
    t.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]))
    else:
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
