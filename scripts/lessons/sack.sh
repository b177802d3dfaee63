#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: fast retransmit with SACK: a lost segment resent on duplicate ACKs and SACK blocks, before the timer
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require toy-verify
lesson_port
LOSS=3%
N=20

title "Fast retransmit and SACK" "快速重传与 SACK"
say "Waiting for the retransmission timer costs at least 200 ms. But when one" \
    "等待重传定时器至少要 200 毫秒。但如果只丢了一个报文段，"
say "segment is lost and the next ones arrive, the receiver says so at once:" \
    "而后面的报文段到达了，接收方会立即告诉发送方："
say "its ACKs repeat the same number (duplicate ACKs) and carry SACK blocks, the" \
    "它的 ACK 重复同一个确认号（重复 ACK），并带上 SACK 块，"
say "ranges it did get. After three duplicates (or when SACK shows the gap) the" \
    "即它已经收到的区间。收到三个重复 ACK（或 SACK 显示出空洞）后，"
say "sender resends just the missing segment: fast retransmit. A sends $N" \
    "发送方只重发缺失的那个报文段：这就是快速重传。A 发送 $N 条"
say "messages of 20-60 kB through a cable that loses $LOSS of A's packets." \
    "20-60 kB 的消息，线路丢弃 A 发出的 $LOSS 的包。"

fr0=$(counter "$NS_A" FastRetrans)
sb0=$(counter "$NS_A" SackBlocksRecv)
to0=$(counter "$NS_A" Timeouts)
one_by_one
netem "$NS_A" "$DEV_A" loss "$LOSS" >/dev/null
verify_run 20000 60000
netem_clear "$NS_A" "$DEV_A"
fr=$(($(counter "$NS_A" FastRetrans) - fr0))
sb=$(($(counter "$NS_A" SackBlocksRecv) - sb0))
to=$(($(counter "$NS_A" Timeouts) - to0))
echo "# the retransmissions in the ladder (first 8):"
toytrace --file "$T/raw" --rate 0 2>/dev/null | grep ': retransmit seq=' | head -n 8 | sed 's/^/    /'

title "What happened" "刚才发生了什么"
say "A received $sb SACK blocks and made $fr fast retransmissions; its timer ran" \
    "A 收到了 $sb 个 SACK 块，进行了 $fr 次快速重传；它的定时器只超时了 $to 次。"
say "out only $to times. Every message arrived intact (toy-verify)." \
    "所有消息都完好无损地到达了（toy-verify 验证）。"
echo

lesson_check "A received SACK blocks and made fast retransmissions" \
	sh -c "[ $fr -gt 0 ] && [ $sb -gt 0 ]"
lesson_check "the trace marks retransmissions not caused by the timer" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, expect
r = [x for x in load(sys.argv[1], sys.argv[2]) if x["event"] == "toy_retransmit"]
expect(any(x.get("reason") in ("FAST", "RACK") for x in r),
       "reasons: %s" % sorted({x.get("reason") for x in r}))
PY
lesson_check "all $N messages verified" test "$src" -eq 0 -a "$rrc" -eq 0
