/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The passive open: a listener's SYN queue and accept queue, and the
 * children on them. A child on either list is owned by the list (its first
 * reference); accept() hands that reference to the new socket. A child
 * keeps a reference on its listener until it is freed.
 */
#ifndef _TOY_LISTENER_H
#define _TOY_LISTENER_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct sk_buff;
struct sock;

/* A listener's children. */
struct toy_listener {
	struct list_head syn_queue;	/* children in SYN_RECV */
	struct list_head accept_queue;	/* established, waiting for accept() */
	spinlock_t lock;		/* both lists, nr_syn, nr_ready, ready */
	u32 nr_syn;
	u32 nr_ready;
	u32 cookie_tick;		/* the last SYN cookie (cookie.h ticks) */
	bool cookie_sent;		/* a SYN was answered with a cookie */
};

/* A child's link into its listener's lists. */
struct toy_child {
	struct sock *parent;		/* the listener, referenced */
	struct list_head node;		/* on syn_queue or accept_queue */
	bool ready;			/* on the accept queue */
};

void toy_listener_init(struct sock *sk);
struct sock *toy_child_create(struct sock *parent, struct sk_buff *skb);
int toy_child_create_cookie(struct sock *parent, struct sk_buff *skb, u16 mss);
void toy_child_ready(struct sock *child);
void toy_child_unlink(struct sock *child);
struct sock *toy_child_dequeue(struct sock *parent);
void toy_listen_stop(struct sock *parent);

/* syncookies.c */
bool toy_cookie_syn(struct sock *sk, struct sk_buff *skb);
bool toy_cookie_ack(struct sock *sk, struct sk_buff *skb);

#endif /* _TOY_LISTENER_H */
