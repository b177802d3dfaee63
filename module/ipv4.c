// SPDX-License-Identifier: GPL-2.0
/*
 * AF_TOY over IPv4, as tcp_ipv4.c is TCP's: the protocol handler for IP
 * protocol 253. It checks the checksum and the header, fills in the
 * segment's control block, finds the socket (table.c) and hands the
 * segment to it, directly or, while a process owns the socket, through
 * the backlog. What the socket then does with it is input.c's; ICMP errors
 * about our segments are icmp.c's.
 */
#include <linux/filter.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/xfrm.h>

#include "input.h"
#include "netns.h"
#include "offload.h"
#include "output.h"
#include "reply.h"
#include "sock.h"
#include "table.h"
#include "timewait.h"
#include "trace.h"

static const u8 toy_verdict_mib[] = {
	[TOY_HDR_SHORT]		= TOY_MIB_HDR_SHORT,
	[TOY_HDR_BADLEN]	= TOY_MIB_HDR_BADLEN,
	[TOY_HDR_BADFLAGS]	= TOY_MIB_HDR_BADFLAGS,
	[TOY_HDR_BADOPT]	= TOY_MIB_HDR_BADOPT,
	[TOY_HDR_UNKNOWNOPT]	= TOY_MIB_HDR_UNKNOWNOPT,
};

/*
 * How much the backlog may hold while a process owns the socket, as
 * tcp_add_backlog(): sk_backlog.len is reset only at the end of
 * __release_sock(), so while the owner works through the backlog every
 * segment it has already moved to the receive queue is counted twice, in
 * sk_rmem_alloc and in sk_backlog.len. With a limit of one receive buffer
 * plus the send buffer, a bulk flow the window allows overflowed it: on
 * a lossless veth the receiver dropped in-window segments (RcvWndDrops,
 * 329 in 8 s of 64 KiB messages) and the sender had to repair them. Both
 * counts may reach the receive buffer in normal conditions; the window
 * still bounds what the peer may send.
 */
static u32 toy_backlog_limit(const struct sock *sk)
{
	return 2 * (u32)toy_rcvbuf(sk) + READ_ONCE(sk->sk_sndbuf) / 2 +
	       64 * 1024;
}

/*
 * @skb to @sk, whose reference this takes: handled at once, or through the
 * backlog while a process owns @sk. @subclass is the lockdep subclass of
 * @sk's spinlock: SINGLE_DEPTH_NESTING from softirq input, as TCP's
 * bh_lock_sock_nested(); 0 for a socket taken with a listener's held, as
 * a child is (listener.c).
 */
static void toy_v4_deliver(struct sock *sk, struct sk_buff *skb,
			   int subclass)
{
	spin_lock_nested(&sk->sk_lock.slock, subclass);
	if (!sock_owned_by_user(sk)) {
		toy_do_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, toy_backlog_limit(sk))) {
		bh_unlock_sock(sk);
		toy_drop(sock_net(sk), skb, TOY_MIB_BACKLOG_DROPS);
		sock_put(sk);
		kfree_skb(skb);
		return;
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

/**
 * toy_v4_rcv_conn - a segment at a listener that a connection now owns
 * @sk: the connection (or TIME_WAIT) of the segment's 4-tuple, held; the
 *	reference passes to this call
 * @skb: the segment, checked and passed by the listener's policy and
 *	filter (toy_v4_rcv())
 *
 * toy_v4_rcv() looked @skb up before @sk was in the connection table, and
 * found the listener; the segment waited for it (in its backlog while a
 * process owned it, or on its lock while another CPU handled the segment
 * that made @sk). @sk takes it now as if found first, as tcp_v4_rcv()
 * goes back to its lookup when another CPU turned the request into a
 * socket meanwhile. Called by the listener, which holds its own lock.
 */
void toy_v4_rcv_conn(struct sock *sk, struct sk_buff *skb)
{
	struct sock *lsk;

	if (sk->sk_state == TOY_TIME_WAIT) {
		lsk = toy_tw_rcv(sk, skb);
		/* only a SYN without ACK comes back, and listeners pass ACKs */
		if (lsk) {
			sock_put(lsk);
			kfree_skb(skb);
		}
		return;
	}
	local_bh_disable();
	toy_v4_deliver(sk, skb, 0);
	local_bh_enable();
}

/* The IPv4 protocol handler for IPPROTO_TOY. */
int toy_v4_rcv(struct sk_buff *skb)
{
	if (skb->pkt_type != PACKET_HOST) {
		kfree_skb(skb);
		return 0;
	}
	/* a super-segment that came whole (offload.c) */
	if (skb_is_gso(skb))
		return toy_gso_rcv(skb);
	TOY_INC_STATS(dev_net(skb->dev), IN_SEGS);
	return toy_seg_rcv(skb, 0);
}

/*
 * One toy_segment_recv event per segment, a super-segment's told as the
 * segments it carries (as toy_xmit_trace() tells them on the way out).
 */
static void toy_rcv_trace(struct net *net, const struct sk_buff *skb,
			  const struct toy_hdr *th, const struct toy_opts *opts,
			  unsigned int plen, unsigned int mss)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct toy_hdr seg = *th;
	unsigned int off;

	if (!trace_toy_segment_recv_enabled())
		return;
	if (!mss) {
		trace_toy_segment_recv(net, iph->saddr, iph->daddr, th, opts,
				       plen);
		return;
	}
	for (off = 0; off < plen; off += mss) {
		bool last = off + mss >= plen;

		seg.seq = htonl(ntohl(th->seq) + off);
		seg.flags = toy_gso_seg_flags(th->flags, last);
		trace_toy_segment_recv(net, iph->saddr, iph->daddr, &seg, opts,
				       last ? plen - off : mss);
	}
}

