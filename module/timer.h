/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timers of a connection, one entry point per event: retransmission
 * (RFC 6298), delayed ACK (RFC 1122), zero-window probe (persist), an
 * orphan's FIN_WAIT2 limit (TIME_WAIT itself is timewait.c's), and RACK's
 * two (RFC 8985): the reordering timer and the tail loss probe.
 *
 * The retransmission timeout and RACK's two events all watch data in
 * flight, and an ACK moves all three. They share one timer_list, as TCP's
 * icsk_retransmit_timer serves its RTO, loss probe and reordering timeout:
 * each event keeps its own deadline, and the timer is set for the
 * earliest. An ACK that moves several deadlines re-arms the timer once.
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
	TOY_XMIT_DEFERRED,
	TOY_DELACK_DEFERRED,
	TOY_PERSIST_DEFERRED,
	TOY_TIMEWAIT_DEFERRED,
	TOY_MTU_DEFERRED,
};

/* The events of the retransmission timer, in the order they run. */
enum toy_xmit_event {
	TOY_XMIT_RTO,			/* retransmission timeout (RFC 6298) */
	TOY_XMIT_REO,			/* RACK: a segment becomes overdue */
	TOY_XMIT_TLP,			/* RACK: probe a silent tail */
	TOY_XMIT_EVENTS,
};

/* A connection's timers and the counts that bound them. */
struct toy_timers {
	struct timer_list xmit;		/* the earliest of due[] */
	struct timer_list delack;	/* delayed ACK (RFC 1122) */
	struct timer_list persist;	/* zero-window probe */
	struct timer_list timewait;	/* an orphan's FIN_WAIT2: 2 x MSL */
	unsigned long due[TOY_XMIT_EVENTS];	/* jiffies, if armed */
	unsigned long deferred;		/* TOY_*_DEFERRED bits */
	u32 clock_us;			/* the instant of the work running */
	u8 clock_depth;			/* toy_clock_start() depth */
	u8 armed;			/* BIT(TOY_XMIT_*): due[] holds */
	u8 held;			/* toy_xmit_hold() depth */
	u8 retries;			/* timeouts in a row for the same data */
	u8 probes;			/* zero-window probes: their backoff */
	u8 probes_out;			/* probes the peer has not answered */
	bool orphan;			/* counted in toy_orphan_count */
};

/*
 * The earliest of the deadlines @armed holds (BIT(TOY_XMIT_*), not 0), in
 * jiffies: they wrap, so compared as time_before() does. Socket-free for
 * KUnit.
 */
static inline unsigned long toy_xmit_earliest(const unsigned long *due,
					      u8 armed)
{
	unsigned long when = 0;
	bool found = false;
	unsigned int i;

	for (i = 0; i < TOY_XMIT_EVENTS; i++) {
		if (!(armed & BIT(i)))
			continue;
		if (!found || time_before(due[i], when))
			when = due[i];
		found = true;
	}
	return when;
}

void toy_timers_init(struct sock *sk);
void toy_timers_stop(struct sock *sk);
void toy_release_cb(struct sock *sk);

u32 toy_now_us(void);
void toy_clock_start(struct sock *sk);
void toy_clock_end(struct sock *sk);
u32 toy_clock_us(struct sock *sk);
void toy_xmit_hold(struct sock *sk);
void toy_xmit_release(struct sock *sk);
void toy_rto_arm(struct sock *sk);
void toy_rto_restart(struct sock *sk);
void toy_rto_stop(struct sock *sk);
void toy_delack_arm(struct sock *sk);
void toy_reo_arm(struct sock *sk, u32 us);
void toy_tlp_arm(struct sock *sk);
void toy_persist_arm(struct sock *sk);
void toy_persist_stop(struct sock *sk);
void toy_timewait_arm(struct sock *sk, unsigned int ms);

#endif /* _TOY_TIMER_H */
