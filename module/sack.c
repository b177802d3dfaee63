// SPDX-License-Identifier: GPL-2.0
/*
 * Both halves of SACK: the receiver describing its out-of-order queue, and
 * the sender marking its scoreboard. The queue walks themselves are
 * socket-free, in ooo.c and scoreboard.c; what the marks mean for loss is
 * recovery.c's.
 */
#include <linux/skbuff.h>

#include "netns.h"
#include "ooo.h"
#include "output.h"
#include "recovery.h"
#include "sack.h"
#include "sock.h"

/* Receiver: describe the out-of-order queue in @opts. */
void toy_sack_fill(struct sock *sk, struct toy_opts *opts)
{
	struct toy_sock *ts = toy_sk(sk);
	unsigned int dsack = ts->rcv.dsack_pending;

	/* RFC 2883: a duplicate just received goes first, reported once */
	if (dsack) {
		opts->sack[0] = ts->rcv.dsack;
		ts->rcv.dsack_pending = false;
		TOY_INC_STATS(sock_net(sk), DSACK_SENT);
	}
	opts->nr_sack = dsack +
			toy_ooo_sack_runs(&ts->rcv.ooo_queue, ts->rcv.ooo_last,
					  opts->sack + dsack,
					  TOY_SACK_MAX_BLOCKS - dsack);
}

/* Sender: mark what the peer reports holding; how many segments newly. */
unsigned int toy_sack_mark(struct sock *sk, const struct toy_opts *opts)
{
	struct toy_sock *ts = toy_sk(sk);
	const struct toy_sack_block *b = opts->sack;
	unsigned int nr = opts->nr_sack;
	struct toy_sack_marks m;

	if (toy_sack_is_dsack(b, nr, ts->snd.una)) {
		toy_dsack_rcv(sk, b);
		b++;
		nr--;
	}
	toy_sack_mark_queue(&sk->sk_write_queue, &ts->rec.board, b, nr,
			    ts->snd.una, ts->snd.max, ts->rec.pipe_nxt, &m);
	if (m.blocks)
		TOY_ADD_STATS(sock_net(sk), SACK_BLOCKS, m.blocks);
	if (m.segs) {
		if (!ts->rec.sacked_out || toy_seq_after(m.fack, ts->rec.sack_high))
			ts->rec.sack_high = m.fack;
		ts->rec.sacked_out += m.segs;
		ts->rec.sacked_bytes += m.bytes;
		ts->rec.pipe_sacked += m.bytes_below;
		toy_rack_delivered(ts, m.newest_us, toy_clock_us(sk));
		toy_delivered_seq(ts, m.fack, false);
		if (m.low_valid)
			toy_delivered_seq(ts, m.low, true);
	}
	return m.segs;
}
