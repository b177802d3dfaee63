/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Selective acknowledgment (RFC 2018) and loss recovery with it
 * (RFC 6675, simplified): the receiver reports the ranges it holds above
 * a hole; the sender marks those segments and resends only the holes.
 */
#ifndef _TOY_SACK_H
#define _TOY_SACK_H

#include <net/sock.h>

#include "seq.h"
#include "wire.h"

/* RFC 5681: three duplicate ACKs, or three segments SACKed above a hole */
#define TOY_DUPTHRESH	3

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

unsigned int toy_sack_order(struct toy_sack_block *runs, unsigned int nr,
			    u32 latest, unsigned int max);

void toy_sack_fill(struct sock *sk, struct toy_opts *opts);
void toy_sack_mark(struct sock *sk, const struct toy_opts *opts);
bool toy_sack_lost(struct sock *sk);
void toy_fast_retransmit(struct sock *sk);
void toy_retransmit_hole(struct sock *sk);

#endif /* _TOY_SACK_H */
