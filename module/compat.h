/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API differences AF_TOY meets between the kernels it is built
 * for: Debian 12's Linux 6.1 and its Linux 6.12 (README, "Kernels"). Every
 * version test of the module is here, so that the protocol code reads the
 * same on both. Each shim names the upstream release that made the change
 * and what it changed; only 6.1 and 6.12 are built and tested, the
 * releases in between are taken from upstream's history.
 */
#ifndef _TOY_COMPAT_H
#define _TOY_COMPAT_H

#include <linux/version.h>
#include <linux/net.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/route.h>

/* the one version comparison: is this kernel @major.@minor or later? */
#define TOY_KERNEL_AT_LEAST(major, minor) \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(major, minor, 0))

/*
 * 6.12 moved <asm/unaligned.h> to <linux/unaligned.h> (one generic header
 * for every architecture); 6.1 has only the asm/ one.
 */
#if TOY_KERNEL_AT_LEAST(6, 12)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.5 moved the GSO helpers (skb_gso_segment(), SKB_GSO_CB(), ...) out of
 * <linux/skbuff.h> and <linux/netdevice.h> into <net/gso.h>.
 */
#if TOY_KERNEL_AT_LEAST(6, 5)
#include <net/gso.h>
#endif

/*
 * 6.10 passes accept()'s flags in a struct proto_accept_arg (with room for
 * an error and io_uring's "queue empty" hint) instead of (flags, kern).
 * toy_accept_op() is proto_ops.accept for this kernel; toy_accept() in
 * af_toy.c does the work.
 */
int toy_accept(struct socket *sock, struct socket *newsock, int flags);

#if TOY_KERNEL_AT_LEAST(6, 10)
static inline int toy_accept_op(struct socket *sock, struct socket *newsock,
				struct proto_accept_arg *arg)
{
	return toy_accept(sock, newsock, arg->flags);
}
#else
static inline int toy_accept_op(struct socket *sock, struct socket *newsock,
				int flags, bool kern)
{
	return toy_accept(sock, newsock, flags);
}
#endif

/*
 * 6.6 moved struct inet_sock's one-bit options (recverr, mc_loop, mc_all,
 * ...) into the atomic bitmap inet->inet_flags, read and written with
 * inet_test_bit()/inet_assign_bit() without the socket lock.
 */
#if TOY_KERNEL_AT_LEAST(6, 6)
static inline bool toy_inet_recverr(const struct sock *sk)
{
	return inet_test_bit(RECVERR, sk);
}

static inline void toy_inet_set_recverr(struct sock *sk, bool on)
{
	inet_assign_bit(RECVERR, sk, on);
}

/* multicast loopback and IP_MULTICAST_ALL on, as inet_create() sets them */
static inline void toy_inet_mc_defaults(struct sock *sk)
{
	inet_set_bit(MC_LOOP, sk);
	inet_set_bit(MC_ALL, sk);
}
#else
static inline bool toy_inet_recverr(const struct sock *sk)
{
	return inet_sk(sk)->recverr;
}

static inline void toy_inet_set_recverr(struct sock *sk, bool on)
{
	inet_sk(sk)->recverr = on;
}

static inline void toy_inet_mc_defaults(struct sock *sk)
{
	inet_sk(sk)->mc_loop = 1;
	inet_sk(sk)->mc_all = 1;
}
#endif

/*
 * The tos argument of ip_route_output_ports() for a connected socket. 6.1
 * has RT_CONN_FLAGS(): the socket's TOS plus SO_DONTROUTE as the RTO_ONLINK
 * bit. Later kernels take SO_DONTROUTE from the socket as the route's scope
 * inside ip_route_output_ports() and removed the macro (gone in 6.12); the
 * TOS is then ip_sock_rt_tos(), as inet_sk_rebuild_header() passes.
 */
#ifdef RT_CONN_FLAGS
#define toy_sk_rt_tos(sk)	RT_CONN_FLAGS(sk)
#else
#define toy_sk_rt_tos(sk)	ip_sock_rt_tos(sk)
#endif

/*
 * Register the @n entries of @table under @path in @net. 6.1's
 * register_net_sysctl() stops at the table's empty sentinel entry, which
 * it needs. 6.6 added register_net_sysctl_sz() with the number of entries,
 * and from 6.11 a sentinel counted in it is an entry with no name and
 * fails the registration. So tables keep their sentinel for 6.1 and @n
 * counts the entries before it.
 */
static inline struct ctl_table_header *
toy_register_net_sysctl(struct net *net, const char *path,
			struct ctl_table *table, size_t n)
{
#if TOY_KERNEL_AT_LEAST(6, 6)
	return register_net_sysctl_sz(net, path, table, n);
#else
	return register_net_sysctl(net, path, table);
#endif
}

#endif /* _TOY_COMPAT_H */
