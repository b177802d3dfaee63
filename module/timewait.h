/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TIME_WAIT (timewait.c): the small socket that keeps a finished
 * connection's 4-tuple, and the rules on reusing it, kept pure for KUnit.
 */
#ifndef _TOY_TIMEWAIT_H
#define _TOY_TIMEWAIT_H

#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <net/sock.h>

#include "seq.h"

/*
 * A connection in TIME_WAIT, as TCP's inet_timewait_sock: what the wait
 * needs and nothing else, so that a busy server's thousands of them cost
 * little, and neither the namespace nor the module is held by them. It
 * starts with a struct sock_common so it sits in the same tables as full
 * sockets: sk_state (TOY_TIME_WAIT) tells them apart.
 */
struct toy_tw_sock {
	struct sock_common common;	/* addresses, ports, state, refcount */
	struct timer_list timer;	/* 2 x MSL */
	u32 rcv_nxt;			/* the peer's FIN is below it */
	u32 snd_nxt;			/* after our FIN */
	u32 ts_recent;			/* the peer's last timestamp */
	u32 rcv_wnd;			/* the window our ACKs announce */
	u32 last_oow_ack;		/* jiffies: ACKs to stray segments */
	__be16 sport;			/* inet_sport, not in sock_common */
	struct rcu_head rcu;		/* freed after lockless readers */
};

static inline struct toy_tw_sock *toy_tw_sk(const struct sock *sk)
{
	return (struct toy_tw_sock *)sk;
}

int toy_tw_init(void);
void toy_tw_exit(void);
bool toy_tw_enter(struct sock *sk);
struct sock *toy_tw_rcv(struct sock *sk, struct sk_buff *skb);
u32 toy_tw_kill(struct sock *sk);
void toy_tw_purge(struct net *net);
void toy_sk_put(struct sock *sk);

/*
 * RFC 6191 (and RFC 1122 4.2.2.13): a SYN for a 4-tuple in TIME_WAIT may
 * open a new connection if it cannot be an old duplicate: its sequence
 * number lies beyond the old connection's, or its timestamp is newer than
 * the last one the old connection saw.
 */
static inline bool toy_tw_syn_acceptable(u32 seq, u32 rcv_nxt, bool has_ts,
					 u32 tsval, u32 ts_recent)
{
	if (has_ts && ts_recent && (s32)(tsval - ts_recent) > 0)
		return true;
	return toy_seq_after(seq, rcv_nxt);
}

/*
 * The new connection's first sequence number: beyond anything the old one
 * sent, by more than a window, so no old duplicate of ours is taken for new
 * data (tcp_timewait_state_process()'s snd_nxt + 65535 + 2). Never 0, which
 * means "none".
 */
static inline u32 toy_tw_next_isn(u32 old_snd_nxt)
{
	return old_snd_nxt + 65535 + 2 ?: 1;
}

#endif /* _TOY_TIMEWAIT_H */
