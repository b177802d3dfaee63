/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The six timers of a connection, one entry point per event:
 * retransmission (RFC 6298), delayed ACK (RFC 1122), zero-window probe
 * (persist), an orphan's FIN_WAIT2 limit (TIME_WAIT itself is timewait.c's), and
 * RACK's two (RFC 8985): the reordering timer and the tail loss probe.
 */
#ifndef _TOY_TIMER_H
#define _TOY_TIMER_H

#include <linux/timer.h>
#include <net/sock.h>

/*
 * Events deferred while a process owned the socket: the timers', and one
 * from softirq, an ICMP "fragmentation needed" (icmp.c).
 */
enum {
	TOY_RTO_DEFERRED,
	TOY_DELACK_DEFERRED,
	TOY_PERSIST_DEFERRED,
	TOY_TIMEWAIT_DEFERRED,
	TOY_REO_DEFERRED,
	TOY_TLP_DEFERRED,
	TOY_MTU_DEFERRED,
};

/* A connection's timers and the counts that bound them. */
struct toy_timers {
	struct timer_list rto;		/* retransmission (RFC 6298) */
	struct timer_list delack;	/* delayed ACK (RFC 1122) */
	struct timer_list persist;	/* zero-window probe */
	struct timer_list timewait;	/* an orphan's FIN_WAIT2: 2 x MSL */
	struct timer_list reo;		/* RACK: a segment becomes overdue */
	struct timer_list tlp;		/* RACK: probe a silent tail */
	unsigned long deferred;		/* TOY_*_DEFERRED bits */
	u8 retries;			/* timeouts in a row for the same data */
	u8 probes;			/* zero-window probes: their backoff */
	u8 probes_out;			/* probes the peer has not answered */
	bool orphan;			/* counted in toy_orphan_count */
};

void toy_timers_init(struct sock *sk);
void toy_timers_stop(struct sock *sk);
void toy_release_cb(struct sock *sk);

void toy_rto_arm(struct sock *sk);
void toy_rto_restart(struct sock *sk);
void toy_rto_stop(struct sock *sk);
void toy_delack_arm(struct sock *sk);
void toy_delack_stop(struct sock *sk);
void toy_reo_arm(struct sock *sk, u32 us);
void toy_tlp_arm(struct sock *sk);
void toy_persist_arm(struct sock *sk);
void toy_persist_stop(struct sock *sk);
void toy_timewait_arm(struct sock *sk, unsigned int ms);

#endif /* _TOY_TIMER_H */
