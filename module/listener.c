// SPDX-License-Identifier: GPL-2.0
/*
 * The passive open. A SYN to a listener makes a child in SYN_RECV on the
 * listener's SYN queue; the ACK that completes the handshake moves it to
 * the accept queue, from where accept() takes it. A returning SYN cookie
 * (syncookies.c) makes a child that is established at once. When the
 * listener closes, every child nobody accepted is reset.
 *
 * A child on either list is owned by the list (its first reference);
 * accept() hands that reference to the new socket. A child keeps a
 * reference on its listener until it is freed (conn.c, toy_destruct()).
 */
#include <linux/ip.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/route.h>

#include "ack.h"
#include "compat.h"
#include "input.h"
#include "listener.h"
#include "netns.h"
#include "offload.h"
#include "output.h"
#include "sock.h"
#include "table.h"
#include "timer.h"

/* A socket's listener side: empty lists, whether or not it will listen. */
void toy_listener_init(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	INIT_LIST_HEAD(&ts->lsn.syn_queue);
	INIT_LIST_HEAD(&ts->lsn.accept_queue);
	INIT_LIST_HEAD(&ts->child.node);
	spin_lock_init(&ts->lsn.lock);
}

/* Remove a child from its listener's lists, if it is still on one. */
void toy_child_unlink(struct sock *child)
{
	struct toy_sock *ts = toy_sk(child);
	struct toy_sock *lts = toy_sk(ts->child.parent);
	bool was_listed = false;

	spin_lock_bh(&lts->lsn.lock);
	if (!list_empty(&ts->child.node)) {
		list_del_init(&ts->child.node);
		if (ts->child.ready)
			lts->lsn.nr_ready--;
		else
			lts->lsn.nr_syn--;
		was_listed = true;
	}
	spin_unlock_bh(&lts->lsn.lock);
	if (was_listed) {
		/* nobody will accept it: the list's reference goes */
		sock_set_flag(child, SOCK_DEAD);
		__sock_put(child);
	}
}

/*
 * A child of @parent for the connection @skb belongs to, counted on the
 * SYN queue but on no list yet, with its addresses, route and MSS; NULL
 * if @parent is full or memory ran out. A SYN needs room on both queues,
 * a returning SYN cookie (@cookie) on the accept queue only, as in TCP.
 */
