#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: SYN flood and SYN cookies: the half-open queue filling, then cookies letting a real client in
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require toy-hostile toy-echo-server toy-echo-client
lesson_port
FLOOD_NET=10.9.0.0/16
BACKLOG=16
NSYN=400
# B's SYN-ACKs to $FLOOD_NET go to A, which does not forward them: the
# half-open connections stay half-open
ip -n "$NS_B" route add "$FLOOD_NET" via "$IP_A" || skip_all "could not route $FLOOD_NET"
echo 0 | in_ns "$NS_A" tee /proc/sys/net/ipv4/ip_forward >/dev/null
for k in all default "$DEV_B"; do
	echo 0 | in_ns "$NS_B" tee "/proc/sys/net/ipv4/conf/$k/rp_filter" >/dev/null
done
echo 0 | in_ns "$NS_B" tee /proc/sys/net/toy/syncookies >/dev/null

title "SYN flood and SYN cookies" "SYN 洪泛攻击与 SYN Cookie"
say "A server remembers every SYN it has answered, waiting for the final ACK:" \
    "服务器会记住每个已回复 SYN+ACK、正在等待最后一个 ACK 的连接，"
say "the half-open queue, limited by the listen() backlog ($BACKLOG here). An" \
    "这就是半连接队列，大小受 listen() 的 backlog 限制（这里是 $BACKLOG）。"
say "attacker sends SYNs from forged addresses that never answer: the queue" \
    "攻击者用伪造的、永远不会回应的地址发送 SYN：队列被填满，"
say "fills and real clients are turned away. SYN cookies keep nothing: the" \
    "真正的客户端就被拒之门外。SYN Cookie 不保存任何状态："
say "server encodes the connection in its own ISN and rebuilds it from the ACK." \
    "服务器把连接信息编码进自己的 ISN，收到 ACK 时再据此重建连接。"
say "Cookies off first (net.toy.syncookies = 0); $NSYN SYNs from $FLOOD_NET." \
    "先关闭 Cookie（net.toy.syncookies = 0）；从 $FLOOD_NET 发出 $NSYN 个 SYN。"

run_bg in_ns "$NS_B" toy-echo-server "$IP_B:$PORT" --backlog "$BACKLOG" >"$T/server" 2>&1
wait_for grep -q listening "$T/server"
in_ns "$NS_A" toy-hostile synflood "$IP_B:$PORT" --src-net "$FLOOD_NET" --count "$NSYN" \
	--seconds 20 --seed "$PORT" >"$T/flood" 2>&1
halfopen() { in_ns "$NS_B" cat /proc/net/toy | grep -c " SYN_RECV "; }
full() { [ "$(halfopen)" -gt "$BACKLOG" ]; }
wait_for -t 20 full
h1=$(halfopen)
say "B's half-open queue: $h1 connections in SYN_RECV, all from forged addresses." \
    "B 的半连接队列：$h1 个 SYN_RECV 状态的连接，全部来自伪造的地址。"
say "A real client (A, $IP_A) tries to connect, with a 3 s timeout:" \
    "一个真正的客户端（A，$IP_A）尝试连接，超时时间 3 秒："
trace_start "$IP_A"
in_ns "$NS_A" toy-echo-client "$IP_B:$PORT" --timeout 3000 hello >"$T/c1" 2>&1
rc1=$?
sed 's/^/    /' "$T/c1"
sent0=$(counter "$NS_B" SyncookiesSent)
recv0=$(counter "$NS_B" SyncookiesRecv)
echo 1 | in_ns "$NS_B" tee /proc/sys/net/toy/syncookies >/dev/null
say "Now cookies on (net.toy.syncookies = 1: when the queue is full); A again:" \
    "现在打开 Cookie（net.toy.syncookies = 1：队列满时启用）；A 再试一次："
in_ns "$NS_A" toy-echo-client "$IP_B:$PORT" --timeout 3000 hello >"$T/c2" 2>&1
rc2=$?
sed 's/^/    /' "$T/c2"
trace_stop
sent1=$(counter "$NS_B" SyncookiesSent)
recv1=$(counter "$NS_B" SyncookiesRecv)

title "What happened" "刚才发生了什么"
say "With the queue full ($h1 half-open), B dropped A's SYNs: connect() timed out." \
    "队列满时（$h1 个半连接），B 丢弃了 A 的 SYN：connect() 超时。"
say "With cookies, B answered A's SYN with a cookie ($((sent1 - sent0)) sent) instead of" \
    "启用 Cookie 后，B 用 Cookie 回答 A 的 SYN（发出 $((sent1 - sent0)) 个），"
say "queueing it; A's ACK brought it back ($((recv1 - recv0)) accepted), and the echo worked." \
    "而不是把它放进队列；A 的 ACK 把 Cookie 带了回来（接受 $((recv1 - recv0)) 个），回显成功。"
echo

lesson_check "the flood filled the half-open queue (more than $BACKLOG in SYN_RECV)" \
	test "$h1" -gt "$BACKLOG"
lesson_check "cookies off: the real client could not connect" test "$rc1" -ne 0
lesson_check "cookies on: the real client got in through a cookie and its echo came back" \
	sh -c "[ $rc2 -eq 0 ] && [ $((recv1 - recv0)) -ge 1 ] && grep -q 'got 5 bytes back: hello' '$T/c2'"
