// SPDX-License-Identifier: GPL-2.0
/*
 * A connection's life: creation, the passive open through a listener,
 * state changes, and the end (done, abort) with everything it held freed.
 *
 * A listener keeps two lists of children: those in SYN_RECV and those
 * established and waiting for accept(). A child on either list is owned by
 * the list (its first reference); accept() hands that reference to the new
 * socket. A child keeps a reference on its listener until it is freed.
 */
#include <linux/ip.h>
#include <linux/siphash.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/route.h>

#include "isn.h"
#include "netns.h"
#include "output.h"
#include "sock.h"
#include "table.h"
#include "timer.h"

static const char * const toy_state_names[TOY_MAX_STATES] = {
	[TOY_ESTABLISHED]	= "ESTABLISHED",
	[TOY_SYN_SENT]		= "SYN_SENT",
	[TOY_SYN_RECV]		= "SYN_RECV",
	[TOY_FIN_WAIT1]		= "FIN_WAIT1",
	[TOY_FIN_WAIT2]		= "FIN_WAIT2",
	[TOY_TIME_WAIT]		= "TIME_WAIT",
	[TOY_CLOSE]		= "CLOSE",
	[TOY_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TOY_LAST_ACK]		= "LAST_ACK",
	[TOY_LISTEN]		= "LISTEN",
	[TOY_CLOSING]		= "CLOSING",
};

const char *toy_state_name(int state)
{
	if (state <= 0 || state >= TOY_MAX_STATES)
		return "UNKNOWN";
	return toy_state_names[state];
}

void toy_set_state(struct sock *sk, int state)
{
	/* pairs with inet_sk_state_load() in lockless readers: poll() */
	smp_store_release(&sk->sk_state, state);
}

/* Where a connection's memory goes when the last reference does. */
static void toy_destruct(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	toy_purge(sk);
	if (ts->parent)
		sock_put(ts->parent);
	inet_sock_destruct(sk);
}

/* The write queue, the out-of-order queue and a partial message. */
void toy_purge(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue))) {
		sk_wmem_queued_add(sk, -skb->truesize);
		kfree_skb(skb);
	}
	ts->send_head = NULL;
	ts->sacked_out = 0;
	__skb_queue_purge(&ts->ooo_queue);
	toy_reasm_reset(&ts->reasm);
}

