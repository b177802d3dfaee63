#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# The Python module toysocket and its examples (userspace/python), across
# two namespaces over a lossy link: the tutorial's echo server and client,
# each against the other and against the C programs, and toysocket's API
# (addresses, refused connect, accept and recv time-outs, whole messages of
# any size, recvmsg flags, TOY_INFO, connect time limits). Needs python3 in
# the initramfs (scripts/mkinitramfs.sh puts it in when the host has
# /usr/bin/python3.11; TOY_PYTHON=0 leaves it out, and this file is then
# skipped).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

PYEX=/usr/share/af_toy/python
command -v python3 >/dev/null 2>&1 ||
	skip_all "no python3 in this initramfs (TOY_PYTHON=0?)"
python3 -c 'import toysocket' 2>/dev/null ||
	skip_all "python3 cannot import toysocket"
require toy-echo-server toy-echo-client
[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"

T=${TMPDIR:-/tmp}/toy-python.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"
netem "$NS_A" "$DEV_A" delay 2ms loss 5% || skip_all "tc netem not available"
netem "$NS_B" "$DEV_B" delay 2ms loss 5%

show() { for _f in "$@"; do echo "# $(basename "$_f"):"; sed 's/^/#   /' "$_f"; done; }

# ---- the tutorial's echo pair ------------------------------------------------
run_bg in_ns "$NS_B" python3 "$PYEX/echo_server.py" "$IP_B" 7788 >"$T/s1" 2>&1
wait_for -t 30 grep -q "echo server listening on $IP_B:7788" "$T/s1"
n="python: echo_client.py <-> echo_server.py over a lossy link"
if in_ns "$NS_A" python3 "$PYEX/echo_client.py" "$IP_B" 7788 hello \
	"你好, AF_TOY" "third message" >"$T/c1" 2>&1 &&
   grep -qx "connected to $IP_B:7788 from $IP_A:[0-9]*" "$T/c1" &&
   grep -qx "received: hello" "$T/c1" &&
   grep -qx "received: 你好, AF_TOY" "$T/c1" &&
   grep -qx "received: third message" "$T/c1" &&
   grep -q "^connection: ESTABLISHED, srtt [0-9.]* ms, cwnd [1-9][0-9]* bytes, [0-9]* retransmitted segments, 3 messages sent, 3 received" "$T/c1" &&
   wait_for -t 10 grep -q "^client $IP_A:[0-9]* left after 3 messages" "$T/s1" &&
   grep -qx "received 14 bytes: 你好, AF_TOY" "$T/s1"; then
	pass "$n"
else
	show "$T/c1" "$T/s1"
	fail "$n"
fi

n="python: C toy-echo-client against echo_server.py, 20 x 3000 bytes"
if in_ns "$NS_A" toy-echo-client "$IP_B:7788" --timeout 20000 --count 20 \
	--size 3000 --window 3 >"$T/c2" 2>&1; then
	grep -q "all 20 echoes matched" "$T/c2" && pass "$n" || { show "$T/c2"; fail "$n"; }
else
	show "$T/c2"
	fail "$n"
fi

run_bg in_ns "$NS_B" toy-echo-server "$IP_B:7000" >"$T/s3" 2>&1
wait_for grep -q "listening on" "$T/s3"
n="python: echo_client.py against the C toy-echo-server, lines from stdin"
if printf 'from stdin\nsecond line\n' |
	in_ns "$NS_A" python3 "$PYEX/echo_client.py" "$IP_B" 7000 >"$T/c3" 2>&1 &&
   grep -qx "received: from stdin" "$T/c3" && grep -qx "received: second line" "$T/c3"; then
	pass "$n"
else
	show "$T/c3"
	fail "$n"
fi

# ---- toysocket's API -------------------------------------------------------
cat >"$T/api.py" <<'EOF'
import errno, sys
import toysocket as socket

ip_b = sys.argv[1]
ok = True
def check(name, cond, detail=""):
    global ok
    print("%s: %s%s" % ("ok" if cond else "NOT OK", name,
                        (" (%s)" % detail) if detail and not cond else ""))
    ok = ok and bool(cond)

s = socket.socket()
check("socket() is AF_TOY SOCK_SEQPACKET", s.family == 19 and s.type == socket.SOCK_SEQPACKET)
try:
    s.connect((ip_b, 7999))
    check("connect to a closed port is refused", False, "connected")
except ConnectionRefusedError as e:
    check("connect to a closed port is refused", e.errno == errno.ECONNREFUSED)
s.close()

c = socket.create_connection((ip_b, 7000), timeout=20)
peer, me = c.getpeername(), c.getsockname()
check("getpeername", peer == (ip_b, 7000), peer)
check("getsockname", me[0] == "10.0.0.1" and me[1] > 0, me)
big = bytes(range(256)) * 400                 # 102400 bytes, one message
c.sendall(big)
echo = c.recv_message()
check("a 102400-byte message comes back whole in one recv_message()",
      echo == big, len(echo))
c.send(b"abc")
data, addr = c.recvfrom(100)
check("recvfrom gives the data and the peer", data == b"abc" and addr == peer)
c.send(b"x" * 5000)
check("next_message_size peeks", c.next_message_size() == 5000)
check("recv(100) of a 5000-byte message gets the first 100 bytes",
      c.recv(100) == b"x" * 100)
c.send(b"y" * 3000)
d, anc, fl, addr = c.recvmsg(5000)
check("recvmsg: a whole message has MSG_EOR", len(d) == 3000 and
      fl & socket.MSG_EOR and not fl & socket.MSG_TRUNC and addr == peer, fl)
c.send(b"z" * 3000)
d, anc, fl, addr = c.recvmsg(100)
check("recvmsg: a cut message has MSG_TRUNC", len(d) == 100 and
      fl & socket.MSG_TRUNC and not fl & socket.MSG_EOR, fl)
info = c.info()
check("info(): ESTABLISHED, mss, counters", info["state_name"] == "ESTABLISHED"
      and info["mss"] == c.mss() > 0 and info["msgs_sent"] == 5
      and info["msgs_received"] == 5, info)
c.settimeout(0.3)
try:
    c.recv(10)
    check("recv() with a timeout times out", False)
except socket.timeout:
    check("recv() with a timeout times out", True)
c.set_nodelay(True)
check("TOY_NODELAY set", c.getsockopt(socket.SOL_TOY, socket.TOY_NODELAY) == 1)
c.close()

l = socket.create_server(("127.0.0.1", 0))
check("create_server binds a port", l.getsockname()[1] > 0, l.getsockname())
l.settimeout(0.3)
try:
    l.accept()
    check("accept() with a timeout times out", False)
except socket.timeout:
    check("accept() with a timeout times out", True)
with socket.socket() as a:
    a.connect(l.getsockname())
    b, addr = l.accept()
    check("accept returns the connecting address", addr == a.getsockname(), addr)
    check("accepted socket follows the default timeout", b.gettimeout() is None)
    a.shutdown(socket.SHUT_WR)
    check("recv after the peer's shutdown returns b''", b.recv(10) == b"")
    b.close()
l.close()

t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.bind((b"127.0.0.1", 0))
check("AF_INET sockets are left to the socket module", t.getsockname()[0] == "127.0.0.1")
t.close()
sys.exit(0 if ok else 1)
EOF
n="python: toysocket API (addresses, refusal, whole messages, info, timeouts)"
if in_ns "$NS_A" python3 "$T/api.py" "$IP_B" >"$T/api" 2>&1; then
	[ "${TOY_VERBOSE:-0}" = 1 ] && show "$T/api"
	pass "$n"
else
	show "$T/api"
	fail "$n"
fi

# connect time limits: into a black hole (A's packets all lost)
cat >"$T/hole.py" <<'EOF'
import errno, struct, sys, time
import toysocket as socket

ok = True
s = socket.socket()
s.settimeout(1.0)
t = time.monotonic()
try:
    s.connect((sys.argv[1], 7000))
    print("NOT OK: connected through a black hole"); ok = False
except socket.timeout:
    print("ok: settimeout(1.0): connect raises socket.timeout after %.1f s"
          % (time.monotonic() - t))
s.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 1, 0))
t = time.monotonic()
err = s.connect_ex((sys.argv[1], 7000))
dt = time.monotonic() - t
# as TCP: when SO_SNDTIMEO runs out, connect() says EINPROGRESS and the
# handshake goes on
print("%s: SO_SNDTIMEO 1 s: connect_ex says %s after %.1f s%s" % (
    "ok" if err == errno.EINPROGRESS and dt < 3 else "NOT OK",
    errno.errorcode.get(err, err), dt,
    "" if err == errno.EINPROGRESS else
    " (TCP says EINPROGRESS after 1 s: the toy module's connect() does"
    " not stop at SO_SNDTIMEO)"))
ok = ok and err == errno.EINPROGRESS and dt < 3
sys.exit(0 if ok else 1)
EOF
netem "$NS_A" "$DEV_A" loss 100%
# a handshake into the hole gives up after 1 + 2 + 4 s, not 63 s
in_ns "$NS_A" sh -c 'echo 2 >/proc/sys/net/toy/syn_retries'
n="python: connect time limits (settimeout, SO_SNDTIMEO) into a black hole"
if in_ns "$NS_A" python3 "$T/hole.py" "$IP_B" >"$T/hole" 2>&1; then
	pass "$n"
else
	show "$T/hole"
	fail "$n"
fi
netem "$NS_A" "$DEV_A" delay 2ms loss 5%
