// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 6298 in integers. Pure: no clock, no socket, so KUnit can walk the
 * RFC's cases one sample at a time.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>

#include "rtt.h"

static u32 toy_rto_clamp(u64 rto, u32 min_us, u32 max_us)
{
	return clamp_t(u64, rto, min_us, max_us);
}

void toy_rtt_init(struct toy_rtt *r, u32 min_us, u32 max_us)
{
	r->srtt_us = 0;
	r->rttvar_us = 0;
	r->backoff = 0;
	r->rto_us = toy_rto_clamp(TOY_RTO_INITIAL_US, min_us, max_us);
}

/**
 * toy_rtt_sample - feed one round-trip measurement
 * @r: the estimator
 * @sample_us: time from sending a segment to the ACK that covered it
 * @retransmitted: the segment was sent more than once
 * @min_us: lower clamp for the RTO
 * @max_us: upper clamp for the RTO
 *
 * Karn's rule: an ACK for a retransmitted segment cannot say which copy it
 * answers, so it yields no sample and the backoff stays in force.
 *
 * Return: true if the sample was used.
 */
bool toy_rtt_sample(struct toy_rtt *r, u32 sample_us, bool retransmitted,
		    u32 min_us, u32 max_us)
{
	u32 err;

	if (retransmitted)
		return false;
	sample_us = max(sample_us, 1U);

	if (!r->srtt_us) {
		/* RFC 6298 2.2 */
		r->srtt_us = sample_us;
		r->rttvar_us = sample_us / 2;
	} else {
		/* RFC 6298 2.3, beta = 1/4 and alpha = 1/8 */
		err = r->srtt_us > sample_us ? r->srtt_us - sample_us :
						 sample_us - r->srtt_us;
		r->rttvar_us = r->rttvar_us - r->rttvar_us / 4 + err / 4;
		r->srtt_us = r->srtt_us - r->srtt_us / 8 + sample_us / 8;
	}
	r->rto_us = toy_rto_clamp((u64)r->srtt_us +
				  max_t(u64, TOY_RTT_G_US, 4ULL * r->rttvar_us),
				  min_us, max_us);
	/* RFC 6298 5.7: a fresh sample ends the backoff */
	r->backoff = 0;
	return true;
}

/* RFC 6298 5.5: each expiry doubles the timeout. */
void toy_rtt_backoff(struct toy_rtt *r)
{
	if (r->backoff < TOY_RTO_MAX_BACKOFF)
		r->backoff++;
}

/* The timeout to arm now: RTO doubled per backoff, never above the max. */
u32 toy_rtt_timeout_us(const struct toy_rtt *r, u32 max_us)
{
	return min_t(u64, (u64)r->rto_us << r->backoff, max_us);
}
