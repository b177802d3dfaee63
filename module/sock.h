/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One AF_TOY endpoint: the socket, its connection state and its queues.
 *
 * Locking follows TCP. Process context owns the socket with lock_sock();
 * softirq input and timers take bh_lock_sock() and, when a process owns the
 * socket, leave the work for release_sock(): input goes to the backlog,
 * timer events to @deferred, which toy_release_cb() runs.
 */
#ifndef _TOY_SOCK_H
#define _TOY_SOCK_H

#include <net/inet_sock.h>
#include <net/sock.h>
#include <linux/toy.h>

#include "cc.h"
#include "ooo.h"
#include "rtt.h"
#include "wire.h"

/* Room for link, IP and AF_TOY headers in front of every segment. */
#define TOY_MAX_HEADER		(128 + MAX_HEADER)
/* RFC 879: the segment size to assume until the peer says otherwise. */
#define TOY_DEFAULT_MSS		536

/* What the sending and the receiving side keep with each segment. */
struct toy_skb_cb {
	u32 seq;		/* first sequence number */
	u32 end_seq;		/* seq + payload (+1 for SYN and FIN) */
	u32 ack_seq;		/* received: the segment's ACK */
	u32 wnd;		/* received: the window it advertised */
	u32 sent_us;		/* sent: when it last left, for RTT */
	u8 flags;		/* TOY_F_* */
	u8 retrans;		/* sent: how often it was resent */
	u8 sacked;		/* sent: the peer has it out of order */
};

#define TOY_SKB_CB(skb) ((struct toy_skb_cb *)&((skb)->cb[0]))

/* Timer events deferred while a process owned the socket. */
enum {
	TOY_RTO_DEFERRED,
	TOY_DELACK_DEFERRED,
	TOY_PERSIST_DEFERRED,
	TOY_TIMEWAIT_DEFERRED,
	TOY_REO_DEFERRED,
	TOY_TLP_DEFERRED,
};

struct toy_sock {
	struct inet_sock inet;		/* must be first */

	/* send sequence space (RFC 793 3.2) */
	u32 snd_una;			/* oldest unacknowledged */
	u32 snd_nxt;			/* next to transmit */
	u32 snd_max;			/* highest ever transmitted + 1 */
	u32 write_seq;			/* next to queue: end of write queue */
	u32 snd_wnd;			/* peer's advertised window */
	u32 snd_wl1;			/* seq of the last window update */
	u32 snd_wl2;			/* ack of the last window update */
	u32 peer_max_msg;		/* window in the peer's SYN: its capacity */
	u32 iss;

	/* receive sequence space */
	u32 rcv_nxt;			/* next expected */
	u32 rcv_wnd;			/* last advertised window */
	u32 rcv_wup;			/* rcv_nxt when rcv_wnd was advertised */
	u32 irs;
	u32 ts_recent;			/* peer's TSval to echo (RFC 7323) */
	u32 rcv_queued;			/* payload bytes held for the reader */
	struct toy_reasm reasm;		/* the partial message */
	struct sk_buff_head ooo_queue;	/* out of order, sorted by seq */
	u32 ooo_last;			/* seq of the latest arrival there */
	struct toy_sack_block dsack;	/* a duplicate to report (RFC 2883) */
	bool dsack_pending;

	u16 mss;			/* payload bytes per segment */
	u16 adv_mss;			/* what we told the peer */
	u8 dupacks;
	u32 sacked_out;			/* segments SACKed, not yet ACKed */
	u32 rack_us;			/* sent time of the newest delivered */
	u32 rack_rtt_us;		/* and its round trip */
	bool rack_valid;
	bool tlp_out;			/* a tail loss probe is unanswered */
	u32 tlp_high;			/* snd_max when it went out */
	/* reordering (RFC 8985 6.2, 7.2) and undo of a needless reduction */
	bool reord_seen;		/* a segment sent once was overtaken */
	bool fack_valid;
	u32 fack;			/* highest end_seq delivered */
	u32 reo_low;			/* lowest delivered by this ACK, sent once */
	bool reo_low_valid;
	u8 reo_steps;			/* reordering window in quarter RTTs */
	u8 reo_decay;			/* recoveries left before both reset */
	u32 dsack_round;		/* one widening per round trip */
	bool undo_valid;		/* a reduction may still be undone */
	u32 undo_marker;		/* snd_una at that reduction */
	u32 undo_retrans;		/* its resends not yet reported spurious */
	u8 retries;			/* timeouts in a row for the same data */
	u8 probes;			/* zero-window probes: their backoff */
	u8 probes_out;			/* probes the peer has not answered */
	u8 nodelay;
	u8 ack_pending;			/* segments received, not yet ACKed */
	bool fin_queued;		/* our FIN is on the write queue */

