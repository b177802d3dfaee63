// SPDX-License-Identifier: GPL-2.0
/*
 * The receive side: from an IPv4 packet with protocol 253 to a message on
 * a socket's receive queue, and every state transition a segment causes.
 *
 * The order of checks on a synchronized connection is RFC 793's (3.9,
 * "SEGMENT ARRIVES"): sequence acceptability, RST, SYN, ACK, then data and
 * FIN.
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/sock.h>

#include "input.h"
#include "netns.h"
#include "ooo.h"
#include "output.h"
#include "sack.h"
#include "seq.h"
#include "sock.h"
#include "table.h"
#include "timer.h"
#include "window.h"

static inline struct toy_hdr *toy_hdr(const struct sk_buff *skb)
{
	return (struct toy_hdr *)skb_transport_header(skb);
}

/* Hand a complete message to the reader. */
static void toy_deliver_msg(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *msg = toy_reasm_take(&ts->reasm);

	ts->rcv_queued += msg->len;
	ts->msgs_received++;
	TOY_INC_STATS(sock_net(sk), IN_MSGS);
	skb_queue_tail(&sk->sk_receive_queue, msg);
	sk->sk_data_ready(sk);
}

static void toy_fin(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	/* a FIN inside a message means the peer is broken; drop the piece */
	if (ts->reasm.head) {
		toy_reasm_reset(&ts->reasm);
		TOY_INC_STATS(sock_net(sk), BAD_SEGS);
	}
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sock_set_flag(sk, SOCK_DONE);

	switch (sk->sk_state) {
	case TOY_ESTABLISHED:
		toy_set_state(sk, TOY_CLOSE_WAIT);
		break;
	case TOY_FIN_WAIT1:
		/* our FIN is not acknowledged yet: both sides closing */
		toy_set_state(sk, TOY_CLOSING);
		break;
	case TOY_FIN_WAIT2:
		toy_time_wait(sk);
		break;
	}
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

	ts->rcv_nxt = cb->end_seq;
	if (skb->len) {
		ts->bytes_received += skb->len;
		toy_reasm_add(&ts->reasm, skb);
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
	ts->dsack.start = start;
	ts->dsack.end = end;
	ts->dsack_pending = true;
}

/* Move what the out-of-order queue holds at rcv_nxt into sequence. */
static void toy_ooo_drain(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	unsigned int dups = 0;
	struct sk_buff *skb;

	while ((skb = toy_ooo_pop(&ts->ooo_queue, ts->rcv_nxt, &dups)))
		toy_rcv_in_order(sk, skb);
	/* covered meanwhile by a retransmission */
	if (dups)
		TOY_ADD_STATS(sock_net(sk), DUP_SEGS, dups);
}

/* Queue a segment above rcv_nxt; a duplicate or an overlap is dropped. */
static void toy_ooo_queue(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);

	if (!toy_ooo_insert(&ts->ooo_queue, skb)) {
		toy_dsack_note(sk, TOY_SKB_CB(skb)->seq,
			       TOY_SKB_CB(skb)->end_seq);
		kfree_skb(skb);
		return;
	}
	ts->ooo_last = TOY_SKB_CB(skb)->seq;
	TOY_INC_STATS(sock_net(sk), OUT_OF_ORDER);
}

/* Payload or FIN on a synchronized connection. Consumes @skb. */
static void toy_data(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	u32 right = ts->rcv_wup + ts->rcv_wnd;

	if (sk->sk_shutdown & RCV_SHUTDOWN) {
		/* nothing may follow a FIN */
		kfree_skb(skb);
		return;
	}
	__skb_pull(skb, toy_hdr(skb)->doff * 4);
	/* it may become the head of a message's frag_list: make it ours */
	if (skb_unclone(skb, GFP_ATOMIC) ||
	    (skb_has_frag_list(skb) && __skb_linearize(skb))) {
		kfree_skb(skb);
		return;
	}
	skb_set_owner_r(skb, sk);

	if (cb->seq == ts->rcv_nxt) {
		u8 flags = cb->flags;	/* @skb is gone after the next call */

		toy_rcv_in_order(sk, skb);
		if (!skb_queue_empty(&ts->ooo_queue)) {
			toy_ooo_drain(sk);
			/* a hole just filled: tell the sender at once */
			toy_send_ack(sk);
			return;
		}
		if (flags & TOY_F_FIN)
			toy_send_ack(sk);
		else
			toy_ack_later(sk);
		return;
	}

	if (toy_seq_before(cb->seq, ts->rcv_nxt) ||
	    toy_seq_after(cb->end_seq, right) ||
	    atomic_read(&sk->sk_rmem_alloc) > 2 * sk->sk_rcvbuf) {
		if (toy_seq_before(cb->seq, ts->rcv_nxt))
			toy_dsack_note(sk, cb->seq, ts->rcv_nxt);
		else
			TOY_INC_STATS(sock_net(sk), WND_DROPS);
		kfree_skb(skb);
	} else {
		toy_ooo_queue(sk, skb);
	}
	/* a gap or a duplicate: an immediate ACK (with SACK) drives recovery */
	toy_send_ack(sk);
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
	u32 first_sent = 0, last_sent = 0, now = toy_now_us();
	bool karn = false, any = false;
	struct sk_buff *skb;

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
		else
			ts->sacked_out--;
		/* a go-back-N resend had not come this far yet */
		if (skb == ts->send_head)
			ts->send_head = NULL;
		__skb_unlink(skb, &sk->sk_write_queue);
		sk_wmem_queued_add(sk, -skb->truesize);
		kfree_skb(skb);
	}
	if (!any)
		return 0;
	/* the newest send among them (a SACKed one changes nothing) */
	toy_rack_delivered(ts, last_sent);
	if (tsecr && (s32)(tsecr - last_sent) >= 0)
		return max_t(u32, now - tsecr, 1);
	if (karn)
		return 0;
	return max_t(u32, now - first_sent, 1);
}

