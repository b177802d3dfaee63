// SPDX-License-Identifier: GPL-2.0
/*
 * The sender's SACK scoreboard on its own: which segments of the write
 * queue the peer reports holding, and which of the others are lost.
 * Socket-free and clock-free, so KUnit can run it on bare skbs; sack.c and
 * recovery.c apply the results to the socket (counters, RACK, resends).
 *
 * Both walks do work in proportion to what an ACK changed, not to the
 * length of the queue (issue 13): marking starts where the last ACK's
 * blocks ended (struct toy_sack_board), and the lost-scan starts at the
 * first segment that may still be lost and stops at the first that is not
 * (struct toy_rtx_list, toy_recovery.lost_hint).
 */
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include "recovery.h"
#include "sack.h"
#include "seq.h"
#include "sock.h"

/*
 * Take @skb off the resent list, if it is on it. A segment's node is
 * valid only while in_rtx says so: a new skb's control block is not
 * initialised, and a split copies it.
 */
void toy_rtx_unlink(struct sk_buff *skb)
{
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);

	if (!cb->in_rtx)
		return;
	list_del(&cb->rtx_node);
	cb->in_rtx = 0;
}

/* @skb was just resent: it goes last, the newest resend. */
void toy_rtx_append(struct toy_rtx_list *l, struct sk_buff *skb)
{
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);

	if (cb->in_rtx)
		list_move_tail(&cb->rtx_node, &l->list);
	else
		list_add_tail(&cb->rtx_node, &l->list);
	cb->in_rtx = 1;
}

/*
 * @skb was cut in two and @nskb, its second part, got a copy of its
 * control block: @nskb was resent when @skb was, so it goes right behind
 * it on the list, or on no list if @skb is on none.
 */
void toy_rtx_split(struct sk_buff *skb, struct sk_buff *nskb)
{
	struct toy_skb_cb *cb = TOY_SKB_CB(skb), *ncb = TOY_SKB_CB(nskb);

	ncb->in_rtx = cb->in_rtx;
	if (cb->in_rtx)
		list_add(&ncb->rtx_node, &cb->rtx_node);
}

/*
 * Where a walk for sequence number @seq starts: the first segment that
 * ends after it, searched back from @hint when @hint lies above @seq and
 * is nearer to it than the head is; else the walk starts at @hint (at or
 * below @seq) or at the head, and skips forward itself.
 */
static struct sk_buff *toy_sb_start(struct sk_buff_head *q,
				    struct sk_buff *hint, u32 seq,
				    unsigned int *visited)
{
	struct sk_buff *skb = skb_peek(q);
	u32 hseq;

	if (!skb || !hint)
		return skb;
	hseq = TOY_SKB_CB(hint)->seq;
	if (!toy_seq_after(hseq, seq))
		return hint;
	if (hseq - seq >= seq - TOY_SKB_CB(skb)->seq)
		return skb;
	skb = hint;
	while (!skb_queue_is_first(q, skb)) {
		struct sk_buff *prev = skb_queue_prev(q, skb);

		(*visited)++;
		if (!toy_seq_after(TOY_SKB_CB(prev)->end_seq, seq))
			break;
		skb = prev;
	}
	return skb;
}

/* The end of a block of the last ACK that holds @seq, or @seq itself. */
static u32 toy_sb_cached_end(const struct toy_sack_board *sb, u32 seq)
{
	u32 end = seq;
	unsigned int i;

	for (i = 0; sb && i < sb->nr_cache; i++) {
		const struct toy_sack_block *c = &sb->cache[i];

		if (toy_seq_after_eq(seq, c->start) &&
		    toy_seq_after(c->end, end))
			end = c->end;
	}
	return end;
}

/* Mark what block @b covers, walking from @skb; returns where it stopped. */
static struct sk_buff *toy_sb_mark_block(struct sk_buff_head *q,
					 struct sk_buff *skb,
					 const struct toy_sack_block *b,
					 u32 snd_max, u32 below,
					 struct toy_sack_marks *m)
{
	struct sk_buff *last = skb;

	for (; skb != (struct sk_buff *)q; skb = skb->next) {
		struct toy_skb_cb *cb = TOY_SKB_CB(skb);
		u32 len = cb->end_seq - cb->seq;

		m->visited++;
		last = skb;
		/* never sent, or past the block: nothing more to mark */
		if (!toy_seq_before(cb->seq, snd_max) ||
		    toy_seq_after_eq(cb->seq, b->end))
			break;
		if (cb->sacked || !toy_sack_covers(b, cb->seq, cb->end_seq))
			continue;
		cb->sacked = 1;
		if (!m->segs || (s32)(cb->sent_us - m->newest_us) > 0)
			m->newest_us = cb->sent_us;
		if (!m->segs || toy_seq_after(cb->end_seq, m->fack))
			m->fack = cb->end_seq;
		if (!cb->retrans && (!m->low_valid ||
				     toy_seq_before(cb->end_seq, m->low))) {
			m->low = cb->end_seq;
			m->low_valid = true;
		}
		m->segs++;
		m->bytes += len;
		if (toy_seq_before(cb->seq, below))
			m->bytes_below += len;
	}
	return last;
}

