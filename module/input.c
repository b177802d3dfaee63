// SPDX-License-Identifier: GPL-2.0
/*
 * A segment at its socket (ipv4.c found it): what each state does with
 * it, and the data path from an in-sequence segment to a message on the
 * receive queue, through the out-of-order queue and reassembly. The state
 * changes a segment causes are events for conn.c's toy_state_event();
 * its ACK half is ack.c's.
 *
 * The order of checks on a synchronized connection is RFC 793's (3.9,
 * "SEGMENT ARRIVES"): sequence acceptability, RST, SYN, ACK, then data and
 * FIN.
 */
#include <linux/skbuff.h>
#include <net/sock.h>

#include "ack.h"
#include "input.h"
#include "listener.h"
#include "netns.h"
#include "ooo.h"
#include "output.h"
#include "reply.h"
#include "seq.h"
#include "sock.h"
#include "timer.h"
#include "trace.h"
#include "window.h"

/* Hand a complete message to the reader. */
static void toy_deliver_msg(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *msg = toy_reasm_take(&ts->rcv.reasm);

	ts->rcv.queued += msg->len;
	ts->stats.msgs_received++;
	TOY_INC_STATS(sock_net(sk), IN_MSGS);
	skb_queue_tail(&sk->sk_receive_queue, msg);
	sk->sk_data_ready(sk);
}

static void toy_fin(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	/* a FIN inside a message means the peer is broken; drop the piece */
	if (ts->rcv.reasm.head) {
		toy_reasm_reset(&ts->rcv.reasm);
		TOY_INC_STATS(sock_net(sk), BAD_SEGS);
	}
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sock_set_flag(sk, SOCK_DONE);

	/* in FIN_WAIT1 our FIN is not acknowledged yet: both sides closing */
	toy_state_event(sk, TOY_EV_RCV_FIN);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
	}
}

/* A segment that starts exactly at rcv_nxt. Consumes @skb. */
static void toy_rcv_in_order(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	u8 flags = cb->flags;

	ts->rcv.nxt = cb->end_seq;
	if (skb->len) {
		ts->stats.bytes_received += skb->len;
		toy_reasm_add(&ts->rcv.reasm, skb);
		if (flags & TOY_F_EOM)
			toy_deliver_msg(sk);
	} else {
		kfree_skb(skb);
	}
	if (flags & TOY_F_FIN)
		toy_fin(sk);
}

/* RFC 2883: the next ACK reports [start, end) as received twice. */
static void toy_dsack_note(struct sock *sk, u32 start, u32 end)
{
	struct toy_sock *ts = toy_sk(sk);

	TOY_INC_STATS(sock_net(sk), DUP_SEGS);
	ts->rcv.dsack.start = start;
	ts->rcv.dsack.end = end;
	ts->rcv.dsack_pending = true;
}

/* Move what the out-of-order queue holds at rcv_nxt into sequence. */
static void toy_ooo_drain(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	unsigned int dups = 0;
	struct sk_buff *skb;

	while ((skb = toy_ooo_pop(&ts->rcv.ooo_queue, ts->rcv.nxt, &dups))) {
		toy_rcv_in_order(sk, skb);
		/* nothing follows a FIN: what is left is a broken peer's */
		if (sock_flag(sk, SOCK_DONE)) {
			__skb_queue_purge(&ts->rcv.ooo_queue);
			break;
		}
	}
	/* covered meanwhile by a retransmission */
	if (dups)
		TOY_ADD_STATS(sock_net(sk), DUP_SEGS, dups);
}

/* Queue a segment above rcv_nxt; a duplicate or an overlap is dropped. */
static void toy_ooo_queue(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);

	if (!toy_ooo_insert(&ts->rcv.ooo_queue, skb)) {
		toy_dsack_note(sk, TOY_SKB_CB(skb)->seq,
			       TOY_SKB_CB(skb)->end_seq);
		kfree_skb(skb);
		return;
	}
	ts->rcv.ooo_last = TOY_SKB_CB(skb)->seq;
	TOY_INC_STATS(sock_net(sk), OUT_OF_ORDER);
}

