/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state: the socket tables, the settings under
 * /proc/sys/net/toy and the protocol counters under /proc/net/toy_stats.
 */
#ifndef _TOY_NETNS_H
#define _TOY_NETNS_H

#include <linux/percpu.h>
#include <linux/siphash.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#define TOY_HASH_BITS	8
#define TOY_HASH_SIZE	(1U << TOY_HASH_BITS)

/* Counter names as printed in /proc/net/toy_stats. */
#define TOY_MIB_LIST(X)					\
	X(IN_SEGS, "InSegs")				\
	X(OUT_SEGS, "OutSegs")				\
	X(RETRANS_SEGS, "RetransSegs")			\
	X(FAST_RETRANS, "FastRetrans")			\
	X(TIMEOUTS, "Timeouts")				\
	X(DUP_SEGS, "DupSegs")				\
	X(OUT_OF_ORDER, "OutOfOrder")			\
	X(CSUM_ERRORS, "CsumErrors")			\
	X(HDR_SHORT, "InHdrShort")			\
	X(HDR_BADLEN, "InHdrBadLen")			\
	X(HDR_BADFLAGS, "InHdrBadFlags")		\
	X(HDR_BADOPT, "InHdrBadOpt")			\
	X(HDR_UNKNOWNOPT, "InHdrUnknownOpt")		\
	X(NO_PORT, "NoPort")				\
	X(OUT_RSTS, "OutRsts")				\
	X(IN_RSTS, "InRsts")				\
	X(ACTIVE_OPENS, "ActiveOpens")			\
	X(PASSIVE_OPENS, "PassiveOpens")		\
	X(ATTEMPT_FAILS, "AttemptFails")		\
	X(ESTAB_RESETS, "EstabResets")			\
	X(LISTEN_DROPS, "ListenDrops")			\
	X(WND_DROPS, "RcvWndDrops")			\
	X(BAD_SEGS, "BadSegs")				\
	X(DELAYED_ACKS, "DelayedAcks")			\
	X(WND_PROBES, "WindowProbes")			\
	X(SACK_BLOCKS, "SackBlocksRecv")		\
	X(IN_MSGS, "InMsgs")				\
	X(OUT_MSGS, "OutMsgs")				\
	X(RETRANS_FAILS, "ConnTimeouts")

#define TOY_MIB_ENUM(id, name) TOY_MIB_##id,
enum toy_mib_field {
	TOY_MIB_LIST(TOY_MIB_ENUM)
	__TOY_MIB_MAX
};
#undef TOY_MIB_ENUM

struct toy_mib {
	unsigned long mibs[__TOY_MIB_MAX];
};

struct toy_net {
	spinlock_t table_lock;			/* both tables */
	struct hlist_head bind_hash[TOY_HASH_SIZE];	/* sk_bind_node, by port */
	struct hlist_head conn_hash[TOY_HASH_SIZE];	/* sk_node, by 4-tuple */
	u32 hash_rnd;
	siphash_key_t isn_key;

	struct toy_mib __percpu *mib;
	struct ctl_table_header *sysctl_hdr;

	/* /proc/sys/net/toy */
	int msl_ms;
	int rto_min_ms;
	int rto_max_ms;
	int retries;
	int syn_retries;
	int delack_ms;
	int rmem_default;
	int wmem_default;
	int port_range[2];
};

extern unsigned int toy_net_id;

static inline struct toy_net *toy_pernet(const struct net *net)
{
	return net_generic(net, toy_net_id);
}

#define TOY_INC_STATS(net, field) \
	this_cpu_inc(toy_pernet(net)->mib->mibs[TOY_MIB_##field])
#define TOY_ADD_STATS(net, field, n) \
	this_cpu_add(toy_pernet(net)->mib->mibs[TOY_MIB_##field], n)

extern struct pernet_operations toy_net_ops;

#endif /* _TOY_NETNS_H */
