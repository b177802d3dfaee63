// SPDX-License-Identifier: GPL-2.0
/*
 * The send side: segments queued by sendmsg() and by the state machine
 * (SYN and FIN take a sequence number and are retransmitted like data),
 * the window-limited push, ACKs and resets. Segments sent without a
 * socket (resets and ACKs from the demux, cookie SYN-ACKs) are reply.c's.
 *
 * The write queue keeps each segment's payload, without headers, in page
 * fragments (msg.c). Every transmission builds a fresh header and refers
 * to those pages: one copy per byte, from the user, as TCP's clone of a
 * queued skb. A retransmission is the same code path as a first
 * transmission, and since the pages are never written again while
 * queued, a driver or a receiver in the same host may hold them as long
 * as it likes.
 */
#include <linux/ip.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>

#include "input.h"
#include "mem.h"
#include "netns.h"
#include "offload.h"
#include "output.h"
#include "sack.h"
#include "sock.h"
#include "timer.h"
#include "trace.h"
#include "window.h"

/*
 * The window to advertise now; it becomes the promise we must keep. It
 * is the smaller of two views of the room left: payload against the
 * capacity (half the buffer), and receive memory (sk_rmem_alloc, which
 * counts every skb's truesize, as TCP does) turned into payload at the
 * ratio recent segments had. A flood of tiny messages thus closes the
 * window after about SO_RCVBUF of memory, not of payload. The memory view
 * may shrink the window below what was promised (RFC 9293 3.8.6.2.1 lets
 * a receiver do so); what arrives beyond it is dropped and sent again.
 */
u32 toy_select_window(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	u32 used = ts->rcv.queued + ts->rcv.reasm.len;
	int space = toy_rcvbuf(sk) - atomic_read(&sk->sk_rmem_alloc);
	u32 cap = toy_rcv_capacity(sk), w;

	if ((space <= 0 ||
	     toy_win_from_space(space, ts->rcv.ratio) < ts->rcv.adv_mss) &&
	    toy_rmem_reclaim(sk))
		space = toy_rcvbuf(sk) - atomic_read(&sk->sk_rmem_alloc);
	w = toy_wnd_select(cap, used, ts->rcv.nxt, ts->rcv.wup, ts->rcv.wnd);
	w = min(w, space <= 0 ? 0 : toy_win_from_space(space, ts->rcv.ratio));
	ts->rcv.wnd = w;
	ts->rcv.wup = ts->rcv.nxt;
	return w;
}

/*
 * Room for the link and IP headers in front of a segment: what the
 * socket's route needs (its device's hard header and needed_headroom, IP
 * with the largest options), as ip_append_data() sizes it, or
 * TOY_MAX_HEADER before there is a route. TOY_MAX_HEADER alone (304
 * bytes with Debian's MAX_HEADER) put a full 1448-byte segment at 2104
 * bytes with skb_shared_info, in kmalloc-4k: truesize 4.3 KiB for 1448
 * bytes, and the receiver's memory-based window a third of what it
 * buffers. Sized by the route it stays in kmalloc-2k; a device that needs
 * more than it said gets its room from ip_finish_output2().
 */
static unsigned int toy_xmit_headroom(struct sock *sk)
{
	const struct dst_entry *dst = __sk_dst_get(sk);

	if (!dst || !dst->dev)
		return TOY_MAX_HEADER;
	return LL_RESERVED_SPACE(dst->dev) + dst->header_len +
	       sizeof(struct iphdr) + MAX_IPOPTLEN;
}

/*
 * Whether @skb's payload starts where @prev's ends, in the same page: the
 * two then make one fragment of a transmission.
 */
static bool toy_frags_follow(const struct sk_buff *prev,
			     const struct sk_buff *skb)
{
	const struct skb_shared_info *p = skb_shinfo(prev);
	const struct skb_shared_info *n = skb_shinfo(skb);
	const skb_frag_t *last, *first;

	if (!p->nr_frags || !n->nr_frags)
		return false;
	last = &p->frags[p->nr_frags - 1];
	first = &n->frags[0];
	return skb_frag_page(last) == skb_frag_page(first) &&
	       skb_frag_off(last) + skb_frag_size(last) == skb_frag_off(first);
}

