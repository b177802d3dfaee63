// SPDX-License-Identifier: GPL-2.0
/*
 * Two tables per namespace, both changed under one spinlock:
 *
 *  - bind_hash, by local port: every socket that owns a port, listeners,
 *    connections and their accepted children alike. bind() and the
 *    ephemeral port search look here, under the lock.
 *  - conn_hash, by 4-tuple: every socket with a peer. Input looks here
 *    first, then falls back to a listener in bind_hash.
 *
 * Each table holds a reference on the sockets in it.
 *
 * Every arriving segment looks up conn_hash, so that lookup takes no lock:
 * it walks the chain under rcu_read_lock(), as TCP's
 * __inet_lookup_established(), while writers still take the lock and
 * link or unlink with the _rcu list calls. Two things can go wrong for a
 * reader that holds no lock, and each has its answer:
 *
 *  - The socket it stands on is unhashed and its memory freed. It is not
 *    freed before the reader leaves its RCU section: full sockets carry
 *    SOCK_RCU_FREE (sk_destruct() then frees them after a grace period),
 *    timewait sockets are freed by call_rcu() (timewait.c). But a socket
 *    whose last reference is gone may still be on the reader's way, so
 *    the reader takes its reference with refcount_inc_not_zero() and
 *    passes over a socket at zero.
 *  - The socket is unhashed and hashed again, on another chain (a connect()
 *    that failed, then another to elsewhere), between the reader's steps:
 *    the reader then follows the new chain's links and could end on the
 *    wrong chain, missing the socket it looks for. So the chains are
 *    hlist_nulls lists: the end of each is not NULL but a "nulls" marker
 *    holding its bucket's number; a reader that ends on another bucket's
 *    marker was moved, and starts again. For the same reason the 4-tuple
 *    of a socket found is checked again once the reference is taken: it
 *    may have changed between the match and the refcount_inc_not_zero().
 */
#include <linux/jhash.h>
#include <linux/random.h>

#include "netns.h"
#include "sock.h"
#include "table.h"
#include "timewait.h"

static struct hlist_head *toy_bind_bucket(struct toy_net *tn, u16 port)
{
	return &tn->bind_hash[port & (TOY_HASH_SIZE - 1)];
}

/* The bucket of a 4-tuple in conn_hash: also its chain's nulls value. */
static u32 toy_conn_slot(const struct toy_net *tn, __be32 laddr,
			 __be16 lport, __be32 raddr, __be16 rport)
{
	u32 h = jhash_3words((__force u32)laddr, (__force u32)raddr,
			     ((__force u32)lport << 16) | (__force u32)rport,
			     tn->hash_rnd);

	return h & (TOY_HASH_SIZE - 1);
}

static struct hlist_nulls_head *toy_conn_bucket(struct toy_net *tn,
						__be32 laddr, __be16 lport,
						__be32 raddr, __be16 rport)
{
	return &tn->conn_hash[toy_conn_slot(tn, laddr, lport, raddr, rport)];
}

/*
 * May @sk bind the port that @other holds? The rules of TCP: addresses
 * that cannot both receive a packet never clash; SO_REUSEADDR on the new
 * socket steps over a TIME_WAIT, and over a live connection that allowed
 * it too, but never over a listener.
 */
static bool toy_bind_conflict(const struct sock *sk, const struct sock *other)
{
	__be32 a = inet_sk(sk)->inet_rcv_saddr;
	__be32 b = inet_sk(other)->inet_rcv_saddr;

	if (a && b && a != b)
		return false;
	if (!sk->sk_reuse)
		return true;
	if (other->sk_state == TOY_TIME_WAIT)
		return false;
	return !other->sk_reuse || other->sk_state == TOY_LISTEN;
}

static bool toy_port_used(struct toy_net *tn, u16 port, const struct sock *sk)
{
	struct sock *other;

	sk_for_each_bound(other, toy_bind_bucket(tn, port)) {
		if (other == sk || inet_sk(other)->inet_num != port)
			continue;
		if (!sk || toy_bind_conflict(sk, other))
			return true;
	}
	return false;
}

