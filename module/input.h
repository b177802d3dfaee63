/* SPDX-License-Identifier: GPL-2.0 */
/* Receiving segments: IPv4 demultiplexing (ipv4.c), each state (input.c). */
#ifndef _TOY_INPUT_H
#define _TOY_INPUT_H

#include <linux/skbuff.h>
#include <net/sock.h>

#include "wire.h"

static inline struct toy_hdr *toy_hdr(const struct sk_buff *skb)
{
	return (struct toy_hdr *)skb_transport_header(skb);
}

int toy_v4_rcv(struct sk_buff *skb);
int toy_seg_rcv(struct sk_buff *skb, unsigned int mss);
void toy_v4_rcv_conn(struct sock *sk, struct sk_buff *skb);
int toy_do_rcv(struct sock *sk, struct sk_buff *skb);
bool toy_rmem_reclaim(struct sock *sk);

#endif /* _TOY_INPUT_H */