/* The cumulative ACK moved to @ack; @tsecr is the timestamp it echoes. */
static void toy_new_ack(struct sock *sk, u32 ack, u32 tsecr)
{
	struct toy_sock *ts = toy_sk(sk);
	u32 acked = ack - ts->snd_una, sample;

	sample = toy_clean_rtx(sk, ack, tsecr);
	if (sample)
		toy_rtt_update(sk, sample);
	ts->snd_una = ack;
	if (toy_seq_before(ts->snd_nxt, ack)) {
		/* the ACK overtook a go-back-N resend: skip what it covers */
		ts->snd_nxt = ack;
		ts->send_head = skb_peek(&sk->sk_write_queue);
	}
	ts->retries = 0;
	ts->dupacks = 0;
	if (ts->tlp_out && toy_seq_after_eq(ack, ts->tlp_high))
		ts->tlp_out = false;
	toy_cc_on_ack(&ts->cc, acked, ack, ts->mss);

	if (ts->snd_una == ts->snd_max)
		toy_rto_stop(sk);
	else
		toy_rto_restart(sk);
	sk->sk_write_space(sk);
}

/*
 * The ACK half of a segment. Returns false if the segment must be dropped
 * because it acknowledges something never sent.
 */
static bool toy_ack(struct sock *sk, struct sk_buff *skb,
		    const struct toy_opts *opts)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	u32 ack = cb->ack_seq, prior_fack = ts->fack;
	bool wnd_changed = false, prior_valid = ts->fack_valid;

	if (toy_seq_after(ack, ts->snd_max)) {
		toy_send_ack(sk);
		return false;
	}
	if (toy_seq_before(ack, ts->snd_una))
		return true;		/* an old ACK, reordered */
	ts->probes_out = 0;		/* the peer is alive */

	/* RFC 793: take the window only from the newest segment */
	if (toy_seq_after(cb->seq, ts->snd_wl1) ||
	    (cb->seq == ts->snd_wl1 && toy_seq_after_eq(ack, ts->snd_wl2))) {
		wnd_changed = ts->snd_wnd != cb->wnd;
		ts->snd_wnd = cb->wnd;
		ts->snd_wl1 = cb->seq;
		ts->snd_wl2 = ack;
		if (ts->snd_wnd)
			toy_persist_stop(sk);
	}

	if (toy_seq_after(ack, ts->snd_una)) {
		toy_new_ack(sk, ack, opts->ts ? opts->tsecr : 0);
	} else if (cb->seq == cb->end_seq && ts->snd_una != ts->snd_max &&
		   (!wnd_changed || opts->nr_sack)) {
		/*
		 * RFC 5681 duplicate ACK: nothing new, data outstanding. With
		 * SACK the window may move meanwhile (RFC 6675 counts it).
		 */
		ts->dupacks++;
	}
	/*
	 * After the cumulative part: a block at or below the new snd_una is
	 * then a D-SACK, and reordering is judged against what the earlier
	 * ACKs had reported delivered (prior_fack).
	 */
	if (opts->nr_sack)
		toy_sack_mark(sk, opts);
	toy_reorder_check(sk, prior_fack, prior_valid);

	if (ts->cc.state == TOY_CA_OPEN && ts->dupacks >= toy_dupthresh(sk))
		toy_fast_retransmit(sk);
	toy_recover_lost(sk);
	toy_push(sk);
	/* the probe counts from the last sign of life */
	toy_tlp_arm(sk);
	return true;
}