/*
 * Attach the payload of @n queued segments from @data on to @skb, by
 * reference to their pages; adjacent pieces of a page become one
 * fragment. Returns the payload length, or -EMSGSIZE if the fragments do
 * not fit (toy_gso_count() keeps a run within MAX_SKB_FRAGS; one segment
 * always fits, msg.c).
 */
static int toy_xmit_frags(struct sock *sk, struct sk_buff *skb,
			  const struct sk_buff *data, unsigned int n)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int plen = 0;

	for (;;) {
		const struct skb_shared_info *dsh = skb_shinfo(data);
		int i;

		for (i = 0; i < dsh->nr_frags; i++) {
			const skb_frag_t *f = &dsh->frags[i];
			struct page *page = skb_frag_page(f);

			if (skb_can_coalesce(skb, sh->nr_frags, page,
					     skb_frag_off(f))) {
				skb_frag_size_add(&sh->frags[sh->nr_frags - 1],
						  skb_frag_size(f));
			} else {
				if (sh->nr_frags == MAX_SKB_FRAGS)
					return -EMSGSIZE;
				get_page(page);
				skb_fill_page_desc(skb, sh->nr_frags, page,
						   skb_frag_off(f),
						   skb_frag_size(f));
			}
			skb->len += skb_frag_size(f);
			skb->data_len += skb_frag_size(f);
			skb->truesize += skb_frag_size(f);
		}
		plen += data->len;
		if (!--n)
			return plen;
		data = skb_queue_next(&sk->sk_write_queue, data);
	}
}

/*
 * Whether the route's device writes our checksum. Only NETIF_F_HW_CSUM
 * checksums any protocol (NETIF_F_IP_CSUM is TCP's and UDP's); without
 * it the stack reads every payload byte again (skb_checksum_help()).
 * sk_route_caps cannot tell: sk_setup_caps() claims HW_CSUM for any route
 * that can GSO, as software GSO checksums. Caller owns @sk.
 */
bool toy_route_csum(struct sock *sk)
{
	const struct dst_entry *dst = __sk_dst_get(sk);

	return !dst || (dst->dev->features & NETIF_F_HW_CSUM);
}

/*
 * One trace event per segment on the wire: a super-segment's segments
 * are told as the device will send them (offload.c cuts them so).
 */
static void toy_xmit_trace(struct sock *sk, const struct toy_hdr *th,
			   const struct toy_opts *opts, unsigned int plen,
			   unsigned int mss, unsigned int n)
{
	struct inet_sock *inet = inet_sk(sk);
	struct toy_hdr seg = *th;
	unsigned int i;

	if (!trace_toy_segment_send_enabled())
		return;
	for (i = 0; i < n; i++) {
		seg.seq = htonl(ntohl(th->seq) + i * mss);
		seg.flags = toy_gso_seg_flags(th->flags, i + 1 == n);
		trace_toy_segment_send(sock_net(sk), inet->inet_saddr,
				       inet->inet_daddr, &seg, opts,
				       i + 1 < n ? mss : plen - i * mss);
	}
}

/*
 * Build and send one segment carrying @data's bytes (or none), with
 * sequence number @seq and @flags; or, with @n above 1, one super-segment
 * of the @n queued segments from @data on (offload.h): our header with
 * the first one's sequence number and the last one's @flags (EOM), their
 * payloads.
 */
