#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: encapsulation: one captured segment's bytes, layer by layer: Ethernet, IPv4 protocol 253, AF_TOY, payload
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
lesson_port
MSG="hello, AF_TOY"

title "Encapsulation and decapsulation" "封装与解封"
say "A message is wrapped once per layer on the way down: AF_TOY puts its header" \
    "消息在向下传递时每经过一层就被包装一次：AF_TOY 在前面加上自己的头"
say "(ports, sequence numbers, flags, checksum, window) in front, IPv4 puts its" \
    "（端口、序号、标志、校验和、窗口），IPv4 再加上它的头"
say "own (addresses, protocol 253 = AF_TOY) in front of that, Ethernet its own" \
    "（地址，协议号 253 = AF_TOY），以太网再加上自己的头（MAC 地址）。"
say "(MAC addresses). The receiver unwraps them in the opposite order." \
    "接收方按相反的顺序逐层拆开。"
say "B captures the frame of A's message '$MSG' on its interface." \
    "B 在自己的网卡上抓取 A 发送 '$MSG' 的那个帧。"

run_bg in_ns "$NS_B" python3 "$LESSON_DIR/encapsulation.py" "$DEV_B" "$PORT" "$T/ready" \
	"$LESSON_LANG" >"$T/cap" 2>&1
CAP=$BG_PID
wait_for test -e "$T/ready"
trace_start "$PORT"
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:$PORT" accept expect "$MSG" close
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':$PORT .* LISTEN'"
in_ns "$NS_A" toy-sock -q connect "$IP_B:$PORT" send "$MSG" close
wait "$CAP"
trace_stop
grep -v '^RESULT' "$T/cap"

title "What happened" "刚才发生了什么"
say "Ethernet said 'IPv4 inside' (type 0x0800), IPv4 said 'AF_TOY inside'" \
    "以太网头说“里面是 IPv4”（类型 0x0800），IPv4 头说“里面是 AF_TOY”"
say "(protocol 253), the AF_TOY header said which connection and which bytes" \
    "（协议号 253），AF_TOY 头说明属于哪个连接、是哪些字节"
say "(ports, sequence number) and EOM: the end of a message. Inside: '$MSG'." \
    "（端口、序号），EOM 表示消息结束。最里面是：'$MSG'。"
echo

r=$(grep '^RESULT' "$T/cap")
log "$r"
lesson_check "the frame: Ethernet type 0x0800, IPv4 protocol 253, to port $PORT" \
	sh -c "echo '$r' | grep -q 'proto=253 dport=$PORT .*ethertype=0800'"
lesson_check "AF_TOY header 32 bytes (20 + timestamps), flags ACK+EOM, payload the message" \
	sh -c "echo '$r' | grep -q 'hlen=32 flags=ACK+EOM payload=$MSG ethertype'"
