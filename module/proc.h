/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/net/toy (one line per socket) and /proc/net/toy_stats. */
#ifndef _TOY_PROC_H
#define _TOY_PROC_H

#include <net/net_namespace.h>

int toy_proc_init_net(struct net *net);
void toy_proc_exit_net(struct net *net);

#endif /* _TOY_PROC_H */