/**
 * toy_seg_rcv - take a segment, or the segments of a super-segment
 * @skb: data at our header, IN_SEGS counted
 * @mss: 0 for one segment; for a super-segment that arrived whole
 *	(offload.c), the size of its segments but the last
 *
 * A super-segment is taken whole, as one segment of its whole length,
 * as TCP takes what GRO put together: its segments are in order, of one
 * message, and only its header's flags tell where that message ends.
 *
 * Return: 0, the skb is consumed.
 */
int toy_seg_rcv(struct sk_buff *skb, unsigned int mss)
{
	struct net *net = dev_net(skb->dev);
	enum toy_hdr_verdict v;
	const struct iphdr *iph;
	struct toy_skb_cb *cb;
	struct toy_opts opts;
	struct toy_hdr *th;
	struct sock *sk;
	unsigned int hlen, plen;

	if (!pskb_may_pull(skb, TOY_HDR_LEN)) {
		toy_drop(net, skb, TOY_MIB_HDR_SHORT);
		goto drop;
	}
	if (skb_checksum_init(skb, IPPROTO_TOY, inet_compute_pseudo) ||
	    skb_checksum_complete(skb)) {
		toy_drop(net, skb, TOY_MIB_CSUM_ERRORS);
		goto drop;
	}
	hlen = toy_hdr(skb)->doff * 4;
	if (hlen > TOY_HDR_LEN && hlen <= skb->len && !pskb_may_pull(skb, hlen))
		goto drop;
	th = toy_hdr(skb);
	v = toy_hdr_parse(th, skb->len, &opts);
	if (v != TOY_HDR_OK) {
		toy_drop(net, skb, toy_verdict_mib[v]);
		goto drop;
	}
	plen = skb->len - hlen;
	/* only data of one message is ever aggregated (output.c) */
	if (mss && (!plen || (th->flags & (TOY_F_SYN | TOY_F_FIN | TOY_F_RST)))) {
		toy_drop(net, skb, TOY_MIB_BAD_SEGS);
		goto drop;
	}
	toy_rcv_trace(net, skb, th, &opts, plen, mss);

	cb = TOY_SKB_CB(skb);
	cb->seq = ntohl(th->seq);
	cb->end_seq = cb->seq + skb->len - hlen +
		      !!(th->flags & (TOY_F_SYN | TOY_F_FIN));
	cb->ack_seq = ntohl(th->ack_seq);
	cb->wnd = ntohl(th->window);
	cb->flags = th->flags;
	cb->tw_isn = 0;
	cb->segs = mss ? DIV_ROUND_UP(plen, mss) : 1;

	iph = ip_hdr(skb);
	sk = toy_lookup(net, iph->saddr, th->source, iph->daddr, th->dest);
	if (sk && sk->sk_state == TOY_TIME_WAIT) {
		/* timewait.c answers, or hands a new SYN to a listener */
		if (!xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb)) {
			toy_drop(net, skb, TOY_MIB_POLICY_DROPS);
			toy_sk_put(sk);
			goto drop;
		}
		sk = toy_tw_rcv(sk, skb);
		if (!sk)
			return 0;
	}
	if (!sk) {
		/* no reset for what IPsec policy would not let in */
		if (!xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb)) {
			toy_drop(net, skb, TOY_MIB_POLICY_DROPS);
			goto drop;
		}
		toy_drop(net, skb, TOY_MIB_NO_PORT);
		toy_reply_reset(net, skb);
		goto drop;
	}
	/*
	 * As tcp_v4_rcv(): the IPsec inbound policy (the protocol is
	 * registered with no_policy, so IP leaves the check to us), then the
	 * socket's filter (SO_ATTACH_FILTER), which may drop a segment but
	 * never cut one: a message arrives whole or not at all.
	 */
	if (!xfrm4_policy_check(sk, XFRM_POLICY_IN, skb)) {
		toy_drop(net, skb, TOY_MIB_POLICY_DROPS);
		goto drop_put;
	}
	if (sk_filter_trim_cap(sk, skb, skb->len)) {
		toy_drop(net, skb, TOY_MIB_FILTER_DROPS);
		goto drop_put;
	}
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	toy_v4_deliver(sk, skb, SINGLE_DEPTH_NESTING);
	return 0;

drop_put:
	sock_put(sk);
drop:
	kfree_skb(skb);
	return 0;
}
