#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The tutorials' TCP echo client, on AF_TOY.

    python3 echo_client.py HOST PORT [MESSAGE...]

Sends each MESSAGE (or, without any, each line typed) and prints the echo.
Exits 1 if an echo differs from what was sent. Two lines differ from the
TCP version, each marked "AF_TOY:".
"""
import sys

import toysocket as socket      # AF_TOY: was "import socket"


def main():
    if len(sys.argv) < 3:
        print("usage: echo_client.py HOST PORT [MESSAGE...]", file=sys.stderr)
        return 2
    server_ip, server_port = sys.argv[1], int(sys.argv[2])
    messages = sys.argv[3:]

    # AF_TOY: was socket.AF_INET, socket.SOCK_STREAM
    tcp_client_socket = socket.socket(socket.AF_TOY, socket.SOCK_SEQPACKET)
    tcp_client_socket.connect((server_ip, server_port))
    print("connected to %s:%d from %s:%d" % (tcp_client_socket.getpeername() +
                                             tcp_client_socket.getsockname()))

    if not messages:
        messages = (line.rstrip("\n") for line in sys.stdin)
    status = 0
    for send_data in messages:
        if not send_data:
            continue                 # AF_TOY has no empty messages
        tcp_client_socket.send(send_data.encode("utf-8"))
        # one recv() is the whole echo: no loop, no length prefix
        recv_data = tcp_client_socket.recv(65536)
        print("received:", recv_data.decode("utf-8", "replace"))
        if recv_data != send_data.encode("utf-8"):
            print("echo differs from what was sent!", file=sys.stderr)
            status = 1

    info = tcp_client_socket.info()
    print("connection: %s, srtt %.1f ms, cwnd %d bytes, %d retransmitted "
          "segments, %d messages sent, %d received" % (
              info["state_name"], info["rtt_us"] / 1000.0, info["snd_cwnd"],
              info["retrans"], info["msgs_sent"], info["msgs_received"]))
    tcp_client_socket.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
