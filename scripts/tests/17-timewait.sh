#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# TIME_WAIT ignores resets (RFC 1337). The client sends a message and
# shuts down its side; the server reads it, reads the end of stream and
# closes; the client is left in TIME_WAIT with its socket still open.
# A reset then arrives with exactly the sequence number the client
# expects (as a peer that forgot the connection sends to a duplicate of
# our last ACK). It is counted (InRsts) and ignored: the socket stays in
# TIME_WAIT and the reader gets its end of stream, not ECONNRESET.
# The same reset on an established connection does reset it, so the
# test can tell a dropped reset from an ignored one.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-tw.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
FAKEPEER=$(dirname "$0")/toy-fakepeer.py
PORT=7801

counter() {	# counter NS NAME
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'
}

# conn STATE: the client's /proc/net/toy line in that state, if any
conn() {
	in_ns "$NS_A" cat /proc/net/toy |
		awk -v s="$1" -v r="$IP_B:$PORT" '$3 == r && $4 == s'
}
has() { [ -n "$(conn "$1")" ]; }
hasnt() { [ -z "$(conn "$1")" ]; }
rsts_above() { [ "$(counter "$NS_A" InRsts)" -gt "$1" ]; }

# reset STATE: from the server's address, a reset carrying exactly the
# numbers that the client's connection in STATE expects
reset() {
	_l=$(conn "$1")
	set -- "$(echo "$_l" | awk '{ split($2, a, ":"); print a[2] }')" \
	       "$(echo "$_l" | awk '{ print $9 }')" "$(echo "$_l" | awk '{ print $8 }')"
	in_ns "$NS_B" python3 "$FAKEPEER" rst "$IP_B" "$IP_A" "$PORT" "$@" |
		sed 's/^/# /'
}

# reader_got NAME N PID PATTERN: client N (PID) reads now; its output
# must match PATTERN
reader_got() {
	touch "$T/go$2"
	wait "$3"
	if grep -q "$4" "$T/c$2.out"; then
		pass "$1"
	else
		fail "$1" "$(cat "$T/c$2.out")"
	fi
}

# TIME_WAIT lasts 2 x msl_ms: 20 s here, long enough for the steps below
# on a slow kernel, short enough not to keep the namespace (or toy.ko)
echo 10000 | in_ns "$NS_A" tee /proc/sys/net/toy/msl_ms >/dev/null

# the server: one message, the end of stream, close
cat >"$T/server.py" <<PY
import toysocket
ls = toysocket.socket()
ls.bind(("$IP_B", $PORT))
ls.listen(4)
print("listening", flush=True)
for _ in range(2):
    c, _ = ls.accept()
    m = c.recv(100)
    e = c.recv(100)
    print("got %r then %r" % (m, e), flush=True)
    c.close()
PY

# the client: a message, shutdown(SHUT_WR), then wait for "go" and read
cat >"$T/client.py" <<PY
import os, socket, sys, time
import toysocket
c = toysocket.socket()
c.connect(("$IP_B", $PORT))
c.send(b"x")
if sys.argv[1] == "half":
    c.shutdown(socket.SHUT_WR)
print("sent", flush=True)
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
try:
    d = c.recv(100)
    print("recv returned %r" % d, flush=True)
except OSError as e:
    print("recv failed: errno %d (%s)" % (e.errno, e.strerror), flush=True)
PY

run_bg in_ns "$NS_B" python3 "$T/server.py" >"$T/server.out" 2>&1
wait_for grep -q listening "$T/server.out" ||
	skip_all "the server did not start: $(cat "$T/server.out")"

# --- TIME_WAIT: the reset is counted and ignored --------------------------
run_bg in_ns "$NS_A" python3 "$T/client.py" half "$T/go1" >"$T/c1.out" 2>&1
C1=$BG_PID
if wait_for has TIME_WAIT; then
	pass "rfc1337: the half-closed client reaches TIME_WAIT, socket open"
else
	fail "rfc1337: the half-closed client reaches TIME_WAIT, socket open" \
	     "no TIME_WAIT line: $(in_ns "$NS_A" cat /proc/net/toy)"
fi
before=$(counter "$NS_A" InRsts)
reset TIME_WAIT
if wait_for rsts_above "$before"; then
	pass "rfc1337: the reset reached the client (InRsts +1)"
else
	fail "rfc1337: the reset reached the client (InRsts +1)" \
	     "InRsts stayed at $before"
fi
check "rfc1337: the connection stays in TIME_WAIT" has TIME_WAIT
reader_got "rfc1337: the reader gets its end of stream, not ECONNRESET" \
	1 "$C1" "recv returned b''"

# --- control: the same kind of reset on an established connection --------
run_bg in_ns "$NS_A" python3 "$T/client.py" open "$T/go2" >"$T/c2.out" 2>&1
C2=$BG_PID
wait_for grep -q sent "$T/c2.out"
wait_for has ESTABLISHED
reset ESTABLISHED
wait_for hasnt ESTABLISHED
reader_got "rfc1337: control: the same reset on an established connection gives ECONNRESET" \
	2 "$C2" "errno 104"
