/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The six timers of a connection, one entry point per event:
 * retransmission (RFC 6298), delayed ACK (RFC 1122), zero-window probe
 * (persist), TIME_WAIT (2 x MSL; also bounds an orphan's FIN_WAIT2), and
 * RACK's two (RFC 8985): the reordering timer and the tail loss probe.
 */
#ifndef _TOY_TIMER_H
#define _TOY_TIMER_H

#include <net/sock.h>

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
void toy_time_wait(struct sock *sk);

#endif /* _TOY_TIMER_H */
