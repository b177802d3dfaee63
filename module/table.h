/* SPDX-License-Identifier: GPL-2.0 */
/* Finding sockets: bound ports and connected 4-tuples of one namespace. */
#ifndef _TOY_TABLE_H
#define _TOY_TABLE_H

#include <net/sock.h>

int toy_bind_port(struct sock *sk, u16 port);
int toy_listen_start(struct sock *sk);
void toy_inherit_port(struct sock *child, struct sock *parent);
void toy_unbind(struct sock *sk);
int toy_hash_conn(struct sock *sk, u32 *isn);
void toy_unhash_conn(struct sock *sk);
void toy_hash_tw(struct sock *tw, struct sock *sk);
bool toy_unhash_tw(struct sock *tw);
struct sock *toy_find_tw(struct net *net);
struct sock *toy_lookup_listener(struct net *net, __be32 daddr, __be16 dport);
struct sock *toy_lookup_conn(struct net *net, __be32 saddr, __be16 sport,
			     __be32 daddr, __be16 dport);
struct sock *toy_lookup(struct net *net, __be32 saddr, __be16 sport,
			__be32 daddr, __be16 dport);

#endif /* _TOY_TABLE_H */
