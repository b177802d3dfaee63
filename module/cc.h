/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control: slow start and congestion avoidance (RFC 5681) with
 * NewReno's recovery (RFC 6582). The window counts bytes.
 */
#ifndef _TOY_CC_H
#define _TOY_CC_H

#include <linux/types.h>

/*
 * cwnd grows only while it is what limits the sender (toy_cc_sent()); the
 * cap is far above any window a socket buffer allows.
 */
#define TOY_CWND_MAX	(256U << 20)

enum toy_ca_state {
	TOY_CA_OPEN = 0,	/* no loss outstanding */
	TOY_CA_RECOVERY,	/* fast retransmit done, repairing holes */
	TOY_CA_LOSS,		/* timeout: restarting from one segment */
};

struct toy_cc {
	u32 cwnd;		/* bytes that may be in flight */
	u32 ssthresh;		/* slow start below, avoidance above */
	u32 acked_ca;		/* bytes ACKed toward the next CA increase */
	u32 recover;		/* snd_nxt when recovery began */
	u32 prior_cwnd;		/* before the last reduction, for undo */
	u32 prior_ssthresh;
	u32 max_flight;		/* most in flight in the window last sent */
	u32 usage_seq;		/* snd.nxt when that window began */
	u8 state;		/* enum toy_ca_state */
	bool cwnd_limited;	/* cwnd held a send back in that window */
};

void toy_cc_init(struct toy_cc *cc, u32 mss);
void toy_cc_on_ack(struct toy_cc *cc, u32 acked, u32 ack, u32 mss);
void toy_cc_on_dupthresh(struct toy_cc *cc, u32 flight, u32 snd_nxt, u32 mss);
void toy_cc_on_timeout(struct toy_cc *cc, u32 flight, u32 snd_nxt, u32 mss);
void toy_cc_undo(struct toy_cc *cc);
void toy_cc_sent(struct toy_cc *cc, u32 flight, bool limited, u32 snd_una,
		 u32 snd_nxt);

static inline bool toy_cc_in_slow_start(const struct toy_cc *cc)
{
	return cc->cwnd < cc->ssthresh;
}

#endif /* _TOY_CC_H */