static void toy_bind_add(struct toy_net *tn, struct sock *sk, u16 port)
{
	inet_sk(sk)->inet_num = port;
	inet_sk(sk)->inet_sport = htons(port);
	sock_hold(sk);
	sk_add_bind_node(sk, toy_bind_bucket(tn, port));
}

/*
 * Bind @sk to @port, or with @port 0 to a free port of the ephemeral
 * range, searched from a random point so that ports are not predictable.
 */
int toy_bind_port(struct sock *sk, u16 port)
{
	struct toy_net *tn = toy_pernet(sock_net(sk));
	int lo, hi, i, span;
	u32 start;

	spin_lock_bh(&tn->table_lock);
	if (port) {
		if (toy_port_used(tn, port, sk))
			goto busy;
		toy_bind_add(tn, sk, port);
		spin_unlock_bh(&tn->table_lock);
		return 0;
	}

	lo = min(tn->port_range[0], tn->port_range[1]);
	hi = max(tn->port_range[0], tn->port_range[1]);
	span = hi - lo + 1;
	start = get_random_u32_below(span);
	for (i = 0; i < span; i++) {
		port = lo + (start + i) % span;
		/* an ephemeral port is shared with nobody */
		if (!toy_port_used(tn, port, NULL)) {
			toy_bind_add(tn, sk, port);
			spin_unlock_bh(&tn->table_lock);
			return 0;
		}
	}
busy:
	spin_unlock_bh(&tn->table_lock);
	return -EADDRINUSE;
}

/*
 * listen() on @sk, which is bound: as at TCP's listen(), no other listener
 * may have the same port and an overlapping address, SO_REUSEADDR or not.
 * Checked and entered under the table lock, so two listen()s cannot both
 * win. Returns 0 or -EADDRINUSE.
 */
int toy_listen_start(struct sock *sk)
{
	struct toy_net *tn = toy_pernet(sock_net(sk));
	__be32 addr = inet_sk(sk)->inet_rcv_saddr;
	u16 port = inet_sk(sk)->inet_num;
	struct sock *other;
	int err = 0;

	spin_lock_bh(&tn->table_lock);
	sk_for_each_bound(other, toy_bind_bucket(tn, port)) {
		__be32 b = inet_sk(other)->inet_rcv_saddr;

		if (other == sk || inet_sk(other)->inet_num != port ||
		    other->sk_state != TOY_LISTEN || (addr && b && addr != b))
			continue;
		err = -EADDRINUSE;
		goto out;
	}
	toy_state_event(sk, TOY_EV_LISTEN);
out:
	spin_unlock_bh(&tn->table_lock);
	return err;
}

/* An accepted connection shares its listener's port, as in TCP. */
void toy_inherit_port(struct sock *child, struct sock *parent)
{
	struct toy_net *tn = toy_pernet(sock_net(child));

	spin_lock_bh(&tn->table_lock);
	toy_bind_add(tn, child, inet_sk(parent)->inet_num);
	spin_unlock_bh(&tn->table_lock);
}

void toy_unbind(struct sock *sk)
{
	struct toy_net *tn = toy_pernet(sock_net(sk));
	bool was_bound = false;

	spin_lock_bh(&tn->table_lock);
	if (!hlist_unhashed(&sk->sk_bind_node)) {
		__sk_del_bind_node(sk);
		sk_node_init(&sk->sk_bind_node);
		/* no port kept in secret: a next connect() binds afresh */
		inet_sk(sk)->inet_num = 0;
		inet_sk(sk)->inet_sport = 0;
		was_bound = true;
	}
	spin_unlock_bh(&tn->table_lock);
	if (was_bound)
		__sock_put(sk);
}

/* sock_common's fields only: @sk may be a timewait socket */
static bool toy_conn_match(const struct sock *sk, __be32 laddr, __be16 lport,
			   __be32 raddr, __be16 rport)
{
	return sk->sk_rcv_saddr == laddr && sk->sk_num == ntohs(lport) &&
	       sk->sk_daddr == raddr && sk->sk_dport == rport;
}

