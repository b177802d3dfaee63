// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about our segments, as tcp_v4_err() handles TCP's. A router
 * or host that cannot deliver one of our segments sends back its IP header
 * and the first 8 bytes of ours: the ports and the sequence number, enough
 * to find the connection and to check that the segment is one we still
 * have in flight (a blind attacker must guess it, as for a reset).
 *
 * - Destination unreachable, time exceeded, parameter problem: during the
 *   handshake a hard error (connect() fails at once with TCP's errno: a
 *   host without AF_TOY answers "protocol unreachable", ENOPROTOOPT);
 *   afterwards a soft error, kept in sk_err_soft for SO_ERROR and for the
 *   connection's end if it times out (RFC 1122 4.2.3.9), unless IP_RECVERR
 *   asks for it at once.
 * - Fragmentation needed (path MTU discovery, RFC 1191; segments leave
 *   with DF unless IP_MTU_DISCOVER says otherwise): the route learns the
 *   smaller MTU, the MSS drops to fit, queued segments are cut to the new
 *   size (message boundaries stay where they were) and what was in flight
 *   goes again.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/icmp.h>
#include <net/inet_connection_sock.h>
#include <net/ip.h>
#include <net/sock.h>

#include "compat.h"
#include "icmp.h"
#include "netns.h"
#include "output.h"
#include "seq.h"
#include "sock.h"
#include "table.h"
#include "timer.h"
#include "timewait.h"

/*
 * The path MTU shrank to snd.mtu_info (RFC 1191): the route learns it, the
 * MSS follows, and segments too big for it are cut and sent again.
 */
void toy_mtu_reduced(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct dst_entry *dst;
	struct sk_buff *skb;
	u32 mtu = READ_ONCE(ts->snd.mtu_info);
	u16 mss;

	if ((1 << sk->sk_state) & ((1 << TOY_LISTEN) | (1 << TOY_CLOSE)))
		return;
	dst = inet_csk_update_pmtu(sk, mtu);
	if (!dst)
		return;
	/* if the connection does not recover, this is why */
	if (mtu < dst_mtu(dst) && ip_dont_fragment(sk, dst))
		WRITE_ONCE(sk->sk_err_soft, EMSGSIZE);
	mss = toy_mtu_to_mss(dst_mtu(dst));
	if (inet_sk(sk)->pmtudisc == IP_PMTUDISC_DONT || mss >= ts->snd.mss)
		return;

	ts->snd.mss = mss;
	TOY_INC_STATS(sock_net(sk), PMTU_UPDATES);
	skb_queue_walk(&sk->sk_write_queue, skb) {
		/* the rest becomes the next skb, which the walk cuts too */
		if (skb->len > mss && toy_split_skb(sk, skb, mss, GFP_ATOMIC))
			break;
	}
	/*
	 * What was in flight at the old size was dropped on the way: go back
	 * to snd.una (SACKed segments are skipped). No congestion response:
	 * nothing was lost to congestion (as tcp_simple_retransmit()).
	 */
	if (ts->snd.nxt != ts->snd.una) {
		ts->snd.nxt = ts->snd.una;
		ts->snd.head = skb_peek(&sk->sk_write_queue);
		toy_push(sk);
	}
}

/* An error for @sk, which the caller holds with bh_lock_sock(). */
static void toy_icmp_error(struct sock *sk, int err, int type, int code)
{
	struct toy_sock *ts = toy_sk(sk);

	switch (sk->sk_state) {
	case TOY_SYN_RECV:
		if (ts->child.parent) {
			if (toy_icmp_ends_child(type, code))
				toy_abort(sk, 0);
			return;
		}
		fallthrough;	/* crossed SYNs: still our connect() */
	case TOY_SYN_SENT:
		/* the connection never was: connect() fails at once */
		if (!sock_owned_by_user(sk))
			toy_abort(sk, err);
		else
			WRITE_ONCE(sk->sk_err_soft, err);
		return;
	}
	/* RFC 1122 4.2.3.9: a soft error; routes come back */
	if (!sock_owned_by_user(sk) && toy_inet_recverr(sk)) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
}

/**
 * toy_v4_err - the IPv4 ICMP error handler for IPPROTO_TOY
 * @skb: the ICMP message; data at the quoted IP header, which icmp.c
 *	checked, followed by at least 8 bytes of our header
 * @info: for "fragmentation needed", the next hop's MTU
 *
 * Return: 0, or -ENOENT if no connection matched.
 */
int toy_v4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct toy_hdr *th;
	const int type = icmp_hdr(skb)->type;
	const int code = icmp_hdr(skb)->code;
	struct net *net = dev_net(skb->dev);
	enum toy_icmp_action act;
	struct toy_sock *ts;
	struct sock *sk;
	int err = 0;
	u32 seq;

	th = (const struct toy_hdr *)(skb->data + (iph->ihl << 2));
	/* the segment went from us (iph->saddr) to the peer (iph->daddr) */
	sk = toy_lookup(net, iph->daddr, th->dest, iph->saddr, th->source);
	if (!sk)
		return -ENOENT;
	/* nothing in flight in TIME_WAIT (and no lock: a timewait socket) */
	if (sk->sk_state == TOY_TIME_WAIT) {
		toy_sk_put(sk);
		return 0;
	}
	act = toy_icmp_classify(type, code, &err);
	if (act == TOY_ICMP_IGNORE)
		goto out;

	bh_lock_sock(sk);
	ts = toy_sk(sk);
	seq = ntohl(th->seq);
	if ((1 << sk->sk_state) & ((1 << TOY_LISTEN) | (1 << TOY_CLOSE)))
		goto unlock;
	/* only about a segment we still have in flight */
	if (!toy_seq_between(seq, ts->snd.una, ts->snd.max)) {
		TOY_INC_STATS(net, ICMP_OOW);
		goto unlock;
	}
	TOY_INC_STATS(net, ICMP_ERRORS);
	if (act == TOY_ICMP_PMTU) {
		WRITE_ONCE(ts->snd.mtu_info, info);
		if (!sock_owned_by_user(sk))
			toy_mtu_reduced(sk);
		else if (!test_and_set_bit(TOY_MTU_DEFERRED,
					   &ts->timers.deferred))
			sock_hold(sk);	/* for toy_release_cb() */
		goto unlock;
	}
	toy_icmp_error(sk, err, type, code);
unlock:
	bh_unlock_sock(sk);
out:
	sock_put(sk);
	return 0;
}