static void toy_write_space(struct sock *sk)
{
	struct socket_wq *wq;

	if (!toy_writable(sk))
		return;
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_sync_poll(&wq->wait, EPOLLOUT |
						EPOLLWRNORM | EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/* Everything a new socket needs, whether created by socket() or a SYN. */
void toy_sock_init(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct toy_net *tn = toy_pernet(sock_net(sk));

	skb_queue_head_init(&ts->ooo_queue);
	INIT_LIST_HEAD(&ts->syn_queue);
	INIT_LIST_HEAD(&ts->accept_queue);
	INIT_LIST_HEAD(&ts->child_node);
	spin_lock_init(&ts->accept_lock);
	toy_timers_init(sk);
	toy_rtt_init(&ts->rtt, tn->rto_min_ms * USEC_PER_MSEC,
		     tn->rto_max_ms * USEC_PER_MSEC);
	ts->mss = TOY_DEFAULT_MSS;
	ts->adv_mss = TOY_DEFAULT_MSS;
	toy_cc_init(&ts->cc, ts->mss);

	sk->sk_state = TOY_CLOSE;
	sk->sk_protocol = IPPROTO_TOY;
	sk->sk_sndbuf = tn->wmem_default;
	sk->sk_rcvbuf = tn->rmem_default;
	sk->sk_destruct = toy_destruct;
	sk->sk_backlog_rcv = toy_do_rcv;
	sk->sk_write_space = toy_write_space;
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);

	inet->uc_ttl = -1;
	inet->mc_loop = 1;
	inet->mc_ttl = 1;
	inet->mc_all = 1;
	atomic_set(&inet->inet_id, get_random_u16());
	/* segments fit the route's MTU; let IP fragment if the path shrinks */
	inet->pmtudisc = IP_PMTUDISC_DONT;
}

/* A valid RTT sample (Karn's rule already applied by the caller). */
void toy_rtt_update(struct sock *sk, u32 sample_us)
{
	const struct toy_net *tn = toy_pernet(sock_net(sk));

	toy_rtt_sample(&toy_sk(sk)->rtt, sample_us, false,
		       tn->rto_min_ms * USEC_PER_MSEC,
		       tn->rto_max_ms * USEC_PER_MSEC);
}

/*
 * Payload per segment on a route: its MTU less the IPv4 header, the AF_TOY
 * header and the timestamps every segment carries.
 */
u16 toy_route_mss(const struct dst_entry *dst)
{
	return clamp_t(int, dst_mtu(dst) - (int)sizeof(struct iphdr) -
		       TOY_HDR_LEN - TOY_TS_SPACE, TOY_MIN_MSS, U16_MAX);
}

static void toy_conn_set_snd(struct toy_sock *ts, u32 iss, u32 nxt)
{
	ts->iss = iss;
	ts->write_seq = nxt;
	ts->snd_una = nxt;
	ts->snd_nxt = nxt;
	ts->snd_max = nxt;
}

/* Our side starts at an initial sequence number for the 4-tuple. */
void toy_conn_start_seq(struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	u32 iss;

	iss = toy_isn(&toy_pernet(sock_net(sk))->isn_key,
		      inet->inet_saddr, inet->inet_daddr,
		      inet->inet_sport, inet->inet_dport, ktime_get_ns());
	toy_conn_set_snd(toy_sk(sk), iss, iss);
}

/*
 * What the peer's SYN tells us: its sequence numbers (@irs), its window,
 * which is its whole receive capacity, its segment size (@mss) and clock
 * (@tsval). @skb is the SYN, or the ACK that brought a SYN cookie back.
 */
static void toy_conn_peer(struct sock *sk, const struct sk_buff *skb, u32 irs,
			  u16 mss, u32 tsval)
{
	const struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	struct toy_sock *ts = toy_sk(sk);

	ts->irs = irs;
	ts->rcv_nxt = irs + 1;
	ts->rcv_wup = ts->rcv_nxt;
	ts->snd_wnd = cb->wnd;
	ts->snd_wl1 = cb->seq;
	ts->snd_wl2 = cb->ack_seq;
	ts->peer_max_msg = cb->wnd;
	ts->ts_recent = tsval;
	ts->mss = min_t(u16, ts->adv_mss, mss);
	toy_cc_init(&ts->cc, ts->mss);
}

/* The peer's SYN (or SYN-ACK) arrived. */
void toy_conn_peer_syn(struct sock *sk, struct sk_buff *syn)
{
	struct toy_opts opts;

	toy_hdr_parse((struct toy_hdr *)skb_transport_header(syn), syn->len,
		      &opts);
	toy_conn_peer(sk, syn, TOY_SKB_CB(syn)->seq,
		      opts.mss ?: TOY_DEFAULT_MSS, opts.tsval);
}

/* Remove a child from its listener's lists, if it is still on one. */
static void toy_child_unlink(struct sock *child)
{
	struct toy_sock *ts = toy_sk(child);
	struct toy_sock *lts = toy_sk(ts->parent);
	bool was_listed = false;

	spin_lock_bh(&lts->accept_lock);
	if (!list_empty(&ts->child_node)) {
		list_del_init(&ts->child_node);
		if (ts->ready)
			lts->nr_ready--;
		else
			lts->nr_syn--;
		was_listed = true;
	}
	spin_unlock_bh(&lts->accept_lock);
	if (was_listed) {
		/* nobody will accept it: the list's reference goes */
		sock_set_flag(child, SOCK_DEAD);
		__sock_put(child);
	}
}

/*
 * The connection is over: stop its timers, drop what it still had to send
 * and leave the tables. Messages already received stay readable.
 */
void toy_done(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	sock_hold(sk);
	toy_set_state(sk, TOY_CLOSE);
	sk->sk_shutdown = SHUTDOWN_MASK;
	toy_timers_stop(sk);
	toy_purge(sk);
	toy_unhash_conn(sk);
	/* a port bind() chose stays with a live socket, as in TCP */
	if (sock_flag(sk, SOCK_DEAD) || ts->parent ||
	    !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		toy_unbind(sk);
	if (ts->parent)
		toy_child_unlink(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	sock_put(sk);
}

/* End the connection with an error for the application. */
void toy_abort(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
	toy_done(sk);
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

	spin_lock_bh(&lts->accept_lock);
	if (lts->nr_ready + (cookie ? 0 : lts->nr_syn) >=
	    READ_ONCE(parent->sk_max_ack_backlog)) {
		spin_unlock_bh(&lts->accept_lock);
		return NULL;
	}
	lts->nr_syn++;
	spin_unlock_bh(&lts->accept_lock);

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
	ts->nodelay = lts->nodelay;

	inet = inet_sk(sk);
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
				   RT_CONN_FLAGS(sk), sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		goto err_free;
	sk_setup_caps(sk, &rt->dst);
	ts->adv_mss = toy_route_mss(&rt->dst);

	sock_hold(parent);
	ts->parent = parent;
	return sk;

err_free:
	sock_set_flag(sk, SOCK_DEAD);
	sk_free(sk);
err_uncount:
	spin_lock_bh(&lts->accept_lock);
	lts->nr_syn--;
	spin_unlock_bh(&lts->accept_lock);
	return NULL;
}

/*
 * Give a new child its port and put it on the SYN queue (from where
 * toy_done() uncounts it); false if its 4-tuple is taken. The caller holds
 * the child with BHs off: softirq input holds the listener at
 * SINGLE_DEPTH_NESTING, so the child is 0; the listener's backlog runs
 * with BHs on.
 */
static bool toy_child_link(struct sock *sk)
{
	struct toy_sock *lts = toy_sk(toy_sk(sk)->parent);

	toy_inherit_port(sk, toy_sk(sk)->parent);
	spin_lock_bh(&lts->accept_lock);
	list_add_tail(&toy_sk(sk)->child_node, &lts->syn_queue);
	spin_unlock_bh(&lts->accept_lock);
	return !toy_hash_conn(sk);
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
	toy_conn_peer_syn(sk, skb);
	toy_set_state(sk, TOY_SYN_RECV);

	local_bh_disable();
	bh_lock_sock(sk);
	if (!toy_child_link(sk) ||
	    toy_queue_ctl(sk, TOY_F_SYN | TOY_F_ACK, GFP_ATOMIC)) {
		bh_unlock_sock(sk);
		local_bh_enable();
		toy_done(sk);
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
	/* the window our SYN-ACK advertised, the child's to keep */
	toy_select_window(sk);
	rtt = toy_now_us() - opts.tsecr;
	if (opts.ts && opts.tsecr && (s32)rtt > 0)
		toy_rtt_update(sk, rtt);
	toy_set_state(sk, TOY_ESTABLISHED);

	local_bh_disable();
	bh_lock_sock(sk);
	if (!toy_child_link(sk)) {
		bh_unlock_sock(sk);
		local_bh_enable();
		toy_done(sk);
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
	return 0;
}

/* The handshake of a child completed: it may be accepted now. */
void toy_child_ready(struct sock *child)
{
	struct toy_sock *ts = toy_sk(child);
	struct sock *parent = ts->parent;
	struct toy_sock *lts = toy_sk(parent);
	bool queued = false;

	spin_lock_bh(&lts->accept_lock);
	if (parent->sk_state == TOY_LISTEN && !list_empty(&ts->child_node)) {
		list_move_tail(&ts->child_node, &lts->accept_queue);
		lts->nr_syn--;
		lts->nr_ready++;
		ts->ready = true;
		queued = true;
	}
	spin_unlock_bh(&lts->accept_lock);

	if (queued) {
		parent->sk_data_ready(parent);
	} else {
		toy_send_reset(child);
		toy_done(child);
	}
}

/* Take the oldest established child off @parent, or NULL. */
struct sock *toy_child_dequeue(struct sock *parent)
{
	struct toy_sock *lts = toy_sk(parent), *ts;

	spin_lock_bh(&lts->accept_lock);
	ts = list_first_entry_or_null(&lts->accept_queue, struct toy_sock,
				      child_node);
	if (ts) {
		list_del_init(&ts->child_node);
		lts->nr_ready--;
	}
	spin_unlock_bh(&lts->accept_lock);
	return ts ? &ts->inet.sk : NULL;
}

/* The listener closes: reset every child nobody accepted. */
void toy_listen_stop(struct sock *parent)
{
	struct toy_sock *lts = toy_sk(parent), *ts;
	struct sock *child;

	toy_set_state(parent, TOY_CLOSE);
	toy_unbind(parent);
	for (;;) {
		spin_lock_bh(&lts->accept_lock);
		ts = list_first_entry_or_null(&lts->accept_queue,
					      struct toy_sock, child_node);
		if (!ts)
			ts = list_first_entry_or_null(&lts->syn_queue,
						      struct toy_sock,
						      child_node);
		if (ts) {
			list_del_init(&ts->child_node);
			if (ts->ready)
				lts->nr_ready--;
			else
				lts->nr_syn--;
		}
		spin_unlock_bh(&lts->accept_lock);
		if (!ts)
			break;

		child = &ts->inet.sk;
		local_bh_disable();
		bh_lock_sock(child);
		if (child->sk_state != TOY_CLOSE) {
			toy_send_reset(child);
			toy_done(child);
		}
		bh_unlock_sock(child);
		local_bh_enable();
		sock_set_flag(child, SOCK_DEAD);
		sock_put(child);
	}
}

void toy_fill_info(struct sock *sk, struct toy_info *info)
{
	const struct toy_sock *ts = toy_sk(sk);

	memset(info, 0, sizeof(*info));
	info->toyi_state = sk->sk_state;
	info->toyi_ca_state = ts->cc.state;
	info->toyi_backoff = ts->rtt.backoff;
	info->toyi_mss = ts->mss;
	info->toyi_rtt_us = ts->rtt.srtt_us;
	info->toyi_rttvar_us = ts->rtt.rttvar_us;
	info->toyi_rto_us = ts->rtt.rto_us;
	info->toyi_snd_cwnd = ts->cc.cwnd;
	info->toyi_snd_ssthresh = ts->cc.ssthresh;
	info->toyi_snd_wnd = ts->snd_wnd;
	info->toyi_rcv_wnd = ts->rcv_wnd;
	info->toyi_snd_una = ts->snd_una;
	info->toyi_snd_nxt = ts->snd_nxt;
	info->toyi_rcv_nxt = ts->rcv_nxt;
	info->toyi_unacked = ts->snd_max - ts->snd_una;
	info->toyi_retrans = ts->total_retrans;
	info->toyi_lost = ts->total_timeouts;
	info->toyi_bytes_sent = ts->bytes_sent;
	info->toyi_bytes_received = ts->bytes_received;
	info->toyi_msgs_sent = ts->msgs_sent;
	info->toyi_msgs_received = ts->msgs_received;
}
