// SPDX-License-Identifier: GPL-2.0
/*
 * A connection's life: a socket made ready, its sequence numbers chosen
 * and the peer's taken from its SYN, every state change (the table is
 * state.c's; what entering a state does is here), and the end with
 * everything it held freed.
 */
#include <linux/ip.h>
#include <linux/siphash.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/route.h>

#include "compat.h"
#include "icmp.h"
#include "isn.h"
#include "mem.h"
#include "netns.h"
#include "listener.h"
#include "output.h"
#include "sock.h"
#include "state.h"
#include "table.h"
#include "timer.h"
#include "timewait.h"
#include "trace.h"
#include "window.h"

static void toy_store_state(struct sock *sk, int state)
{
	/* pairs with inet_sk_state_load() in lockless readers: poll() */
	smp_store_release(&sk->sk_state, state);
}

static void toy_set_state(struct sock *sk, int state)
{
	if (sk->sk_state != state)
		trace_toy_state_change(sk, sk->sk_state, state);
	toy_store_state(sk, state);
}

/* An orphan that reaches TIME_WAIT or CLOSE is no longer one (mem.c). */
static void toy_orphan_uncount(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	if (ts->timers.orphan) {
		ts->timers.orphan = false;
		percpu_counter_dec(&toy_orphan_count);
	}
}

/* Where a connection's memory goes when the last reference does. */
static void toy_destruct(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	toy_purge(sk);
	if (ts->child.parent)
		sock_put(ts->child.parent);
	sk_sockets_allocated_dec(sk);
	toy_orphan_uncount(sk);
	inet_sock_destruct(sk);
}

/* The write queue, the out-of-order queue and a partial message. */
void toy_purge(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		toy_wmem_free(sk, skb);
	ts->snd.head = NULL;
	toy_rec_purged(ts);
	__skb_queue_purge(&ts->rcv.ooo_queue);
	toy_reasm_reset(&ts->rcv.reasm);
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

	skb_queue_head_init(&ts->rcv.ooo_queue);
	toy_rtx_init(&ts->rec.rtx);
	toy_listener_init(sk);
	ts->rcv.ratio = TOY_RATIO_DEFAULT;
	toy_timers_init(sk);
	toy_rtt_init(&ts->rtt, tn->rto_min_ms * USEC_PER_MSEC,
		     tn->rto_max_ms * USEC_PER_MSEC);
	ts->snd.mss = TOY_DEFAULT_MSS;
	ts->rcv.adv_mss = TOY_DEFAULT_MSS;
	toy_cc_init(&ts->cc, ts->snd.mss);

	sk->sk_state = TOY_CLOSE;
	sk->sk_protocol = IPPROTO_TOY;
	sk->sk_sndbuf = tn->wmem_default;
	sk->sk_rcvbuf = tn->rmem_default;
	sk->sk_destruct = toy_destruct;
	sk_sockets_allocated_inc(sk);
	sk->sk_backlog_rcv = toy_do_rcv;
	sk->sk_write_space = toy_write_space;
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);
	/* freed after a grace period: conn_hash is read under RCU (table.c) */
	sock_set_flag(sk, SOCK_RCU_FREE);

	inet->uc_ttl = -1;
	inet->mc_ttl = 1;
	toy_inet_mc_defaults(sk);
	atomic_set(&inet->inet_id, get_random_u16());
	/* path MTU discovery (DF set), as inet_create() gives TCP's sockets */
	inet->pmtudisc = READ_ONCE(sock_net(sk)->ipv4.sysctl_ip_no_pmtu_disc) ?
			 IP_PMTUDISC_DONT : IP_PMTUDISC_WANT;
}

/*
 * Payload per segment on a route: its MTU less the IPv4 header, the AF_TOY
 * header and the timestamps every segment carries.
 */
u16 toy_route_mss(const struct dst_entry *dst)
{
	return toy_mtu_to_mss(dst_mtu(dst));
}

void toy_conn_set_snd(struct toy_sock *ts, u32 iss, u32 nxt)
{
	ts->snd.iss = iss;
	ts->snd.write_seq = nxt;
	ts->snd.una = nxt;
	ts->snd.nxt = nxt;
	ts->snd.max = nxt;
}

/*
 * A socket that connects again starts clean: nothing of an earlier
 * connection or attempt (sequence numbers, windows, RTT, recovery, a FIN
 * once queued) carries over. Its options and unread messages stay.
 */
