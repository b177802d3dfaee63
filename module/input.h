/* SPDX-License-Identifier: GPL-2.0 */
/* Receiving segments: validation, demultiplexing, the state machine. */
#ifndef _TOY_INPUT_H
#define _TOY_INPUT_H

#include <linux/skbuff.h>
#include <net/sock.h>

int toy_v4_rcv(struct sk_buff *skb);
int toy_v4_err(struct sk_buff *skb, u32 info);
int toy_do_rcv(struct sock *sk, struct sk_buff *skb);

#endif /* _TOY_INPUT_H */