/*
 * May @skb be charged to the socket: within SO_RCVBUF, and within the
 * protocol's memory (net.toy.mem) and the socket's memory cgroup?
 */
static bool toy_rmem_fits(struct sock *sk, struct sk_buff *skb)
{
	return atomic_read(&sk->sk_rmem_alloc) + skb->truesize <=
	       toy_rcvbuf(sk) &&
	       sk_rmem_schedule(sk, skb, skb->truesize);
}

/* Memory is short: give up what is held out of order (RFC 2018 8). */
static void toy_ooo_prune(struct sock *sk)
{
	struct sk_buff_head *q = &toy_sk(sk)->rcv.ooo_queue;

	if (skb_queue_empty(q))
		return;
	TOY_ADD_STATS(sock_net(sk), OFO_PRUNED, skb_queue_len(q));
	__skb_queue_purge(q);
}

/* Bytes of payload per skb when a partial message is copied together. */
#define TOY_COLLAPSE_CHUNK	SKB_WITH_OVERHEAD(PAGE_SIZE)

/*
 * Memory is short: copy the partial message into as few skbs as its
 * bytes need (as tcp_collapse() does), so that segments whose skbs are
 * mostly overhead stop pinning memory. False if memory for the copy ran
 * out; the message is then as it was.
 */
static bool toy_reasm_collapse(struct sock *sk)
{
	struct toy_reasm *r = &toy_sk(sk)->rcv.reasm;
	struct toy_reasm n = {};
	u32 off = 0, segs = 0, held = 0, compact;
	struct sk_buff *skb;

	if (!r->head || !skb_has_frag_list(r->head))
		return false;
	/* not again for what is compact already: only a real gain pays */
	for (skb = r->head; skb; skb = skb == r->head ?
	     skb_shinfo(skb)->frag_list : skb->next) {
		held += skb->truesize;
		segs++;
	}
	compact = DIV_ROUND_UP(r->len, TOY_COLLAPSE_CHUNK) *
		  SKB_TRUESIZE(PAGE_SIZE);
	if (held <= compact + compact / 4)
		return false;
	while (off < r->len) {
		u32 chunk = min_t(u32, r->len - off, TOY_COLLAPSE_CHUNK);

		skb = alloc_skb(chunk, GFP_ATOMIC);
		if (skb && !sk_rmem_schedule(sk, skb, skb->truesize)) {
			kfree_skb(skb);
			skb = NULL;
		}
		if (!skb) {
			toy_reasm_reset(&n);
			return false;
		}
		/* cannot fail: the message holds at least off + chunk bytes */
		skb_copy_bits(r->head, off, skb_put(skb, chunk), chunk);
		skb_set_owner_r(skb, sk);
		toy_reasm_add(&n, skb);
		off += chunk;
	}
	toy_reasm_reset(r);	/* uncharges the old segments */
	*r = n;
	TOY_ADD_STATS(sock_net(sk), RCV_COLLAPSED, segs);
	return true;
}

/*
 * The window would close below a segment while the reader has nothing to
 * read: only what is held for reassembly can make room, so give it up or
 * compact it, or the partial message could never complete. True if memory
 * was freed.
 */
bool toy_rmem_reclaim(struct sock *sk)
{
	int before = atomic_read(&sk->sk_rmem_alloc);

	if (!skb_queue_empty(&sk->sk_receive_queue))
		return false;
	toy_ooo_prune(sk);
	toy_reasm_collapse(sk);
	return atomic_read(&sk->sk_rmem_alloc) < before;
}