static int __toy_xmit(struct sock *sk, const struct sk_buff *data,
		      unsigned int n, u32 seq, u8 flags, gfp_t gfp)
{
	struct toy_sock *ts = toy_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	unsigned int mss = data ? data->len : 0, olen, room;
	struct toy_opts opts = {};
	bool syn = flags & TOY_F_SYN;
	struct sk_buff *skb;
	struct toy_hdr *th;
	int err, plen = 0;
	u32 wnd;

	if (!data)
		n = 1;
	/* first: choosing the window may give up out-of-order data */
	wnd = toy_select_window(sk);
	if (syn) {
		opts.mss = ts->rcv.adv_mss;
		/* the capacity this SYN announces is a promise (toy_rcvbuf()) */
		ts->rcv.cap_told = max(ts->rcv.cap_told, toy_rcv_capacity(sk));
	} else if ((flags & TOY_F_ACK) &&
		   (!skb_queue_empty(&ts->rcv.ooo_queue) ||
		    ts->rcv.dsack_pending)) {
		toy_sack_fill(sk, &opts);
	}
	if (!(flags & TOY_F_RST)) {
		opts.ts = true;
		/* a queued segment carries the time its batch was sent */
		opts.tsval = (data ? TOY_SKB_CB(data)->sent_us :
				     toy_clock_us(sk)) ?: 1;
		opts.tsecr = ts->rcv.ts_recent;
	}
	/*
	 * With timestamps only three SACK blocks fit; toy_opts_write() leaves
	 * the fourth out, and so must the toy_segment_send event below.
	 */
	if (opts.ts && opts.nr_sack > TOY_SACK_MAX_WITH_TS)
		opts.nr_sack = TOY_SACK_MAX_WITH_TS;
	olen = toy_opts_len(&opts, syn);
	/* a data segment keeps to the MSS: SACK rides only if it fits */
	if (mss && mss + olen > ts->snd.mss + TOY_TS_SPACE) {
		opts.nr_sack = 0;
		olen = toy_opts_len(&opts, syn);
	}

	room = toy_xmit_headroom(sk);
	skb = alloc_skb(room + TOY_HDR_LEN + olen, gfp);
	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, room + TOY_HDR_LEN + olen);
	if (data) {
		plen = toy_xmit_frags(sk, skb, data, n);
		if (plen < 0) {
			kfree_skb(skb);
			return plen;
		}
	}
	if (n > 1) {
		skb_shinfo(skb)->gso_size = mss;
		skb_shinfo(skb)->gso_segs = n;
		skb_shinfo(skb)->gso_type = TOY_GSO_TYPE;
	}

	th = skb_push(skb, TOY_HDR_LEN + olen);
	skb_reset_transport_header(skb);
	th->source = inet->inet_sport;
	th->dest = inet->inet_dport;
	th->seq = htonl(seq);
	th->ack_seq = htonl(flags & TOY_F_ACK ? ts->rcv.nxt : 0);
	th->doff = (TOY_HDR_LEN + olen) / 4;
	th->flags = flags;
	th->window = htonl(wnd);
	toy_opts_write((u8 *)(th + 1), &opts, syn);
	/*
	 * The Internet checksum, as TCP's: seed it with the pseudo-header
	 * and let the device finish it (or the stack, for a device that
	 * cannot), as __tcp_v4_send_check() does. netem computes it before
	 * it corrupts a packet, so corruption is still caught. For a device
	 * that cannot, a lone segment whose payload was summed as it was
	 * copied (msg.c) is finished here, from its header alone.
	 */
	if (n == 1 && data && data->ip_summed == CHECKSUM_COMPLETE &&
	    !toy_route_csum(sk)) {
		toy_csum_finish(th, inet->inet_saddr, inet->inet_daddr,
				TOY_HDR_LEN + olen, skb->len, data->csum);
		skb->ip_summed = CHECKSUM_NONE;
		TOY_INC_STATS(sock_net(sk), CSUM_COPIED);
	} else {
		th->check = ~csum_tcpudp_magic(inet->inet_saddr,
					       inet->inet_daddr, skb->len,
					       IPPROTO_TOY, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct toy_hdr, check);
	}
	skb->protocol = htons(ETH_P_IP);
	skb->priority = sk->sk_priority;
	skb->mark = sk->sk_mark;
	skb_set_owner_w(skb, sk);

	/* the delayed-ACK timer, left running, will find nothing to do */
	if (flags & TOY_F_ACK)
		ts->rcv.ack_pending = 0;
	TOY_ADD_STATS(sock_net(sk), OUT_SEGS, n);
	if (n > 1) {
		TOY_INC_STATS(sock_net(sk), GSO_PACKETS);
		TOY_ADD_STATS(sock_net(sk), GSO_SEGS, n);
	}
	toy_xmit_trace(sk, th, &opts, plen, mss, n);
	err = ip_queue_xmit(sk, skb, &inet->cork.fl);
	return net_xmit_eval(err);
}

