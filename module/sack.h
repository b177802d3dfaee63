/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Selective acknowledgment (RFC 2018, RFC 2883): the receiver reports the
 * ranges it holds above a hole, and a duplicate it received; the sender
 * marks those segments on its scoreboard. What the marks mean for loss
 * is recovery.h's.
 */
#ifndef _TOY_SACK_H
#define _TOY_SACK_H

#include <linux/string.h>
#include <net/sock.h>

#include "seq.h"
#include "sock.h"
#include "wire.h"

/*
 * RFC 2883 4: a D-SACK is a first block that lies below the cumulative
 * @ack, or inside the second block; it reports a duplicate arrival.
 */
static inline bool toy_sack_is_dsack(const struct toy_sack_block *b,
				     unsigned int nr, u32 ack)
{
	if (!nr || !toy_seq_before(b[0].start, b[0].end))
		return false;
	if (toy_seq_before(b[0].start, ack))
		return true;
	return nr > 1 && toy_seq_after_eq(b[0].start, b[1].start) &&
	       toy_seq_before_eq(b[0].end, b[1].end);
}

/*
 * A D-SACK block worth acting on (as Linux's tcp_dsack_seen()): no longer
 * than the largest window the peer ever offered, within it below
 * snd_una, and not past what was sent. A forged block with an absurd
 * range must not undo a reduction or widen the reordering window.
 */
static inline bool toy_dsack_plausible(const struct toy_sack_block *b,
				       u32 snd_una, u32 snd_max, u32 max_wnd)
{
	return toy_seq_before(b->start, b->end) &&
	       b->end - b->start <= max_wnd &&
	       !toy_seq_after(b->end, snd_max) &&
	       !toy_seq_before(b->start, snd_una - max_wnd);
}

/* A SACK block can only describe data sent and not cumulatively ACKed. */
static inline bool toy_sack_block_valid(const struct toy_sack_block *b,
					u32 snd_una, u32 snd_max)
{
	return toy_seq_after(b->start, snd_una) &&
	       toy_seq_before_eq(b->end, snd_max) &&
	       toy_seq_before(b->start, b->end);
}

/* Does block @b cover the whole segment [seq, end_seq)? */
static inline bool toy_sack_covers(const struct toy_sack_block *b, u32 seq,
				   u32 end_seq)
{
	return toy_seq_after_eq(seq, b->start) &&
	       toy_seq_before_eq(end_seq, b->end);
}

/**
 * toy_sack_order - choose and order the blocks to report
 * @runs: the received runs above rcv_nxt, ascending; reordered in place
 * @nr: how many
 * @latest: a sequence number of the most recently received segment
 * @max: at most this many blocks are kept
 *
 * RFC 2018 4: the first block must hold the segment that triggered the
 * ACK, so the sender learns of the newest arrival even when only one
 * block gets through; the rest follow in ascending order.
 *
 * Return: the number of blocks left at the front of @runs.
 */
static inline unsigned int toy_sack_order(struct toy_sack_block *runs,
					  unsigned int nr, u32 latest,
					  unsigned int max)
{
	struct toy_sack_block first;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (toy_seq_after_eq(latest, runs[i].start) &&
		    toy_seq_before(latest, runs[i].end))
			break;
	}
	if (i < nr) {
		first = runs[i];
		memmove(&runs[1], &runs[0], i * sizeof(*runs));
		runs[0] = first;
	}
	return min(nr, max);
}

/* What the SACK blocks of one ACK newly told the sender. */
struct toy_sack_marks {
	unsigned int blocks;	/* valid blocks */
	unsigned int segs;	/* segments newly marked SACKed */
	u32 newest_us;		/* the latest sent_us among those, for RACK */
	u32 fack;		/* the highest end_seq among those */
	u32 low;		/* the lowest end_seq of those sent once */
	bool low_valid;
	u32 bytes;		/* their sequence space */
	u32 bytes_below;	/* of it, below the caller's mark (pipe) */
	unsigned int visited;	/* segments looked at */
};

/* scoreboard.c: pure */
void toy_sack_mark_queue(struct sk_buff_head *q, struct toy_sack_board *sb,
			 const struct toy_sack_block *blocks, unsigned int nr,
			 u32 snd_una, u32 snd_max, u32 below,
			 struct toy_sack_marks *m);

/* sack.c */
void toy_sack_fill(struct sock *sk, struct toy_opts *opts);
unsigned int toy_sack_mark(struct sock *sk, const struct toy_opts *opts);

#endif /* _TOY_SACK_H */
