/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One AF_TOY endpoint: the socket, its connection state and its queues.
 *
 * Locking follows TCP. Process context owns the socket with lock_sock();
 * softirq input and timers take bh_lock_sock() and, when a process owns the
 * socket, leave the work for release_sock(): input goes to the backlog,
 * timer events to @timers.deferred, which toy_release_cb() runs.
 */
#ifndef _TOY_SOCK_H
#define _TOY_SOCK_H

#include <net/inet_sock.h>
#include <net/sock.h>
#include <linux/toy.h>

#include "cc.h"
#include "listener.h"
#include "ooo.h"
#include "recovery.h"
#include "rtt.h"
#include "state.h"
#include "timer.h"
#include "wire.h"

/* Room for link, IP and AF_TOY headers in front of every segment. */
#define TOY_MAX_HEADER		(128 + MAX_HEADER)
/* RFC 879: the segment size to assume until the peer says otherwise. */
#define TOY_DEFAULT_MSS		536
/* segments ACKed one by one at the start and after idle, as TCP's quick-ACK */
#define TOY_QUICKACKS		16

/* What the sending and the receiving side keep with each segment. */
struct toy_skb_cb {
	u32 seq;		/* first sequence number */
	u32 end_seq;		/* seq + payload (+1 for SYN and FIN) */
	u32 ack_seq;		/* received: the segment's ACK */
	u32 wnd;		/* received: the window it advertised */
	u32 sent_us;		/* sent: when it last left, for RTT */
	u32 tw_isn;		/* received SYN that ended a TIME_WAIT: the
				 * new connection's ISS (timewait.h); 0: none
				 */
	/* sent and resent: its place in toy_recovery.rtx (scoreboard.c) */
	struct list_head rtx_node;
	u16 segs;		/* received: segments it carries (offload.c) */
	u8 flags;		/* TOY_F_* */
	u8 retrans;		/* sent: how often it was resent */
	u8 sacked;		/* sent: the peer has it out of order */
	u8 in_rtx;		/* sent: on toy_recovery.rtx */
};

/* it lives in skb->cb, which it fills exactly (48 bytes) */
static_assert(sizeof(struct toy_skb_cb) <= sizeof_field(struct sk_buff, cb));

#define TOY_SKB_CB(skb) ((struct toy_skb_cb *)&((skb)->cb[0]))

/* The segment whose control block holds @node (toy_recovery.rtx). */
static inline struct sk_buff *toy_rtx_skb(struct list_head *node)
{
	struct toy_skb_cb *cb = list_entry(node, struct toy_skb_cb, rtx_node);

	return container_of((void *)cb, struct sk_buff, cb);
}

/*
 * Send sequence space (RFC 793 3.2): SND.UNA, SND.NXT, SND.WND, ...
 *
 *      1         2          3          4
 *  ----------|----------|----------|----------
 *         SND.UNA    SND.NXT    SND.UNA+SND.WND
 *  1: acknowledged, 2: sent, not acknowledged, 3: may be sent, 4: may not
 */
struct toy_snd {
	struct sk_buff *head;		/* first segment never sent */
	u32 una;			/* oldest unacknowledged */
	u32 nxt;			/* next to transmit */
	u32 max;			/* highest ever transmitted + 1 */
	u32 write_seq;			/* next to queue: end of write queue */
	u32 wnd;			/* peer's advertised window */
	u32 wl1;			/* seq of the last window update */
	u32 wl2;			/* ack of the last window update */
	u32 iss;			/* our initial sequence number */
	u32 peer_max_msg;		/* window in the peer's SYN: its capacity */
	u32 max_wnd;			/* the largest window the peer offered */
	u32 ack_stamp;			/* jiffies (low 32 bits) of the last ACK */
	u32 mtu_info;			/* next hop MTU from ICMP (icmp.c) */
	u16 mss;			/* payload bytes per segment */
	u8 nodelay;			/* TOY_NODELAY */
	bool fin_queued;		/* our FIN is on the write queue */
};

