#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: checksum: corrupted segments dropped, counted (CsumErrors), resent; the data arrives intact
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require toy-verify
lesson_port
CORRUPT=10%
N=300

title "The checksum: corrupted segments" "校验和：被损坏的报文段"
say "Every AF_TOY segment carries a checksum over its header and data (and the" \
    "每个 AF_TOY 报文段都带有一个校验和，覆盖报文头和数据（以及 IP 地址），"
say "IP addresses), as TCP's does. The receiver computes it again; a segment" \
    "和 TCP 一样。接收方重新计算校验和；不一致的报文段被直接丢弃"
say "whose sum does not match is dropped and counted (CsumErrors), as if lost," \
    "并计数（CsumErrors），就像它丢失了一样，"
say "and the sender's retransmission brings a good copy. Here the cable flips a" \
    "发送方的重传会送来一份正确的副本。这里“网线”会翻转 $CORRUPT 的包中的一个比特"
say "bit in $CORRUPT of the packets (netem corrupt); A sends $N checked messages." \
    "（netem corrupt）；A 发送 $N 条带校验的消息。"

say "netem flips a bit in the part of the packet it can reach, the headers: the" \
    "netem 只能翻转包中它够得着的部分，也就是报文头："
say "payload sits in page fragments, as TCP's does. A bit flipped in the Ethernet" \
    "数据和 TCP 的一样放在页片段里。以太网头或 IP 头里被翻转的比特"
say "or IP header drops the packet before AF_TOY sees it; one in AF_TOY's header" \
    "会让包在到达 AF_TOY 之前就被丢弃；AF_TOY 头里被翻转的比特"
say "is caught by its checksum." \
    "则由它的校验和发现。"

cs0=$(counter "$NS_B" CsumErrors)
rt0=$(counter "$NS_A" RetransSegs)
netem "$NS_A" "$DEV_A" corrupt "$CORRUPT" >/dev/null
verify_run 100 3000
netem_clear "$NS_A" "$DEV_A"
cs1=$(counter "$NS_B" CsumErrors)
rt1=$(counter "$NS_A" RetransSegs)
printf '  A$ toy-verify send ...\n'
sed 's/^/    /' "$T/s" | tail -n 3
printf '  B$ toy-verify recv ...\n'
sed 's/^/    /' "$T/r" | tail -n 3

title "What happened" "刚才发生了什么"
say "B dropped $((cs1 - cs0)) segments whose checksum did not match (CsumErrors);" \
    "B 丢弃了 $((cs1 - cs0)) 个校验和不匹配的报文段（CsumErrors）；"
say "A retransmitted $((rt1 - rt0)) segments, and every message arrived intact:" \
    "A 重传了 $((rt1 - rt0)) 个报文段，所有消息都完好无损地到达："
say "toy-verify compared each one's bytes with what was sent." \
    "toy-verify 逐条比较了收到的字节和发送的字节。"
echo

lesson_check "B dropped and counted corrupted segments (CsumErrors > 0)" \
	test "$((cs1 - cs0))" -gt 0
lesson_check "the trace shows checksum drops" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, expect
r = load(sys.argv[1], sys.argv[2])
d = [x for x in r if x["event"] == "toy_segment_drop" and "sum" in x.get("reason", "").lower()]
expect(d, "drop reasons: %s" % sorted({x.get("reason") for x in r if x["event"] == "toy_segment_drop"}))
PY
lesson_check "all $N messages verified, byte for byte" test "$src" -eq 0 -a "$rrc" -eq 0
