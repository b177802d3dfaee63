#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
#
# The demo programs, scripted, across two namespaces whose link loses
# packets both ways (netem): echo, chat (scripted and piped), the circle
# area service, file transfer (SHA-256 of every file compared with busybox
# sha256sum on both ends) and the epoll server with many clients.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-echo-server toy-echo-client toy-chat-server toy-chat-client \
	toy-area-server toy-area-client toy-file-server toy-file-client \
	toy-epoll-server toy-epoll-client toy-sock sha256sum awk
[ -e /proc/net/toy ] ||
	skip_all "AF_TOY is not available (no /proc/net/toy): is the toy module loaded?"

T=${TMPDIR:-/tmp}/toy-demos.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"
LOSS=${TOY_DEMO_LOSS:-5%}
netem "$NS_A" "$DEV_A" delay 2ms loss "$LOSS" ||
	skip_all "tc netem not available"
netem "$NS_B" "$DEV_B" delay 2ms loss "$LOSS"

# expect NAME FILE PATTERN...: PASS if FILE has a line matching each (grep
# basic regex) PATTERN, else FAIL showing FILE.
expect() {
	_en=$1 _ef=$2; shift 2
	for _ep in "$@"; do
		if ! grep -q -- "$_ep" "$_ef"; then
			echo "# $_en: no line matching '$_ep' in $(basename "$_ef"):"
			sed 's/^/#   /' "$_ef" | tail -n 25
			fail "$_en"
			return 1
		fi
	done
	pass "$_en"
}

# ordered FILE PATTERN...: FILE has lines matching the PATTERNs in order.
ordered() {
	_of=$1; shift
	awk -v n=$# 'BEGIN { for (i = 2; i < ARGC; i++) p[i - 1] = ARGV[i]; ARGC = 2; i = 1 }
		i <= n && $0 ~ p[i] { i++ }
		END { exit i <= n }' "$_of" "$@"
}

# start NAME LOG CMD...: run CMD in $NS_B in the background, output in LOG.
start() {
	_sn=$1 _sl=$2; shift 2
	run_bg in_ns "$NS_B" "$@" >"$_sl" 2>&1
}

# ---- echo ---------------------------------------------------------------
start echo "$T/echo-s" toy-echo-server "$IP_B:7000"
wait_for grep -q "listening on" "$T/echo-s"
if in_ns "$NS_A" toy-echo-client "$IP_B:7000" --timeout 20000 --count 40 \
	--size 5000 --window 4 >"$T/echo-c" 2>&1; then
	expect "echo: 40 x 5000-byte messages over a lossy link" "$T/echo-c" \
		"all 40 echoes matched"
else
	fail "echo: 40 x 5000-byte messages over a lossy link" "$(cat "$T/echo-c")"
fi
in_ns "$NS_A" toy-echo-client "$IP_B:7000" "one message" "another" \
	>"$T/echo-c2" 2>&1
expect "echo: text messages come back whole" "$T/echo-c2" \
	"^sent 11 bytes, got 11 bytes back: one message\$" \
	"^sent 7 bytes, got 7 bytes back: another\$"

# ---- chat ---------------------------------------------------------------
start chat "$T/chat-s" toy-chat-server "$IP_B:7100" --timeout 20000 \
	"hello A" "fine, and you?"
CHAT_S=$BG_PID
wait_for grep -q "waiting for a chat partner" "$T/chat-s"
in_ns "$NS_A" toy-chat-client "$IP_B:7100" --timeout 20000 "hi B" \
	"how are you" "see you" >"$T/chat-c" 2>&1
crc=$?
wait "$CHAT_S"
src=$?
if [ $crc = 0 ] && [ $src = 0 ] &&
   ordered "$T/chat-c" "^me: hi B$" "^peer: hello A$" "^me: how are you$" \
	"^peer: fine, and you[?]$" "^me: see you$" \
	"^chat ended: I said \"see you\"" &&
   ordered "$T/chat-s" "^peer: hi B$" "^me: hello A$" "^peer: how are you$" \
	"^me: fine, and you[?]$" "^peer: see you$" \
	"^chat ended: $IP_A:[0-9]* said \"see you\""; then
	pass "chat: scripted conversation, lines in order on both sides"
else
	echo "# client (exit $crc):"; sed 's/^/#   /' "$T/chat-c"
	echo "# server (exit $src):"; sed 's/^/#   /' "$T/chat-s"
	fail "chat: scripted conversation, lines in order on both sides"
