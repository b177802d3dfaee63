// SPDX-License-Identifier: GPL-2.0
/*
 * The one unit that creates AF_TOY's trace events (trace.h), and the one
 * place a dropped segment is both counted and traced.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"

void toy_drop(struct net *net, const struct sk_buff *skb, int reason)
{
	if (reason < __TOY_MIB_MAX)
		this_cpu_inc(toy_pernet(net)->mib->mibs[reason]);
	trace_toy_segment_drop(net, skb, reason);
}