	struct toy_rtt rtt;
	struct toy_cc cc;

	struct sk_buff *send_head;	/* first segment never sent */

	struct timer_list rto_timer;
	struct timer_list delack_timer;
	struct timer_list persist_timer;
	struct timer_list timewait_timer;
	struct timer_list reo_timer;	/* RACK: a segment becomes overdue */
	struct timer_list tlp_timer;	/* RACK: probe a silent tail */
	unsigned long deferred;

	/* a listener's children, and a child's link into one of the lists */
	struct sock *parent;		/* a child's listener, referenced */
	struct list_head syn_queue;	/* children in SYN_RECV */
	struct list_head accept_queue;	/* established, waiting for accept() */
	struct list_head child_node;
	spinlock_t accept_lock;		/* both lists, nr_syn, nr_ready, ready */
	u32 nr_syn;
	u32 nr_ready;
	bool ready;			/* a child on the accept queue */
	bool cookie_sent;		/* a listener answered with a SYN cookie */
	u32 cookie_tick;		/* the last time it did (cookie.h ticks) */

	/* per-socket statistics */
	u32 total_retrans;
	u32 total_timeouts;
	u64 bytes_sent;
	u64 bytes_received;
	u64 msgs_sent;
	u64 msgs_received;
};

static inline struct toy_sock *toy_sk(const struct sock *sk)
{
	return (struct toy_sock *)sk;
}

/* Payload and control bytes sent and not yet acknowledged. */
static inline u32 toy_in_flight(const struct toy_sock *ts)
{
	return ts->snd_nxt - ts->snd_una;
}

static inline bool toy_state_connected(int state)
{
	return (1 << state) & ((1 << TOY_ESTABLISHED) | (1 << TOY_CLOSE_WAIT));
}

/* Has @skb been transmitted at least once? */
static inline bool toy_skb_sent(const struct toy_sock *ts,
				const struct sk_buff *skb)
{
	return (s32)(TOY_SKB_CB(skb)->seq - ts->snd_max) < 0;
}

/* POLLOUT: at least half the send buffer is free. */
static inline bool toy_writable(const struct sock *sk)
{
	return READ_ONCE(sk->sk_wmem_queued) <= READ_ONCE(sk->sk_sndbuf) / 2;
}

extern struct proto toy_prot;
extern const struct proto_ops toy_seqpacket_ops;

/* conn.c */
const char *toy_state_name(int state);
void toy_set_state(struct sock *sk, int state);
void toy_sock_init(struct sock *sk);
void toy_purge(struct sock *sk);
u16 toy_route_mss(const struct dst_entry *dst);
void toy_rtt_update(struct sock *sk, u32 sample_us);
void toy_conn_start_seq(struct sock *sk);
void toy_conn_peer_syn(struct sock *sk, struct sk_buff *syn);
void toy_done(struct sock *sk);
void toy_abort(struct sock *sk, int err);
struct sock *toy_child_create(struct sock *parent, struct sk_buff *skb);
int toy_child_create_cookie(struct sock *parent, struct sk_buff *skb, u16 mss);
void toy_child_ready(struct sock *child);
struct sock *toy_child_dequeue(struct sock *parent);
void toy_listen_stop(struct sock *parent);
void toy_fill_info(struct sock *sk, struct toy_info *info);

/* msg.c */
int toy_sendmsg(struct socket *sock, struct msghdr *msg, size_t len);
int toy_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		int flags);

/* input.c, for the backlog */
int toy_do_rcv(struct sock *sk, struct sk_buff *skb);

/* syncookies.c */
bool toy_cookie_syn(struct sock *sk, struct sk_buff *skb);
bool toy_cookie_ack(struct sock *sk, struct sk_buff *skb);

#endif /* _TOY_SOCK_H */
