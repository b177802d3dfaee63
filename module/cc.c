// SPDX-License-Identifier: GPL-2.0
/*
 * NewReno in integers. Pure: the caller says what was ACKed and what is in
 * flight; this decides the window.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>

#include "cc.h"
#include "seq.h"

/* RFC 6928: an initial window of ten segments. */
#define TOY_INIT_CWND_SEGS	10

/* Remember the window a reduction is about to cut, in case it was wrong. */
static void toy_cc_save(struct toy_cc *cc)
{
	cc->prior_cwnd = cc->cwnd;
	cc->prior_ssthresh = cc->ssthresh;
}

void toy_cc_init(struct toy_cc *cc, u32 mss)
{
	cc->cwnd = TOY_INIT_CWND_SEGS * mss;
	cc->ssthresh = U32_MAX;
	cc->acked_ca = 0;
	cc->recover = 0;
	toy_cc_save(cc);
	cc->max_flight = 0;
	cc->usage_seq = 0;
	cc->state = TOY_CA_OPEN;
	cc->cwnd_limited = false;
}

/**
 * toy_cc_sent - a round of sending ended
 * @cc: congestion state
 * @flight: bytes in flight now (the pipe)
 * @limited: cwnd held back data that was ready and the peer's window allowed
 * @snd_una: the oldest unacknowledged sequence number
 * @snd_nxt: the next to send
 *
 * Once per window of data, remember the most that was in flight and
 * whether cwnd was what held the sender back (as tcp_cwnd_validate()), so
 * that an ACK grows cwnd only when it was used (RFC 7661): a sender limited
 * by its application or by the peer's window would otherwise grow cwnd
 * without bound, and burst it all out once it has data again.
 */
void toy_cc_sent(struct toy_cc *cc, u32 flight, bool limited, u32 snd_una,
		 u32 snd_nxt)
{
	if (toy_seq_after_eq(snd_una, cc->usage_seq) || limited ||
	    (!cc->cwnd_limited && flight > cc->max_flight)) {
		cc->cwnd_limited = limited;
		cc->max_flight = flight;
		cc->usage_seq = snd_nxt;
	}
}

/*
 * Whether the window just sent used cwnd, as tcp_is_cwnd_limited(): in
 * slow start, cwnd may grow to twice the most that was in flight.
 */
static bool toy_cc_was_used(const struct toy_cc *cc)
{
	if (toy_cc_in_slow_start(cc))
		return cc->cwnd < 2 * (u64)cc->max_flight;
	return cc->cwnd_limited;
}

/* RFC 5681 3.1: ssthresh = max(FlightSize / 2, 2 * SMSS) */
static u32 toy_cc_halve(u32 flight, u32 mss)
{
	return max(flight / 2, 2 * mss);
}

/**
 * toy_cc_on_ack - the cumulative ACK advanced
 * @cc: congestion state
 * @acked: bytes newly acknowledged
 * @ack: the new cumulative ACK
 * @mss: segment size
 */
void toy_cc_on_ack(struct toy_cc *cc, u32 acked, u32 ack, u32 mss)
{
	if (cc->state != TOY_CA_OPEN) {
		if (toy_seq_after_eq(ack, cc->recover)) {
			/* everything outstanding at the loss is repaired */
			cc->state = TOY_CA_OPEN;
			cc->acked_ca = 0;
		} else if (cc->state == TOY_CA_RECOVERY) {
			/* RFC 6582: a partial ACK keeps cwnd while repairing */
			return;
		}
		/* after a timeout, slow start again from one segment */
	}
	if (!toy_cc_was_used(cc))
		return;

	if (toy_cc_in_slow_start(cc)) {
		/*
		 * RFC 3465 byte counting: cwnd grows by what the ACK
		 * acknowledged, up to ssthresh; the rest counts toward
		 * congestion avoidance. As tcp_slow_start(), without RFC
		 * 3465's limit L of two segments per ACK: a receiver that
		 * took a super-segment whole ACKs it once (offload.c), as
		 * TCP's does what GRO put together, and that ACK stands for
		 * every segment it covers.
		 */
		u32 grow = min(acked, cc->ssthresh - cc->cwnd);

		cc->cwnd = min(cc->cwnd + grow, TOY_CWND_MAX);
		acked -= grow;
		if (!acked)
			return;
	}

	/* about one segment per window of data ACKed */
	cc->acked_ca += acked;
	if (cc->acked_ca >= cc->cwnd) {
		cc->acked_ca -= cc->cwnd;
		cc->cwnd = min(cc->cwnd + mss, TOY_CWND_MAX);
	}
}

/* Enough duplicate ACKs or SACKed data above a hole: fast retransmit. */
void toy_cc_on_dupthresh(struct toy_cc *cc, u32 flight, u32 snd_nxt, u32 mss)
{
	/* RFC 6582: one reduction per window of data */
	if (cc->state != TOY_CA_OPEN)
		return;
	toy_cc_save(cc);
	cc->ssthresh = toy_cc_halve(flight, mss);
	cc->cwnd = cc->ssthresh;
	cc->acked_ca = 0;
	cc->recover = snd_nxt;
	cc->state = TOY_CA_RECOVERY;
}

/* RFC 5681 3.1: after a timeout, restart from the loss window. */
void toy_cc_on_timeout(struct toy_cc *cc, u32 flight, u32 snd_nxt, u32 mss)
{
	/* a second timeout for the same data must not halve twice */
	if (cc->state != TOY_CA_LOSS) {
		if (cc->state == TOY_CA_OPEN)
			toy_cc_save(cc);
		cc->ssthresh = toy_cc_halve(flight, mss);
	}
	cc->cwnd = mss;
	cc->acked_ca = 0;
	cc->recover = snd_nxt;
	cc->state = TOY_CA_LOSS;
}

/*
 * The peer reported (with D-SACK, RFC 2883) that every segment resent
 * since the last reduction had arrived already: nothing was lost, the
 * reduction was wrong. Restore the window it cut (RFC 3708 4, as Linux's
 * undo does) and leave recovery; a timeout's go-back-N finishes on its own.
 */
void toy_cc_undo(struct toy_cc *cc)
{
	cc->cwnd = max(cc->cwnd, cc->prior_cwnd);
	cc->ssthresh = max(cc->ssthresh, cc->prior_ssthresh);
	cc->acked_ca = 0;
	if (cc->state == TOY_CA_RECOVERY)
		cc->state = TOY_CA_OPEN;
}
