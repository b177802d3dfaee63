// SPDX-License-Identifier: GPL-2.0
/*
 * Loss recovery on the sender, with its state in struct toy_recovery:
 * which segments are lost (RFC 6675 DupThresh on the SACK scoreboard, RACK
 * by time, RFC 8985), resending them a few per ACK, the reordering that
 * makes a loss only seem so (RFC 8985 6.2, 7.2), undoing a reduction of
 * cwnd that D-SACKs prove needless, and the tail loss probe (RFC 8985
 * 7.3). The rules are socket-free in rack.c; cwnd itself is cc.c's.
 */
#include <linux/skbuff.h>

#include "netns.h"
#include "output.h"
#include "recovery.h"
#include "sack.h"
#include "sock.h"
#include "timer.h"
#include "window.h"

/*
 * The duplicate-ACK threshold for what is outstanding now: for duplicate
 * ACKs and for segments SACKed above a hole alike. On a path seen to
 * reorder neither proves a loss; RACK's reordering window judges alone.
 */
unsigned int toy_dupthresh(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	unsigned int n = 0;
	struct sk_buff *skb;

	if (ts->rec.reord_seen)
		return UINT_MAX;
	/* also when there is more to send: cwnd may be what holds it back */
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (!toy_skb_sent(ts, skb) || ++n > TOY_DUPTHRESH)
			break;
	}
	return toy_dupthresh_for(n);
}

/*
 * A segment sent at @sent_us arrived, as an ACK processed at @now_us
 * says: RACK keeps the newest such time.
 */
void toy_rack_delivered(struct toy_sock *ts, u32 sent_us, u32 now_us)
{
	if (!ts->rec.rack_valid || (s32)(sent_us - ts->rec.rack_us) > 0) {
		ts->rec.rack_us = sent_us;
		ts->rec.rack_rtt_us = now_us - sent_us;
		ts->rec.rack_valid = true;
	}
}

/*
 * Data up to @end_seq arrived: track the highest sequence delivered, and
 * the lowest that this ACK delivers of segments sent only once (@sent_once),
 * for toy_reorder_check().
 */
void toy_delivered_seq(struct toy_sock *ts, u32 end_seq, bool sent_once)
{
	if (!ts->rec.fack_valid || toy_seq_after(end_seq, ts->rec.fack)) {
		ts->rec.fack = end_seq;
		ts->rec.fack_valid = true;
	}
	if (sent_once &&
	    (!ts->rec.reo_low_valid || toy_seq_before(end_seq, ts->rec.reo_low))) {
		ts->rec.reo_low = end_seq;
		ts->rec.reo_low_valid = true;
	}
}

/*
 * After an ACK: a segment sent once that arrived below what an earlier ACK
 * had reported delivered was overtaken on the way (RFC 8985 6.2 step 2;
 * Linux's tcp_check_sack_reordering). From then on RACK gives every
 * segment its reordering window, in recovery too, instead of taking
 * DupThresh segments SACKed above it as proof of loss.
 */
void toy_reorder_check(struct sock *sk, u32 prior_fack, bool prior_valid)
{
	struct toy_sock *ts = toy_sk(sk);

	if (prior_valid && ts->rec.reo_low_valid &&
	    toy_seq_before(ts->rec.reo_low, prior_fack)) {
		ts->rec.reord_seen = true;
		ts->rec.reo_decay = TOY_REO_DECAY;
		TOY_INC_STATS(sock_net(sk), REORDER_SEEN);
	}
	ts->rec.reo_low_valid = false;
}

/*
 * A reduction of cwnd starts: remember where, so that D-SACKs for all its
 * retransmissions can prove it needless (RFC 3708 spirit).
 */
void toy_undo_mark(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	ts->rec.undo_valid = true;
	ts->rec.undo_marker = ts->snd.una;
	ts->rec.undo_retrans = 0;
}

