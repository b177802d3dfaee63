// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of loss detection, socket-free and clock-free so that KUnit
 * can call them: RACK's (RFC 8985) time-based loss test and reordering
 * window, and the duplicate-ACK threshold (RFC 5681, RFC 5827).
 * recovery.c applies them to a connection.
 */
#include <linux/limits.h>
#include <linux/minmax.h>

#include "recovery.h"

/* RACK: sent more than @reo_us before the newest delivered segment. */
bool toy_rack_lost(u32 sent_us, u32 rack_us, u32 reo_us)
{
	return (s32)(rack_us - sent_us) > (s32)reo_us;
}

/**
 * toy_rack_left_us - how long until RACK declares a segment lost
 * @sent_us: when the segment was last sent
 * @rack_us: when the newest segment known delivered was sent
 * @horizon_us: now, less that segment's round trip: the send time whose
 *	ACK would be due now
 * @reo_us: the reordering window
 *
 * RFC 8985 6.2: a segment sent before the newest delivered one is lost
 * once it is more than a reordering window overdue, i.e. when
 * sent + RACK.rtt + reo_wnd < now. At an ACK the horizon is rack_us
 * itself; later it moves on with the clock (the reordering timer).
 *
 * Return: 0 if lost now, else the microseconds left, or U32_MAX if the
 * segment was not sent before the newest delivered one.
 */
u32 toy_rack_left_us(u32 sent_us, u32 rack_us, u32 horizon_us, u32 reo_us)
{
	s32 late = horizon_us - sent_us;

	if ((s32)(rack_us - sent_us) <= 0)
		return U32_MAX;
	if (late > (s32)reo_us)
		return 0;
	return reo_us - max(late, 0) + 1;
}

/**
 * toy_rack_reo_wnd - RACK's reordering window (RFC 8985 6.2 step 4)
 * @srtt_us: smoothed RTT, 0 if none yet
 * @steps: quarter RTTs, raised by D-SACKs (at least 1)
 * @reord_seen: the path has been seen to reorder
 * @recovering: a loss is being repaired
 *
 * Until reordering is seen, recovery trusts the order of sending: every
 * segment sent before a delivered one is lost. Once it is seen, a segment
 * gets @steps quarter RTTs of grace, but never more than one RTT.
 *
 * Return: the window in microseconds.
 */
u32 toy_rack_reo_wnd(u32 srtt_us, unsigned int steps, bool reord_seen,
		     bool recovering)
{
	u32 quarter = max(srtt_us / 4, (u32)TOY_REO_WND_MIN_US);

	if (recovering && !reord_seen)
		return 0;
	return min(quarter * max(steps, 1U), max(srtt_us, quarter));
}

/*
 * RFC 5827 early retransmit: with fewer than four segments outstanding
 * there can never be three duplicate ACKs, so ask for one less than the
 * segments that could produce them.
 */
unsigned int toy_dupthresh_for(unsigned int outstanding)
{
	if (outstanding > TOY_DUPTHRESH)
		return TOY_DUPTHRESH;
	return outstanding > 1 ? outstanding - 1 : 1;
}