/* Our FIN is acknowledged: the closing states move on. */
static bool toy_fin_acked(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	if (!ts->fin_queued || ts->snd_una != ts->write_seq)
		return true;

	switch (sk->sk_state) {
	case TOY_FIN_WAIT1:
		toy_set_state(sk, TOY_FIN_WAIT2);
		sk->sk_shutdown |= SEND_SHUTDOWN;
		/* an orphan must not wait forever for the peer's FIN */
		if (sock_flag(sk, SOCK_DEAD))
			toy_timewait_arm(sk, 2 * toy_pernet(sock_net(sk))->msl_ms);
		else
			sk->sk_state_change(sk);
		break;
	case TOY_CLOSING:
		toy_time_wait(sk);
		break;
	case TOY_LAST_ACK:
		toy_done(sk);
		return false;
	}
	return true;
}

/* SYN_RECV: the ACK that completes the passive open. */
static bool toy_rcv_syn_recv_ack(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);

	if (toy_seq_before_eq(cb->ack_seq, ts->snd_una) ||
	    toy_seq_after(cb->ack_seq, ts->snd_max)) {
		toy_reply_reset(sock_net(sk), skb);
		return false;
	}
	ts->snd_wl1 = cb->seq;
	ts->snd_wl2 = cb->ack_seq;
	ts->snd_wnd = cb->wnd;
	toy_set_state(sk, TOY_ESTABLISHED);
	toy_child_ready(sk);
	return sk->sk_state == TOY_ESTABLISHED;
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
	u32 wnd = ts->rcv_wup + ts->rcv_wnd - ts->rcv_nxt;
	struct toy_opts opts;

	if ((s32)wnd < 0)
		wnd = 0;
	toy_hdr_parse(toy_hdr(skb), skb->len, &opts);
	/*
	 * Echo the newest timestamp received, whatever the segment: an ACK
	 * then times the round trip of the segment that caused it. (RFC 7323
	 * 4.3 keeps the last in-order one, which makes every ACK sent during
	 * a hole time the hole; the sender checks that an echo is no older
	 * than the data the ACK covers.)
	 */
	if (opts.ts && (s32)(opts.tsval - ts->ts_recent) > 0)
		ts->ts_recent = opts.tsval;

	/*
	 * The peer sent its SYN again: our SYN-ACK was lost. It lies below
	 * rcv_nxt, so answer it before the acceptability test would only ACK.
	 */
	if (sk->sk_state == TOY_SYN_RECV && (cb->flags & TOY_F_SYN) &&
	    !(cb->flags & TOY_F_ACK) && cb->seq == ts->irs) {
		toy_retransmit_skb(sk, skb_peek(&sk->sk_write_queue));
		goto drop;
	}

	if (!toy_wnd_acceptable(cb->seq, cb->end_seq, ts->rcv_nxt, wnd)) {
		if (!(cb->flags & TOY_F_RST)) {
			if (toy_seq_before_eq(cb->end_seq, ts->rcv_nxt) &&
			    cb->end_seq != cb->seq)
				toy_dsack_note(sk, cb->seq, cb->end_seq);
			/* a retransmitted FIN: our last ACK was lost */
			if (sk->sk_state == TOY_TIME_WAIT &&
			    (cb->flags & TOY_F_FIN))
				toy_time_wait(sk);
			toy_send_ack(sk);
		}
		goto drop;
	}

	if (cb->flags & TOY_F_RST) {
		TOY_INC_STATS(net, IN_RSTS);
		/*
		 * RFC 1337: both directions closed cleanly; a reset now (say,
		 * the peer's answer to a duplicate of our last ACK, arriving
		 * after it forgot the connection) must not turn the reader's
		 * end of stream into ECONNRESET, nor cut TIME_WAIT short.
		 */
		if (sk->sk_state == TOY_TIME_WAIT)
			goto drop;
		if (cb->seq != ts->rcv_nxt) {
			/* RFC 5961 3.2: in window but not exact, challenge */
			toy_send_ack(sk);
			goto drop;
		}
		if (toy_state_connected(sk->sk_state))
			TOY_INC_STATS(net, ESTAB_RESETS);
		toy_abort(sk, -toy_reset_errno(sk->sk_state));
		goto drop;
	}

	if (cb->flags & TOY_F_SYN) {
		toy_send_ack(sk);	/* RFC 5961 4.2: challenge ACK */
		goto drop;
	}

	if (!(cb->flags & TOY_F_ACK))
		goto drop;
	if (sk->sk_state == TOY_SYN_RECV && !toy_rcv_syn_recv_ack(sk, skb))
		goto drop;

	if (!toy_ack(sk, skb, &opts) || !toy_fin_acked(sk))
		goto drop;

	if (cb->end_seq == cb->seq)
		goto drop;
	/* RFC 2525 2.17: data for a closed socket can never be read */
	if (sock_flag(sk, SOCK_DEAD) && cb->end_seq - cb->seq >
	    !!(cb->flags & TOY_F_FIN)) {
		toy_send_reset(sk);
		toy_done(sk);
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

	if (cb->flags & TOY_F_ACK && cb->ack_seq != ts->snd_max) {
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
	/* simultaneous open is not supported: wait for a SYN-ACK */
	if ((cb->flags & (TOY_F_SYN | TOY_F_ACK)) != (TOY_F_SYN | TOY_F_ACK))
		goto drop;

	toy_hdr_parse(toy_hdr(skb), skb->len, &opts);
	toy_new_ack(sk, cb->ack_seq, opts.ts ? opts.tsecr : 0);
	toy_conn_peer_syn(sk, skb);
	toy_set_state(sk, TOY_ESTABLISHED);
	toy_send_ack(sk);
	sk->sk_state_change(sk);
	sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
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
	    !toy_child_create(sk, skb))
		TOY_INC_STATS(sock_net(sk), LISTEN_DROPS);
drop:
	kfree_skb(skb);
}

