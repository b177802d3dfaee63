// SPDX-License-Identifier: GPL-2.0
/*
 * Timers. Each callback takes the socket's spinlock; if a process owns the
 * socket it sets a bit in ->deferred instead and toy_release_cb() runs the
 * event when release_sock() hands the socket back (as TCP does).
 */
#include <linux/jiffies.h>
#include <linux/timer.h>

#include "icmp.h"
#include "netns.h"
#include "output.h"
#include "sack.h"
#include "sock.h"
#include "timer.h"
#include "trace.h"

static u32 toy_rto_max_us(const struct sock *sk)
{
	return toy_pernet(sock_net(sk))->rto_max_ms * USEC_PER_MSEC;
}

static unsigned long toy_rto_jiffies(const struct sock *sk)
{
	return usecs_to_jiffies(toy_rtt_timeout_us(&toy_sk(sk)->rtt,
						   toy_rto_max_us(sk)));
}

/* Give up after this many timeouts in a row. */
static int toy_retry_limit(const struct sock *sk)
{
	const struct toy_net *tn = toy_pernet(sock_net(sk));

	if ((1 << sk->sk_state) & ((1 << TOY_SYN_SENT) | (1 << TOY_SYN_RECV)))
		return tn->syn_retries;
	return tn->retries;
}

/* Sequence space of the oldest unacknowledged segment, 0 if none. */
static u32 toy_head_len(struct sock *sk)
{
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	return head ? TOY_SKB_CB(head)->end_seq - TOY_SKB_CB(head)->seq : 0;
}

/* RFC 6298 5.4-5.6: resend the oldest segment, back off, and restart. */
static void toy_rto_event(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	struct net *net = sock_net(sk);

	if (ts->snd.una == ts->snd.max || sk->sk_state == TOY_CLOSE)
		return;

	TOY_INC_STATS(net, TIMEOUTS);
	ts->stats.timeouts++;
	/*
	 * A window shrunk under memory pressure below the oldest segment:
	 * nothing can be resent, and a peer that still answers (an ACK within
	 * rto_max) is no reason to give up, as in Linux's
	 * tcp_retransmit_timer(); the persist timer probes meanwhile. An
	 * orphan gets no such patience.
	 */
	if (ts->snd.wnd < toy_head_len(sk) && !sock_flag(sk, SOCK_DEAD) &&
	    (u32)jiffies - ts->snd.ack_stamp <
	    usecs_to_jiffies(toy_rto_max_us(sk))) {
		ts->timers.retries = 0;
	} else if (++ts->timers.retries > toy_retry_limit(sk)) {
		TOY_INC_STATS(net, RETRANS_FAILS);
		if (sk->sk_state == TOY_SYN_SENT)
			TOY_INC_STATS(net, ATTEMPT_FAILS);
		toy_send_reset(sk);
		/* an ICMP error seen meanwhile says more than a timeout */
		toy_abort(sk, READ_ONCE(sk->sk_err_soft) ?: ETIMEDOUT);
		return;
	}

	ts->rec.tlp_out = false;
	if (ts->cc.state == TOY_CA_OPEN)
		toy_undo_mark(sk);
	toy_cc_on_timeout(&ts->cc, toy_in_flight(ts), ts->snd.max, ts->snd.mss);
	toy_rtt_backoff(&ts->rtt);
	trace_toy_rto(sk);
	toy_sack_forget(sk);
	/* go back to the oldest unacknowledged segment */
	ts->snd.nxt = ts->snd.una;
	ts->snd.head = skb_peek(&sk->sk_write_queue);
	ts->rec.dupacks = 0;
	toy_push(sk);
	toy_rto_restart(sk);
}

static void toy_delack_event(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	if (timer_pending(&ts->timers.delack) || !ts->rcv.ack_pending ||
	    sk->sk_state == TOY_CLOSE)
		return;
	TOY_INC_STATS(sock_net(sk), DELAYED_ACKS);
	toy_send_ack(sk);
}

/*
 * The persist timer sends data: once some is in flight, its RTO watches
 * the peer, and the probes' count and backoff start again from zero, as
 * tcp_send_probe0() resets them when packets are out. Otherwise a window
 * filled piece by piece would leave a long backoff to the next closed
 * window, and a peer that vanished behind it would be given up late.
 */
static void toy_persist_push(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	toy_push(sk);
	if (ts->snd.nxt != ts->snd.una) {
		ts->timers.probes_out = 0;
		toy_persist_stop(sk);
	}
}

