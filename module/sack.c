// SPDX-License-Identifier: GPL-2.0
/*
 * Both halves of SACK: the receiver describing its out-of-order queue, and
 * the sender's scoreboard and hole-by-hole retransmission.
 */
#include <linux/skbuff.h>

#include "netns.h"
#include "output.h"
#include "sack.h"
#include "sock.h"

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
unsigned int toy_sack_order(struct toy_sack_block *runs, unsigned int nr,
			    u32 latest, unsigned int max)
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

/* Receiver: describe the out-of-order queue in @opts. */
void toy_sack_fill(struct sock *sk, struct toy_opts *opts)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_sack_block runs[TOY_SACK_MAX_BLOCKS + 1];
	unsigned int nr = 0;
	struct sk_buff *skb;

	skb_queue_walk(&ts->ooo_queue, skb) {
		struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		if (nr && runs[nr - 1].end == cb->seq) {
			runs[nr - 1].end = cb->end_seq;
			continue;
		}
		/* keep one spare slot: the newest run may lie further up */
		if (nr == ARRAY_SIZE(runs)) {
			if (toy_seq_before(ts->ooo_last, cb->seq))
				break;
			nr--;
		}
		runs[nr].start = cb->seq;
		runs[nr].end = cb->end_seq;
		nr++;
	}
	nr = toy_sack_order(runs, nr, ts->ooo_last, TOY_SACK_MAX_BLOCKS);
	memcpy(opts->sack, runs, nr * sizeof(runs[0]));
	opts->nr_sack = nr;
}

/* Sender: mark what the peer reports holding. */
void toy_sack_mark(struct sock *sk, const struct toy_opts *opts)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *skb;
	unsigned int i;

	for (i = 0; i < opts->nr_sack; i++) {
		const struct toy_sack_block *b = &opts->sack[i];

		if (!toy_sack_block_valid(b, ts->snd_una, ts->snd_max))
			continue;
		TOY_INC_STATS(sock_net(sk), SACK_BLOCKS);
		skb_queue_walk(&sk->sk_write_queue, skb) {
			struct toy_skb_cb *cb = TOY_SKB_CB(skb);

			if (skb == ts->send_head ||
			    toy_seq_after_eq(cb->seq, b->end))
				break;
			if (toy_sack_covers(b, cb->seq, cb->end_seq))
				cb->sacked = 1;
		}
	}
}

/*
 * RFC 6675 IsLost() for the oldest segment: lost once DupThresh segments
 * above it have been SACKed.
 */
bool toy_sack_lost(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *skb, *head = skb_peek(&sk->sk_write_queue);
	unsigned int above = 0;

	if (!head || head == ts->send_head || TOY_SKB_CB(head)->sacked)
		return false;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == ts->send_head)
			break;
		if (TOY_SKB_CB(skb)->sacked && ++above >= TOY_DUPTHRESH)
			return true;
	}
	return false;
}

/*
 * Resend the oldest hole not yet resent in this recovery: an unSACKed
 * segment below the highest SACKed one, or the oldest segment if nothing
 * is SACKed (NewReno).
 */
void toy_retransmit_hole(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *skb, *hole = NULL;
	bool sacked_above = false;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		if (skb == ts->send_head)
			break;
		if (cb->sacked) {
			if (hole) {
				sacked_above = true;
				break;
			}
			continue;
		}
		if (!hole && toy_seq_after_eq(cb->seq, ts->rxt_high))
			hole = skb;
	}
	/* with nothing SACKed above it, only the oldest is known lost */
	if (!hole ||
	    (!sacked_above && hole != skb_peek(&sk->sk_write_queue)))
		return;
	ts->rxt_high = TOY_SKB_CB(hole)->end_seq;
	toy_retransmit_skb(sk, hole);
}

/* Enough evidence of loss: halve cwnd once and resend the first hole. */
void toy_fast_retransmit(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	if (ts->cc.state == TOY_CA_OPEN) {
		toy_cc_on_dupthresh(&ts->cc, toy_in_flight(ts), ts->snd_max,
				    ts->mss);
		ts->rxt_high = ts->snd_una;
		TOY_INC_STATS(sock_net(sk), FAST_RETRANS);
	}
	toy_retransmit_hole(sk);
}
