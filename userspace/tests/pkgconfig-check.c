// SPDX-License-Identifier: GPL-2.0
/*
 * Built by `make test` against an installed libtoy (a scratch DESTDIR),
 * with the flags pkg-config gives for libtoy: the headers must be found as
 * <toy.h> and <linux/toy.h>, and the library must link and run (statically
 * and shared). Needs no AF_TOY module.
 */
#include <stdio.h>
#include <string.h>
#include <linux/toy.h>
#include <toy.h>

int main(void)
{
	struct sockaddr_toy a;
	char buf[TOY_ADDRSTRLEN];

	if (toy_addr_parse("10.0.0.2:7000", &a) < 0 || a.stoy_family != AF_TOY) {
		fprintf(stderr, "pkgconfig-check: %s\n", toy_last_error());
		return 1;
	}
	toy_addr_format(&a, buf, sizeof(buf));
	if (strcmp(buf, "10.0.0.2:7000") ||
	    strcmp(toy_state_name(TOY_TIME_WAIT), "TIME_WAIT")) {
		fprintf(stderr, "pkgconfig-check: got \"%s\"\n", buf);
		return 1;
	}
	printf("pkgconfig-check: libtoy %s works (%s)\n", LIBTOY_VERSION, buf);
	return 0;
}