/*
 * The peer received block @b twice. Either the network duplicated it, or
 * we resent what was only late: widen the reordering window once per
 * round trip (RFC 8985 7.2), and if every retransmission since the last
 * reduction has now been reported as a duplicate, the reduction was a
 * mistake and is undone.
 */
void toy_dsack_rcv(struct sock *sk, const struct toy_sack_block *b)
{
	struct toy_sock *ts = toy_sk(sk);
	u32 segs = DIV_ROUND_UP(b->end - b->start, ts->snd.mss);

	TOY_INC_STATS(sock_net(sk), DSACK_RECV);
	/*
	 * Believe it only if it is plausible and, all told, D-SACKs report
	 * no more duplicates than we ever resent (Linux's tcp_dsack_seen()).
	 */
	if (!toy_dsack_plausible(b, ts->snd.una, ts->snd.max,
				 ts->snd.max_wnd)) {
		TOY_INC_STATS(sock_net(sk), DSACK_IGNORED);
		return;
	}
	ts->rec.dsack_dups += segs;
	if (ts->rec.dsack_dups > ts->stats.retrans) {
		TOY_INC_STATS(sock_net(sk), DSACK_IGNORED);
		return;
	}
	if (!ts->rec.reo_steps || toy_seq_after_eq(ts->snd.una, ts->rec.dsack_round)) {
		ts->rec.reo_steps = min_t(u8, max_t(u8, ts->rec.reo_steps, 1) + 1,
					  TOY_REO_STEPS_MAX);
		ts->rec.reo_decay = TOY_REO_DECAY;
		ts->rec.dsack_round = ts->snd.max;
	}

	if (!ts->rec.undo_valid || !ts->rec.undo_retrans ||
	    !toy_seq_after(b->end, ts->rec.undo_marker) ||
	    toy_seq_after(b->end, ts->snd.una))
		return;
	ts->rec.undo_retrans -= min(segs, ts->rec.undo_retrans);
	if (ts->rec.undo_retrans)
		return;
	ts->rec.undo_valid = false;
	toy_cc_undo(&ts->cc);
	TOY_INC_STATS(sock_net(sk), UNDO);
}

/* Fast retransmit starts a recovery: cut cwnd once for it. */
static void toy_enter_recovery(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	toy_undo_mark(sk);
	toy_cc_on_dupthresh(&ts->cc, toy_in_flight(ts), ts->snd.max, ts->snd.mss);
	TOY_INC_STATS(sock_net(sk), FAST_RETRANS);
	/*
	 * RFC 8985 7.2: a window widened by D-SACKs narrows again in time;
	 * so, here, does the belief that the path reorders at all, which a
	 * stray SACK lost or left out can plant on a path that does not.
	 */
	if (ts->rec.reo_decay && !--ts->rec.reo_decay) {
		ts->rec.reo_steps = 1;
		ts->rec.reord_seen = false;
	}
}

/*
 * Resend one segment the lost-scan found; the first resend of a recovery
 * starts it. One the device refused keeps its send time (toy_send_skb()),
 * so the scan's order still holds.
 */
static void toy_resend_lost(struct sock *sk, struct sk_buff *skb,
			    enum toy_rtx_reason why)
{
	struct toy_sock *ts = toy_sk(sk);

	if (ts->cc.state == TOY_CA_OPEN)
		toy_enter_recovery(sk);
	toy_retransmit_skb(sk, skb, why);
}

/*
 * Resend what is known lost, oldest first, a few per ACK. A segment not
 * SACKed is lost when
 *  - it was sent once and DupThresh segments above it are SACKed (RFC 6675
 *    IsLost), or
 *  - a segment sent a reordering window after it has arrived (RACK, RFC
 *    8985, without its timer): time, not sequence distance, so this also
 *    catches a retransmission that was lost again.
 * toy_lost_scan() finds them without walking the queue from its head.
 */