void toy_conn_reset(struct sock *sk)
{
	const struct toy_net *tn = toy_pernet(sock_net(sk));
	struct toy_sock *ts = toy_sk(sk);
	u8 nodelay = ts->snd.nodelay;

	memset(&ts->snd, 0, sizeof(ts->snd));
	ts->snd.nodelay = nodelay;
	ts->snd.mss = TOY_DEFAULT_MSS;
	ts->rcv.nxt = 0;
	ts->rcv.wnd = 0;
	ts->rcv.wup = 0;
	ts->rcv.irs = 0;
	ts->rcv.ts_recent = 0;
	ts->rcv.ooo_last = 0;
	ts->rcv.ratio = TOY_RATIO_DEFAULT;
	ts->rcv.ack_pending = 0;
	ts->rcv.cap_told = 0;
	ts->rcv.rtt_us = 0;
	ts->rcv.space = 0;
	ts->rcv.space_copied = 0;
	ts->rcv.quick = 0;
	sk->sk_err_soft = 0;
	ts->rcv.dsack_pending = false;
	memset(&ts->rec, 0, sizeof(ts->rec));
	toy_rtx_init(&ts->rec.rtx);
	ts->timers.retries = 0;
	ts->timers.probes = 0;
	ts->timers.probes_out = 0;
	toy_rtt_init(&ts->rtt, tn->rto_min_ms * USEC_PER_MSEC,
		     tn->rto_max_ms * USEC_PER_MSEC);
	toy_cc_init(&ts->cc, ts->snd.mss);
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
void toy_conn_peer(struct sock *sk, const struct sk_buff *skb, u32 irs,
		   u16 mss, u32 tsval)
{
	const struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	struct toy_sock *ts = toy_sk(sk);

	ts->rcv.irs = irs;
	ts->rcv.nxt = irs + 1;
	ts->rcv.wup = ts->rcv.nxt;
	ts->snd.wnd = cb->wnd;
	ts->snd.wl1 = cb->seq;
	ts->snd.wl2 = cb->ack_seq;
	ts->snd.peer_max_msg = cb->wnd;
	ts->snd.max_wnd = cb->wnd;
	ts->rcv.ts_recent = tsval;
	ts->snd.mss = min_t(u16, ts->rcv.adv_mss, mss);
	toy_cc_init(&ts->cc, ts->snd.mss);
	/* the peer's slow start wants every segment ACKed at first */
	ts->rcv.quick = TOY_QUICKACKS;
	ts->rcv.space_stamp = toy_now_us();
	ts->rcv.data_stamp = jiffies;
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

/*
 * ACT_DONE, on entering CLOSE: stop the timers, drop what was still to
 * send and leave the tables. Messages already received stay readable.
 */
static void toy_enter_done(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	sock_hold(sk);
	toy_orphan_uncount(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	toy_timers_stop(sk);
	toy_purge(sk);
	toy_unhash_conn(sk);
	/* a port bind() chose stays with a live socket, as in TCP */
	if (sock_flag(sk, SOCK_DEAD) || ts->child.parent ||
	    !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		toy_unbind(sk);
	/*
	 * A child that never finished its handshake leaves the SYN queue; one
	 * already on the accept queue stays there, as in TCP: accept() still
	 * returns it, with what it received and then the error.
	 */
	if (ts->child.parent && !ts->child.ready)
		toy_child_unlink(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	sock_put(sk);
}

/*
 * ACT_SEND_FIN: our FIN goes behind the messages already queued; the
 * other side reads end-of-stream after them.
 */
static void toy_enter_send_fin(struct sock *sk)
{
	if (toy_queue_ctl(sk, TOY_F_FIN | TOY_F_ACK, sk->sk_allocation)) {
		/* cannot close in order: close hard */
		toy_send_reset(sk);
		toy_abort(sk, 0);
		return;
	}
	toy_push(sk);
}

/* ACT_CONNECTED: the active open completed; connect() may return. */
static void toy_enter_connected(struct sock *sk)
{
	toy_send_ack(sk);
	sk->sk_state_change(sk);
	sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
}

/*
 * ACT_SYNACK: the peer's SYN crossed ours (RFC 793 figure 8). Our SYN,
 * still unacknowledged, goes again as a SYN-ACK; its retransmissions too.
 */
static void toy_enter_syn_crossed(struct sock *sk)
{
	struct sk_buff *syn = skb_peek(&sk->sk_write_queue);

	if (!syn)
		return;
	TOY_SKB_CB(syn)->flags |= TOY_F_ACK;
	toy_retransmit_skb(sk, syn, TOY_RTX_SYN);
}

/* ACT_HALF_CLOSED: our FIN is acknowledged; the peer may still send. */
static void toy_enter_half_closed(struct sock *sk)
{
	sk->sk_shutdown |= SEND_SHUTDOWN;
	/* an orphan must not wait forever for the peer's FIN */
	if (sock_flag(sk, SOCK_DEAD))
		toy_timewait_arm(sk, 2 * toy_pernet(sock_net(sk))->msl_ms);
	else
		sk->sk_state_change(sk);
}

/*
 * ACT_TIME_WAIT: the connection is over, but for 2 x MSL its 4-tuple is
 * kept, to ACK a FIN whose ACK was lost and to let old duplicates die. A
 * small timewait socket keeps it (timewait.c), as TCP's does; this socket
 * closes (CLOSE, with its end of stream still to read). Called before the
 * state is set: no lookup may find a full socket in TIME_WAIT.
 */
static void toy_enter_time_wait(struct sock *sk)
{
	int old = sk->sk_state;
	bool tw;

	/* the peer's FIN is ACKed while the socket still has its port */
	toy_send_ack(sk);
	tw = toy_tw_enter(sk);
	/* traced as the connection's: its timewait socket takes over */
	trace_toy_state_change(sk, old, tw ? TOY_TIME_WAIT : TOY_CLOSE);
	toy_store_state(sk, TOY_CLOSE);
	toy_enter_done(sk);
}

/**
 * toy_state_event - move @sk by @event, as state.c's table says
 * @sk: the socket, owned by the caller (lock_sock() or bh_lock_sock())
 * @event: enum toy_event
 *
 * Sets the new state, then does what entering it takes (the table's
 * action). Every state change of a socket comes through here.
 *
 * Return: false, with nothing changed, if @event cannot happen in the
 * current state.
 */
bool toy_state_event(struct sock *sk, int event)
{
	const struct toy_transition *t = toy_state_next(sk->sk_state, event);

	if (!t)
		return false;
	if (t->action == TOY_ACT_TIME_WAIT) {
		toy_enter_time_wait(sk);
		return true;
	}
	toy_set_state(sk, t->next);
	switch (t->action) {
	case TOY_ACT_SEND_FIN:
		toy_enter_send_fin(sk);
		break;
	case TOY_ACT_CONNECTED:
		toy_enter_connected(sk);
		break;
	case TOY_ACT_SYNACK:
		toy_enter_syn_crossed(sk);
		break;
	case TOY_ACT_ACCEPT:
		toy_child_ready(sk);
		break;
	case TOY_ACT_HALF_CLOSED:
		toy_enter_half_closed(sk);
		break;
	case TOY_ACT_STOP_LISTEN:
		toy_listen_stop(sk);
		break;
	case TOY_ACT_DONE:
		toy_enter_done(sk);
		break;
	}
	return true;
}

/*
 * End the connection at once (ABORT): with @err for the application, or
 * 0 when nobody is to be told (the socket is being closed, or a child
 * that was never accepted).
 */
void toy_abort(struct sock *sk, int err)
{
	if (err) {
		WRITE_ONCE(sk->sk_err, err);
		if (!sock_flag(sk, SOCK_DEAD))
			sk_error_report(sk);
	}
	toy_state_event(sk, TOY_EV_ABORT);
}

void toy_fill_info(struct sock *sk, struct toy_info *info)
{
	const struct toy_sock *ts = toy_sk(sk);

	/* no hidden padding: the same 96 bytes for 32- and 64-bit readers */
	BUILD_BUG_ON(sizeof(*info) != 96);
	BUILD_BUG_ON(offsetof(struct toy_info, toyi_bytes_sent) != 64);
	memset(info, 0, sizeof(*info));
	info->toyi_state = sk->sk_state;
	info->toyi_ca_state = ts->cc.state;
	info->toyi_backoff = ts->rtt.backoff;
	info->toyi_mss = ts->snd.mss;
	info->toyi_rtt_us = ts->rtt.srtt_us;
	info->toyi_rttvar_us = ts->rtt.rttvar_us;
	info->toyi_rto_us = ts->rtt.rto_us;
	info->toyi_snd_cwnd = ts->cc.cwnd;
	info->toyi_snd_ssthresh = ts->cc.ssthresh;
	info->toyi_snd_wnd = ts->snd.wnd;
	info->toyi_rcv_wnd = ts->rcv.wnd;
	info->toyi_snd_una = ts->snd.una;
	info->toyi_snd_nxt = ts->snd.nxt;
	info->toyi_rcv_nxt = ts->rcv.nxt;
	info->toyi_unacked = ts->snd.max - ts->snd.una;
	info->toyi_retrans = ts->stats.retrans;
	info->toyi_lost = ts->stats.timeouts;
	info->toyi_bytes_sent = ts->stats.bytes_sent;
	info->toyi_bytes_received = ts->stats.bytes_received;
	info->toyi_msgs_sent = ts->stats.msgs_sent;
	info->toyi_msgs_received = ts->stats.msgs_received;
}