/*
 * Room in receive memory for @skb, which is not charged yet. In-order
 * data comes first: for it the out-of-order queue is given up, then the
 * partial message collapsed; and if the reader has nothing else to read,
 * it is let in beyond SO_RCVBUF, since the partial message must be able
 * to complete (a message is at most sk_rcvbuf bytes); never beyond
 * net.toy.mem. False: drop it, the sender will send it again.
 */
static bool toy_rmem_admit(struct sock *sk, struct sk_buff *skb,
			   bool in_order)
{
	struct toy_sock *ts = toy_sk(sk);

	if (toy_rmem_fits(sk, skb))
		return true;
	if (!in_order)
		return false;
	toy_ooo_prune(sk);
	if (toy_rmem_fits(sk, skb))
		return true;
	if (toy_reasm_collapse(sk) && toy_rmem_fits(sk, skb))
		return true;
	return skb_queue_empty(&sk->sk_receive_queue) &&
	       ts->rcv.reasm.len + skb->len <= (u32)toy_rcvbuf(sk) &&
	       sk_rmem_schedule(sk, skb, skb->truesize);
}

/* Payload or FIN on a synchronized connection. Consumes @skb. */
static void toy_data(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	u32 right = ts->rcv.wup + ts->rcv.wnd;
	bool in_order = cb->seq == ts->rcv.nxt;
	/* partly a duplicate: the new bytes are kept, the rest trimmed */
	bool overlap = toy_seq_before(cb->seq, ts->rcv.nxt) &&
		       toy_seq_after(cb->end_seq, ts->rcv.nxt);

	/*
	 * Nothing may follow a FIN. shutdown(SHUT_RD) alone stops nothing:
	 * as with TCP, the peer's data is still acknowledged and queued.
	 */
	if (sock_flag(sk, SOCK_DONE)) {
		kfree_skb(skb);
		return;
	}
	if (!in_order && !overlap &&
	    (toy_seq_before(cb->seq, ts->rcv.nxt) ||
	     toy_seq_after(cb->end_seq, right))) {
		if (toy_seq_before(cb->seq, ts->rcv.nxt)) {
			toy_dsack_note(sk, cb->seq, ts->rcv.nxt);
			trace_toy_segment_drop(sock_net(sk), skb,
					       TOY_MIB_DUP_SEGS);
		} else {
			toy_drop(sock_net(sk), skb, TOY_MIB_WND_DROPS);
		}
		goto drop_ack;
	}
	__skb_pull(skb, toy_hdr(skb)->doff * 4);
	/* it may become the head of a message's frag_list: make it ours */
	if (skb_unclone(skb, GFP_ATOMIC) ||
	    (skb_has_frag_list(skb) && __skb_linearize(skb))) {
		kfree_skb(skb);
		return;
	}
	if (overlap) {
		toy_dsack_note(sk, cb->seq, ts->rcv.nxt);
		if (!toy_seg_trim_front(skb, ts->rcv.nxt))
			goto drop_ack;
		in_order = true;
	}
	/* an in-order FIN alone is freed at once; anything else is charged */
	if (skb->len || !in_order) {
		if (!toy_rmem_admit(sk, skb, in_order)) {
			toy_drop(sock_net(sk), skb, TOY_MIB_RCV_MEM_DROPS);
			/* the ACK's window tells the sender why */
			goto drop_ack;
		}
	}
	/*
	 * The ratio is learned from full-sized segments only, as Linux learns
	 * its scaling ratio: small messages must not shrink the window below
	 * a segment the sender cannot split (a flood of them is held by the
	 * admission above).
	 */
	if (skb->len >= ts->rcv.adv_mss)
		ts->rcv.ratio = toy_rcv_ratio(ts->rcv.ratio, skb->len,
					      skb->truesize);
	skb_set_owner_r(skb, sk);

	if (in_order) {
		/* @skb is gone after the next call */
		unsigned int segs = cb->segs;
		u8 flags = cb->flags;

		/* data after an idle spell: ACK at once again (quick-ACK) */
		if ((u32)jiffies - ts->rcv.data_stamp >
		    usecs_to_jiffies(ts->rtt.rto_us))
			ts->rcv.quick = TOY_QUICKACKS;
		ts->rcv.data_stamp = jiffies;

		toy_rcv_in_order(sk, skb);
		if (!skb_queue_empty(&ts->rcv.ooo_queue)) {
			toy_ooo_drain(sk);
			/* a hole just filled: tell the sender at once */
			toy_send_ack(sk);
			return;
		}
		/*
		 * a super-segment is at least two segments: its ACK goes at
		 * once, as TCP's for what GRO put together
		 */
		if ((flags & TOY_F_FIN) || segs > 1)
			toy_send_ack(sk);
		else
			toy_ack_later(sk);
		return;
	}
	toy_ooo_queue(sk, skb);
	/* a gap: an immediate ACK (with SACK) drives recovery */
	toy_send_ack(sk);
	return;

drop_ack:
	kfree_skb(skb);
	/* a duplicate or a drop: an immediate ACK (with D-SACK) says so */
	toy_send_ack(sk);
}

