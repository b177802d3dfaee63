// SPDX-License-Identifier: GPL-2.0
/*
 * Both halves of SACK: the receiver describing its out-of-order queue, and
 * the sender's scoreboard and hole-by-hole retransmission. The queue walks
 * themselves are socket-free, in ooo.c and scoreboard.c.
 */
#include <linux/skbuff.h>

#include "netns.h"
#include "ooo.h"
#include "output.h"
#include "sack.h"
#include "sock.h"

/* Receiver: describe the out-of-order queue in @opts. */
void toy_sack_fill(struct sock *sk, struct toy_opts *opts)
{
	struct toy_sock *ts = toy_sk(sk);

	opts->nr_sack = toy_ooo_sack_runs(&ts->ooo_queue, ts->ooo_last,
					  opts->sack, TOY_SACK_MAX_BLOCKS);
}

/* Sender: mark what the peer reports holding. */
void toy_sack_mark(struct sock *sk, const struct toy_opts *opts)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_sack_marks m;

	toy_sack_mark_queue(&sk->sk_write_queue, opts->sack, opts->nr_sack,
			    ts->snd_una, ts->snd_max, &m);
	if (m.blocks)
		TOY_ADD_STATS(sock_net(sk), SACK_BLOCKS, m.blocks);
	if (m.segs)
		toy_rack_delivered(ts, m.newest_us);
}

/* The duplicate-ACK threshold for what is outstanding now. */
unsigned int toy_dupthresh(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	unsigned int n = 0;
	struct sk_buff *skb;

	/* also when there is more to send: cwnd may be what holds it back */
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (!toy_skb_sent(ts, skb) || ++n > TOY_DUPTHRESH)
			break;
	}
	return toy_dupthresh_for(n);
}

/* A segment sent at @sent_us arrived: RACK keeps the newest such time. */
void toy_rack_delivered(struct toy_sock *ts, u32 sent_us)
{
	if (!ts->rack_valid || (s32)(sent_us - ts->rack_us) > 0) {
		ts->rack_us = sent_us;
		ts->rack_valid = true;
	}
}

/*
 * Resend what is known lost, oldest first, a few per ACK. A segment not
 * SACKed is lost when
 *  - it was sent once and DupThresh segments above it are SACKed (RFC 6675
 *    IsLost), or
 *  - a segment sent a reordering window after it has arrived (RACK, RFC
 *    8985, without its timer): time, not sequence distance, so this also
 *    catches a retransmission that was lost again.
 */
void toy_recover_lost(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	unsigned int sacked = 0, resent = 0, thresh = toy_dupthresh(sk);
	u32 reo = 0;
	struct sk_buff *skb;

	/* RFC 8985 6.2: already repairing, trust the order of sending */
	if (ts->cc.state == TOY_CA_OPEN)
		reo = max(ts->rtt.srtt_us / 4, TOY_REO_WND_MIN_US);

	/* after a timeout, what go-back-N has not resent yet waits for it */
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (!toy_seq_before(TOY_SKB_CB(skb)->seq, ts->snd_nxt))
			break;
		sacked += TOY_SKB_CB(skb)->sacked;
	}
	if (!sacked && !ts->rack_valid)
		return;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		if (!toy_seq_before(cb->seq, ts->snd_nxt) || !sacked)
			break;
		if (cb->sacked) {
			sacked--;
			continue;
		}
		if (!(!cb->retrans && sacked >= thresh) &&
		    !(ts->rack_valid && toy_rack_lost(cb->sent_us, ts->rack_us, reo)))
			continue;
		if (ts->cc.state == TOY_CA_OPEN) {
			toy_cc_on_dupthresh(&ts->cc, toy_in_flight(ts),
					    ts->snd_max, ts->mss);
			TOY_INC_STATS(sock_net(sk), FAST_RETRANS);
		}
		toy_retransmit_skb(sk, skb);
		if (++resent == TOY_RECOVER_BURST)
			break;
	}
}

/* Without SACK: enough duplicate ACKs say the oldest segment is lost. */
void toy_fast_retransmit(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	toy_cc_on_dupthresh(&ts->cc, toy_in_flight(ts), ts->snd_max, ts->mss);
	TOY_INC_STATS(sock_net(sk), FAST_RETRANS);
	if (head && !TOY_SKB_CB(head)->sacked)
		toy_retransmit_skb(sk, head);
}
