# SPDX-License-Identifier: GPL-2.0
"""A small packet capture for the test VM (which has no tcpdump): every
IPv4 frame of IP protocol 253 (AF_TOY) seen on one interface, both
directions, written to a pcap file (linktype 1, Ethernet) as it comes.

    python3 toy-capture.py DEV OUT.pcap [--ready FILE] [--csum-off DEV...]

--csum-off turns transmit checksum offload off on the given interfaces
first (ETHTOOL_STXCSUM through SIOCETHTOOL; the guest has no ethtool).
veth advertises it, so without this AF_TOY segments cross it with
CHECKSUM_PARTIAL: the capture would hold only the pseudo-header sum. With
it off the stack fills the checksum in before the device, and the capture
holds what a real wire would.

--ready FILE is created once the socket is bound. SIGTERM or SIGINT ends
the capture; the frame count goes to stderr.
"""
import argparse
import ctypes
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SIOCETHTOOL = 0x8946
ETHTOOL_STXCSUM = 0x00000017
IPPROTO_TOY = 253


class _EthtoolValue(ctypes.Structure):  # pylint: disable=too-few-public-methods
    _fields_ = [("cmd", ctypes.c_uint32), ("data", ctypes.c_uint32)]


class _Ifreq(ctypes.Structure):  # pylint: disable=too-few-public-methods
    _fields_ = [("name", ctypes.c_char * 16), ("data", ctypes.c_void_p),
                ("pad", ctypes.c_char * 16)]


def csum_off(dev):
    """ethtool -K DEV tx off, by hand."""
    libc = ctypes.CDLL(None, use_errno=True)
    val = _EthtoolValue(ETHTOOL_STXCSUM, 0)
    ifr = _Ifreq(dev.encode(), ctypes.cast(ctypes.byref(val), ctypes.c_void_p))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        if libc.ioctl(s.fileno(), SIOCETHTOOL, ctypes.byref(ifr)) < 0:
            err = ctypes.get_errno()
            raise OSError(err, "SIOCETHTOOL ETHTOOL_STXCSUM %s" % dev)


def is_toy(frame):
    """An Ethernet frame carrying IPv4 with protocol 253."""
    return len(frame) >= 34 and frame[12:14] == b"\x08\x00" and frame[23] == IPPROTO_TOY


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("dev")
    ap.add_argument("out")
    ap.add_argument("--ready")
    ap.add_argument("--csum-off", nargs="*", default=[])
    args = ap.parse_args()
    for dev in args.csum_off:
        csum_off(dev)
    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(1))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((args.dev, 0))
    sock.settimeout(0.2)
    n = 0
    with open(args.out, "wb") as out:
        # pcap global header: magic, 2.4, tz 0, sigfigs 0, snaplen, Ethernet
        out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        out.flush()
        if args.ready:
            open(args.ready, "w").close()
        while not stop:
            try:
                frame = sock.recv(262144)
            except socket.timeout:
                continue
            except InterruptedError:
                continue
            if not is_toy(frame):
                continue
            t = time.time()
            out.write(struct.pack("<IIII", int(t), int((t % 1) * 1e6),
                                  len(frame), len(frame)) + frame)
            out.flush()
            n += 1
    print("toy-capture: %d frames on %s" % (n, args.dev), file=sys.stderr)


if __name__ == "__main__":
    main()