/**
 * toy_sack_mark_queue - mark the segments that SACK blocks cover
 * @q: the write queue, sorted by seq
 * @sb: what the last ACK's marking left, updated; NULL: walk from the head
 * @blocks: the blocks of one ACK
 * @nr: how many
 * @snd_una: the oldest unacknowledged sequence number
 * @snd_max: the highest sequence number ever sent, plus one
 * @below: newly marked bytes below this count in @m->bytes_below too
 * @m: what changed
 *
 * A block that cannot describe data sent and not yet cumulatively ACKed
 * is ignored. A segment is marked only if it was sent and a block covers
 * all of it; one marked before is not counted again. Blocks go in
 * ascending order, so the walk moves forward; the part of a block that a
 * block of the last ACK covered was marked then and is not walked again
 * (the caller empties @sb's cache when marks are forgotten).
 */
void toy_sack_mark_queue(struct sk_buff_head *q, struct toy_sack_board *sb,
			 const struct toy_sack_block *blocks, unsigned int nr,
			 u32 snd_una, u32 snd_max, u32 below,
			 struct toy_sack_marks *m)
{
	struct toy_sack_block valid[TOY_SACK_MAX_BLOCKS];
	struct sk_buff *hint = sb ? sb->hint : NULL;
	unsigned int i, j, n = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < nr && n < TOY_SACK_MAX_BLOCKS; i++) {
		if (!toy_sack_block_valid(&blocks[i], snd_una, snd_max))
			continue;
		/* insertion sort by start: at most four blocks */
		for (j = n; j && toy_seq_before(blocks[i].start,
						valid[j - 1].start); j--)
			valid[j] = valid[j - 1];
		valid[j] = blocks[i];
		n++;
	}
	m->blocks = n;
	for (i = 0; i < n; i++) {
		u32 from = toy_sb_cached_end(sb, valid[i].start);
		struct sk_buff *skb;

		if (!toy_seq_before(from, valid[i].end))
			continue;	/* all of it marked at the last ACK */
		skb = toy_sb_start(q, hint, from, &m->visited);
		if (skb)
			hint = toy_sb_mark_block(q, skb, &valid[i], snd_max,
						 below, m);
	}
	if (!sb)
		return;
	sb->hint = hint;
	memcpy(sb->cache, valid, n * sizeof(*valid));
	sb->nr_cache = n;
}

/* Below snd.nxt, with a SACKed segment above: the scan's whole range. */
static bool toy_ls_in_range(const struct toy_lost_scan *ls,
			    const struct toy_skb_cb *cb)
{
	return toy_seq_before(cb->seq, ls->nxt) &&
	       toy_seq_after(ls->high, cb->seq);
}

/* RACK: 0 if overdue now, else how long until it is (U32_MAX: never). */
static u32 toy_ls_left(const struct toy_lost_scan *ls,
		       const struct toy_skb_cb *cb)
{
	if (!ls->rack_valid)
		return U32_MAX;
	return toy_rack_left_us(cb->sent_us, ls->rack_us, ls->horizon_us,
				ls->reo_us);
}

/* Keep the lowest lost segments, ascending, at most a burst of them. */
static void toy_ls_add(struct toy_lost_scan *ls, struct sk_buff *skb,
		       bool by_rack)
{
	u32 seq = TOY_SKB_CB(skb)->seq;
	unsigned int i = ls->nr_lost;

	if (i == TOY_RECOVER_BURST) {
		if (!toy_seq_before(seq, TOY_SKB_CB(ls->lost[i - 1])->seq))
			return;
		i--;
	} else {
		ls->nr_lost++;
	}
	for (; i && toy_seq_before(seq, TOY_SKB_CB(ls->lost[i - 1])->seq); i--) {
		ls->lost[i] = ls->lost[i - 1];
		ls->by_rack[i] = ls->by_rack[i - 1];
	}
	ls->lost[i] = skb;
	ls->by_rack[i] = by_rack;
}

/*
 * RFC 6675 IsLost for a segment sent once: are @ls->thresh segments above
 * @skb SACKed? Counts forward only as far as it must.
 */
static bool toy_ls_dupthresh(struct sk_buff_head *q, struct sk_buff *skb,
			     struct toy_lost_scan *ls)
{
	unsigned int n = 0;

	if (ls->thresh == UINT_MAX)
		return false;
	while (!skb_queue_is_last(q, skb)) {
		const struct toy_skb_cb *cb;

		skb = skb_queue_next(q, skb);
		cb = TOY_SKB_CB(skb);
		ls->visited++;
		if (!toy_seq_after(ls->high, cb->seq))
			break;
		if (cb->sacked && ++n >= ls->thresh)
			return true;
	}
	return false;
}