static int toy_xmit(struct sock *sk, const struct sk_buff *data, u32 seq,
		    u8 flags, gfp_t gfp)
{
	return __toy_xmit(sk, data, 1, seq, flags, gfp);
}

/* Append @skb (payload only, cb->flags set) to the write queue. */
void toy_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);

	cb->seq = ts->snd.write_seq;
	cb->end_seq = cb->seq + skb->len +
		      !!(cb->flags & (TOY_F_SYN | TOY_F_FIN));
	cb->retrans = 0;
	cb->sacked = 0;
	ts->snd.write_seq = cb->end_seq;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	toy_wmem_charge(sk, skb);
	if (!ts->snd.head)
		ts->snd.head = skb;
}

/**
 * toy_split_skb - cut a segment on the write queue in two
 * @sk: the socket, owned by the caller
 * @skb: a segment of @sk's write queue with more than @len bytes
 * @len: the bytes it keeps
 * @gfp: for the new segment
 *
 * The rest becomes a new segment right behind @skb with the sequence
 * numbers that follow, the same send history (sent time, resends, SACK)
 * and the end-of-message mark, if @skb had it: a message's boundary stays
 * where it was (as tcp_fragment(), used when the path MTU shrinks). The
 * payload's page fragments are divided, not copied (skb_split()), and
 * their truesize goes with them.
 *
 * Return: 0, or -ENOBUFS with nothing changed.
 */
int toy_split_skb(struct sock *sk, struct sk_buff *skb, u32 len, gfp_t gfp)
{
	struct toy_skb_cb *cb = TOY_SKB_CB(skb), *ncb;
	u32 rest = skb->len - len;
	struct sk_buff *nskb;

	nskb = alloc_skb(0, gfp);
	if (!nskb)
		return -ENOBUFS;
	/* the new skb's own overhead; the moved bytes were charged already */
	toy_wmem_charge(sk, nskb);
	skb_split(skb, nskb, len);
	/* the payload's sum (msg.c) no longer fits either half: the stack sums */
	skb->ip_summed = CHECKSUM_NONE;
	nskb->truesize += rest;
	skb->truesize -= rest;
	ncb = TOY_SKB_CB(nskb);
	*ncb = *cb;
	toy_rec_split(toy_sk(sk), skb, nskb);
	ncb->seq = cb->seq + len;
	cb->end_seq = ncb->seq;
	cb->flags &= ~TOY_F_EOM;
	__skb_queue_after(&sk->sk_write_queue, skb, nskb);
	return 0;
}

/* Queue a SYN, SYN-ACK or FIN: control that takes a sequence number. */
int toy_queue_ctl(struct sock *sk, u8 flags, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(0, gfp);

	if (!skb)
		return -ENOBUFS;
	TOY_SKB_CB(skb)->flags = flags;
	toy_queue_skb(sk, skb);
	if (flags & TOY_F_FIN)
		toy_sk(sk)->snd.fin_queued = true;
	return 0;
}

/*
 * Send a queued segment, stamped @now_us: one clock read per toy_push()
 * batch, as TCP reads tp->tcp_mstamp once per tcp_write_xmit(); the stamp
 * is also the segment's TSval, so a segment costs no clock read of its own.
 */
