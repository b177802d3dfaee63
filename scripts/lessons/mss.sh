#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: MSS: each side announces the largest segment it takes; a big message goes in segments no larger
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
lesson_port
MTU_B=1000
SIZE=5000
ip -n "$NS_B" link set "$DEV_B" mtu "$MTU_B"

title "MSS: the maximum segment size" "MSS：最大报文段长度"
say "A segment must fit in one IP packet on the link: the MTU (1500 bytes on" \
    "报文段必须能装进链路上的一个 IP 包：即 MTU（以太网是 1500 字节）"
say "Ethernet) minus the IP header (20) and AF_TOY's header (32). Each side" \
    "减去 IP 头（20 字节）和 AF_TOY 头（32 字节）。每一方在 SYN 中"
say "announces its MSS in its SYN; the sender uses the smaller of the two, and a" \
    "通告自己的 MSS；发送方取两者中较小的一个，"
say "bigger message is cut into segments that fit, then put back together." \
    "更大的消息被切成合适的报文段，到达后再拼回一条消息。"
say "Here B's interface has MTU $MTU_B, A's 1500; A sends one $SIZE-byte message." \
    "这里 B 的网卡 MTU 是 $MTU_B，A 的是 1500；A 发送一条 $SIZE 字节的消息。"

trace_start "$PORT"
run_bg in_ns "$NS_B" toy-sock listen "$IP_B:$PORT" accept recv close >"$T/b" 2>&1
BP=$BG_PID
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':$PORT .* LISTEN'"
in_ns "$NS_A" toy-sock -q connect "$IP_B:$PORT" sendn "$SIZE" close
wait "$BP"
trace_stop

# shellcheck disable=SC2046 # numbers
set -- $(lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, sent
s = sent(load(sys.argv[1], sys.argv[2]))
d = [x["len"] for x in s if x["side"] == "A" and x["len"] > 0]
print(s[0].get("mss", 0), s[1].get("mss", 0), len(d), max(d) if d else 0)
PY
)
title "What happened" "刚才发生了什么"
say "A announced MSS ${1:-?} (1500 - 52), B announced ${2:-?} ($MTU_B - 52). A's $SIZE-byte" \
    "A 通告的 MSS 是 ${1:-?}（1500 - 52），B 通告的是 ${2:-?}（$MTU_B - 52）。"
say "message went as ${3:-?} segments of at most ${4:-?} bytes, the last one marked EOM;" \
    "A 的 $SIZE 字节消息被分成 ${3:-?} 个报文段，每个最多 ${4:-?} 字节，最后一个带 EOM 标记；"
say "B's recv() returned the whole message: $(grep -o 'received [0-9]* bytes' "$T/b" | head -n 1)." \
    "B 的 recv() 返回了完整的消息：$(grep -o 'received [0-9]* bytes' "$T/b" | head -n 1)。"
echo

lesson_check "SYN's MSS 1448, SYN+ACK's $((MTU_B - 52)); data segments at most $((MTU_B - 52)) bytes" \
	lesson_py - "$T/json" "$PORT" "$((MTU_B - 52))" <<'PY'
import sys
from lesson import load, sent, expect
s = sent(load(sys.argv[1], sys.argv[2]))
m = int(sys.argv[3])
expect(s[0].get("mss") == 1448 and s[1].get("mss") == m, "mss %s %s" % (s[0].get("mss"), s[1].get("mss")))
d = [x for x in s if x["side"] == "A" and x["len"] > 0]
expect(len(d) >= 5000 // m and max(x["len"] for x in d) <= m, "segments: %s" % [x["len"] for x in d])
expect(sum(x["len"] for x in d) >= 5000 and "EOM" in d[-1]["flags"], "EOM")
PY
lesson_check "B received one message of $SIZE bytes" grep -q "received $SIZE bytes" "$T/b"