/* Our FIN is acknowledged: the closing states move on. */
static bool toy_fin_acked(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	if (!ts->snd.fin_queued || ts->snd.una != ts->snd.write_seq)
		return true;

	toy_state_event(sk, TOY_EV_FIN_ACKED);
	/* after LAST_ACK there is nothing left to do with the segment */
	return sk->sk_state != TOY_CLOSE;
}

/* SYN_RECV: the ACK that completes the passive open. */
static bool toy_rcv_syn_recv_ack(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);

	if (toy_seq_before_eq(cb->ack_seq, ts->snd.una) ||
	    toy_seq_after(cb->ack_seq, ts->snd.max)) {
		toy_reply_reset(sock_net(sk), skb);
		return false;
	}
	ts->snd.wl1 = cb->seq;
	ts->snd.wl2 = cb->ack_seq;
	ts->snd.wnd = cb->wnd;
	/* a child joins its listener's accept queue; a connect() returns */
	toy_state_event(sk, ts->child.parent ? TOY_EV_RCV_ACK :
					       TOY_EV_RCV_SYNACK);
	return sk->sk_state == TOY_ESTABLISHED;
}

/*
 * After crossed SYNs, the peer's SYN-ACK: its SYN is the one we took in
 * SYN_SENT (nothing else, no data) and it acknowledges ours exactly, as
 * tcp_validate_incoming() lets it pass instead of a challenge ACK. A
 * child never sees one: its peer sent a plain SYN.
 */
static bool toy_syn_crossed_ack(struct sock *sk, const struct sk_buff *skb)
{
	const struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	const struct toy_sock *ts = toy_sk(sk);

	return sk->sk_state == TOY_SYN_RECV && !ts->child.parent &&
	       (cb->flags & (TOY_F_SYN | TOY_F_ACK | TOY_F_FIN | TOY_F_RST)) ==
	       (TOY_F_SYN | TOY_F_ACK) &&
	       cb->end_seq == cb->seq + 1 && cb->end_seq == ts->rcv.nxt &&
	       cb->ack_seq == ts->snd.max;
}

static int toy_reset_errno(int state)
{
	switch (state) {
	case TOY_SYN_SENT:
	case TOY_SYN_RECV:
		return -ECONNREFUSED;
	case TOY_CLOSE_WAIT:
		return -EPIPE;
	default:
		return -ECONNRESET;
	}
}

