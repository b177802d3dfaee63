#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The tutorials' TCP echo server, on AF_TOY.

    python3 echo_server.py [HOST] [PORT] [--once]     (default: '' 7788)

Three lines differ from the TCP version, each marked "AF_TOY:". The loop
is the tutorial's: socket, setsockopt, bind, listen, accept, recv, send,
close. What changes in meaning: each recv() returns one whole message as
the client sent it, never a piece of one or two glued together.
"""
import sys

import toysocket as socket      # AF_TOY: was "import socket"


def main():
    args = [a for a in sys.argv[1:] if a != "--once"]
    once = "--once" in sys.argv
    host = args[0] if len(args) > 0 else ""
    port = int(args[1]) if len(args) > 1 else 7788

    # AF_TOY: was socket.AF_INET, socket.SOCK_STREAM
    tcp_server_socket = socket.socket(socket.AF_TOY, socket.SOCK_SEQPACKET)
    tcp_server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp_server_socket.bind((host, port))
    tcp_server_socket.listen(128)
    print("echo server listening on %s:%d" % tcp_server_socket.getsockname(),
          flush=True)

    while True:
        client_socket, client_addr = tcp_server_socket.accept()
        print("connection from %s:%d" % client_addr, flush=True)
        count = 0
        while True:
            recv_data = client_socket.recv(65536)   # one whole message
            if not recv_data:                       # the client closed
                break
            count += 1
            print("received %d bytes: %s" % (len(recv_data),
                                             recv_data.decode("utf-8",
                                                              "replace")),
                  flush=True)
            client_socket.send(recv_data)
        print("client %s:%d left after %d messages" % (client_addr + (count,)),
              flush=True)
        client_socket.close()
        if once:
            break
    tcp_server_socket.close()


if __name__ == "__main__":
    main()
