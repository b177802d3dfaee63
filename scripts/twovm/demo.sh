#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The AF_TOY demo across two VMs (make demo-two, scripts/demo-two.sh): the
# walk-through of scripts/demo/guest.sh, but host A and host B are two
# machines, each with its own kernel, joined by virtio-net NICs that leave
# every checksum to the kernels. Runs in both VMs; the two meet over the
# cable between steps (scripts/twovm/guest-lib.sh). Lines of A and B come
# labelled "A| " and "B| "; A announces each step.
#
# TOY_DEMO_DELAY (default 20ms), TOY_DEMO_LOSS (5%) and TOY_DEMO_CORRUPT
# (2%) shape the link (netem on each guest's NIC).
. /toy/twovm-lib.sh

DELAY=${TOY_DEMO_DELAY:-20ms}
LOSS=${TOY_DEMO_LOSS:-5%}
CORRUPT=${TOY_DEMO_CORRUPT:-2%}
T=/tmp/demo
mkdir -p "$T/files"
n=0

# step TEXT: both sides meet, A announces the step, and B says nothing
# before A has (they meet again)
step() {
	n=$((n + 1))
	meet "step$n"
	on_side A printf '\n=== %d. %s\n' "$n" "$*"
	meet "step$n-said"
}
say() { printf '    %s\n' "$*"; }
# run CMD...: show the command as typed on this host, run it, indent
run() {
	printf '  %s$ %s\n' "$ROLE" "$*"
	"$@" 2>&1 | sed 's/^/    /'
}
c() { counter /proc/net/toy_stats "$1"; }

twovm_up 1500 >/dev/null || exit 1
hostname "toy$ROLE"

step "Two machines, each booting its own kernel, one cable between them"
say "host $ROLE: kernel $(uname -r), $DEV $MY_IP, driver" \
    "$(basename "$(readlink "/sys/class/net/$DEV/device/driver")")"
say "host $ROLE: virtio-net features $(cut -c1-2 "/sys/class/net/$DEV/device/features")..." \
    "(bits 0-1: checksum offload both ways: off)"
step "The cable delays and loses packets: netem on each NIC"
tc qdisc replace dev "$DEV" root netem delay "$DELAY" loss "$LOSS"
say "every packet $ROLE sends waits $DELAY, and $LOSS of them are lost"

step "B runs an echo server; A sends three messages"
if [ "$ROLE" = B ]; then
	run_bg toy-echo-server "$MY_IP:7000" >"$T/echo-server.log" 2>&1
	wait_for grep -q "listening on" "$T/echo-server.log"
	say "toy-echo-server listening on $MY_IP:7000"
fi
meet echo-up
on_side A run toy-echo-client "$PEER_IP:7000" "hello from $(uname -r)" \
	"each send() is one message" "and each recv() returns exactly one" --info
on_side A say "the three-way handshake went over the cable: one round trip"
on_side A say "(2 x $DELAY) before the first message; srtt shows it."

step "A connection held open: toystat on both hosts"
if [ "$ROLE" = B ]; then
	run_bg toy-sock -q listen "$MY_IP:7001" accept expect "ping" send "pong" \
		expect-eof close
	wait_for grep -q " $MY_IP:7001 .* LISTEN " /proc/net/toy
fi
meet hold-listen
on_side A run_bg toy-sock -q connect "$PEER_IP:7001" send "ping" expect "pong" \
	touch "$T/open" wait "$T/shown" close
on_side A wait_for -t 30 test -e "$T/open"
meet hold-open
on_side A run toystat
meet hold-shown-a
on_side B run toystat -a
meet hold-shown-b
on_side A say "each kernel keeps its own view of the one connection: its own"
on_side A say "clock, srtt and RTO, its own sysctls (net.toy.*)."

step "A closes first: A keeps the connection in TIME_WAIT, B forgets it"
on_side A touch "$T/shown"
on_side A wait_for -t 30 sh -c "toystat -H state time-wait | grep -q ':7001 '"
on_side A run toystat state time-wait
meet tw-shown
on_side B run toystat -a

step "A downloads a 2 MB file from B, checked with SHA-256 on arrival"
if [ "$ROLE" = B ]; then
	dd if=/dev/urandom of="$T/files/photo.jpg" bs=1000 count=2000 2>/dev/null
	run_bg toy-file-server "$MY_IP:7300" "$T/files" >"$T/file-server.log" 2>&1
	wait_for grep -q "serving" "$T/file-server.log"
	run sha256sum "$T/files/photo.jpg"
fi
meet file-up
re0=$(c RetransSegs)
on_side A run toy-file-client "$PEER_IP:7300" get photo.jpg -o "$T/files"
on_side A run sha256sum "$T/files/photo.jpg"
meet file-done
on_side B say "B retransmitted $(($(c RetransSegs) - re0)) segments the cable lost."

step "And the other way: B's echo client, A's echo server"
if [ "$ROLE" = A ]; then
	run_bg toy-echo-server "$MY_IP:7000" >"$T/echo-server.log" 2>&1
	wait_for grep -q "listening on" "$T/echo-server.log"
fi
meet echo-a-up
on_side B run toy-echo-client "$PEER_IP:7000" "hello from $(uname -r)"

step "The cable now also flips bits ($CORRUPT): A uploads the file back to B"
tc qdisc replace dev "$DEV" root netem delay "$DELAY" loss "$LOSS" corrupt "$CORRUPT"
cs0=$(c CsumErrors)
meet corrupt-on
if [ "$ROLE" = A ]; then
	cp "$T/files/photo.jpg" "$T/back.jpg"
	run toy-file-client "$PEER_IP:7300" put "$T/back.jpg"
fi
meet put-done
if [ "$ROLE" = B ]; then
	run sha256sum "$T/files/photo.jpg" "$T/files/back.jpg"
	if cmp -s "$T/files/photo.jpg" "$T/files/back.jpg"; then
		say "the file went to A and came back byte for byte"
	else
		say "the file came back DIFFERENT: this should never happen"
	fi
fi
meet sha-shown
cs=$(($(c CsumErrors) - cs0))
on_side A say "host A: CsumErrors +$cs: segments whose checksum did not match, dropped"
meet csum-a
on_side B say "host B: CsumErrors +$cs: segments whose checksum did not match, dropped"
meet csum-b
on_side A say "no NIC checked or filled in a checksum on the way: the sending kernel"
on_side A say "computed each one, the receiving kernel checked it, and every segment"
on_side A say "it dropped was sent again."
tc qdisc del dev "$DEV" root

step "What each kernel counted (toystat -s)"
on_side A run toystat -s -z
meet counters-a
on_side B run toystat -s -z
meet end
