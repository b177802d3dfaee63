#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The two-VM tests (scripts/tiers/45-two-vm.sh): this script runs in both
# VMs of scripts/twovm.sh, as side A and side B, each with its own kernel,
# sysctls, clock and toy.ko, joined by virtio-net NICs. Every check runs in
# both directions; each side prints the results it can see (the receiver
# of a transfer judges it). netem is set on both guest NICs (egress), so
# data and acknowledgements suffer alike.
#
#  1. the NIC has no checksum offload: the guest kernels compute and verify
#     every AF_TOY checksum in software (the host checks the wire: pcap)
#  2. echo and the file transfer, SHA-256 compared after a round trip,
#     over a lossy link (netem loss 2% delay 2ms)
#  3. toy-verify (count, order, length and SHA-256 of every message)
#     through loss, duplication, delay and reordering
#  4. toy-verify through `netem corrupt 1%`: the receiving kernel counts
#     CsumErrors, retransmissions repair them, not one message differs
#  5. MTU 9000 on both NICs: the MSS follows, messages larger than 1500
#     bytes go in 9000-byte frames, all verified
#
# Environment: TOY_TWO_COUNT (messages per verifier run, default 300:
# sized for a few minutes of emulated time, see the tier), TOY_SEED.
. /toy/twovm-lib.sh

COUNT=${TOY_TWO_COUNT:-300}
T=/tmp/twovm
mkdir -p "$T/srv" "$T/dl" "$T/up"

twovm_up 1500 || exit 1
hostname "toy$ROLE"

# ---- 1. what the NIC offers ---------------------------------------------
# virtio feature bits, one character each: bit 0 VIRTIO_NET_F_CSUM (the
# device fills in checksums the guest leaves partial), bit 1
# VIRTIO_NET_F_GUEST_CSUM (it hands over packets whose checksum it
# checked). QEMU offers neither when its network backend cannot carry a
# virtio-net header, as the socket backend cannot.
feat=$(cat "/sys/class/net/$DEV/device/features")
log "$ROLE: virtio-net features $feat"
if [ "$(echo "$feat" | cut -c1-2)" = 00 ]; then
	pass "$ROLE: virtio-net without VIRTIO_NET_F_CSUM/GUEST_CSUM: checksums are the kernel's"
else
	fail "$ROLE: virtio-net without VIRTIO_NET_F_CSUM/GUEST_CSUM: checksums are the kernel's" \
	     "features $feat: the host would fill in or trust checksums"
fi

# ---- 2. echo and file transfer, both ways ---------------------------------
run_bg toy-echo-server "$MY_IP:7000" >"$T/echo-s" 2>&1
dd if=/dev/urandom of="$T/srv/big.bin" bs=1000 count=1234 2>/dev/null
run_bg toy-file-server "$MY_IP:7300" "$T/srv" --timeout 60000 >"$T/file-s" 2>&1
wait_for grep -q "listening on" "$T/echo-s"
wait_for grep -q "serving" "$T/file-s"
tc qdisc replace dev "$DEV" root netem delay 2ms loss 2% ||
	fail "$ROLE: netem on $DEV" "tc qdisc replace failed"
log "$ROLE: netem on $DEV: $(tc qdisc show dev "$DEV" | head -n 1)"
meet servers

sha() { sha256sum "$1" | cut -d' ' -f1; }

