#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: reset: a connect to a port nobody listens on is answered with RST (ECONNREFUSED)
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
lesson_port

title "Reset: knocking on a closed port" "复位（RST）：连接一个没有监听的端口"
say "A SYN to a port where no socket listens cannot start a connection. B does" \
    "发往一个没有套接字监听的端口的 SYN 无法建立连接。B 不会默默丢弃它，"
say "not stay silent (A would retry for a long time): it answers with a reset," \
    "（否则 A 会重试很久），而是回复一个复位报文段 RST，"
say "RST, which acknowledges the SYN (ack = A's ISN + 1) so that A can tell it" \
    "它确认了这个 SYN（ack = A 的 ISN + 1），让 A 知道它是对自己这次连接的回答。"
say "belongs to this attempt. connect() then fails at once: ECONNREFUSED." \
    "于是 connect() 立刻失败：ECONNREFUSED（连接被拒绝）。"
say "Nobody listens on B's port $PORT; A connects." "B 的端口 $PORT 上没有人监听；A 发起连接。"

rst0=$(counter "$NS_B" OutRsts)
trace_start "$PORT"
in_ns "$NS_A" toy-sock -q connect "$IP_B:$PORT" >"$T/a" 2>&1
rc=$?
trace_stop
rst1=$(counter "$NS_B" OutRsts)
printf '  A$ toy-sock connect %s\n' "$IP_B:$PORT"
sed 's/^/    /' "$T/a"

title "What happened" "刚才发生了什么"
say "B's kernel found no socket for port $PORT (the margin says NoPort), sent" \
    "B 的内核找不到端口 $PORT 对应的套接字（右侧注释：NoPort），"
say "$((rst1 - rst0)) RST (OutRsts in /proc/net/toy_stats), and A's connect() failed" \
    "发出了 $((rst1 - rst0)) 个 RST（/proc/net/toy_stats 中的 OutRsts），A 的 connect()"
say "with status $rc at once, without waiting for a retransmission timeout." \
    "立即失败（退出状态 $rc），不必等待重传超时。"
echo

lesson_check "connect() fails with ECONNREFUSED" \
	sh -c "[ $rc -ne 0 ] && grep -qi 'refused' '$T/a'"
lesson_check "one SYN from A, B's ACK+RST with ack = A's ISN + 1" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, sent, expect
s = sent(load(sys.argv[1], sys.argv[2]))
expect([x["flags"] for x in s] == ["SYN", "ACK|RST"], "segments: %s" % [x["flags"] for x in s])
expect(s[1]["ack"] == (s[0]["seq"] + 1) % 2**32, "RST ack")
PY
lesson_check "B counted one RST sent (OutRsts)" test "$((rst1 - rst0))" -eq 1