void toy_recover_lost(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_lost_scan ls;
	unsigned int i;

	/* nothing SACKed: no hole is known, whatever the clock says */
	if (!ts->rec.sacked_out)
		return;
	ls.nxt = ts->snd.nxt;
	ls.high = ts->rec.sack_high;
	ls.rack_valid = ts->rec.rack_valid;
	ls.rack_us = ts->rec.rack_us;
	ls.reo_us = toy_rack_reo_wnd(ts->rtt.srtt_us, ts->rec.reo_steps,
				     ts->rec.reord_seen,
				     ts->cc.state != TOY_CA_OPEN);
	ls.horizon_us = toy_clock_us(sk) - ts->rec.rack_rtt_us;
	ls.thresh = toy_dupthresh(sk);

	toy_lost_scan(&sk->sk_write_queue, &ts->rec.rtx, &ts->rec.lost_hint,
		      &ls);
	for (i = 0; i < ls.nr_lost; i++)
		toy_resend_lost(sk, ls.lost[i],
				ls.by_rack[i] ? TOY_RTX_RACK : TOY_RTX_FAST);
	/* overdue soon: the reordering timer decides */
	if (ls.wait_us != U32_MAX)
		toy_reo_arm(sk, ls.wait_us);
}

/*
 * RFC 6675 pipe needs the SACKed bytes below snd.nxt. They are counted as
 * segments are marked and ACKed (pipe_sacked, below pipe_nxt); here the
 * count follows snd.nxt: forward over what was sent since the last call
 * (back from snd.head), or after a go-back-N from the queue's head up to
 * snd.nxt, which is then snd.una, or nearly.
 */
u32 toy_pipe_sacked(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff_head *q = &sk->sk_write_queue;
	u32 nxt = ts->snd.nxt, sum = 0;
	struct sk_buff *skb;

	if (nxt == ts->rec.pipe_nxt)
		return ts->rec.pipe_sacked;
	if (nxt == ts->snd.max) {
		/* everything SACKed was sent: below snd.max */
		sum = ts->rec.sacked_bytes;
	} else if (!ts->rec.sacked_bytes) {
		sum = 0;
	} else if (toy_seq_after(nxt, ts->rec.pipe_nxt)) {
		sum = ts->rec.pipe_sacked;
		if (ts->snd.head)
			skb = skb_queue_is_first(q, ts->snd.head) ? NULL :
			      skb_queue_prev(q, ts->snd.head);
		else
			skb = skb_peek_tail(q);
		for (; skb; skb = skb_queue_is_first(q, skb) ? NULL :
				  skb_queue_prev(q, skb)) {
			const struct toy_skb_cb *cb = TOY_SKB_CB(skb);

			if (toy_seq_before(cb->seq, ts->rec.pipe_nxt))
				break;
			if (cb->sacked && toy_seq_before(cb->seq, nxt))
				sum += cb->end_seq - cb->seq;
		}
	} else {
		skb_queue_walk(q, skb) {
			const struct toy_skb_cb *cb = TOY_SKB_CB(skb);

			if (!toy_seq_before(cb->seq, nxt))
				break;
			if (cb->sacked)
				sum += cb->end_seq - cb->seq;
		}
	}
	ts->rec.pipe_nxt = nxt;
	ts->rec.pipe_sacked = sum;
	return sum;
}

/* @skb, ACKed, leaves the write queue: nothing of recovery's points to it. */
void toy_rec_unlink(struct toy_sock *ts, struct sk_buff *skb)
{
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	u32 len = cb->end_seq - cb->seq;

	if (cb->sacked) {
		ts->rec.sacked_out--;
		ts->rec.sacked_bytes -= len;
		if (toy_seq_before(cb->seq, ts->rec.pipe_nxt))
			ts->rec.pipe_sacked -= len;
	}
	toy_rtx_unlink(skb);
	/* all below it left before it: the head is where they start now */
	if (ts->rec.lost_hint == skb)
		ts->rec.lost_hint = NULL;
	if (ts->rec.board.hint == skb)
		ts->rec.board.hint = NULL;
}

