#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What an unprivileged user may do with AF_TOY (25-privilege.sh).

  toy-priv.py bind UID PORT    bind 0.0.0.0:PORT as UID; prints "bound" or
                               the errno's name, exits 0 either way
  toy-priv.py seqs UID HOST:PORT
                               connect as root, then read this connection's
                               /proc/net/toy line as root and as UID; prints
                               "root STATE UNA NXT RCV_NXT" and the same
                               for "uid UID"
  toy-priv.py userns BYTES     in a new user and network namespace (as its
                               root), write BYTES to net.toy.rmem_default;
                               prints "written" or the errno's name
"""
import ctypes
import errno
import os
import sys

import toysocket


def drop(uid):
    """Become @uid, with no groups and no capabilities left."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def cmd_bind(uid, port):
    drop(uid)
    s = toysocket.socket()
    try:
        s.bind(("0.0.0.0", port))
        print("bound")
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))
    s.close()


def proc_line(local):
    """(state, snd_una, snd_nxt, rcv_nxt) of the /proc/net/toy line for
    local address @local, read by whoever calls this."""
    with open("/proc/net/toy") as f:  # pylint: disable=unspecified-encoding
        for line in f:
            w = line.split()
            if w[1] == local:
                return w[3], w[6], w[7], w[8]
    return None


def cmd_seqs(uid, peer):
    host, port = peer.rsplit(":", 1)
    s = toysocket.create_connection((host, int(port)), timeout=10)
    s.send(b"x")
    s.recv(16)
    local = "%s:%d" % s.getsockname()
    print("root", *proc_line(local), flush=True)
    pid = os.fork()
    if pid == 0:
        drop(uid)
        print("uid", uid, *proc_line(local), flush=True)
        os._exit(0)  # pylint: disable=protected-access
    _, status = os.waitpid(pid, 0)
    s.close()
    sys.exit(os.waitstatus_to_exitcode(status))


CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def cmd_userns(value):
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        print("unshare: %s" % errno.errorcode.get(ctypes.get_errno()))
        sys.exit(1)
    # root inside, the same user outside
    with open("/proc/self/setgroups", "w") as f:  # pylint: disable=unspecified-encoding
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:  # pylint: disable=unspecified-encoding
        f.write("0 %d 1" % uid)
    with open("/proc/self/gid_map", "w") as f:  # pylint: disable=unspecified-encoding
        f.write("0 %d 1" % gid)
    try:
        with open("/proc/sys/net/toy/rmem_default", "w") as f:  # pylint: disable=unspecified-encoding
            f.write(str(value))
        print("written")
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "bind":
        cmd_bind(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "userns":
        cmd_userns(int(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "seqs":
        cmd_seqs(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