/* RFC 1122 4.2.2.17: probe a zero window with exponential backoff. */
static void toy_persist_event(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	if (timer_pending(&ts->timers.persist) || !ts->snd.head ||
	    ts->snd.nxt != ts->snd.una || sk->sk_state == TOY_CLOSE)
		return;
	/*
	 * A peer that answers no probe is gone, as one that ACKs no data;
	 * and an orphan whose peer answers but keeps its window shut may not
	 * pin its memory and namespace forever (net.toy.orphan_retries, as
	 * tcp_orphan_retries).
	 */
	if (++ts->timers.probes_out > toy_retry_limit(sk) ||
	    (sock_flag(sk, SOCK_DEAD) &&
	     ++ts->timers.retries > toy_pernet(sock_net(sk))->orphan_retries)) {
		TOY_INC_STATS(sock_net(sk), RETRANS_FAILS);
		toy_send_reset(sk);
		toy_abort(sk, ETIMEDOUT);
		return;
	}
	if (ts->timers.probes < TOY_RTO_MAX_BACKOFF)
		ts->timers.probes++;
	/*
	 * The window has room for the head, so the peer does not hold it
	 * back: sending it failed here (no memory, a full local queue). Try
	 * again, as tcp_write_wakeup() does; once it is out its RTO takes
	 * over, and if it fails again toy_push() re-arms this timer. A SYN
	 * whose first sending failed goes out this way too.
	 */
	if (ts->snd.wnd >= toy_head_len(sk)) {
		toy_persist_push(sk);
		return;
	}
	/*
	 * A window open, but smaller than the head: the head's first part
	 * goes, as tcp_write_wakeup() cuts a segment to the window, so the
	 * room the peer offered is used and its ACK says whether it is shut.
	 */
	if (ts->snd.wnd && ts->snd.head->len > ts->snd.wnd &&
	    !toy_split_skb(sk, ts->snd.head, ts->snd.wnd, GFP_ATOMIC)) {
		toy_persist_push(sk);
		return;
	}
	toy_send_probe(sk);
	toy_persist_arm(sk);
}

/* RACK's reordering window ran out for a segment not yet SACKed. */
static void toy_reo_event(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	if (ts->snd.una == ts->snd.max || sk->sk_state == TOY_CLOSE)
		return;
	TOY_INC_STATS(sock_net(sk), REO_TIMEOUTS);
	toy_recover_lost(sk);
	toy_push(sk);
}

/* Two round trips of silence with data in flight: probe the tail. */
static void toy_tlp_event(struct sock *sk)
{
	if (sk->sk_state == TOY_CLOSE)
		return;
	toy_send_tlp(sk);
}

/*
 * The retransmission timer went off: run each of its events that is due,
 * the timeout first (it goes back to snd_una and leaves the other two
 * nothing to do), then set the timer for what is left.
 */
static void toy_xmit_event(struct sock *sk)
{
	static void (* const events[TOY_XMIT_EVENTS])(struct sock *) = {
		[TOY_XMIT_RTO]	= toy_rto_event,
		[TOY_XMIT_REO]	= toy_reo_event,
		[TOY_XMIT_TLP]	= toy_tlp_event,
	};
	struct toy_timers *t = &toy_sk(sk)->timers;
	unsigned int i;

	toy_xmit_hold(sk);
	for (i = 0; i < TOY_XMIT_EVENTS; i++) {
		if (!(t->armed & BIT(i)) || time_before(jiffies, t->due[i]))
			continue;
		t->armed &= ~BIT(i);
		events[i](sk);
	}
	toy_xmit_release(sk);
}

static void toy_timewait_event(struct sock *sk)
{
	if (timer_pending(&toy_sk(sk)->timers.timewait))
		return;
	/* an orphan's FIN_WAIT2 waited long enough (TIME_WAIT: timewait.c) */
	if (sk->sk_state == TOY_FIN_WAIT2)
		toy_state_event(sk, TOY_EV_TIMEOUT);
}

static void toy_timer_run(struct sock *sk, void (*event)(struct sock *))
{
	toy_clock_start(sk);
	event(sk);
	toy_clock_end(sk);
}

