// SPDX-License-Identifier: Apache-2.0
/* mbedTLS configuration for the wasm build: only what ES256 verification of
 * SMART Health Cards needs (crypto/jws). The native build uses Debian's
 * libmbedcrypto with its full configuration; the code paths used are the same.
 */
#ifndef CHARTLOCK_MBEDTLS_WASM_CONFIG_H
#define CHARTLOCK_MBEDTLS_WASM_CONFIG_H

#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C  /* ecdsa.c's DER signature functions, unused but linked */
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_SHA256_C
/* The internal RNG blinds secret scalars (signing, ECDH); verification has
 * none, and leaving it out spares a DRBG module. */
#define MBEDTLS_ECP_NO_INTERNAL_RNG

#include "mbedtls/check_config.h"

#endif
