/* SPDX-License-Identifier: GPL-2.0 */
/* ACK processing on the sender (ack.c). */
#ifndef _TOY_ACK_H
#define _TOY_ACK_H

#include <linux/types.h>

struct sk_buff;
struct sock;
struct toy_opts;

bool toy_ack(struct sock *sk, struct sk_buff *skb, const struct toy_opts *opts);
void toy_new_ack(struct sock *sk, u32 ack, u32 tsecr);
void toy_rtt_update(struct sock *sk, u32 sample_us);

#endif /* _TOY_ACK_H */
