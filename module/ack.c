// SPDX-License-Identifier: GPL-2.0
/*
 * The ACK half of a segment on a synchronized connection: what the peer
 * says it received. snd.una moves and acknowledged segments leave the
 * retransmission queue, giving an RTT sample (RFC 6298, RFC 7323); the
 * peer's window is taken (RFC 793); congestion control hears of it
 * (cc.c); duplicate ACKs and SACK blocks feed loss recovery
 * (recovery.c); then whatever the windows now allow is sent.
 */
#include <linux/skbuff.h>
#include <net/sock.h>

#include "ack.h"
#include "mem.h"
#include "netns.h"
#include "output.h"
#include "recovery.h"
#include "sack.h"
#include "seq.h"
#include "sock.h"
#include "timer.h"
#include "trace.h"
#include "window.h"

/* A valid RTT sample (Karn's rule already applied by the caller). */
void toy_rtt_update(struct sock *sk, u32 sample_us)
{
	const struct toy_net *tn = toy_pernet(sock_net(sk));

	toy_rtt_sample(&toy_sk(sk)->rtt, sample_us, false,
		       tn->rto_min_ms * USEC_PER_MSEC,
		       tn->rto_max_ms * USEC_PER_MSEC);
}

/*
 * Acknowledged data leaves the retransmission queue. Returns an RTT sample
 * in microseconds, or 0 for none: the timestamp echoed, if it belongs to
 * the newest segment this ACK covers (RFC 7323; an older echo would time
 * a hole, not a round trip), else the first segment's, if no segment was
 * sent twice (Karn's rule).
 */
static u32 toy_clean_rtx(struct sock *sk, u32 ack, u32 tsecr)
{
	struct toy_sock *ts = toy_sk(sk);
	u32 first_sent = 0, last_sent = 0, now = toy_clock_us(sk);
	bool karn = false, any = false;
	struct sk_buff *skb;

	/* RFC 7323 5.5: an echo of a time we have not reached is forged */
	if (tsecr && (s32)(now - tsecr) < 0) {
		TOY_INC_STATS(sock_net(sk), TSECR_REFUSED);
		tsecr = 0;
	}
	while ((skb = skb_peek(&sk->sk_write_queue))) {
		struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		if (toy_seq_after(cb->end_seq, ack))
			break;
		if (!any) {
			first_sent = cb->sent_us;
			last_sent = cb->sent_us;
		}
		if ((s32)(cb->sent_us - last_sent) > 0)
			last_sent = cb->sent_us;
		any = true;
		karn |= cb->retrans;
		if (!cb->sacked)
			toy_delivered_seq(ts, cb->end_seq, !cb->retrans);
		/* SACK counters, resend list and hints forget it */
		toy_rec_unlink(ts, skb);
		/* a go-back-N resend had not come this far yet */
		if (skb == ts->snd.head)
			ts->snd.head = NULL;
		__skb_unlink(skb, &sk->sk_write_queue);
		toy_wmem_free(sk, skb);
	}
	if (!any)
		return 0;
	/* the newest send among them (a SACKed one changes nothing) */
	toy_rack_delivered(ts, last_sent, now);
	if (tsecr && (s32)(tsecr - last_sent) >= 0)
		return max_t(u32, now - tsecr, 1);
	if (karn)
		return 0;
	return max_t(u32, now - first_sent, 1);
}

/* The cumulative ACK moved to @ack; @tsecr is the timestamp it echoes. */
void toy_new_ack(struct sock *sk, u32 ack, u32 tsecr)
{
	struct toy_sock *ts = toy_sk(sk);
	u32 acked = ack - ts->snd.una, sample;

	sample = toy_clean_rtx(sk, ack, tsecr);
	if (sample)
		toy_rtt_update(sk, sample);
	ts->snd.una = ack;
	if (toy_seq_before(ts->snd.nxt, ack)) {
		/* the ACK overtook a go-back-N resend: skip what it covers */
		ts->snd.nxt = ack;
		ts->snd.head = skb_peek(&sk->sk_write_queue);
	}
	ts->timers.retries = 0;
	ts->rec.dupacks = 0;
	if (ts->rec.tlp_out && toy_seq_after_eq(ack, ts->rec.tlp_high))
		ts->rec.tlp_out = false;
	toy_cc_on_ack(&ts->cc, acked, ack, ts->snd.mss);

	if (ts->snd.una == ts->snd.max)
		toy_rto_stop(sk);
	else
		toy_rto_restart(sk);
	sk->sk_write_space(sk);
}