/* Receive sequence space: RCV.NXT, RCV.WND, and what waits for the reader. */
struct toy_rcv {
	struct sk_buff_head ooo_queue;	/* out of order, sorted by seq */
	struct toy_reasm reasm;		/* the partial message */
	u32 nxt;			/* next expected */
	u32 wnd;			/* last advertised window */
	u32 wup;			/* rcv.nxt when rcv.wnd was advertised */
	u32 irs;			/* the peer's initial sequence number */
	u32 ts_recent;			/* peer's TSval to echo (RFC 7323) */
	u32 queued;			/* payload bytes held for the reader */
	u32 ooo_last;			/* seq of the latest out-of-order arrival */
	u32 ratio;			/* payload per truesize (toy_rcv_ratio()) */
	u32 last_oow_ack;		/* jiffies of the last out-of-window ACK */
	u32 cap_told;			/* capacity our SYN or SYN-ACK announced */
	u32 rtt_us;			/* receiver's RTT estimate (timestamps) */
	u32 rtt_tsecr;			/* the echo rtt_us last sampled */
	u32 space;			/* most the reader took in one RTT */
	u32 space_copied;		/* what it took since space_stamp */
	u32 space_stamp;		/* us: start of that round trip */
	u32 data_stamp;			/* jiffies of the last data received */
	struct toy_sack_block dsack;	/* a duplicate to report (RFC 2883) */
	u16 adv_mss;			/* what we told the peer */
	u8 ack_pending;			/* segments received, not yet ACKed */
	u8 quick;			/* ACKs still sent at once (quick-ACK) */
	bool dsack_pending;
};

/* What socket calls report in struct toy_info: counters of this socket. */
struct toy_sock_stats {
	u64 bytes_sent;
	u64 bytes_received;
	u64 msgs_sent;
	u64 msgs_received;
	u32 retrans;			/* segments resent */
	u32 timeouts;			/* retransmission timeouts */
};

/*
 * One connection, or one listener. The groups a segment or an ACK touches
 * come last, together, so that they hold no hole.
 */
struct toy_sock {
	struct inet_sock inet;		/* must be first */

	struct toy_child child;		/* a child's link to its listener */
	struct toy_listener lsn;	/* a listener's children (listener.c) */
	struct toy_sock_stats stats;
	struct toy_timers timers;	/* timer.c */

	struct toy_snd snd;		/* send sequence space */
	struct toy_rcv rcv;		/* receive sequence space */
	struct toy_rtt rtt;		/* RFC 6298 estimator (rtt.c) */
	struct toy_cc cc;		/* congestion control (cc.c) */
	struct toy_recovery rec;	/* loss recovery (recovery.c) */
};

static inline struct toy_sock *toy_sk(const struct sock *sk)
{
	return (struct toy_sock *)sk;
}

/* Payload and control bytes sent and not yet acknowledged. */
static inline u32 toy_in_flight(const struct toy_sock *ts)
{
	return ts->snd.nxt - ts->snd.una;
}

/*
 * The receive buffer a connection lives by: SO_RCVBUF, but never less than
 * twice the capacity our SYN or SYN-ACK announced (capacity is half the
 * buffer). The peer sizes its messages by that promise; a buffer shrunk
 * below it after the handshake would refuse a message forever.
 */
static inline int toy_rcvbuf(const struct sock *sk)
{
	return max_t(int, READ_ONCE(sk->sk_rcvbuf),
		     2 * toy_sk(sk)->rcv.cap_told);
}

/* Half the receive buffer carries payload; the rest pays for overhead. */
static inline u32 toy_rcv_capacity(const struct sock *sk)
{
	return toy_rcvbuf(sk) / 2;
}

static inline bool toy_state_connected(int state)
{
	return (1 << state) & ((1 << TOY_ESTABLISHED) | (1 << TOY_CLOSE_WAIT));
}

/* Has @skb been transmitted at least once? */
static inline bool toy_skb_sent(const struct toy_sock *ts,
				const struct sk_buff *skb)
{
	return (s32)(TOY_SKB_CB(skb)->seq - ts->snd.max) < 0;
}

/* POLLOUT: at least half the send buffer is free. */
static inline bool toy_writable(const struct sock *sk)
{
	return READ_ONCE(sk->sk_wmem_queued) <= READ_ONCE(sk->sk_sndbuf) / 2;
}

extern struct proto toy_prot;
extern const struct proto_ops toy_seqpacket_ops;

/* conn.c */
void toy_sock_init(struct sock *sk);
void toy_purge(struct sock *sk);
u16 toy_route_mss(const struct dst_entry *dst);
void toy_conn_reset(struct sock *sk);
void toy_conn_set_snd(struct toy_sock *ts, u32 iss, u32 nxt);
void toy_conn_start_seq(struct sock *sk);
void toy_conn_peer(struct sock *sk, const struct sk_buff *skb, u32 irs,
		   u16 mss, u32 tsval);
void toy_conn_peer_syn(struct sock *sk, struct sk_buff *syn);
bool toy_state_event(struct sock *sk, int event);
void toy_abort(struct sock *sk, int err);
void toy_fill_info(struct sock *sk, struct toy_info *info);

/* msg.c */
int toy_sendmsg(struct socket *sock, struct msghdr *msg, size_t len);
int toy_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		int flags);

/* input.c, for the backlog */
int toy_do_rcv(struct sock *sk, struct sk_buff *skb);

#endif /* _TOY_SOCK_H */