static int toy_send_skb(struct sock *sk, struct sk_buff *skb, u32 now_us)
{
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	u32 prior = cb->sent_us;
	int err;

	cb->sent_us = now_us;
	err = toy_xmit(sk, skb, cb->seq, cb->flags, GFP_ATOMIC);
	/*
	 * Not sent: it keeps the time it last left, so that the segments
	 * sent once stay in send order and resends in the order of
	 * toy_recovery.rtx, which RACK's lost-scan relies on.
	 */
	if (err)
		cb->sent_us = prior;
	return err;
}

/*
 * How many segments from @skb, never sent, leave as one super-segment:
 * consecutive data segments of one message (a segment with EOM ends the
 * run), all MSS-sized but the last, within @room bytes of the windows and
 * the route's GSO limits. 1 when net.toy.gso is off or the route cannot
 * take it (sk_can_gso(): an IPsec route, say).
 */
static unsigned int toy_gso_count(struct sock *sk, const struct sk_buff *skb,
				  u32 room)
{
	unsigned int n = 1, size = skb->len, total = skb->len, max, frags;

	if (!READ_ONCE(toy_pernet(sock_net(sk))->gso) || !sk_can_gso(sk))
		return 1;
	max = min_t(unsigned int, sk->sk_gso_max_size, U16_MAX);
	max = max > TOY_GSO_HDR_ROOM ? max - TOY_GSO_HDR_ROOM : 0;
	frags = skb_shinfo(skb)->nr_frags;
	while (n < sk->sk_gso_max_segs) {
		const struct sk_buff *prev = skb;

		if (TOY_SKB_CB(skb)->flags != TOY_F_ACK || skb->len != size ||
		    skb_queue_is_last(&sk->sk_write_queue, skb))
			break;
		skb = skb_queue_next(&sk->sk_write_queue, skb);
		/* the pages of the run must fit one skb's fragments */
		frags += skb_shinfo(skb)->nr_frags - toy_frags_follow(prev, skb);
		if ((TOY_SKB_CB(skb)->flags & ~TOY_F_EOM) != TOY_F_ACK ||
		    !skb->len || skb->len > size ||
		    total + skb->len > min(room, max) ||
		    frags > MAX_SKB_FRAGS)
			break;
		total += skb->len;
		n++;
	}
	return n;
}

/*
 * First transmission of @skb and, as one super-segment, of the @n - 1
 * segments behind it (toy_gso_count()). Each is stamped @now, the time of
 * toy_push()'s batch, as if sent alone in it.
 */
static int toy_send_run(struct sock *sk, struct sk_buff *skb, unsigned int n,
			u32 now)
{
	struct sk_buff *last = skb;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (i)
			last = skb_queue_next(&sk->sk_write_queue, last);
		TOY_SKB_CB(last)->sent_us = now;
	}
	/* only the last segment of the run may end the message */
	return __toy_xmit(sk, skb, n, TOY_SKB_CB(skb)->seq,
			  TOY_SKB_CB(last)->flags, GFP_ATOMIC);
}

/* @skb went out again; undo needs to know how many resends to expect back. */
static void toy_count_retrans(struct sock *sk, struct sk_buff *skb,
			      enum toy_rtx_reason why)
{
	struct toy_sock *ts = toy_sk(sk);

	TOY_SKB_CB(skb)->retrans++;
	/* RACK's lost-scan takes resends in the order they left */
	toy_rtx_append(&ts->rec.rtx, skb);
	trace_toy_retransmit(sk, skb, why);
	ts->stats.retrans++;
	if (ts->rec.undo_valid)
		ts->rec.undo_retrans++;
	TOY_INC_STATS(sock_net(sk), RETRANS_SEGS);
}

/* Resend one queued segment now, whatever the windows say. */
void toy_retransmit_skb(struct sock *sk, struct sk_buff *skb,
			enum toy_rtx_reason why)
{
	struct toy_sock *ts = toy_sk(sk);

	if (!skb || !toy_skb_sent(ts, skb))
		return;
	if (toy_send_skb(sk, skb, toy_clock_us(sk)))
		return;
	toy_count_retrans(sk, skb, why);
	toy_rto_arm(sk);
}

