/* SPDX-License-Identifier: GPL-2.0 */
/* Segments sent without a socket (reply.c). */
#ifndef _TOY_REPLY_H
#define _TOY_REPLY_H

#include <linux/skbuff.h>
#include <net/net_namespace.h>
#include <net/sock.h>

void toy_reply_reset(struct net *net, struct sk_buff *in_skb);
void toy_reply_ack(struct net *net, struct sk_buff *in_skb, u32 seq, u32 ack,
		   u32 window, u32 tsecr);
int toy_send_cookie_synack(struct sock *listener, struct sk_buff *syn,
			   u32 cookie, u32 tsecr);

#endif /* _TOY_REPLY_H */
