# SPDX-License-Identifier: GPL-2.0
"""Host checks of toysocket that need no AF_TOY module (make test):
address packing, the struct toy_info layout, that AF_INET sockets still
work through the subclass, and that the examples compile. The VM test
scripts/tests/72-python.sh runs it all for real over AF_TOY.
"""
import os
import py_compile
import socket as std
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import toysocket  # noqa: E402 pylint: disable=wrong-import-position

failed = 0


def check(name, cond):
    global failed  # pylint: disable=global-statement
    print("%s: toysocket: %s" % ("PASS" if cond else "FAIL", name))
    failed += not cond


raw = toysocket.pack_address(("10.0.0.2", 7000))
check("pack_address lays out sockaddr_toy like sockaddr_in",
      raw == bytes([19, 0, 0x1b, 0x58, 10, 0, 0, 2]) + bytes(8))
check("unpack_address inverts it",
      toysocket.unpack_address(raw) == ("10.0.0.2", 7000))
check("'' is INADDR_ANY, localhost is 127.0.0.1",
      toysocket.unpack_address(toysocket.pack_address(("", 1)))[0] == "0.0.0.0"
      and toysocket.unpack_address(
          toysocket.pack_address(("localhost", 1)))[0] == "127.0.0.1")
for bad in (("10.0.0.2", 70000), ("10.0.0.2",), "10.0.0.2:7000"):
    try:
        toysocket.pack_address(bad)
        check("bad address %r rejected" % (bad,), False)
    except (TypeError, OverflowError):
        check("bad address %r rejected" % (bad,), True)
check("struct toy_info is 96 bytes", toysocket._INFO.size == 96)  # pylint: disable=protected-access
check("the socket module's names are re-exported",
      toysocket.SOL_SOCKET == std.SOL_SOCKET and toysocket.SHUT_WR == std.SHUT_WR
      and toysocket.timeout is std.timeout)
check("constants match <linux/toy.h>",
      (toysocket.AF_TOY, toysocket.SOL_TOY, toysocket.IPPROTO_TOY,
       toysocket.TOY_INFO, toysocket.TOY_MAXSEG, toysocket.TOY_NODELAY) ==
      (19, 300, 253, 1, 2, 3))

# AF_INET through the subclass behaves as the socket module's own
srv = toysocket.socket(std.AF_INET, std.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
cli = toysocket.socket(std.AF_INET, std.SOCK_STREAM)
cli.connect(srv.getsockname())
conn, addr = srv.accept()
cli.sendall(b"ping")
check("AF_INET still works through toysocket.socket",
      conn.recv(4) == b"ping" and addr == cli.getsockname())
for s in (conn, cli, srv):
    s.close()

if not toysocket.available():
    try:
        toysocket.socket()
        check("without the module, socket() fails with EAFNOSUPPORT", False)
    except OSError as e:
        check("without the module, socket() fails with EAFNOSUPPORT",
              e.errno == 97)

with tempfile.TemporaryDirectory() as d:
    for name in sorted(os.listdir(os.path.join(HERE, "examples"))):
        if name.endswith(".py"):
            try:
                py_compile.compile(os.path.join(HERE, "examples", name),
                                   cfile=os.path.join(d, name + "c"),
                                   doraise=True)
                check("example %s compiles" % name, True)
            except py_compile.PyCompileError as e:
                print(e)
                check("example %s compiles" % name, False)
sys.exit(1 if failed else 0)