/*
 * Send what the windows allow, oldest first: new data, or after a timeout
 * everything from snd_una again (go-back-N), skipping what the peer SACKed.
 */
/*
 * RFC 6675 "pipe": bytes sent and still in the network. While repairing,
 * SACKed segments have left it, so new data may go out and show, when it
 * arrives, which retransmissions were lost again.
 */
static u32 toy_pipe(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	u32 sacked = toy_pipe_sacked(sk);	/* kept as snd.nxt moves */

	if (ts->cc.state == TOY_CA_OPEN)
		return toy_in_flight(ts);
	return toy_in_flight(ts) - sacked;
}

/* @skb went out (or was skipped as SACKed): the send pointers move past it. */
static void toy_sent_past(struct sock *sk, struct sk_buff *skb)
{
	struct toy_sock *ts = toy_sk(sk);

	ts->snd.nxt = TOY_SKB_CB(skb)->end_seq;
	ts->snd.max = toy_seq_max(ts->snd.max, ts->snd.nxt);
	ts->snd.head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
			NULL : skb_queue_next(&sk->sk_write_queue, skb);
	toy_rto_arm(sk);
}

/* Send @skb, never sent before, beyond cwnd: a tail loss probe. */
int toy_send_new(struct sock *sk, struct sk_buff *skb)
{
	int err = toy_send_skb(sk, skb, toy_clock_us(sk));

	if (err)
		return err;
	toy_sk(sk)->stats.bytes_sent += skb->len;
	toy_sent_past(sk, skb);
	return 0;
}

void toy_push(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *skb;
	u32 pipe = toy_pipe(sk), now = 0;
	bool sent = false, stamped = false, cwnd_full = false;

	toy_xmit_hold(sk);
	while ((skb = ts->snd.head)) {
		struct toy_skb_cb *cb = TOY_SKB_CB(skb);
		bool resend = toy_seq_before(cb->seq, ts->snd.max);
		u32 len = cb->end_seq - cb->seq;

		if (!(resend && cb->sacked)) {
			/* flow control counts sequence space, cwnd the pipe */
			u32 wnd_room = toy_wnd_send_room(ts->snd.una,
							 ts->snd.nxt,
							 ts->snd.wnd, U32_MAX);
			u32 room = min(wnd_room,
				       toy_wnd_send_room(0, pipe, U32_MAX,
							 ts->cc.cwnd));
			unsigned int n;

			if (len > room) {
				/* cwnd, not the peer, held this one back */
				cwnd_full = len <= wnd_room;
				break;
			}
			if (!stamped) {
				now = toy_clock_us(sk);
				stamped = true;
			}
			/* resends go one by one; new data may go as a run */
			n = resend ? 1 : toy_gso_count(sk, skb, room);
			if (n > 1 ? toy_send_run(sk, skb, n, now) :
				    toy_send_skb(sk, skb, now))
				break;
			pipe += len;
			sent = true;
			/* go-back-N: after a timeout, or a smaller MTU */
			if (resend)
				toy_count_retrans(sk, skb,
						  ts->cc.state == TOY_CA_LOSS ?
						  TOY_RTX_RTO : TOY_RTX_PMTU);
			else
				ts->stats.bytes_sent += skb->len;
			/* the run's segments but its last, which ends the loop */
			while (--n) {
				toy_sent_past(sk, skb);
				skb = ts->snd.head;
				pipe += skb->len;
				ts->stats.bytes_sent += skb->len;
			}
		}
		toy_sent_past(sk, skb);
	}
	if (sent)
		toy_tlp_arm(sk);
	toy_xmit_release(sk);
	if (sent || cwnd_full)
		toy_cc_sent(&ts->cc, pipe, cwnd_full, ts->snd.una, ts->snd.nxt);

	/* stalled by a closed window with nothing in flight to bring an ACK */
	if (ts->snd.head && ts->snd.nxt == ts->snd.una)
		toy_persist_arm(sk);
}

