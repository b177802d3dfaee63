#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: three-way handshake: SYN, SYN+ACK, ACK, both ISNs, the states
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# (SYN_SENT, SYN_RECV, ESTABLISHED)
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
lesson_port

title "The three-way handshake" "三次握手"
say "Before any data moves, the two ends agree on where their byte numbering" \
    "在传输数据之前，双方要先约定各自的序号从哪里开始："
say "starts: each picks a random initial sequence number (ISN) and the other" \
    "每一方随机选一个初始序号（ISN），并由对方确认收到。"
say "acknowledges it. A sends SYN (its ISN), B answers SYN+ACK (its own ISN," \
    "A 发送 SYN（带上自己的 ISN），B 回复 SYN+ACK（带上 B 的 ISN，"
say "ack = A's ISN + 1), A answers ACK (ack = B's ISN + 1)." \
    "ack = A 的 ISN + 1），A 再回复 ACK（ack = B 的 ISN + 1）。"
say "B listens on port $PORT; A connects. The ladder: A on the left, B on the right." \
    "B 在端口 $PORT 上监听，A 发起连接。下面的梯形图：左边是 A，右边是 B。"

trace_start "$PORT"
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:$PORT" accept touch "$T/accepted" wait "$T/done" close
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':$PORT .* LISTEN'"
run_bg in_ns "$NS_A" toy-sock -q connect "$IP_B:$PORT" touch "$T/connected" wait "$T/done" close
wait_for test -e "$T/connected" && wait_for test -e "$T/accepted"
trace_stop
touch "$T/done"

# A's ISN, B's ISN, SYN+ACK's ack, the ACK's ack
# shellcheck disable=SC2046 # four numbers
set -- $(lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, sent
s = sent(load(sys.argv[1], sys.argv[2]))
if len(s) >= 3:
    print(s[0]["seq"], s[1]["seq"], s[1]["ack"], s[2]["ack"])
PY
)
title "What happened" "刚才发生了什么"
say "A's ISN was ${1:-?}; B's was ${2:-?}. B's SYN+ACK acknowledged ${3:-?} = A's ISN + 1," \
    "A 的 ISN 是 ${1:-?}，B 的 ISN 是 ${2:-?}。B 的 SYN+ACK 确认号是 ${3:-?} = A 的 ISN + 1，"
say "and A's ACK acknowledged ${4:-?} = B's ISN + 1: one round trip, and both" \
    "A 的 ACK 确认号是 ${4:-?} = B 的 ISN + 1：一个往返之后，双方都知道了"
say "sides know where the other's numbering starts (the ladder shows them as 0)." \
    "对方序号的起点（梯形图里用相对序号 0 表示）。"
say "A went SYN_SENT -> ESTABLISHED, B SYN_RECV -> ESTABLISHED." \
    "A 的状态：SYN_SENT -> ESTABLISHED；B 的状态：SYN_RECV -> ESTABLISHED。"
echo

lesson_check "exactly SYN, SYN+ACK, ACK, with ack = ISN + 1 both ways" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, sent, expect
s = sent(load(sys.argv[1], sys.argv[2]))
expect([r["flags"] for r in s] == ["SYN", "SYN|ACK", "ACK"],
       "segments: %s" % [r["flags"] for r in s])
expect([r["side"] for r in s] == ["A", "B", "A"], "sides")
expect(s[1]["ack"] == (s[0]["seq"] + 1) % 2**32, "SYN+ACK ack")
expect(s[2]["ack"] == (s[1]["seq"] + 1) % 2**32, "ACK ack")
expect(s[2]["seq"] == s[1]["ack"], "ACK seq")
PY
lesson_check "A: SYN_SENT then ESTABLISHED; B: SYN_RECV then ESTABLISHED" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, states, expect
r = load(sys.argv[1], sys.argv[2])
expect(states(r, "A") == ["SYN_SENT", "ESTABLISHED"], "A: %s" % states(r, "A"))
expect(states(r, "B") == ["SYN_RECV", "ESTABLISHED"], "B: %s" % states(r, "B"))
PY
