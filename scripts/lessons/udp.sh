#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: UDP against AF_TOY under loss: UDP's datagrams go missing, AF_TOY delivers every message in order
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
python3 -c 'import toysocket' 2>/dev/null || skip_all "python3 cannot import toysocket"
lesson_port
N=200
LOSS=10%

title "UDP and AF_TOY on a lossy cable" "丢包线路上的 UDP 与 AF_TOY"
say "UDP keeps message boundaries too, but nothing else: a datagram that is lost" \
    "UDP 也保留消息边界，但仅此而已：丢失的数据报就永远丢了，"
say "stays lost, and nobody is told. AF_TOY keeps the boundaries and adds TCP's" \
    "而且没有人会知道。AF_TOY 既保留边界，又有 TCP 的可靠性："
say "reliability: acknowledgements, retransmission, order. A sends $N numbered" \
    "确认、重传、按序交付。A 先用 UDP、再用 AF_TOY 各发送 $N 条编号消息，"
say "messages over UDP, then over AF_TOY, through a cable that loses $LOSS." \
    "线路丢包率为 $LOSS。"

netem "$NS_A" "$DEV_A" loss "$LOSS" >/dev/null
run_bg in_ns "$NS_B" python3 "$LESSON_DIR/udp.py" server "$IP_B" "$PORT" >"$T/srv" 2>&1
SRV=$BG_PID
wait_for grep -q listening "$T/srv"
re0=$(counter "$NS_A" RetransSegs)
in_ns "$NS_A" python3 "$LESSON_DIR/udp.py" client "$IP_B" "$PORT" "$N"
wait "$SRV"
netem_clear "$NS_A" "$DEV_A"
re1=$(counter "$NS_A" RetransSegs)
grep -v listening "$T/srv" | sed 's/^/    B: /'
nu=$(sed -n 's/^udp: \([0-9]*\) received.*/\1/p' "$T/srv")
nt=$(sed -n 's/^toy: \([0-9]*\) received.*/\1/p' "$T/srv")

title "What happened" "刚才发生了什么"
say "UDP: ${nu:-?} of $N datagrams arrived; the others were lost without a trace." \
    "UDP：$N 个数据报中到达了 ${nu:-?} 个；其余的悄无声息地丢失了。"
say "AF_TOY: ${nt:-?} of $N, in order; A retransmitted $((re1 - re0)) segments to get there." \
    "AF_TOY：$N 条中到达了 ${nt:-?} 条，而且按序；为此 A 重传了 $((re1 - re0)) 个报文段。"
echo

lesson_check "UDP lost datagrams" test "${nu:-$N}" -lt "$N"
lesson_check "AF_TOY delivered all $N messages, in order" \
	grep -qx "toy: $N received, in order: yes, first missing: $N" "$T/srv"
lesson_check "AF_TOY retransmitted" test "$((re1 - re0))" -gt 0