/* Every state after the handshake started, except LISTEN and SYN_SENT. */
static void toy_rcv_synced(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	struct net *net = sock_net(sk);
	u32 wnd = ts->rcv.wup + ts->rcv.wnd - ts->rcv.nxt;
	struct toy_opts opts;
	bool crossed;

	if ((s32)wnd < 0)
		wnd = 0;
	toy_hdr_parse(toy_hdr(skb), skb->len, &opts);
	/*
	 * Echo the newest timestamp, so that an ACK times the segment that
	 * caused it, also a retransmission just below rcv.nxt (RFC 7323 4.3
	 * keeps the last in-order one, which makes every ACK during a hole
	 * time the hole; the sender checks that an echo is no older than the
	 * data the ACK covers). But only from a segment that a blind attacker
	 * would have to guess twice to forge: not a reset or SYN (RFC 7323
	 * 5.3), an ACK in RFC 5961's range, a sequence number within a buffer
	 * of rcv.nxt.
	 */
	if (opts.ts && (s32)(opts.tsval - ts->rcv.ts_recent) > 0 &&
	    (cb->flags & (TOY_F_ACK | TOY_F_RST | TOY_F_SYN)) == TOY_F_ACK &&
	    toy_ack_acceptable(cb->ack_seq, ts->snd.una, ts->snd.max,
			       ts->snd.max_wnd) &&
	    toy_seq_between(cb->seq, ts->rcv.nxt - toy_rcvbuf(sk),
			    ts->rcv.nxt + wnd))
		ts->rcv.ts_recent = opts.tsval;

	/*
	 * The peer sent its SYN again: our SYN-ACK was lost. It lies below
	 * rcv_nxt, so answer it before the acceptability test would only ACK.
	 */
	if (sk->sk_state == TOY_SYN_RECV && (cb->flags & TOY_F_SYN) &&
	    !(cb->flags & TOY_F_ACK) && cb->seq == ts->rcv.irs) {
		toy_retransmit_skb(sk, skb_peek(&sk->sk_write_queue),
				   TOY_RTX_SYN);
		goto drop;
	}

	/* it ends at rcv.nxt, so RFC 793's test would refuse it */
	crossed = toy_syn_crossed_ack(sk, skb);
	if (!crossed &&
	    !toy_wnd_acceptable(cb->seq, cb->end_seq, ts->rcv.nxt, wnd)) {
		/* a duplicate is counted (DupSegs) as it is reported */
		bool dup = !(cb->flags & TOY_F_RST) && cb->end_seq != cb->seq &&
			   toy_seq_before_eq(cb->end_seq, ts->rcv.nxt);

		trace_toy_segment_drop(net, skb, dup ? TOY_MIB_DUP_SEGS :
						       TOY_DROP_OUT_OF_WINDOW);
		if (!(cb->flags & TOY_F_RST)) {
			if (dup)
				toy_dsack_note(sk, cb->seq, cb->end_seq);
			if (!toy_oow_rate_limited(sk, skb))
				toy_send_ack(sk);
		}
		goto drop;
	}

	/* (TIME_WAIT, where a reset is ignored, is timewait.c's) */
	if (cb->flags & TOY_F_RST) {
		TOY_INC_STATS(net, IN_RSTS);
		if (cb->seq != ts->rcv.nxt) {
			/* RFC 5961 3.2: in window but not exact, challenge */
			toy_send_challenge_ack(sk, skb);
			goto drop;
		}
		if (toy_state_connected(sk->sk_state))
			TOY_INC_STATS(net, ESTAB_RESETS);
		toy_abort(sk, -toy_reset_errno(sk->sk_state));
		goto drop;
	}

	if ((cb->flags & TOY_F_SYN) && !crossed) {
		toy_send_challenge_ack(sk, skb);	/* RFC 5961 4.2 */
		goto drop;
	}

	if (!(cb->flags & TOY_F_ACK))
		goto drop;

	if (sk->sk_state == TOY_SYN_RECV && !toy_rcv_syn_recv_ack(sk, skb))
		goto drop;

	if (!toy_ack(sk, skb, &opts) || !toy_fin_acked(sk))
		goto drop;

	/* the SYN of a crossed SYN-ACK was taken already: nothing new */
	if (crossed || cb->end_seq == cb->seq)
		goto drop;
	/*
	 * Data echoing one of our timestamps: the receiver's round trip. The
	 * segments of a flight echo the same TSval: one sample (and one
	 * clock read) per echo, as tcp_rcv_rtt_measure_ts() takes.
	 */
	if (opts.ts && opts.tsecr && opts.tsecr != ts->rcv.rtt_tsecr) {
		u32 sample = toy_clock_us(sk) - opts.tsecr;

		ts->rcv.rtt_tsecr = opts.tsecr;
		if ((s32)sample > 0)
			ts->rcv.rtt_us = toy_rcv_rtt_update(ts->rcv.rtt_us,
							    sample);
	}
	/* RFC 2525 2.17: data for a closed socket can never be read */
	if (sock_flag(sk, SOCK_DEAD) && cb->end_seq - cb->seq >
	    !!(cb->flags & TOY_F_FIN)) {
		toy_send_reset(sk);
		toy_abort(sk, 0);
		goto drop;
	}
	switch (sk->sk_state) {
	case TOY_ESTABLISHED:
	case TOY_FIN_WAIT1:
	case TOY_FIN_WAIT2:
		toy_data(sk, skb);
		return;
	}
	/* data after the peer's FIN: nowhere to put it */
drop:
	kfree_skb(skb);
}