# client SERVER-SIDE: this side (the other one) is the client of SERVER-SIDE
client() {
	d="$ROLE->$PEER"
	if toy-echo-client "$PEER_IP:7000" --timeout 30000 --count 40 --size 5000 \
		--window 4 >"$T/echo-c" 2>&1 && grep -q "all 40 echoes matched" "$T/echo-c"; then
		pass "$d: echo: 40 x 5000-byte messages across the VMs"
	else
		fail "$d: echo: 40 x 5000-byte messages across the VMs" "$(tail -n 5 "$T/echo-c")"
	fi
	toy-echo-client "$PEER_IP:7000" "from $ROLE, kernel $(uname -r)" >"$T/echo-c2" 2>&1
	if grep -q "got [0-9]* bytes back: from $ROLE, kernel $(uname -r)\$" "$T/echo-c2"; then
		pass "$d: echo: a text message comes back whole"
	else
		fail "$d: echo: a text message comes back whole" "$(cat "$T/echo-c2")"
	fi
	# get the peer's file; the client checks the SHA-256 the server sent
	n="$d: file: get big.bin, SHA-256 as sent, then put it back"
	if toy-file-client "$PEER_IP:7300" --timeout 60000 get big.bin -o "$T/dl" \
		>"$T/get" 2>&1 && grep -q "^SHA-256 $(sha "$T/dl/big.bin") OK" "$T/get"; then
		log "$ROLE: got big.bin, sha256sum $(sha "$T/dl/big.bin")"
		cp "$T/dl/big.bin" "$T/up/back-$ROLE.bin"
		if toy-file-client "$PEER_IP:7300" --timeout 60000 --chunk 10000 \
			put "$T/up/back-$ROLE.bin" >"$T/put" 2>&1; then
			pass "$n"
		else
			fail "$n" "put: $(tail -n 5 "$T/put")"
		fi
	else
		fail "$n" "get: $(tail -n 5 "$T/get")"
	fi
}

# the file went to the other VM and came back: compare here, with busybox
roundtrip() {
	n="$PEER->$ROLE->$PEER: file: big.bin back from $PEER byte for byte, same SHA-256"
	if [ -f "$T/srv/back-$PEER.bin" ] && cmp -s "$T/srv/big.bin" "$T/srv/back-$PEER.bin" &&
	   [ "$(sha "$T/srv/big.bin")" = "$(sha "$T/srv/back-$PEER.bin")" ]; then
		log "$ROLE: big.bin and back-$PEER.bin: sha256sum $(sha "$T/srv/big.bin")"
		pass "$n"
	else
		fail "$n" "$(ls -l "$T/srv"; tail -n 5 "$T/file-s")"
	fi
}

on_side A client
meet a-client-done
on_side B roundtrip
on_side B client
meet b-client-done
on_side A roundtrip
tc qdisc del dev "$DEV" root 2>/dev/null