static void toy_timer_fire(struct sock *sk, int bit, void (*event)(struct sock *))
{
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk))
		toy_timer_run(sk, event);
	else if (!test_and_set_bit(bit, &toy_sk(sk)->timers.deferred))
		sock_hold(sk);	/* for toy_release_cb() */
	bh_unlock_sock(sk);
	sock_put(sk);		/* the pending timer's reference */
}

static void toy_xmit_timer(struct timer_list *t)
{
	struct toy_sock *ts = from_timer(ts, t, timers.xmit);

	toy_timer_fire(&ts->inet.sk, TOY_XMIT_DEFERRED, toy_xmit_event);
}

static void toy_delack_timer(struct timer_list *t)
{
	struct toy_sock *ts = from_timer(ts, t, timers.delack);

	toy_timer_fire(&ts->inet.sk, TOY_DELACK_DEFERRED, toy_delack_event);
}

static void toy_persist_timer(struct timer_list *t)
{
	struct toy_sock *ts = from_timer(ts, t, timers.persist);

	toy_timer_fire(&ts->inet.sk, TOY_PERSIST_DEFERRED, toy_persist_event);
}

static void toy_timewait_timer(struct timer_list *t)
{
	struct toy_sock *ts = from_timer(ts, t, timers.timewait);

	toy_timer_fire(&ts->inet.sk, TOY_TIMEWAIT_DEFERRED, toy_timewait_event);
}

/* Runs from release_sock() with the socket's spinlock held. */
void toy_release_cb(struct sock *sk)
{
	static void (* const events[])(struct sock *) = {
		[TOY_XMIT_DEFERRED]	= toy_xmit_event,
		[TOY_DELACK_DEFERRED]	= toy_delack_event,
		[TOY_PERSIST_DEFERRED]	= toy_persist_event,
		[TOY_TIMEWAIT_DEFERRED]	= toy_timewait_event,
		[TOY_MTU_DEFERRED]	= toy_mtu_reduced,
	};
	struct toy_sock *ts = toy_sk(sk);
	unsigned int bit;

	for (bit = 0; bit < ARRAY_SIZE(events); bit++) {
		if (test_and_clear_bit(bit, &ts->timers.deferred)) {
			toy_timer_run(sk, events[bit]);
			__sock_put(sk);
		}
	}
}

void toy_timers_init(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	timer_setup(&ts->timers.xmit, toy_xmit_timer, 0);
	timer_setup(&ts->timers.delack, toy_delack_timer, 0);
	timer_setup(&ts->timers.persist, toy_persist_timer, 0);
	timer_setup(&ts->timers.timewait, toy_timewait_timer, 0);
}

void toy_timers_stop(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	ts->timers.armed = 0;
	sk_stop_timer(sk, &ts->timers.xmit);
	sk_stop_timer(sk, &ts->timers.delack);
	sk_stop_timer(sk, &ts->timers.persist);
	sk_stop_timer(sk, &ts->timers.timewait);
}

/* The clock, in microseconds (wrapping): RTTs, timestamps, RACK's times. */
u32 toy_now_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/*
 * A unit of work on the socket (a segment received, a timer event) reads
 * the clock once, at its start, and everything it does sees that instant:
 * the RTT samples, RACK's times, the timestamps of the segments it sends,
 * as TCP's tcp_mstamp. In a TCG guest every read is an emulated HPET
 * access. Under the socket's lock.
 */
void toy_clock_start(struct sock *sk)
{
	struct toy_timers *t = &toy_sk(sk)->timers;

	if (!t->clock_depth++)
		t->clock_us = toy_now_us();
}

void toy_clock_end(struct sock *sk)
{
	toy_sk(sk)->timers.clock_depth--;
}

/* The instant of the unit of work running, or the clock outside one. */
u32 toy_clock_us(struct sock *sk)
{
	struct toy_timers *t = &toy_sk(sk)->timers;

	return t->clock_depth ? t->clock_us : toy_now_us();
}

/* Set the retransmission timer for the earliest deadline, or stop it. */
static void toy_xmit_sync(struct sock *sk)
{
	struct toy_timers *t = &toy_sk(sk)->timers;

	if (t->held)
		return;
	if (!t->armed) {
		sk_stop_timer(sk, &t->xmit);
		return;
	}
	/* mod_timer() returns at once if the timer is set for that already */
	sk_reset_timer(sk, &t->xmit, toy_xmit_earliest(t->due, t->armed));
}

/*
 * Between toy_xmit_hold() and toy_xmit_release(), the deadlines may move
 * many times (an ACK restarts the timeout, arms a probe or a reordering
 * wait, sends data): the timer itself is set once, at the outermost
 * release. Under the socket's lock.
 */
