/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Selective acknowledgment (RFC 2018) and loss recovery with it
 * (RFC 6675, simplified): the receiver reports the ranges it holds above
 * a hole; the sender marks those segments and resends only the holes.
 */
#ifndef _TOY_SACK_H
#define _TOY_SACK_H

#include <linux/string.h>
#include <net/sock.h>

#include "seq.h"
#include "sock.h"
#include "wire.h"

/* RFC 5681: three duplicate ACKs, or three segments SACKed above a hole */
#define TOY_DUPTHRESH	3

/* RFC 8985: forgive reordering within a quarter RTT, and at least this */
#define TOY_REO_WND_MIN_US	1000
/* RFC 8985 7.2: D-SACKs widen the window a quarter RTT at a time, up to */
#define TOY_REO_STEPS_MAX	4
/* ... and after this many recoveries without one it shrinks back */
#define TOY_REO_DECAY		16
/* lost segments resent per ACK, so one ACK cannot release a burst */
#define TOY_RECOVER_BURST	2

/* RACK: sent more than @reo_us before the newest delivered segment. */
static inline bool toy_rack_lost(u32 sent_us, u32 rack_us, u32 reo_us)
{
	return (s32)(rack_us - sent_us) > (s32)reo_us;
}

/**
 * toy_rack_left_us - how long until RACK declares a segment lost
 * @sent_us: when the segment was last sent
 * @rack_us: when the newest segment known delivered was sent
 * @horizon_us: now, less that segment's round trip: the send time whose
 *	ACK would be due now
 * @reo_us: the reordering window
 *
 * RFC 8985 6.2: a segment sent before the newest delivered one is lost
 * once it is more than a reordering window overdue, i.e. when
 * sent + RACK.rtt + reo_wnd < now. At an ACK the horizon is rack_us
 * itself; later it moves on with the clock (the reordering timer).
 *
 * Return: 0 if lost now, else the microseconds left, or U32_MAX if the
 * segment was not sent before the newest delivered one.
 */
static inline u32 toy_rack_left_us(u32 sent_us, u32 rack_us, u32 horizon_us,
				   u32 reo_us)
{
	s32 late = horizon_us - sent_us;

	if ((s32)(rack_us - sent_us) <= 0)
		return U32_MAX;
	if (late > (s32)reo_us)
		return 0;
	return reo_us - max(late, 0) + 1;
}

/**
 * toy_rack_reo_wnd - RACK's reordering window (RFC 8985 6.2 step 4)
 * @srtt_us: smoothed RTT, 0 if none yet
 * @steps: quarter RTTs, raised by D-SACKs (at least 1)
 * @reord_seen: the path has been seen to reorder
 * @recovering: a loss is being repaired
 *
 * Until reordering is seen, recovery trusts the order of sending: every
 * segment sent before a delivered one is lost. Once it is seen, a segment
 * gets @steps quarter RTTs of grace, but never more than one RTT.
 *
 * Return: the window in microseconds.
 */
static inline u32 toy_rack_reo_wnd(u32 srtt_us, unsigned int steps,
				   bool reord_seen, bool recovering)
{
	u32 quarter = max(srtt_us / 4, (u32)TOY_REO_WND_MIN_US);

	if (recovering && !reord_seen)
		return 0;
	return min(quarter * max(steps, 1U), max(srtt_us, quarter));
}

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
 * RFC 5827 early retransmit: with fewer than four segments outstanding
 * there can never be three duplicate ACKs, so ask for one less than the
 * segments that could produce them.
 */
static inline unsigned int toy_dupthresh_for(unsigned int outstanding)
{
	if (outstanding > TOY_DUPTHRESH)
		return TOY_DUPTHRESH;
	return outstanding > 1 ? outstanding - 1 : 1;
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
};

/* scoreboard.c: pure */
void toy_sack_mark_queue(struct sk_buff_head *q,
			 const struct toy_sack_block *blocks, unsigned int nr,
			 u32 snd_una, u32 snd_max, struct toy_sack_marks *m);

/* sack.c */
void toy_sack_fill(struct sock *sk, struct toy_opts *opts);
void toy_sack_mark(struct sock *sk, const struct toy_opts *opts);
unsigned int toy_dupthresh(struct sock *sk);
void toy_rack_delivered(struct toy_sock *ts, u32 sent_us);
void toy_delivered_seq(struct toy_sock *ts, u32 end_seq, bool sent_once);
void toy_reorder_check(struct sock *sk, u32 prior_fack, bool prior_valid);
void toy_dsack_rcv(struct sock *sk, const struct toy_sack_block *b);
void toy_undo_mark(struct sock *sk);
void toy_recover_lost(struct sock *sk);
void toy_fast_retransmit(struct sock *sk);

#endif /* _TOY_SACK_H */