/* @skb was cut in two (toy_split_skb()); @nskb has a copy of its cb. */
void toy_rec_split(struct toy_sock *ts, struct sk_buff *skb,
		   struct sk_buff *nskb)
{
	toy_rtx_split(skb, nskb);
	/* two SACKed segments now, with the same bytes as one before */
	if (TOY_SKB_CB(skb)->sacked)
		ts->rec.sacked_out++;
}

/* The write queue was emptied without toy_rec_unlink(). */
void toy_rec_purged(struct toy_sock *ts)
{
	ts->rec.sacked_out = 0;
	ts->rec.sacked_bytes = 0;
	ts->rec.pipe_sacked = 0;
	toy_rtx_init(&ts->rec.rtx);
	ts->rec.lost_hint = NULL;
	ts->rec.board.hint = NULL;
	ts->rec.board.nr_cache = 0;
}

/*
 * RFC 2018 8: SACK marks are advice; a receiver short of memory may give
 * up what it reported (toy_ooo_prune()). That shows when the oldest
 * unacknowledged segment is marked SACKed: the receiver said it had it,
 * yet its cumulative ACK stops right before it. Then forget every mark
 * (as Linux does on reneging); the next ACKs set them again for what the
 * receiver really holds. Called on each new cumulative ACK and on a
 * timeout. Marks that still hold are kept, so a timeout on a lossy path
 * does not resend what the receiver has.
 */
void toy_sack_forget(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (!ts->rec.sacked_out || !skb || !TOY_SKB_CB(skb)->sacked)
		return;
	skb_queue_walk(&sk->sk_write_queue, skb)
		TOY_SKB_CB(skb)->sacked = 0;
	ts->rec.sacked_out = 0;
	ts->rec.sacked_bytes = 0;
	ts->rec.pipe_sacked = 0;
	/* unmarked segments may lie below the hint; the cache is untrue */
	ts->rec.lost_hint = NULL;
	ts->rec.board.nr_cache = 0;
	/* what was reported delivered is forgotten too: no false reordering */
	ts->rec.fack_valid = false;
	ts->rec.reo_low_valid = false;
	TOY_INC_STATS(sock_net(sk), SACK_RENEGED);
}

/* Without SACK: enough duplicate ACKs say the oldest segment is lost. */
void toy_fast_retransmit(struct sock *sk)
{
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	toy_enter_recovery(sk);
	if (head && !TOY_SKB_CB(head)->sacked)
		toy_retransmit_skb(sk, head, TOY_RTX_FAST);
}

/*
 * RFC 8985 7.3: the tail loss probe. Nothing was heard for two round
 * trips: send one segment beyond cwnd (new data if the peer's window
 * takes it, else the last one sent again) so that its ACK, with SACK,
 * reveals a lost tail and recovery starts without a timeout.
 */
void toy_send_tlp(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *skb = ts->snd.head;

	if (ts->cc.state != TOY_CA_OPEN || ts->rec.tlp_out ||
	    ts->snd.una == ts->snd.max)
		return;
	if (skb && !toy_seq_before(TOY_SKB_CB(skb)->seq, ts->snd.max) &&
	    TOY_SKB_CB(skb)->end_seq - TOY_SKB_CB(skb)->seq <=
	    toy_wnd_send_room(ts->snd.una, ts->snd.nxt, ts->snd.wnd, U32_MAX)) {
		if (toy_send_new(sk, skb))
			return;
	} else {
		/* the newest segment sent: the one ending at snd_max */
		skb_queue_reverse_walk(&sk->sk_write_queue, skb) {
			if (toy_skb_sent(ts, skb))
				break;
		}
		if (skb == (struct sk_buff *)&sk->sk_write_queue ||
		    TOY_SKB_CB(skb)->sacked)
			return;
		toy_retransmit_skb(sk, skb, TOY_RTX_TLP);
	}
	ts->rec.tlp_out = true;
	ts->rec.tlp_high = ts->snd.max;
	TOY_INC_STATS(sock_net(sk), TLP_PROBES);
	toy_rto_restart(sk);
}
