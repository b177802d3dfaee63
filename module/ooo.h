/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receiver's segment queues without the socket: the out-of-order queue
 * (sorted by sequence number) and the message being reassembled. Nothing
 * here reads a clock or bumps a counter; the callers in input.c and sack.c
 * do that from the return values, so KUnit can run these on bare skbs.
 */
#ifndef _TOY_OOO_H
#define _TOY_OOO_H

#include <linux/skbuff.h>
#include <linux/types.h>

#include "wire.h"

/* A message being put together from in-order segments. */
struct toy_reasm {
	struct sk_buff *head;	/* first segment: becomes the message */
	struct sk_buff *tail;	/* last one on head's frag_list */
	u32 len;		/* payload bytes so far */
};

bool toy_seg_trim_front(struct sk_buff *skb, u32 rcv_nxt);
bool toy_ooo_insert(struct sk_buff_head *q, struct sk_buff *skb);
struct sk_buff *toy_ooo_pop(struct sk_buff_head *q, u32 rcv_nxt,
			    unsigned int *dups);
unsigned int toy_ooo_sack_runs(const struct sk_buff_head *q, u32 latest,
			       struct toy_sack_block *blocks,
			       unsigned int max);

void toy_reasm_add(struct toy_reasm *r, struct sk_buff *skb);
struct sk_buff *toy_reasm_take(struct toy_reasm *r);
void toy_reasm_reset(struct toy_reasm *r);

#endif /* _TOY_OOO_H */
