/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Retransmission timeout from round-trip samples, as RFC 6298 computes it.
 */
#ifndef _TOY_RTT_H
#define _TOY_RTT_H

#include <linux/types.h>

/* RFC 6298 2.1: before any sample, RTO is one second. */
#define TOY_RTO_INITIAL_US	1000000U
/* Clock granularity G of RFC 6298: one jiffy at HZ=250 is 4 ms. */
#define TOY_RTT_G_US		4000U
/* No more doublings than this: the maximum RTO caps the result anyway. */
#define TOY_RTO_MAX_BACKOFF	15

struct toy_rtt {
	u32 srtt_us;		/* smoothed RTT; 0 until the first sample */
	u32 rttvar_us;		/* RTT variation */
	u32 rto_us;		/* timeout before backoff, clamped */
	u8 backoff;		/* doublings since the last valid sample */
};

void toy_rtt_init(struct toy_rtt *r, u32 min_us, u32 max_us);
bool toy_rtt_sample(struct toy_rtt *r, u32 sample_us, bool retransmitted,
		    u32 min_us, u32 max_us);
void toy_rtt_backoff(struct toy_rtt *r);
u32 toy_rtt_timeout_us(const struct toy_rtt *r, u32 max_us);

#endif /* _TOY_RTT_H */