static struct sock *toy_child_new(struct sock *parent, struct sk_buff *skb,
				  bool cookie)
{
	const struct toy_hdr *th = (struct toy_hdr *)skb_transport_header(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct toy_sock *lts = toy_sk(parent), *ts;
	struct net *net = sock_net(parent);
	struct inet_sock *inet;
	struct rtable *rt;
	struct sock *sk;

	/* as TCP's sk_acceptq_is_full(): listen(fd, N) admits N + 1 */
	spin_lock_bh(&lts->lsn.lock);
	if (lts->lsn.nr_ready + (cookie ? 0 : lts->lsn.nr_syn) >
	    READ_ONCE(parent->sk_max_ack_backlog)) {
		spin_unlock_bh(&lts->lsn.lock);
		return NULL;
	}
	lts->lsn.nr_syn++;
	spin_unlock_bh(&lts->lsn.lock);

	sk = sk_alloc(net, PF_TOY, GFP_ATOMIC, &toy_prot, 0);
	if (!sk)
		goto err_uncount;
	sock_init_data(NULL, sk);
	toy_sock_init(sk);
	ts = toy_sk(sk);
	sk->sk_type = parent->sk_type;
	sk->sk_uid = parent->sk_uid;
	sk->sk_sndbuf = READ_ONCE(parent->sk_sndbuf);
	sk->sk_rcvbuf = READ_ONCE(parent->sk_rcvbuf);
	sk->sk_mark = parent->sk_mark;
	sk->sk_priority = parent->sk_priority;
	sk->sk_bound_dev_if = parent->sk_bound_dev_if;
	sk->sk_reuse = parent->sk_reuse;
	ts->snd.nodelay = lts->snd.nodelay;

	inet = inet_sk(sk);
	/* IP-level options of the listener, as a clone of it would have */
	inet->pmtudisc = inet_sk(parent)->pmtudisc;
	inet->tos = inet_sk(parent)->tos;
	inet->uc_ttl = inet_sk(parent)->uc_ttl;
	toy_inet_set_recverr(sk, toy_inet_recverr(parent));
	inet->inet_saddr = iph->daddr;
	inet->inet_rcv_saddr = iph->daddr;
	inet->inet_daddr = iph->saddr;
	inet->inet_dport = th->source;
	inet->inet_sport = th->dest;
	inet->inet_num = ntohs(th->dest);

	/* ip_queue_xmit() takes the addresses from the flow kept in cork */
	rt = ip_route_output_ports(net, &inet->cork.fl.u.ip4, sk,
				   inet->inet_daddr,
				   inet->inet_saddr, inet->inet_dport,
				   inet->inet_sport, IPPROTO_TOY,
				   toy_sk_rt_tos(sk), sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		goto err_free;
	sk->sk_gso_type = TOY_GSO_TYPE;	/* for sk_can_gso() */
	sk_setup_caps(sk, &rt->dst);
	ts->rcv.adv_mss = toy_route_mss(&rt->dst);

	sock_hold(parent);
	ts->child.parent = parent;
	return sk;

err_free:
	sock_set_flag(sk, SOCK_DEAD);
	sk_free(sk);
err_uncount:
	spin_lock_bh(&lts->lsn.lock);
	lts->lsn.nr_syn--;
	spin_unlock_bh(&lts->lsn.lock);
	return NULL;
}

/*
 * Give a new child its port and put it on the SYN queue (from where
 * toy_enter_done() uncounts it); false if its 4-tuple is taken. The caller holds
 * the child with BHs off: softirq input holds the listener at
 * SINGLE_DEPTH_NESTING, so the child is 0; the listener's backlog runs
 * with BHs on.
 */
static bool toy_child_link(struct sock *sk)
{
	struct toy_sock *lts = toy_sk(toy_sk(sk)->child.parent);
	u32 isn;	/* a child never ends a TIME_WAIT here: ipv4.c did */

	toy_inherit_port(sk, toy_sk(sk)->child.parent);
	spin_lock_bh(&lts->lsn.lock);
	list_add_tail(&toy_sk(sk)->child.node, &lts->lsn.syn_queue);
	spin_unlock_bh(&lts->lsn.lock);
	return !toy_hash_conn(sk, &isn);
}

/*
 * A SYN reached @parent: make the child that will become the accepted
 * connection, and answer with SYN-ACK. Returns NULL if the listener is
 * full or memory ran out; the SYN is then dropped and will be resent.
 */
struct sock *toy_child_create(struct sock *parent, struct sk_buff *skb)
{
	struct sock *sk = toy_child_new(parent, skb, false);

	if (!sk)
		return NULL;
	toy_conn_start_seq(sk);
	/* the SYN ended a TIME_WAIT of this 4-tuple: start beyond it */
	if (TOY_SKB_CB(skb)->tw_isn)
		toy_conn_set_snd(toy_sk(sk), TOY_SKB_CB(skb)->tw_isn,
				 TOY_SKB_CB(skb)->tw_isn);
	toy_conn_peer_syn(sk, skb);
	toy_state_event(sk, TOY_EV_RCV_SYN);

	local_bh_disable();
	bh_lock_sock(sk);
	if (!toy_child_link(sk) ||
	    toy_queue_ctl(sk, TOY_F_SYN | TOY_F_ACK, GFP_ATOMIC)) {
		/*
		 * Linked, maybe hashed: input may find it, so it ends under
		 * its lock; the abort drops the list's reference, ours keeps
		 * it alive until the unlock.
		 */
		sock_hold(sk);
		toy_abort(sk, 0);
		bh_unlock_sock(sk);
		local_bh_enable();
		sock_put(sk);
		return NULL;
	}
	toy_push(sk);
	bh_unlock_sock(sk);
	local_bh_enable();
	TOY_INC_STATS(sock_net(parent), PASSIVE_OPENS);
	return sk;
}

/*
 * The ACK @skb brought back a valid SYN cookie: make the child the SYN
 * would have made, established at once with what the cookie kept (the
 * peer's @mss), queue it for accept() and let it take @skb, which may
 * carry data. Returns 0, or an error if the accept queue is full or memory
 * ran out; @skb is then the caller's.
 */
int toy_child_create_cookie(struct sock *parent, struct sk_buff *skb, u16 mss)
{
	const struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	struct toy_opts opts;
	struct sock *sk;
	u32 rtt;

	sk = toy_child_new(parent, skb, true);
	if (!sk)
		return -ENOBUFS;
	toy_hdr_parse((struct toy_hdr *)skb_transport_header(skb), skb->len,
		      &opts);
	/* the SYN-ACK took the cookie's sequence number */
	toy_conn_set_snd(toy_sk(sk), cb->ack_seq - 1, cb->ack_seq);
	toy_conn_peer(sk, skb, cb->seq - 1, mss, opts.tsval);
	/* the capacity the listener's SYN-ACK announced (toy_rcvbuf()) */
	toy_sk(sk)->rcv.cap_told = READ_ONCE(sk->sk_rcvbuf) / 2;
	/* the window our SYN-ACK advertised, the child's to keep */
	toy_select_window(sk);
	rtt = toy_now_us() - opts.tsecr;
	if (opts.ts && opts.tsecr && (s32)rtt > 0)
		toy_rtt_update(sk, rtt);
	toy_state_event(sk, TOY_EV_RCV_COOKIE);

	/* the list's reference may go (abort, reset) before the unlock */
	sock_hold(sk);
	local_bh_disable();
	bh_lock_sock(sk);
	if (!toy_child_link(sk)) {
		toy_abort(sk, 0);
		bh_unlock_sock(sk);
		local_bh_enable();
		sock_put(sk);
		return -EADDRINUSE;
	}
	TOY_INC_STATS(sock_net(parent), PASSIVE_OPENS);
	toy_child_ready(sk);
	if (sk->sk_state == TOY_ESTABLISHED)
		toy_do_rcv(sk, skb);
	else
		kfree_skb(skb);
	bh_unlock_sock(sk);
	local_bh_enable();
	sock_put(sk);
	return 0;
}

/* The handshake of a child completed: it may be accepted now. */
void toy_child_ready(struct sock *child)
{
	struct toy_sock *ts = toy_sk(child);
	struct sock *parent = ts->child.parent;
	struct toy_sock *lts = toy_sk(parent);
	bool queued = false;

	spin_lock_bh(&lts->lsn.lock);
	if (parent->sk_state == TOY_LISTEN && !list_empty(&ts->child.node)) {
		list_move_tail(&ts->child.node, &lts->lsn.accept_queue);
		lts->lsn.nr_syn--;
		lts->lsn.nr_ready++;
		ts->child.ready = true;
		queued = true;
	}
	spin_unlock_bh(&lts->lsn.lock);

	if (queued) {
		parent->sk_data_ready(parent);
	} else {
		toy_send_reset(child);
		toy_abort(child, 0);
	}
}

/* Take the oldest established child off @parent, or NULL. */
struct sock *toy_child_dequeue(struct sock *parent)
{
	struct toy_sock *lts = toy_sk(parent), *ts;

	spin_lock_bh(&lts->lsn.lock);
	ts = list_first_entry_or_null(&lts->lsn.accept_queue, struct toy_sock,
				      child.node);
	if (ts) {
		list_del_init(&ts->child.node);
		lts->lsn.nr_ready--;
	}
	spin_unlock_bh(&lts->lsn.lock);
	return ts ? &ts->inet.sk : NULL;
}

/* ACT_STOP_LISTEN: the listener closed; reset every child nobody accepted. */
void toy_listen_stop(struct sock *parent)
{
	struct toy_sock *lts = toy_sk(parent), *ts;
	struct sock *child;

	toy_unbind(parent);
	for (;;) {
		spin_lock_bh(&lts->lsn.lock);
		ts = list_first_entry_or_null(&lts->lsn.accept_queue,
					      struct toy_sock, child.node);
		if (!ts)
			ts = list_first_entry_or_null(&lts->lsn.syn_queue,
						      struct toy_sock,
						      child.node);
		if (ts) {
			list_del_init(&ts->child.node);
			if (ts->child.ready)
				lts->lsn.nr_ready--;
			else
				lts->lsn.nr_syn--;
		}
		spin_unlock_bh(&lts->lsn.lock);
		if (!ts)
			break;

		child = &ts->inet.sk;
		local_bh_disable();
		bh_lock_sock(child);
		if (child->sk_state != TOY_CLOSE) {
			toy_send_reset(child);
			toy_abort(child, 0);
		}
		bh_unlock_sock(child);
		local_bh_enable();
		sock_set_flag(child, SOCK_DEAD);
		sock_put(child);
	}
}
