// SPDX-License-Identifier: GPL-2.0
/*
 * Segments sent without a socket, as tcp_v4_send_reset() and
 * tcp_v4_send_ack() send them: a reset for a segment nobody takes, the
 * ACK a timewait socket or an out-of-window check owes, and the SYN-ACK
 * of a SYN cookie. Each is routed back to the sender of the segment it
 * answers.
 */
#include <linux/ip.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>

#include "netns.h"
#include "output.h"
#include "reply.h"
#include "sock.h"
#include "timer.h"
#include "trace.h"

/*
 * Answer @in_skb with a segment of our own, without a socket: a reset, or
 * the SYN-ACK of a SYN cookie, whose MSS is the route's. Returns 0 if it
 * left.
 */
static int toy_reply(struct net *net, const struct sk_buff *in_skb, u32 seq,
		     u32 ack, u8 flags, u32 window, struct toy_opts *opts)
{
	const struct toy_hdr *ith = (struct toy_hdr *)skb_transport_header(in_skb);
	const struct iphdr *iiph = ip_hdr(in_skb);
	bool syn = flags & TOY_F_SYN;
	unsigned int len;
	struct flowi4 fl4;
	struct rtable *rt;
	struct sk_buff *skb;
	struct toy_hdr *th;
	struct iphdr *iph;

	flowi4_init_output(&fl4, 0, 0, RT_TOS(iiph->tos), RT_SCOPE_UNIVERSE,
			   IPPROTO_TOY, 0, iiph->saddr, iiph->daddr,
			   ith->source, ith->dest, sock_net_uid(net, NULL));
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (syn)
		opts->mss = toy_route_mss(&rt->dst);
	len = TOY_HDR_LEN + toy_opts_len(opts, syn);

	skb = alloc_skb(TOY_MAX_HEADER + len, GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOBUFS;
	}
	skb_reserve(skb, TOY_MAX_HEADER);
	th = skb_put_zero(skb, len);
	skb_reset_transport_header(skb);
	th->source = ith->dest;
	th->dest = ith->source;
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = len / 4;
	th->flags = flags;
	th->window = htonl(window);
	toy_opts_write((u8 *)(th + 1), opts, syn);
	th->check = toy_csum(fl4.saddr, fl4.daddr, th, len);

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_TOY;
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	skb->protocol = htons(ETH_P_IP);
	skb->ip_summed = CHECKSUM_NONE;
	skb_dst_set(skb, &rt->dst);
	ip_select_ident(net, skb, NULL);

	TOY_INC_STATS(net, OUT_SEGS);
	trace_toy_segment_send(net, fl4.saddr, fl4.daddr, th, opts, 0);
	ip_local_out(net, NULL, skb);
	return 0;
}

/*
 * RFC 793 reset for a segment no socket wants. If it carried an ACK the
 * reset takes that as its sequence number; otherwise it acknowledges the
 * segment, so the sender can tell it is meant for it.
 */
void toy_reply_reset(struct net *net, struct sk_buff *in_skb)
{
	const struct toy_skb_cb *icb = TOY_SKB_CB(in_skb);
	struct toy_opts opts = {};
	int err;

	if (icb->flags & TOY_F_RST)
		return;
	if (icb->flags & TOY_F_ACK)
		err = toy_reply(net, in_skb, icb->ack_seq, 0, TOY_F_RST, 0,
				&opts);
	else
		err = toy_reply(net, in_skb, 0, icb->end_seq,
				TOY_F_RST | TOY_F_ACK, 0, &opts);
	if (!err)
		TOY_INC_STATS(net, OUT_RSTS);
}

/*
 * An ACK with @seq, @ack and @window in answer to @in_skb, from no socket: a
 * timewait socket's (timewait.c); @tsecr echoes the peer's last timestamp.
 */
void toy_reply_ack(struct net *net, struct sk_buff *in_skb, u32 seq, u32 ack,
		   u32 window, u32 tsecr)
{
	struct toy_opts opts = {
		.ts = true,
		.tsval = toy_now_us() ?: 1,
		.tsecr = tsecr,
	};

	toy_reply(net, in_skb, seq, ack, TOY_F_ACK, window, &opts);
}

/*
 * The SYN-ACK a listener sends instead of creating a child: @cookie is its
 * sequence number, @tsecr the SYN's timestamp, and its window the one the
 * child will have, which the peer takes as our receive capacity.
 */
int toy_send_cookie_synack(struct sock *listener, struct sk_buff *syn,
			   u32 cookie, u32 tsecr)
{
	struct toy_opts opts = {
		.ts = true,
		.tsval = toy_now_us() ?: 1,
		.tsecr = tsecr,
	};

	return toy_reply(sock_net(listener), syn, cookie,
			 TOY_SKB_CB(syn)->seq + 1, TOY_F_SYN | TOY_F_ACK,
			 toy_rcv_capacity(listener), &opts);
}