/* The socket of a 4-tuple, not held; under the table lock. */
static struct sock *toy_conn_find(struct toy_net *tn, __be32 laddr,
				  __be16 lport, __be32 raddr, __be16 rport)
{
	struct hlist_nulls_node *node;
	struct sock *sk;

	sk_nulls_for_each(sk, node,
			  toy_conn_bucket(tn, laddr, lport, raddr, rport)) {
		if (toy_conn_match(sk, laddr, lport, raddr, rport))
			return sk;
	}
	return NULL;
}

/*
 * The socket of a 4-tuple, held, or NULL; without the lock (the comment at
 * the top of this file says why each step is there).
 */
static struct sock *toy_conn_find_rcu(struct toy_net *tn, __be32 laddr,
				      __be16 lport, __be32 raddr,
				      __be16 rport)
{
	u32 slot = toy_conn_slot(tn, laddr, lport, raddr, rport);
	struct hlist_nulls_node *node;
	struct sock *sk;

	rcu_read_lock();
begin:
	sk_nulls_for_each_rcu(sk, node, &tn->conn_hash[slot]) {
		if (!toy_conn_match(sk, laddr, lport, raddr, rport))
			continue;
		/* at zero it is on its way out: as good as not there */
		if (unlikely(!refcount_inc_not_zero(&sk->sk_refcnt)))
			goto none;
		/* it may have been hashed again with another 4-tuple */
		if (unlikely(!toy_conn_match(sk, laddr, lport, raddr, rport))) {
			toy_sk_put(sk);
			goto begin;
		}
		goto out;
	}
	/* ended on another chain's marker: the walk was moved, walk again */
	if (get_nulls_value(node) != slot)
		goto begin;
none:
	sk = NULL;
out:
	rcu_read_unlock();
	return sk;
}

/**
 * toy_hash_conn - enter a connecting socket with its peer
 * @sk: the socket, owned by the caller, with its 4-tuple set
 * @isn: set to the ISS the connection must use, or 0 for a fresh one
 *
 * A 4-tuple still in TIME_WAIT is given up to a socket whose port was
 * bound explicitly, as tcp_twsk_unique() gives it when timestamps (always
 * on here) keep the old connection's duplicates apart; the new connection
 * then starts beyond the old one's sequence numbers.
 *
 * Return: 0, or -EADDRNOTAVAIL if the 4-tuple is taken.
 */
int toy_hash_conn(struct sock *sk, u32 *isn)
{
	struct toy_net *tn = toy_pernet(sock_net(sk));
	struct inet_sock *inet = inet_sk(sk);
	bool tried = false;
	struct sock *old;

	*isn = 0;
again:
	spin_lock_bh(&tn->table_lock);
	old = toy_conn_find(tn, inet->inet_rcv_saddr, inet->inet_sport,
			    inet->inet_daddr, inet->inet_dport);
	if (!old) {
		/* the table's reference; _rcu: readers walk it unlocked */
		sk_nulls_add_node_rcu(sk, toy_conn_bucket(tn,
							  inet->inet_rcv_saddr,
							  inet->inet_sport,
							  inet->inet_daddr,
							  inet->inet_dport));
		spin_unlock_bh(&tn->table_lock);
		return 0;
	}
	if (tried || old->sk_state != TOY_TIME_WAIT ||
	    !(sk->sk_userlocks & SOCK_BINDPORT_LOCK) ||
	    !toy_tw_sk(old)->ts_recent) {
		spin_unlock_bh(&tn->table_lock);
		return -EADDRNOTAVAIL;
	}
	sock_hold(old);
	spin_unlock_bh(&tn->table_lock);
	*isn = toy_tw_kill(old);
	toy_sk_put(old);
	tried = true;
	goto again;
}

/*
 * A timewait socket @tw takes the place of @sk, which enters TIME_WAIT, in
 * the connection table, and holds the port too. @sk's table reference goes.
 */
void toy_hash_tw(struct sock *tw, struct sock *sk)
{
	struct toy_net *tn = toy_pernet(sock_net(sk));
	bool was_hashed;

	spin_lock_bh(&tn->table_lock);
	was_hashed = __sk_nulls_del_node_init_rcu(sk);
	/* @tw's fields and refcount are set: a reader may find it now */
	__sk_nulls_add_node_rcu(tw, toy_conn_bucket(tn, tw->sk_rcv_saddr,
						    htons(tw->sk_num),
						    tw->sk_daddr,
						    tw->sk_dport));
	hlist_add_head(&tw->sk_bind_node, toy_bind_bucket(tn, tw->sk_num));
	spin_unlock_bh(&tn->table_lock);
	if (was_hashed)
		__sock_put(sk);
}