# ---- 3-5. the reliability verifier, both ways -----------------------------
# verify NAME SENDER PORT EXPECT NETEM...: toy-verify SENDER -> the other
# side on PORT, with netem NETEM on both NICs (none if empty). EXPECT is a
# list of S:COUNTER / R:COUNTER (sender / receiver) that must rise.
verify() {
	vn=$1 vs=$2 vp=$3 vx=$4; shift 4
	if [ "$vs" = A ]; then vr=B; else vr=A; fi
	what="$vs->$vr: $vn ($COUNT messages${*:+, netem $*})"
	if [ $# -gt 0 ]; then
		tc qdisc replace dev "$DEV" root netem "$@" ||
			{ skip "$what" "tc netem $* failed"; meet "$vn-ready"; meet "$vn-done"; return 0; }
	fi
	stats >"$T/$vn.before"
	vpid=
	if [ "$ROLE" = "$vr" ]; then
		toy-verify recv "$MY_IP:$vp" --timeout 240000 --progress 100 >"$T/$vn.r" 2>&1 &
		vpid=$!
		wait_for grep -q listening "$T/$vn.r"
	fi
	meet "$vn-ready"
	t0=$(cut -d' ' -f1 /proc/uptime)
	if [ "$ROLE" = "$vs" ]; then
		# shellcheck disable=SC2086 # empty or two words
		toy-verify send "$PEER_IP:$vp" --count "$COUNT" --min 1 --max 65536 \
			${TOY_SEED:+--seed $TOY_SEED} --timeout 240000 --info >"$T/$vn.s" 2>&1
		vrc=$?
	else
		wait "$vpid"
		vrc=$?
	fi
	t1=$(cut -d' ' -f1 /proc/uptime)
	stats >"$T/$vn.after"
	meet "$vn-done"
	[ $# -eq 0 ] || tc qdisc del dev "$DEV" root 2>/dev/null
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	line="$ROLE:"
	for c in OutSegs InSegs RetransSegs FastRetrans Timeouts DupSegs OutOfOrder CsumErrors; do
		line="$line $c +$(($(counter "$T/$vn.after" $c) - $(counter "$T/$vn.before" $c)))"
	done
	log "$vn $vs->$vr: $line (${secs}s)"
	# for the host: this side's checksum errors in this run
	echo "# twovm-csum $vn $ROLE $(($(counter "$T/$vn.after" CsumErrors) - $(counter "$T/$vn.before" CsumErrors)))"
	if [ "$ROLE" = "$vs" ]; then
		grep -E "seed|connected|goodput|TOY_INFO" "$T/$vn.s" | sed 's/^/# /'
		if [ "$vrc" = 0 ]; then
			pass "$what: the sender saw its data acknowledged, exit 0"
		else
			fail "$what: the sender saw its data acknowledged, exit 0" \
			     "exit $vrc: $(tail -n 8 "$T/$vn.s")"
		fi
	else
		if [ "$vrc" = 0 ] &&
		   grep -q "^toy-verify: OK: $COUNT of $COUNT messages intact and in order" "$T/$vn.r"; then
			pass "$what: receiver: $COUNT of $COUNT intact, in order, SHA-256 each"
		else
			fail "$what: receiver: $COUNT of $COUNT intact, in order, SHA-256 each" \
			     "exit $vrc: $(tail -n 12 "$T/$vn.r")"
		fi
	fi
	for x in $vx; do
		s=${x%%:*} c=${x#*:}
		if [ "$s" = S ]; then s=$vs; else s=$vr; fi
		[ "$s" = "$ROLE" ] || continue
		d=$(($(counter "$T/$vn.after" "$c") - $(counter "$T/$vn.before" "$c")))
		if [ "$d" -gt 0 ]; then
			pass "$what: $c > 0 on $ROLE (+$d)"
		else
			fail "$what: $c > 0 on $ROLE (+$d)" "the impairment left no trace on $ROLE"
		fi
	done
}

IMPAIR="loss 5% duplicate 5% delay 5ms reorder 20% 50%"
# shellcheck disable=SC2086 # the netem arguments are separate words
verify impair-ab A 7501 "S:RetransSegs R:DupSegs R:OutOfOrder" $IMPAIR
# shellcheck disable=SC2086
verify impair-ba B 7502 "S:RetransSegs R:DupSegs R:OutOfOrder" $IMPAIR
# corrupted data arrives at the receiver, whose kernel must refuse it
verify corrupt-ab A 7601 "R:CsumErrors S:RetransSegs" corrupt 1%
verify corrupt-ba B 7602 "R:CsumErrors S:RetransSegs" corrupt 1%

# ---- 5. jumbo frames --------------------------------------------------------
ip link set "$DEV" mtu 9000 || fail "$ROLE: MTU 9000 on $DEV" "ip link set mtu failed"
log "$ROLE: $(ip link show "$DEV" | head -n 1)"
meet mtu9000
verify mtu9000-ab A 7901 ""
verify mtu9000-ba B 7902 ""
for vn in mtu9000-ab mtu9000-ba; do
	[ -f "$T/$vn.s" ] || continue
	mss=$(sed -n 's/.*connected to .*, mss \([0-9]*\).*/\1/p' "$T/$vn.s")
	# 9000 less 20 (IP) and 20 (AF_TOY) and options; 1460 is MTU 1500's
	if [ "${mss:-0}" -gt 1460 ] && [ "$mss" -le 8960 ]; then
		pass "$ROLE: $vn: MSS $mss follows MTU 9000"
	else
		fail "$ROLE: $vn: MSS $mss follows MTU 9000" "$(head -n 3 "$T/$vn.s")"
	fi
done
meet end
