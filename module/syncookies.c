// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies at a listener (net.toy.syncookies): when to answer a SYN
 * with a cookie (cookie.h) instead of a child, and the ACK that brings a
 * cookie back. As in TCP: 1 sends cookies only while the SYN queue is
 * full, 2 always; neither helps when the accept queue itself is full, and
 * an ACK is taken for a cookie only if this listener sent one lately.
 *
 * A cookie keeps the peer's ISN (in the hash), its MSS (rounded down to a
 * table entry) and when it was made. Nothing else needs keeping: AF_TOY
 * has no SACK-permitted or window-scale option to negotiate, and
 * timestamps ride on every segment, so the ACK brings the peer's window
 * and clock itself.
 */
#include <linux/ip.h>
#include <linux/timekeeping.h>
#include <net/ip.h>

#include "cookie.h"
#include "input.h"
#include "netns.h"
#include "output.h"
#include "reply.h"
#include "sock.h"
#include "table.h"
#include "trace.h"

static u32 toy_cookie_now(void)
{
	return (u32)(ktime_get_seconds() >> TOY_COOKIE_TICK_SHIFT);
}

/* The segment's addresses and ports, the peer's first. */
static void toy_cookie_tuple(const struct sk_buff *skb,
			     struct toy_cookie_tuple *t)
{
	const struct toy_hdr *th = (struct toy_hdr *)skb_transport_header(skb);
	const struct iphdr *iph = ip_hdr(skb);

	t->saddr = iph->saddr;
	t->daddr = iph->daddr;
	t->sport = th->source;
	t->dport = th->dest;
}

static bool toy_cookie_wanted(struct sock *sk, int mode)
{
	struct toy_sock *lts = toy_sk(sk);
	u32 backlog = READ_ONCE(sk->sk_max_ack_backlog), syn, ready;

	if (!mode)
		return false;
	spin_lock_bh(&lts->lsn.lock);
	syn = lts->lsn.nr_syn;
	ready = lts->lsn.nr_ready;
	spin_unlock_bh(&lts->lsn.lock);
	/* a cookie's connection would have nowhere to wait for accept() */
	if (ready > backlog)
		return false;
	return mode == 2 || syn + ready > backlog;
}

/*
 * A SYN reached the listener @sk. Returns true if it was answered with a
 * SYN cookie, false if it is for toy_child_create().
 */
bool toy_cookie_syn(struct sock *sk, struct sk_buff *skb)
{
	struct toy_net *tn = toy_pernet(sock_net(sk));
	struct toy_sock *lts = toy_sk(sk);
	struct toy_cookie_tuple t;
	struct toy_opts opts;
	u32 tick, cookie, idx;

	if (!toy_cookie_wanted(sk, READ_ONCE(tn->syncookies)))
		return false;
	toy_hdr_parse((struct toy_hdr *)skb_transport_header(skb), skb->len,
		      &opts);
	toy_cookie_tuple(skb, &t);
	tick = toy_cookie_now();
	idx = toy_cookie_mss_index(opts.mss ?: TOY_DEFAULT_MSS);
	cookie = toy_cookie_make(&tn->cookie_key, &t, TOY_SKB_CB(skb)->seq,
				 tick, idx);
	lts->lsn.cookie_sent = true;
	lts->lsn.cookie_tick = tick;
	if (!toy_send_cookie_synack(sk, skb, cookie, opts.tsval)) {
		TOY_INC_STATS(sock_net(sk), SYNCOOKIES_SENT);
		trace_toy_syncookie_send(sock_net(sk), skb, cookie,
					 toy_cookie_mss(idx));
	}
	return true;
}

/*
 * An ACK that no child of the listener @sk matched when it was looked up:
 * if a connection of its 4-tuple exists now, it is that connection's; if
 * it returns a valid cookie, it becomes an established child. Returns
 * true if @skb was consumed, false if it is a stray segment to be
 * answered with a reset.
 *
 * The ACK that ends a cookie's handshake and the first message behind it
 * both return the cookie. If both reached the listener before the first
 * had made its child (they waited in the backlog while a process owned
 * the listener, or on its lock while another CPU made the child), the
 * second would be validated again and make a second child, which could
 * not be hashed, and the message was dropped (ListenDrops) for the peer
 * to send again. Every child is made and hashed by whoever owns its
 * listener, as the caller does now, so this lookup finds it.
 */
bool toy_cookie_ack(struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);
	struct toy_net *tn = toy_pernet(net);
	const struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	struct toy_sock *lts = toy_sk(sk);
	struct toy_cookie_tuple t;
	u32 tick = toy_cookie_now();
	struct sock *conn;
	int data;

	toy_cookie_tuple(skb, &t);
	conn = toy_lookup_conn(net, t.saddr, t.sport, t.daddr, t.dport);
	if (conn) {
		toy_v4_rcv_conn(conn, skb);
		return true;
	}
	if ((cb->flags & (TOY_F_SYN | TOY_F_RST)) ||
	    !READ_ONCE(tn->syncookies) || !lts->lsn.cookie_sent ||
	    tick - lts->lsn.cookie_tick > 1)
		return false;
	data = toy_cookie_check(&tn->cookie_key, &t, cb->seq - 1, tick,
				cb->ack_seq - 1);
	if (data < 0) {
		toy_drop(net, skb, TOY_MIB_SYNCOOKIES_FAILED);
		return false;
	}
	TOY_INC_STATS(net, SYNCOOKIES_RECV);
	trace_toy_syncookie_recv(net, skb, cb->ack_seq - 1,
				 toy_cookie_mss(data));
	if (toy_child_create_cookie(sk, skb, toy_cookie_mss(data))) {
		/* as for a SYN: the peer will send again */
		toy_drop(net, skb, TOY_MIB_LISTEN_DROPS);
		kfree_skb(skb);
	}
	return true;
}