/* One segment for @sk, which the caller owns: softirq or backlog. */
int toy_do_rcv(struct sock *sk, struct sk_buff *skb)
{
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
	return 0;
}

static const u8 toy_verdict_mib[] = {
	[TOY_HDR_SHORT]		= TOY_MIB_HDR_SHORT,
	[TOY_HDR_BADLEN]	= TOY_MIB_HDR_BADLEN,
	[TOY_HDR_BADFLAGS]	= TOY_MIB_HDR_BADFLAGS,
	[TOY_HDR_BADOPT]	= TOY_MIB_HDR_BADOPT,
	[TOY_HDR_UNKNOWNOPT]	= TOY_MIB_HDR_UNKNOWNOPT,
};

/* The IPv4 protocol handler for IPPROTO_TOY. */
int toy_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	enum toy_hdr_verdict v;
	const struct iphdr *iph;
	struct toy_skb_cb *cb;
	struct toy_opts opts;
	struct toy_hdr *th;
	struct sock *sk;
	unsigned int hlen;

	if (skb->pkt_type != PACKET_HOST)
		goto drop;
	TOY_INC_STATS(net, IN_SEGS);

	if (!pskb_may_pull(skb, TOY_HDR_LEN)) {
		TOY_INC_STATS(net, HDR_SHORT);
		goto drop;
	}
	if (skb_checksum_init(skb, IPPROTO_TOY, inet_compute_pseudo) ||
	    skb_checksum_complete(skb)) {
		TOY_INC_STATS(net, CSUM_ERRORS);
		goto drop;
	}
	hlen = toy_hdr(skb)->doff * 4;
	if (hlen > TOY_HDR_LEN && hlen <= skb->len && !pskb_may_pull(skb, hlen))
		goto drop;
	th = toy_hdr(skb);
	v = toy_hdr_parse(th, skb->len, &opts);
	if (v != TOY_HDR_OK) {
		this_cpu_inc(toy_pernet(net)->mib->mibs[toy_verdict_mib[v]]);
		goto drop;
	}

	cb = TOY_SKB_CB(skb);
	cb->seq = ntohl(th->seq);
	cb->end_seq = cb->seq + skb->len - hlen +
		      !!(th->flags & (TOY_F_SYN | TOY_F_FIN));
	cb->ack_seq = ntohl(th->ack_seq);
	cb->wnd = ntohl(th->window);
	cb->flags = th->flags;

	iph = ip_hdr(skb);
	sk = toy_lookup(net, iph->saddr, th->source, iph->daddr, th->dest);
	if (!sk) {
		TOY_INC_STATS(net, NO_PORT);
		toy_reply_reset(net, skb);
		goto drop;
	}
	skb_dst_drop(skb);
	nf_reset_ct(skb);

	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		toy_do_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) +
					   READ_ONCE(sk->sk_sndbuf))) {
		bh_unlock_sock(sk);
		sock_put(sk);
		TOY_INC_STATS(net, WND_DROPS);
		goto drop;
	}
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;

drop:
	kfree_skb(skb);
	return 0;
}

/* ICMP errors: AF_TOY relies on its own timers, so they are only noted. */
int toy_v4_err(struct sk_buff *skb, u32 info)
{
	return 0;
}