/*
 * The ACK half of a segment. Returns false if the segment must be dropped:
 * its ACK lies outside [snd.una - max_wnd, snd.max] (RFC 5961 5.2), so it
 * is a blind guess or acknowledges something never sent; a challenge ACK
 * answers it.
 */
bool toy_ack(struct sock *sk, struct sk_buff *skb,
	     const struct toy_opts *opts)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	u32 ack = cb->ack_seq, prior_fack = ts->rec.fack;
	bool wnd_changed = false, prior_valid = ts->rec.fack_valid;
	bool maybe_dup = false;
	unsigned int sacked = 0;

	if (!toy_ack_acceptable(ack, ts->snd.una, ts->snd.max,
				ts->snd.max_wnd)) {
		toy_drop(sock_net(sk), skb, TOY_MIB_ACK_REFUSED);
		toy_send_challenge_ack(sk, skb);
		return false;
	}
	if (toy_seq_before(ack, ts->snd.una))
		return true;		/* an old ACK, reordered */
	ts->timers.probes_out = 0;		/* the peer is alive */
	ts->snd.ack_stamp = (u32)jiffies;
	/* the timeout, a probe, a reordering wait: one timer, set once */
	toy_xmit_hold(sk);

	/* RFC 793: take the window only from the newest segment */
	if (toy_seq_after(cb->seq, ts->snd.wl1) ||
	    (cb->seq == ts->snd.wl1 && toy_seq_after_eq(ack, ts->snd.wl2))) {
		wnd_changed = ts->snd.wnd != cb->wnd;
		if (wnd_changed)
			trace_toy_window_update(sk, false, ts->snd.wnd,
						cb->wnd);
		ts->snd.wnd = cb->wnd;
		ts->snd.max_wnd = max(ts->snd.max_wnd, cb->wnd);
		ts->snd.wl1 = cb->seq;
		ts->snd.wl2 = ack;
		if (ts->snd.wnd)
			toy_persist_stop(sk);
	}

	if (toy_seq_after(ack, ts->snd.una)) {
		toy_new_ack(sk, ack, opts->ts ? opts->tsecr : 0);
		toy_sack_forget(sk);	/* if the receiver reneged */
	} else if (cb->seq == cb->end_seq && ts->snd.una != ts->snd.max &&
		   (!wnd_changed || opts->nr_sack)) {
		/*
		 * RFC 5681 duplicate ACK: nothing new, data outstanding. With
		 * SACK the window may move meanwhile (RFC 6675 counts it).
		 */
		maybe_dup = true;
	}
	/*
	 * After the cumulative part: a block at or below the new snd_una is
	 * then a D-SACK, and reordering is judged against what the earlier
	 * ACKs had reported delivered (prior_fack).
	 */
	if (opts->nr_sack)
		sacked = toy_sack_mark(sk, opts);
	/*
	 * RFC 6675 2: a duplicate ACK is one that SACKs something new (an
	 * AF_TOY receiver with a hole always sends SACK blocks). One that only
	 * reports a duplicate (a D-SACK, as a forged or duplicated segment
	 * makes the receiver send), or an ACK the network duplicated, says
	 * nothing of loss.
	 */
	if (maybe_dup && sacked)
		ts->rec.dupacks++;
	toy_reorder_check(sk, prior_fack, prior_valid);

	if (ts->cc.state == TOY_CA_OPEN && ts->rec.dupacks >= toy_dupthresh(sk))
		toy_fast_retransmit(sk);
	toy_recover_lost(sk);
	toy_push(sk);
	/* the probe counts from the last sign of life */
	toy_tlp_arm(sk);
	toy_xmit_release(sk);
	trace_toy_ack(sk, ack);
	return true;
}