fi
# The side that said "see you" closed first: it holds TIME_WAIT.
cport=$(sed -n "s/^chat ended: $IP_A:\([0-9]*\) said.*/\1/p" "$T/chat-s")
if [ -n "$cport" ] &&
   in_ns "$NS_A" grep -q "^[0-9]* $IP_A:$cport $IP_B:7100 TIME_WAIT " /proc/net/toy; then
	pass "chat: the side that said \"see you\" is in TIME_WAIT"
else
	fail "chat: the side that said \"see you\" is in TIME_WAIT" \
	     "port '$cport'; /proc/net/toy of A: $(in_ns "$NS_A" cat /proc/net/toy)"
fi

# Interactive mode fed by a pipe: the server talks, the client types.
start chat2 "$T/chat2-s" toy-chat-server "$IP_B:7101" --timeout 20000 \
	"welcome"
CHAT_S=$BG_PID
wait_for grep -q "waiting for a chat partner" "$T/chat2-s"
printf 'line one\nline two\nsee you\n' |
	in_ns "$NS_A" toy-chat-client "$IP_B:7101" >"$T/chat2-c" 2>&1
crc=$?
wait "$CHAT_S"
if [ $crc = 0 ] && ordered "$T/chat2-s" "^peer: line one$" "^me: welcome$" \
	"^peer: line two$" "^peer: see you$" &&
   grep -q "^peer: welcome$" "$T/chat2-c"; then
	pass "chat: client reading lines from a pipe (full duplex)"
else
	echo "# client (exit $crc):"; sed 's/^/#   /' "$T/chat2-c"
	echo "# server:"; sed 's/^/#   /' "$T/chat2-s"
	fail "chat: client reading lines from a pipe (full duplex)"
fi

# ---- circle area service -------------------------------------------------
start area "$T/area-s" toy-area-server "$IP_B:7200"
wait_for grep -q "circle area service on" "$T/area-s"
in_ns "$NS_A" toy-area-client "$IP_B:7200" 1 2.5 10 0 0.001 123456 \
	>"$T/area-c" 2>&1
arc=$?
ok=1
for r in 1 2.5 10 0 0.001 123456; do
	want=$(awk -v r="$r" 'BEGIN { printf "%.6f", 3.14159265358979323846 * r * r }')
	grep -qx "radius $r -> area $want" "$T/area-c" || {
		echo "# no line 'radius $r -> area $want'"; ok=0; }
done
if [ $arc = 0 ] && [ $ok = 1 ]; then
	pass "area: six radii, areas as awk computes them"
else
	sed 's/^/#   /' "$T/area-c"
	fail "area: six radii, areas as awk computes them" "exit status $arc"
fi
if in_ns "$NS_A" toy-area-client "$IP_B:7200" 3 abc -- -1 >"$T/area-c2" 2>&1; then
	fail "area: bad radii get an error answer, client exits 1" \
	     "exit status 0: $(cat "$T/area-c2")"
else
	expect "area: bad radii get an error answer, client exits 1" \
		"$T/area-c2" "^radius abc -> error: \"abc\" is not a radius" \
		"^radius -1 -> error: " "^radius 3 -> area 28.274334\$"
fi
printf '4\n5\n' | in_ns "$NS_A" toy-area-client "$IP_B:7200" -q >"$T/area-c3" 2>&1
if [ "$(cat "$T/area-c3")" = "$(printf '50.265482\n78.539816')" ]; then
	pass "area: radii from standard input"
else
	fail "area: radii from standard input" "got: $(cat "$T/area-c3")"
fi

# ---- file transfer --------------------------------------------------------
mkdir -p "$T/srv" "$T/dl" "$T/up"
: >"$T/srv/empty"
printf x >"$T/srv/one-byte"
dd if=/dev/urandom of="$T/srv/chunk" bs=65536 count=1 2>/dev/null
dd if=/dev/urandom of="$T/srv/big.bin" bs=1000 count=1234 2>/dev/null
echo "notes for the server" >"$T/up/notes.txt"
dd if=/dev/urandom of="$T/up/upload.bin" bs=1000 count=333 2>/dev/null

start file "$T/file-s" toy-file-server "$IP_B:7300" "$T/srv" --timeout 60000
wait_for grep -q "serving" "$T/file-s"

# sha NAME: busybox sha256sum of a file
sha() { sha256sum "$1" | cut -d' ' -f1; }

for f in big.bin empty one-byte chunk; do
	n="file: get $f ($(wc -c <"$T/srv/$f") bytes), SHA-256 matches sha256sum"
	if ! in_ns "$NS_A" toy-file-client "$IP_B:7300" --timeout 60000 \
		get "$f" -o "$T/dl" >"$T/get-$f" 2>&1; then
		fail "$n" "toy-file-client failed: $(tail -n 5 "$T/get-$f")"
		continue
	fi
	want=$(sha "$T/srv/$f")
	if [ "$(sha "$T/dl/$f")" = "$want" ] && cmp -s "$T/srv/$f" "$T/dl/$f"; then
		expect "$n" "$T/get-$f" "^SHA-256 $want OK"
	else
		fail "$n" "sha256sum differs: $(sha "$T/dl/$f") vs $want"
	fi
