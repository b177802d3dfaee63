/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A compact SHA-256 (FIPS 180-4, same algorithm as FIPS 180-2), so that
 * toy-verify needs nothing beyond libc. Incremental: init, update..., final.
 */
#ifndef TOY_SHA256_H
#define TOY_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	uint8_t buf[64];	/* a partial block */
	size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, uint8_t out[SHA256_DIGEST_LEN]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_LEN]);

#endif