/* Take a timewait socket off both tables; true if it was on them. */
bool toy_unhash_tw(struct sock *tw)
{
	struct toy_net *tn = toy_pernet(sock_net(tw));
	bool was_hashed = false;

	spin_lock_bh(&tn->table_lock);
	if (__sk_nulls_del_node_init_rcu(tw)) {
		hlist_del_init(&tw->sk_bind_node);
		was_hashed = true;
	}
	spin_unlock_bh(&tn->table_lock);
	return was_hashed;
}

/* Any timewait socket of @net, held, or NULL. */
struct sock *toy_find_tw(struct net *net)
{
	struct toy_net *tn = toy_pernet(net);
	struct hlist_nulls_node *node;
	struct sock *sk = NULL;
	unsigned int i;

	spin_lock_bh(&tn->table_lock);
	for (i = 0; i < TOY_HASH_SIZE; i++) {
		sk_nulls_for_each(sk, node, &tn->conn_hash[i])
			if (sk->sk_state == TOY_TIME_WAIT)
				goto found;
	}
	sk = NULL;
found:
	if (sk)
		sock_hold(sk);
	spin_unlock_bh(&tn->table_lock);
	return sk;
}

void toy_unhash_conn(struct sock *sk)
{
	struct toy_net *tn = toy_pernet(sock_net(sk));
	bool was_hashed;

	spin_lock_bh(&tn->table_lock);
	was_hashed = __sk_nulls_del_node_init_rcu(sk);
	spin_unlock_bh(&tn->table_lock);
	if (was_hashed)
		__sock_put(sk);
}

static struct sock *toy_listener_find(struct toy_net *tn, __be32 laddr,
				      u16 lport)
{
	struct sock *sk, *wild = NULL;

	sk_for_each_bound(sk, toy_bind_bucket(tn, lport)) {
		const struct inet_sock *inet = inet_sk(sk);

		if (sk->sk_state != TOY_LISTEN || inet->inet_num != lport)
			continue;
		if (inet->inet_rcv_saddr == laddr)
			return sk;
		if (!inet->inet_rcv_saddr)
			wild = sk;
	}
	return wild;
}

/*
 * The listener for @daddr:@dport, with a reference held, or NULL. Under
 * the lock (bind_hash is not walked unlocked): listeners are looked up for
 * handshakes only, connections' segments stop at conn_hash. _bh: a
 * timewait socket's SYN may come here from a backlog, in process context.
 */
struct sock *toy_lookup_listener(struct net *net, __be32 daddr, __be16 dport)
{
	struct toy_net *tn = toy_pernet(net);
	struct sock *sk;

	spin_lock_bh(&tn->table_lock);
	sk = toy_listener_find(tn, daddr, ntohs(dport));
	if (sk)
		sock_hold(sk);
	spin_unlock_bh(&tn->table_lock);
	return sk;
}

/*
 * The connection (or TIME_WAIT) of the 4-tuple of a segment from
 * @saddr:@sport to @daddr:@dport, with a reference held, or NULL: what
 * toy_lookup() finds before it falls back to a listener.
 */
struct sock *toy_lookup_conn(struct net *net, __be32 saddr, __be16 sport,
			     __be32 daddr, __be16 dport)
{
	return toy_conn_find_rcu(toy_pernet(net), daddr, dport, saddr, sport);
}

/*
 * The socket an arriving segment from @saddr:@sport to @daddr:@dport
 * belongs to, with a reference held, or NULL.
 */
struct sock *toy_lookup(struct net *net, __be32 saddr, __be16 sport,
			__be32 daddr, __be16 dport)
{
	struct sock *sk;

	sk = toy_conn_find_rcu(toy_pernet(net), daddr, dport, saddr, sport);
	return sk ?: toy_lookup_listener(net, daddr, dport);
}