/* SYN_SENT: waiting for the SYN-ACK of our active open. */
static void toy_rcv_syn_sent(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	struct net *net = sock_net(sk);
	struct toy_opts opts;

	if (cb->flags & TOY_F_ACK && cb->ack_seq != ts->snd.max) {
		/* an ACK for some other, older connection */
		if (!(cb->flags & TOY_F_RST))
			toy_reply_reset(net, skb);
		goto drop;
	}
	if (cb->flags & TOY_F_RST) {
		if (cb->flags & TOY_F_ACK) {
			TOY_INC_STATS(net, IN_RSTS);
			toy_abort(sk, ECONNREFUSED);
		}
		goto drop;
	}
	if (!(cb->flags & TOY_F_SYN))
		goto drop;
	if (!(cb->flags & TOY_F_ACK)) {
		/* RFC 793 figure 8: the SYNs crossed, a simultaneous open */
		toy_conn_peer_syn(sk, skb);
		toy_state_event(sk, TOY_EV_RCV_SYN);
		goto drop;
	}

	toy_hdr_parse(toy_hdr(skb), skb->len, &opts);
	toy_new_ack(sk, cb->ack_seq, opts.ts ? opts.tsecr : 0);
	trace_toy_ack(sk, cb->ack_seq);
	toy_conn_peer_syn(sk, skb);
	toy_state_event(sk, TOY_EV_RCV_SYNACK);
drop:
	kfree_skb(skb);
}

static void toy_rcv_listen(struct sock *sk, struct sk_buff *skb)
{
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);

	if (cb->flags & TOY_F_RST)
		goto drop;
	if (cb->flags & TOY_F_ACK) {
		if (toy_cookie_ack(sk, skb))
			return;
		/* for a connection this listener does not know (any more) */
		toy_reply_reset(sock_net(sk), skb);
		goto drop;
	}
	if ((cb->flags & TOY_F_SYN) && !toy_cookie_syn(sk, skb) &&
	    !toy_child_create(sk, skb)) {
		toy_drop(sock_net(sk), skb, TOY_MIB_LISTEN_DROPS);
	}
drop:
	kfree_skb(skb);
}

/* One segment for @sk, which the caller owns: softirq or backlog. */
int toy_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	toy_clock_start(sk);
	switch (sk->sk_state) {
	case TOY_LISTEN:
		toy_rcv_listen(sk, skb);
		break;
	case TOY_SYN_SENT:
		toy_rcv_syn_sent(sk, skb);
		break;
	case TOY_CLOSE:
		toy_reply_reset(sock_net(sk), skb);
		kfree_skb(skb);
		break;
	default:
		toy_rcv_synced(sk, skb);
		break;
	}
	toy_clock_end(sk);
	return 0;
}