done
# 1234000 bytes in 65536-byte messages: 19 content messages, 22 in all;
# progress goes to plain lines when stderr is not a terminal.
expect "file: one message per field, 64 KiB content messages" "$T/get-big.bin" \
	"^received big.bin: 1234000 bytes in 22 messages (name, size, 19 content, SHA-256)"
expect "file: progress as plain lines off a terminal" "$T/get-big.bin" \
	"^receiving big.bin:  25% (" "^receiving big.bin: 100% (1234000 of 1234000 bytes)"

n="file: put two files, the server stores them with the same SHA-256"
if in_ns "$NS_A" toy-file-client "$IP_B:7300" --timeout 60000 --chunk 10000 \
	put "$T/up/notes.txt" "$T/up/upload.bin" >"$T/put" 2>&1 &&
   [ "$(sha "$T/srv/notes.txt")" = "$(sha "$T/up/notes.txt")" ] &&
   [ "$(sha "$T/srv/upload.bin")" = "$(sha "$T/up/upload.bin")" ]; then
	expect "$n" "$T/put" \
		"^sent upload.bin: 333000 bytes in 37 messages (name, size, 34 content, SHA-256).*matches: $(sha "$T/up/upload.bin")"
else
	fail "$n" "$(tail -n 5 "$T/put")"
fi

if in_ns "$NS_A" toy-file-client "$IP_B:7300" get no-such-file -o "$T/dl" \
	>"$T/get-missing" 2>&1; then
	fail "file: a missing file is an error" "exit 0: $(cat "$T/get-missing")"
else
	expect "file: a missing file is an error" "$T/get-missing" \
		"the other side says: cannot read no-such-file: No such file"
fi
if in_ns "$NS_A" toy-file-client "$IP_B:7300" get ../etc/passwd -o "$T/dl" \
	>"$T/get-bad" 2>&1 || [ -e "$T/dl/passwd" ]; then
	fail "file: a path is not a file name" "$(cat "$T/get-bad")"
else
	pass "file: a path is not a file name"
fi
[ -z "$(ls "$T/dl" | grep '\.part$')" ] && pass "file: no .part files left behind" ||
	fail "file: no .part files left behind" "$(ls "$T/dl")"

# ---- epoll server ----------------------------------------------------------
start epoll "$T/epoll-s" toy-epoll-server "$IP_B:7400" --exit-after 30
EP=$BG_PID
wait_for grep -q "echo service on" "$T/epoll-s"
if in_ns "$NS_A" toy-epoll-client "$IP_B:7400" --clients 30 --count 8 \
	--size 1500 --timeout 60000 >"$T/epoll-c" 2>&1; then
	expect "epoll: 30 clients at once, every echo checked" "$T/epoll-c" \
		"^30 clients, 8 messages of 1500 bytes each: all echoes matched"
else
	fail "epoll: 30 clients at once, every echo checked" "$(tail -n 15 "$T/epoll-c")"
fi
if wait_for -t 30 grep -q "^served" "$T/epoll-s" && wait "$EP"; then
	expect "epoll: server counts 30 connections, 240 messages" "$T/epoll-s" \
		"^served 30 connections, at most [1-9][0-9]* at once, 240 messages, 360000 bytes"
else
	fail "epoll: server counts 30 connections, 240 messages" "$(cat "$T/epoll-s")"
fi

# chat room: what one client says reaches the others, with its address
start room "$T/room-s" toy-epoll-server "$IP_B:7401" --room -v
wait_for grep -q "chat room service on" "$T/room-s"
run_bg in_ns "$NS_A" toy-sock connect "$IP_B:7401" recv recv close \
	>"$T/room-1" 2>&1
R1=$BG_PID
run_bg in_ns "$NS_A" toy-sock -q connect "$IP_B:7401" wait "$T/r2" \
	send "hello room" send "second" sleep 500 close >"$T/room-2" 2>&1
# both must be in the room (accepted) before anyone speaks
wait_for -t 20 grep -q "connected; 2 open" "$T/room-s"
touch "$T/r2"
wait "$R1"
if ordered "$T/room-1" "received .*: $IP_A:[0-9]*: hello room" \
	"received .*: $IP_A:[0-9]*: second"; then
	pass "epoll: --room passes messages on to the other clients"
else
	fail "epoll: --room passes messages on to the other clients" \
	     "$(cat "$T/room-1" "$T/room-s")"
fi
