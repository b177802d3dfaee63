// SPDX-License-Identifier: GPL-2.0
/*
 * The receiver's queues on their own: where an early segment waits for the
 * hole below it, how it leaves once the hole is filled, what the SACK
 * option says about it, and how in-order segments become one message.
 * Socket-free and clock-free (see ooo.h).
 */
#include <linux/skbuff.h>
#include <linux/string.h>

#include "ooo.h"
#include "sack.h"
#include "seq.h"
#include "sock.h"

/**
 * toy_seg_trim_front - drop the bytes of a segment below @rcv_nxt
 * @skb: a received segment (payload only) that starts below @rcv_nxt and
 *	ends above it
 * @rcv_nxt: the next sequence number expected
 *
 * What a partly duplicate segment repeats was received already; the rest,
 * with its end-of-message and FIN marks, is new (RFC 793 3.3: "segments
 * ... may be trimmed"). A sender re-cuts its segments when the path MTU
 * shrinks, so a retransmission need not line up with what arrived.
 *
 * Return: false if the bytes could not be dropped (no memory).
 */
bool toy_seg_trim_front(struct sk_buff *skb, u32 rcv_nxt)
{
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	u32 cut = min(rcv_nxt - cb->seq, skb->len);

	if (!pskb_pull(skb, cut))
		return false;
	cb->seq += cut;
	return true;
}

/* Does either of two overlapping segments end in a FIN? */
static bool toy_seg_fin_clash(const struct toy_skb_cb *a,
			      const struct toy_skb_cb *b)
{
	return (a->flags | b->flags) & TOY_F_FIN;
}

/**
 * toy_ooo_insert - queue a segment above rcv_nxt in sequence order
 * @q: the out-of-order queue, sorted by seq; segments may overlap
 * @skb: the segment; TOY_SKB_CB(@skb) has its seq and end_seq
 *
 * A segment that one held already covers is a duplicate; a partial overlap
 * is kept (a re-cut retransmission), and toy_ooo_pop() trims it when its
 * turn comes. Nothing may overlap a FIN but a copy of it: the stream ends
 * there.
 *
 * Return: true if @skb is now on @q; false if it is a duplicate or crosses
 * a FIN, and the caller still owns it.
 */
bool toy_ooo_insert(struct sk_buff_head *q, struct sk_buff *skb)
{
	const struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	struct sk_buff *prev;

	/* arrivals are mostly the newest: search from the tail */
	skb_queue_reverse_walk(q, prev) {
		const struct toy_skb_cb *pcb = TOY_SKB_CB(prev);

		if (!toy_seq_before(pcb->seq, cb->end_seq))
			continue;	/* wholly above: it stays behind @skb */
		if (toy_seq_before_eq(pcb->end_seq, cb->seq))
			break;		/* wholly below: @skb goes after it */
		/* they overlap */
		if (toy_seq_before_eq(pcb->seq, cb->seq) &&
		    toy_seq_after_eq(pcb->end_seq, cb->end_seq))
			return false;	/* a duplicate */
		if (toy_seg_fin_clash(pcb, cb))
			return false;
		if (toy_seq_before_eq(pcb->seq, cb->seq))
			break;
	}
	/* after @prev, or first if the walk ran off the head */
	__skb_queue_after(q, prev, skb);
	return true;
}

/**
 * toy_ooo_pop - take the segment that continues at @rcv_nxt off the queue
 * @q: the out-of-order queue, sorted by seq
 * @rcv_nxt: the next sequence number expected
 * @dups: incremented for each segment freed on the way
 *
 * A segment that now ends at or below @rcv_nxt was covered meanwhile (by a
 * retransmission that arrived in sequence, or by an overlapping segment):
 * it is freed. One that starts below @rcv_nxt and ends above is trimmed to
 * start there.
 *
 * Return: the segment starting at @rcv_nxt, unlinked, or NULL if the queue
 * is empty or its first segment lies above @rcv_nxt.
 */
struct sk_buff *toy_ooo_pop(struct sk_buff_head *q, u32 rcv_nxt,
			    unsigned int *dups)
{
	struct sk_buff *skb;

	while ((skb = skb_peek(q))) {
		const struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		if (toy_seq_after(cb->seq, rcv_nxt))
			return NULL;
		__skb_unlink(skb, q);
		if (cb->seq == rcv_nxt)
			return skb;
		if (toy_seq_after(cb->end_seq, rcv_nxt) &&
		    toy_seg_trim_front(skb, rcv_nxt))
			return skb;
		(*dups)++;
		kfree_skb(skb);
	}
	return NULL;
}

/**
 * toy_ooo_sack_runs - the SACK blocks that describe the out-of-order queue
 * @q: the out-of-order queue, sorted by seq
 * @latest: a sequence number of the most recent arrival on @q
 * @blocks: filled with the blocks, the one holding @latest first
 * @max: room in @blocks; at most TOY_SACK_MAX_BLOCKS are used
 *
 * Segments that follow each other make one run. With more runs than @max,
 * the lowest ones are kept plus the one holding @latest (RFC 2018 4), so
 * the scan keeps one spare slot for it: the newest run may lie further up.
 *
 * Return: the number of blocks written.
 */
unsigned int toy_ooo_sack_runs(const struct sk_buff_head *q, u32 latest,
			       struct toy_sack_block *blocks,
			       unsigned int max)
{
	struct toy_sack_block runs[TOY_SACK_MAX_BLOCKS + 1];
	unsigned int nr = 0, room;
	struct sk_buff *skb;

	max = min_t(unsigned int, max, TOY_SACK_MAX_BLOCKS);
	room = max + 1;
	skb_queue_walk(q, skb) {
		const struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		if (nr && !toy_seq_before(runs[nr - 1].end, cb->seq)) {
			runs[nr - 1].end = toy_seq_max(runs[nr - 1].end,
						       cb->end_seq);
			continue;
		}
		if (nr == room) {
			/* the spare slot holds @latest's run: done */
			if (toy_seq_before(latest, cb->seq))
				break;
			nr--;
		}
		runs[nr].start = cb->seq;
		runs[nr].end = cb->end_seq;
		nr++;
	}
	nr = toy_sack_order(runs, nr, latest, max);
	memcpy(blocks, runs, nr * sizeof(runs[0]));
	return nr;
}

/**
 * toy_reasm_add - append an in-order segment to the message being built
 * @r: the partial message
 * @skb: the next segment in sequence, with payload and no frag_list
 *
 * The first segment becomes the message; later ones hang off its
 * frag_list, so a message is copied once, into the reader's buffer.
 */
void toy_reasm_add(struct toy_reasm *r, struct sk_buff *skb)
{
	struct sk_buff *head = r->head;

	if (!head) {
		r->head = skb;
	} else {
		if (!skb_shinfo(head)->frag_list)
			skb_shinfo(head)->frag_list = skb;
		else
			r->tail->next = skb;
		r->tail = skb;
		head->len += skb->len;
		head->data_len += skb->len;
	}
	r->len += skb->len;
}

/**
 * toy_reasm_take - the complete message, leaving @r empty
 * @r: the message, its last segment added
 *
 * Return: the message (NULL if nothing was added), now the caller's.
 */
struct sk_buff *toy_reasm_take(struct toy_reasm *r)
{
	struct sk_buff *msg = r->head;

	memset(r, 0, sizeof(*r));
	return msg;
}

/* Drop a partial message, if any, with every segment on its frag_list. */
void toy_reasm_reset(struct toy_reasm *r)
{
	kfree_skb(toy_reasm_take(r));
}
