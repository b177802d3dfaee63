// SPDX-License-Identifier: GPL-2.0
/*
 * TIME_WAIT, as TCP keeps it (inet_timewait_sock, tcp_minisocks.c). When a
 * connection enters TIME_WAIT its socket closes and a small timewait socket
 * (timewait.h) takes its place in the tables for 2 x MSL: it holds the
 * 4-tuple and the port, ACKs a FIN sent again (its last ACK was lost) and
 * ignores resets (RFC 1337). A newer SYN (RFC 6191) or a connect() from
 * the same bound port ends it early. It holds no namespace and no module
 * reference: a namespace that goes away takes its timewait sockets with it
 * (toy_tw_purge()). At most net.toy.max_tw_buckets exist per namespace;
 * beyond, a connection closes at once (TimeWaitOverflow), as in TCP.
 *
 * A timewait socket is on the tables while its timer runs; the tables'
 * reference goes when it leaves them (timer, reuse or purge), lookups take
 * their own.
 *
 * Input finds it without a lock, under RCU (table.c): a reader may still
 * stand on it after its last reference went. So its memory goes back to
 * the cache only after a grace period (call_rcu()), and a reader takes its
 * reference with refcount_inc_not_zero() on sock_common's skc_refcnt, which
 * is the only count it has. Why not SLAB_TYPESAFE_BY_RCU, as TCP's timewait
 * cache: that lets the memory be reused at once, by another timewait
 * socket that a reader's recheck must then tell apart, and an allocation
 * must then neither zero the list links a reader follows nor publish the
 * refcount before the fields; call_rcu() keeps an object an object for as
 * long as anyone can see it, for 16 bytes each and one callback. The
 * module's exit waits for the callbacks (rcu_barrier()).
 */
#include <linux/slab.h>
#include <net/ip.h>
#include <net/xfrm.h>

#include "input.h"
#include "netns.h"
#include "output.h"
#include "reply.h"
#include "sock.h"
#include "table.h"
#include "timewait.h"
#include "trace.h"

static struct kmem_cache *toy_tw_cachep;

int toy_tw_init(void)
{
	toy_tw_cachep = kmem_cache_create("toy_tw_sock",
					  sizeof(struct toy_tw_sock), 0, 0,
					  NULL);
	return toy_tw_cachep ? 0 : -ENOMEM;
}

void toy_tw_exit(void)
{
	/* frees still waiting for their grace period go first */
	rcu_barrier();
	kmem_cache_destroy(toy_tw_cachep);
}

static void toy_tw_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(toy_tw_cachep,
			container_of(head, struct toy_tw_sock, rcu));
}

static void toy_tw_put(struct toy_tw_sock *tw)
{
	if (refcount_dec_and_test(&tw->common.skc_refcnt))
		call_rcu(&tw->rcu, toy_tw_free_rcu);
}

/* Drop a reference on a socket from the tables: full or timewait. */
void toy_sk_put(struct sock *sk)
{
	if (sk->sk_state == TOY_TIME_WAIT)
		toy_tw_put(toy_tw_sk(sk));
	else
		sock_put(sk);
}

/* Off the tables, once: the tables' reference goes. */
static void toy_tw_unhash(struct toy_tw_sock *tw)
{
	struct sock *sk = (struct sock *)tw;

	if (toy_unhash_tw(sk)) {
		trace_toy_state_change(sk, TOY_TIME_WAIT, TOY_CLOSE);
		atomic_dec(&toy_pernet(sock_net(sk))->tw_count);
		toy_tw_put(tw);
	}
}

static unsigned long toy_tw_len(const struct net *net)
{
	return msecs_to_jiffies(2 * READ_ONCE(toy_pernet(net)->msl_ms));
}

static void toy_tw_timer(struct timer_list *t)
{
	struct toy_tw_sock *tw = from_timer(tw, t, timer);

	trace_toy_timewait_expire((struct sock *)tw);
	toy_tw_unhash(tw);
}

/**
 * toy_tw_enter - hand a connection that enters TIME_WAIT to a timewait socket
 * @sk: the connection, owned by the caller; its FIN and the peer's are done
 *
 * The timewait socket takes @sk's place in the connection table (and
 * holds its port); @sk is then closed by the caller.
 *
 * Return: false if there is none (max_tw_buckets, or no memory): the
 * connection then ends without TIME_WAIT.
 */
