/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state: the socket tables, the settings under
 * /proc/sys/net/toy and the protocol counters under /proc/net/toy_stats.
 */
#ifndef _TOY_NETNS_H
#define _TOY_NETNS_H

#include <linux/bits.h>
#include <linux/list_nulls.h>
#include <linux/percpu.h>
#include <linux/siphash.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#define TOY_HASH_BITS	8
#define TOY_HASH_SIZE	BIT(TOY_HASH_BITS)

/* Protocol counters; their names are in proc.c. */
enum toy_mib_field {
	TOY_MIB_IN_SEGS,
	TOY_MIB_OUT_SEGS,
	TOY_MIB_RETRANS_SEGS,
	TOY_MIB_FAST_RETRANS,
	TOY_MIB_TIMEOUTS,
	TOY_MIB_DUP_SEGS,
	TOY_MIB_OUT_OF_ORDER,
	TOY_MIB_CSUM_ERRORS,
	TOY_MIB_HDR_SHORT,
	TOY_MIB_HDR_BADLEN,
	TOY_MIB_HDR_BADFLAGS,
	TOY_MIB_HDR_BADOPT,
	TOY_MIB_HDR_UNKNOWNOPT,
	TOY_MIB_NO_PORT,
	TOY_MIB_OUT_RSTS,
	TOY_MIB_IN_RSTS,
	TOY_MIB_ACTIVE_OPENS,
	TOY_MIB_PASSIVE_OPENS,
	TOY_MIB_ATTEMPT_FAILS,
	TOY_MIB_ESTAB_RESETS,
	TOY_MIB_LISTEN_DROPS,
	TOY_MIB_WND_DROPS,
	TOY_MIB_BAD_SEGS,
	TOY_MIB_DELAYED_ACKS,
	TOY_MIB_WND_PROBES,
	TOY_MIB_SACK_BLOCKS,
	TOY_MIB_IN_MSGS,
	TOY_MIB_OUT_MSGS,
	TOY_MIB_RETRANS_FAILS,
	TOY_MIB_DSACK_SENT,
	TOY_MIB_DSACK_RECV,
	TOY_MIB_REORDER_SEEN,
	TOY_MIB_UNDO,
	TOY_MIB_TLP_PROBES,
	TOY_MIB_REO_TIMEOUTS,
	TOY_MIB_SYNCOOKIES_SENT,
	TOY_MIB_SYNCOOKIES_RECV,
	TOY_MIB_SYNCOOKIES_FAILED,
	TOY_MIB_CHALLENGE_ACKS,
	TOY_MIB_CHALLENGE_LIMITED,
	TOY_MIB_ACK_REFUSED,
	TOY_MIB_TSECR_REFUSED,
	TOY_MIB_DSACK_IGNORED,
	TOY_MIB_RCV_MEM_DROPS,
	TOY_MIB_OFO_PRUNED,
	TOY_MIB_RCV_COLLAPSED,
	TOY_MIB_SACK_RENEGED,
	TOY_MIB_POLICY_DROPS,
	TOY_MIB_FILTER_DROPS,
	TOY_MIB_ORPHAN_RESETS,
	TOY_MIB_OOW_LIMITED,
	TOY_MIB_ICMP_ERRORS,
	TOY_MIB_ICMP_OOW,
	TOY_MIB_PMTU_UPDATES,
	TOY_MIB_TW_REUSED,
	TOY_MIB_RCVBUF_GROWN,
	TOY_MIB_TW_OVERFLOW,
	TOY_MIB_GSO_PACKETS,
	TOY_MIB_GSO_SEGS,
	TOY_MIB_GSO_IN,
	TOY_MIB_CSUM_COPIED,
	TOY_MIB_BACKLOG_DROPS,
	__TOY_MIB_MAX
};

struct toy_mib {
	unsigned long mibs[__TOY_MIB_MAX];
};

struct toy_net {
	spinlock_t table_lock;			/* both tables' writers */
	struct hlist_head bind_hash[TOY_HASH_SIZE];	/* sk_bind_node, by port */
	/* sk_nulls_node, by 4-tuple; read under RCU (table.c) */
	struct hlist_nulls_head conn_hash[TOY_HASH_SIZE];
	u32 hash_rnd;
	siphash_key_t isn_key;
	siphash_key_t cookie_key;		/* SYN cookies (cookie.h) */

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
	int syncookies;			/* 0 never, 1 on overflow, 2 always */
	int challenge_ack_limit;	/* RFC 5961 challenge ACKs a second */
	int orphan_retries;		/* zero-window probes of an orphan */
	int invalid_ratelimit_ms;	/* a socket's out-of-window ACKs */
	int rmem_max;			/* how far autotuning grows SO_RCVBUF */
	int max_tw_buckets;		/* timewait sockets at most */
	int gso;			/* send super-segments (offload.h) */
	atomic_t tw_count;		/* timewait sockets now */

	/* the challenge ACKs left this second, and which second it is */
	u32 challenge_left;
	unsigned long challenge_stamp;
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

struct sk_buff;
/*
 * A received segment dropped: counted in @reason when it is a TOY_MIB_*
 * field, and reported by the toy_segment_drop trace event (trace.c).
 */
void toy_drop(struct net *net, const struct sk_buff *skb, int reason);

extern struct pernet_operations toy_net_ops;

#endif /* _TOY_NETNS_H */