void toy_send_ack(struct sock *sk)
{
	/* a closed socket may have no port left: a timewait socket answers */
	if (sk->sk_state == TOY_CLOSE)
		return;
	toy_xmit(sk, NULL, toy_sk(sk)->snd.nxt, TOY_F_ACK, GFP_ATOMIC);
}

/*
 * RFC 1122 4.2.3.2: ACK at least every second segment, and no later than
 * the delayed-ACK timeout; a reply sent meanwhile carries the ACK for free.
 * At the start and after idle (quick-ACK, as TCP's) every segment is ACKed
 * at once, so that the sender's slow start is not held back.
 */
void toy_ack_later(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	if (ts->rcv.quick) {
		ts->rcv.quick--;
		toy_send_ack(sk);
	} else if (++ts->rcv.ack_pending >= 2 || ts->snd.nodelay ||
		   !toy_pernet(sock_net(sk))->delack_ms) {
		toy_send_ack(sk);
	} else {
		toy_delack_arm(sk);
	}
}

/**
 * toy_rcv_space_adjust - grow the receive buffer with the reader's pace
 * @sk: the socket, owned by the caller
 * @copied: payload bytes the reader just took
 *
 * Receive-buffer autotuning in the spirit of tcp_rcv_space_adjust(): once
 * per receiver round trip, if the reader took more than ever before in
 * one, the buffer grows to let the window cover twice that (window.h,
 * toy_rcvbuf_for_rate()), up to net.toy.rmem_max. A buffer the application
 * set (SO_RCVBUF) is left alone; it never shrinks.
 */
void toy_rcv_space_adjust(struct sock *sk, u32 copied)
{
	struct toy_sock *ts = toy_sk(sk);
	/*
	 * The instant the last segment or timer saw, as TCP reads its
	 * tcp_mstamp here: the reader need not read the clock; once per round
	 * trip, a little late is no harm.
	 */
	u32 now = ts->timers.clock_us, rcvbuf;

	ts->rcv.space_copied += copied;
	if (!ts->rcv.rtt_us ||
	    (s32)(now - ts->rcv.space_stamp) < (s32)ts->rcv.rtt_us)
		return;
	if (ts->rcv.space_copied > ts->rcv.space) {
		ts->rcv.space = ts->rcv.space_copied;
		rcvbuf = toy_rcvbuf_for_rate(ts->rcv.space, ts->rcv.adv_mss,
					     READ_ONCE(toy_pernet(sock_net(sk))->rmem_max));
		if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
		    rcvbuf > READ_ONCE(sk->sk_rcvbuf)) {
			WRITE_ONCE(sk->sk_rcvbuf, rcvbuf);
			TOY_INC_STATS(sock_net(sk), RCVBUF_GROWN);
		}
	}
	ts->rcv.space_copied = 0;
	ts->rcv.space_stamp = now;
}

/**
 * toy_oow_rate_limited - whether to leave an out-of-window segment unanswered
 * @sk: the connection, owned by the caller
 * @skb: the segment, which carries no data or is a SYN
 *
 * As tcp_oow_rate_limited(): a connection answers at most one such segment
 * per net.toy.invalid_ratelimit_ms, so that a forger, or two peers that
 * disagree about the window, cannot make it send an ACK for each of theirs.
 * A segment with data is always answered: its ACK (or D-SACK) is what ends
 * the peer's retransmissions.
 *
 * Return: true if the answer is to be skipped (counted as OowAcksLimited).
 */
bool toy_oow_rate_limited(struct sock *sk, const struct sk_buff *skb)
{
	const struct toy_skb_cb *cb = TOY_SKB_CB(skb);

	if (cb->end_seq != cb->seq && !(cb->flags & TOY_F_SYN))
		return false;
	return toy_oow_limited(sock_net(sk), &toy_sk(sk)->rcv.last_oow_ack);
}