void toy_xmit_hold(struct sock *sk)
{
	toy_sk(sk)->timers.held++;
}

void toy_xmit_release(struct sock *sk)
{
	if (!--toy_sk(sk)->timers.held)
		toy_xmit_sync(sk);
}

static void toy_xmit_set(struct sock *sk, enum toy_xmit_event ev,
			 unsigned long when)
{
	struct toy_timers *t = &toy_sk(sk)->timers;

	t->due[ev] = when;
	t->armed |= BIT(ev);
	toy_xmit_sync(sk);
}

/* Start the retransmission timeout unless it is running already. */
void toy_rto_arm(struct sock *sk)
{
	if (!(toy_sk(sk)->timers.armed & BIT(TOY_XMIT_RTO)))
		toy_rto_restart(sk);
}

/* RFC 6298 5.3: restart on every ACK of new data. */
void toy_rto_restart(struct sock *sk)
{
	toy_xmit_set(sk, TOY_XMIT_RTO, jiffies + toy_rto_jiffies(sk));
}

void toy_rto_stop(struct sock *sk)
{
	toy_sk(sk)->timers.armed &= ~BIT(TOY_XMIT_RTO);
	toy_xmit_sync(sk);
}

/*
 * A delayed ACK must come before the sender's retransmission timer, or
 * every lone segment is resent for nothing: keep it under half the RTO
 * floor (ours; the peer's is taken to be the same). TCP's defaults, 40 and
 * 200 ms, satisfy this; a lowered rto_min_ms shortens the delay with it.
 */
static unsigned int toy_delack_ms(const struct sock *sk)
{
	const struct toy_net *tn = toy_pernet(sock_net(sk));

	return min_t(unsigned int, tn->delack_ms, tn->rto_min_ms / 2);
}

/*
 * An ACK sent meanwhile does not stop the timer (as TCP leaves its own,
 * INET_CSK_CLEAR_TIMERS unset): a ping-pong would stop and start it for
 * every message. One still running from an earlier segment is kept; it
 * comes sooner, never later, than this segment's own would.
 */
void toy_delack_arm(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	if (!timer_pending(&ts->timers.delack))
		sk_reset_timer(sk, &ts->timers.delack, jiffies +
			       msecs_to_jiffies(toy_delack_ms(sk)));
}

/* RACK: look again at the losses in @us microseconds. */
void toy_reo_arm(struct sock *sk, u32 us)
{
	toy_xmit_set(sk, TOY_XMIT_REO, jiffies + usecs_to_jiffies(us));
}

/*
 * RFC 8985 7.2: arm the tail loss probe two smoothed RTTs out, plus the
 * peer's delayed-ACK time if one segment alone is in flight; a probe that
 * would not come before the retransmission timeout is not armed at all.
 * Only in the open state, one probe at a time.
 */
void toy_tlp_arm(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	u64 pto, rto;

	if (ts->cc.state != TOY_CA_OPEN || ts->rec.tlp_out || !ts->rtt.srtt_us ||
	    ts->snd.una == ts->snd.max)
		return;
	pto = 2ULL * ts->rtt.srtt_us;
	if (ts->snd.max - ts->snd.una <= ts->snd.mss)
		pto += toy_delack_ms(sk) * USEC_PER_MSEC;
	rto = toy_rtt_timeout_us(&ts->rtt, toy_rto_max_us(sk));
	if (pto >= rto)
		return;
	toy_xmit_set(sk, TOY_XMIT_TLP, jiffies + usecs_to_jiffies(pto));
}

void toy_persist_arm(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);
	u64 us;

	if (timer_pending(&ts->timers.persist))
		return;
	us = min_t(u64, (u64)ts->rtt.rto_us << ts->timers.probes, toy_rto_max_us(sk));
	sk_reset_timer(sk, &ts->timers.persist, jiffies + usecs_to_jiffies(us));
}

void toy_persist_stop(struct sock *sk)
{
	struct toy_sock *ts = toy_sk(sk);

	ts->timers.probes = 0;
	sk_stop_timer(sk, &ts->timers.persist);
}

void toy_timewait_arm(struct sock *sk, unsigned int ms)
{
	sk_reset_timer(sk, &toy_sk(sk)->timers.timewait,
		       jiffies + msecs_to_jiffies(ms));
}