bool toy_tw_enter(struct sock *sk)
{
	struct toy_net *tn = toy_pernet(sock_net(sk));
	const struct toy_sock *ts = toy_sk(sk);
	struct toy_tw_sock *tw;

	if (atomic_read(&tn->tw_count) >= READ_ONCE(tn->max_tw_buckets))
		goto overflow;
	tw = kmem_cache_zalloc(toy_tw_cachep, GFP_ATOMIC);
	if (!tw)
		goto overflow;
	tw->common.skc_family = sk->sk_family;
	tw->common.skc_state = TOY_TIME_WAIT;
	tw->common.skc_rcv_saddr = sk->sk_rcv_saddr;
	tw->common.skc_daddr = sk->sk_daddr;
	tw->common.skc_dport = sk->sk_dport;
	tw->common.skc_num = sk->sk_num;
	tw->common.skc_bound_dev_if = sk->sk_bound_dev_if;
	tw->common.skc_reuse = sk->sk_reuse;
	write_pnet(&tw->common.skc_net, sock_net(sk));
	refcount_set(&tw->common.skc_refcnt, 1);	/* the tables' */
	tw->sport = inet_sk(sk)->inet_sport;
	tw->rcv_nxt = ts->rcv.nxt;
	tw->snd_nxt = ts->snd.nxt;
	tw->ts_recent = ts->rcv.ts_recent;
	tw->rcv_wnd = ts->rcv.wnd;
	timer_setup(&tw->timer, toy_tw_timer, 0);

	atomic_inc(&tn->tw_count);
	toy_hash_tw((struct sock *)tw, sk);
	mod_timer(&tw->timer, jiffies + toy_tw_len(sock_net(sk)));
	return true;

overflow:
	TOY_INC_STATS(sock_net(sk), TW_OVERFLOW);
	return false;
}

/**
 * toy_tw_kill - end a TIME_WAIT early, for a new connection on its 4-tuple
 * @sk: a timewait socket the caller holds a reference on
 *
 * Return: the ISS for the new connection (toy_tw_next_isn()), or 0 if the
 * wait is ending anyway (its timer is running).
 */
u32 toy_tw_kill(struct sock *sk)
{
	struct toy_tw_sock *tw = toy_tw_sk(sk);

	if (!del_timer(&tw->timer))
		return 0;
	toy_tw_unhash(tw);
	TOY_INC_STATS(sock_net(sk), TW_REUSED);
	return toy_tw_next_isn(tw->snd_nxt);
}

/* ACK @skb as the old connection would: its last numbers, a timestamp. */
static void toy_tw_ack(struct toy_tw_sock *tw, struct sk_buff *skb)
{
	toy_reply_ack(sock_net((struct sock *)tw), skb, tw->snd_nxt,
		      tw->rcv_nxt, tw->rcv_wnd, tw->ts_recent);
}

/**
 * toy_tw_rcv - a segment for a connection in TIME_WAIT
 * @sk: the timewait socket; the caller's reference passes to this call
 * @skb: the segment, checked (ipv4.c)
 *
 * Return: NULL if the segment was dealt with here; or a listener, held,
 * that is to take it: a SYN that RFC 6191 lets open the 4-tuple again,
 * with TOY_SKB_CB(@skb)->tw_isn set.
 */
struct sock *toy_tw_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct toy_tw_sock *tw = toy_tw_sk(sk);
	struct toy_skb_cb *cb = TOY_SKB_CB(skb);
	struct net *net = sock_net(sk);
	struct toy_opts opts;
	struct sock *lsk;
	u32 isn;

	toy_hdr_parse(toy_hdr(skb), skb->len, &opts);
	/* RFC 1337: a reset must not cut TIME_WAIT short */
	if (cb->flags & TOY_F_RST) {
		TOY_INC_STATS(net, IN_RSTS);
		goto drop;
	}
	if ((cb->flags & (TOY_F_SYN | TOY_F_ACK)) == TOY_F_SYN &&
	    toy_tw_syn_acceptable(cb->seq, tw->rcv_nxt, opts.ts, opts.tsval,
				  tw->ts_recent)) {
		lsk = toy_lookup_listener(net, ip_hdr(skb)->daddr,
					  toy_hdr(skb)->dest);
		if (lsk) {
			isn = toy_tw_kill(sk);
			if (isn) {
				cb->tw_isn = isn;
				toy_tw_put(tw);
				return lsk;
			}
			sock_put(lsk);
		}
	}
	/* a FIN again: our last ACK was lost, and the wait starts over */
	if ((cb->flags & TOY_F_FIN) && cb->end_seq == tw->rcv_nxt) {
		if (opts.ts && (s32)(opts.tsval - tw->ts_recent) > 0)
			tw->ts_recent = opts.tsval;
		mod_timer_pending(&tw->timer, jiffies + toy_tw_len(net));
		toy_tw_ack(tw, skb);
	} else if (!toy_oow_limited(net, &tw->last_oow_ack)) {
		/* anything else: an old duplicate; say where we are */
		toy_tw_ack(tw, skb);
	}
drop:
	kfree_skb(skb);
	toy_tw_put(tw);
	return NULL;
}

/* The namespace goes away: so do its timewait sockets. */
void toy_tw_purge(struct net *net)
{
	struct sock *sk;

	while ((sk = toy_find_tw(net))) {
		struct toy_tw_sock *tw = toy_tw_sk(sk);

		del_timer_sync(&tw->timer);
		toy_tw_unhash(tw);
		toy_tw_put(tw);
	}
}