/*
 * The rule itself, for a connection or a timewait socket: true (counted as
 * OowAcksLimited) if the last answer, stamped in *@last (jiffies; 0: none
 * yet), is less than net.toy.invalid_ratelimit_ms old; else a new stamp.
 */
bool toy_oow_limited(struct net *net, u32 *last)
{
	u32 now = jiffies, limit;
	s32 elapsed = now - *last;

	limit = msecs_to_jiffies(READ_ONCE(toy_pernet(net)->invalid_ratelimit_ms));
	if (*last && elapsed >= 0 && elapsed < limit) {
		TOY_INC_STATS(net, OOW_LIMITED);
		return true;
	}
	*last = now ?: 1;
	return false;
}

/*
 * RFC 5961 3.2, 4.2, 5.2: a reset or SYN (@skb) that is in the window but
 * not exact, or an ACK out of range, is answered with an ACK, so that a
 * real peer that lost its state resets properly and a blind attacker
 * learns nothing. Limited per connection as any answer to an out-of-window
 * segment, then to net.toy.challenge_ack_limit a second per namespace
 * (RFC 5961 7), the second's budget drawn at random around it, so that
 * counting answers does not reveal how many others were sent
 * (CVE-2016-5696 against TCP's fixed limit).
 */
void toy_send_challenge_ack(struct sock *sk, const struct sk_buff *skb)
{
	struct net *net = sock_net(sk);
	struct toy_net *tn = toy_pernet(net);
	u32 limit = READ_ONCE(tn->challenge_ack_limit), left;
	unsigned long now = jiffies / HZ;

	if (toy_oow_rate_limited(sk, skb))
		return;

	if (now != READ_ONCE(tn->challenge_stamp)) {
		WRITE_ONCE(tn->challenge_stamp, now);
		WRITE_ONCE(tn->challenge_left, (limit + 1) / 2 +
			   (limit ? get_random_u32() % limit : 0));
	}
	left = READ_ONCE(tn->challenge_left);
	if (!left) {
		TOY_INC_STATS(net, CHALLENGE_LIMITED);
		return;
	}
	WRITE_ONCE(tn->challenge_left, left - 1);
	TOY_INC_STATS(net, CHALLENGE_ACKS);
	toy_send_ack(sk);
}

/* A zero-window probe: an old sequence number forces the peer to ACK. */
void toy_send_probe(struct sock *sk)
{
	trace_toy_zero_window_probe(sk);
	toy_xmit(sk, NULL, toy_sk(sk)->snd.una - 1, TOY_F_ACK, GFP_ATOMIC);
	TOY_INC_STATS(sock_net(sk), WND_PROBES);
}

/*
 * Abort a connection: an RFC 793 reset. It carries snd.max, the highest
 * sequence number sent: after a timeout rewinds snd.nxt, the peer may
 * already expect more, and RFC 5961 lets only an exact reset through.
 */
void toy_send_reset(struct sock *sk)
{
	toy_xmit(sk, NULL, toy_sk(sk)->snd.max, TOY_F_RST | TOY_F_ACK,
		 GFP_ATOMIC);
	TOY_INC_STATS(sock_net(sk), OUT_RSTS);
}

/*
 * After the reader took a message: if the window grew enough, say so,
 * or a sender stalled on a full buffer would wait for its persist timer.
 */
void toy_window_update(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	u32 cap = toy_rcv_capacity(sk), used = ts->rcv.queued + ts->rcv.reasm.len;
	u32 promised = ts->rcv.wup + ts->rcv.wnd - ts->rcv.nxt;
	u32 now = used >= cap ? 0 : cap - used;

	if (toy_state_connected(sk->sk_state) ||
	    sk->sk_state == TOY_FIN_WAIT1 || sk->sk_state == TOY_FIN_WAIT2) {
		if (toy_wnd_update_worth(promised, now, ts->snd.mss, cap)) {
			toy_send_ack(sk);
			trace_toy_window_update(sk, true, promised,
						ts->rcv.wnd);
		}
	}
}
