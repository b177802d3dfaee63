// SPDX-License-Identifier: GPL-2.0
/*
 * The sender's SACK scoreboard on its own: which segments of the write
 * queue the peer reports holding. Socket-free and clock-free, so KUnit can
 * run it on bare skbs; toy_sack_mark() in sack.c applies the result to the
 * socket (counters, RACK).
 */
#include <linux/skbuff.h>
#include <linux/string.h>

#include "sack.h"
#include "seq.h"
#include "sock.h"

/**
 * toy_sack_mark_queue - mark the segments that SACK blocks cover
 * @q: the write queue, sorted by seq
 * @blocks: the blocks of one ACK
 * @nr: how many
 * @snd_una: the oldest unacknowledged sequence number
 * @snd_max: the highest sequence number ever sent, plus one
 * @m: what changed
 *
 * A block that cannot describe data sent and not yet cumulatively ACKed
 * is ignored. A segment is marked only if it was sent and a block covers
 * all of it; one marked before is not counted again.
 */
void toy_sack_mark_queue(struct sk_buff_head *q,
			 const struct toy_sack_block *blocks, unsigned int nr,
			 u32 snd_una, u32 snd_max, struct toy_sack_marks *m)
{
	struct sk_buff *skb;
	unsigned int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < nr; i++) {
		const struct toy_sack_block *b = &blocks[i];

		if (!toy_sack_block_valid(b, snd_una, snd_max))
			continue;
		m->blocks++;
		skb_queue_walk(q, skb) {
			struct toy_skb_cb *cb = TOY_SKB_CB(skb);

			/* never sent, or past the block: nothing more to mark */
			if (!toy_seq_before(cb->seq, snd_max) ||
			    toy_seq_after_eq(cb->seq, b->end))
				break;
			if (cb->sacked ||
			    !toy_sack_covers(b, cb->seq, cb->end_seq))
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
		}
	}
}