/*
 * The segments sent once, from the lost hint: those are in the order of
 * sending, so the lost ones come first and the scan ends at the first
 * that is not lost (its wait is the shortest of them all) or once a burst
 * is found. Returns that first one not lost, or NULL.
 */
static struct sk_buff *toy_ls_sent_once(struct sk_buff_head *q,
					struct sk_buff **hint,
					struct toy_lost_scan *ls, u32 *left)
{
	struct sk_buff *skb = *hint ?: skb_peek(q);
	unsigned int found = 0;

	/* what is SACKed or resent never becomes sent-once unSACKed again */
	while (skb) {
		const struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		ls->visited++;
		*hint = skb;
		if (!cb->sacked && !cb->retrans && !cb->in_rtx)
			break;
		skb = skb_queue_is_last(q, skb) ? NULL : skb_queue_next(q, skb);
	}
	for (; skb; skb = skb_queue_is_last(q, skb) ? NULL :
			  skb_queue_next(q, skb)) {
		const struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		if (skb != *hint)
			ls->visited++;
		if (!toy_ls_in_range(ls, cb))
			break;
		if (cb->sacked || cb->retrans || cb->in_rtx)
			continue;
		if (toy_ls_dupthresh(q, skb, ls)) {
			toy_ls_add(ls, skb, false);
		} else {
			*left = toy_ls_left(ls, cb);
			if (*left)
				return skb;
			toy_ls_add(ls, skb, true);
		}
		if (++found == TOY_RECOVER_BURST)
			break;
	}
	return NULL;
}

/*
 * The first resent segment in range, not SACKed, after @skb (from the
 * head if NULL), in resend order, whose seq is below @bound if @bounded.
 */
static struct sk_buff *toy_ls_next_rtx(const struct toy_rtx_list *rtx,
				       struct sk_buff *skb,
				       struct toy_lost_scan *ls,
				       bool bounded, u32 bound)
{
	struct list_head *node;

	for (node = skb ? TOY_SKB_CB(skb)->rtx_node.next : rtx->list.next;
	     node != &rtx->list; node = node->next) {
		const struct toy_skb_cb *cb;

		skb = toy_rtx_skb(node);
		cb = TOY_SKB_CB(skb);
		ls->visited++;
		if (cb->sacked || !toy_ls_in_range(ls, cb))
			continue;
		if (!bounded || toy_seq_before(cb->seq, bound))
			return skb;
	}
	return NULL;
}

/**
 * toy_lost_scan - find the lost segments to resend now
 * @q: the write queue
 * @rtx: its resent segments, by resend time
 * @hint: below it every segment is SACKed or resent (NULL: the head);
 *	moved forward
 * @ls: the rules' inputs; the lost segments and the wait on return
 *
 * What a walk from the head would find, oldest first, stopping after a
 * burst of lost segments: a segment not SACKed, below snd.nxt with a SACKed
 * one above, is lost when it was sent once and DupThresh segments above it
 * are SACKed, or when RACK finds it overdue; the wait is the shortest time
 * until one of those it passed is overdue. Resent segments are looked at
 * in resend order and sent-once ones in sequence order (also their send
 * order), so each scan stops at the first one not lost.
 */
void toy_lost_scan(struct sk_buff_head *q, const struct toy_rtx_list *rtx,
		   struct sk_buff **hint, struct toy_lost_scan *ls)
{
	struct sk_buff *once, *r;
	u32 once_left = U32_MAX, bound = 0;
	bool bounded;

	ls->nr_lost = 0;
	ls->wait_us = U32_MAX;
	ls->visited = 0;
	once = toy_ls_sent_once(q, hint, ls, &once_left);
	/* resent ones: overdue first, then the first not overdue */
	for (r = toy_ls_next_rtx(rtx, NULL, ls, false, 0); r;
	     r = toy_ls_next_rtx(rtx, r, ls, false, 0)) {
		if (toy_ls_left(ls, TOY_SKB_CB(r)))
			break;
		toy_ls_add(ls, r, true);
	}
	/* with a full burst, a walk would have stopped at its last one */
	bounded = ls->nr_lost == TOY_RECOVER_BURST;
	if (bounded)
		bound = TOY_SKB_CB(ls->lost[TOY_RECOVER_BURST - 1])->seq;
	if (once && (!bounded || toy_seq_before(TOY_SKB_CB(once)->seq, bound)))
		ls->wait_us = once_left;
	/* later resends are later overdue: the first below the bound waits least */
	if (r && bounded && !toy_seq_before(TOY_SKB_CB(r)->seq, bound))
		r = toy_ls_next_rtx(rtx, r, ls, true, bound);
	if (r)
		ls->wait_us = min(ls->wait_us, toy_ls_left(ls, TOY_SKB_CB(r)));
}
