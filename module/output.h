/* SPDX-License-Identifier: GPL-2.0 */
/* Building and sending segments. */
#ifndef _TOY_OUTPUT_H
#define _TOY_OUTPUT_H

#include <net/sock.h>

/* Why a segment goes again (the toy_retransmit trace event). */
enum toy_rtx_reason {
	TOY_RTX_RTO,		/* the retransmission timer: go-back-N */
	TOY_RTX_FAST,		/* DupThresh: duplicate ACKs or SACKed above */
	TOY_RTX_RACK,		/* RACK: a later segment arrived in time */
	TOY_RTX_TLP,		/* tail loss probe */
	TOY_RTX_SYN,		/* the handshake: a SYN or SYN-ACK again */
	TOY_RTX_PMTU,		/* the path MTU shrank: resent at the new size */
};

bool toy_route_csum(struct sock *sk);
int toy_queue_ctl(struct sock *sk, u8 flags, gfp_t gfp);
void toy_queue_skb(struct sock *sk, struct sk_buff *skb);
void toy_push(struct sock *sk);
int toy_split_skb(struct sock *sk, struct sk_buff *skb, u32 len, gfp_t gfp);
int toy_send_new(struct sock *sk, struct sk_buff *skb);
void toy_retransmit_skb(struct sock *sk, struct sk_buff *skb,
			enum toy_rtx_reason why);
void toy_send_ack(struct sock *sk);
bool toy_oow_rate_limited(struct sock *sk, const struct sk_buff *skb);
bool toy_oow_limited(struct net *net, u32 *last);
void toy_send_challenge_ack(struct sock *sk, const struct sk_buff *skb);
void toy_ack_later(struct sock *sk);
void toy_rcv_space_adjust(struct sock *sk, u32 copied);
void toy_send_probe(struct sock *sk);
void toy_send_reset(struct sock *sk);
void toy_window_update(struct sock *sk);
u32 toy_select_window(struct sock *sk);

#endif /* _TOY_OUTPUT_H */
