/*
 * pjlib's unique strings (Call-IDs, From/To tags, Via branches: three or more for every SIP
 * dialog) from the kernel's random source, formatted as RFC 4122 version-4 UUIDs.
 *
 * scripts/setup copies this file over pjlib/src/pj/guid_simple.c and configures with
 * --disable-libuuid, so it is the build's only pj_generate_unique_string. Why not libuuid:
 * in the controller process the symbol uuid_generate resolves to the copy that Swift's
 * libFoundation.so exports (it comes before libuuid in load order), and that copy opens,
 * reads and closes /dev/urandom on every call: about 20 % of pjsua_call_make_call's time
 * (perf, BENCHMARKS.md 2026-12-03). Why not pjlib's own guid_simple.c: it draws from rand(),
 * and RFC 3261 section 19.3 wants tags cryptographically random. getrandom(2) is one system
 * call without a file descriptor, and as strong as /dev/urandom.
 */
#include <pj/guid.h>
#include <pj/assert.h>
#include <pj/rand.h>
#include <pj/string.h>

#include <errno.h>
#include <sys/random.h>

PJ_DEF_DATA(const unsigned) PJ_GUID_STRING_LENGTH = 36;

PJ_DEF(unsigned) pj_GUID_STRING_LENGTH()
{
    return PJ_GUID_STRING_LENGTH;
}

/* Sixteen random bytes; rand() only if the kernel has no getrandom (Linux before 3.17). */
static void random_bytes(unsigned char *out, size_t count)
{
    size_t have = 0;
    while (have < count) {
        ssize_t got = getrandom(out + have, count - have, 0);
        if (got > 0) { have += (size_t)got; continue; }
        if (got < 0 && errno == EINTR) continue;
        break;
    }
    for (; have < count; ++have) out[have] = (unsigned char)pj_rand();
}

PJ_DEF(pj_str_t*) pj_generate_unique_string(pj_str_t *str)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char bytes[16];
    char *p;
    unsigned i;

    PJ_ASSERT_RETURN(str->ptr != NULL, NULL);
    random_bytes(bytes, sizeof(bytes));
    bytes[6] = (unsigned char)((bytes[6] & 0x0F) | 0x40);  /* version 4 */
    bytes[8] = (unsigned char)((bytes[8] & 0x3F) | 0x80);  /* RFC 4122 variant */

    p = str->ptr;
    for (i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
        *p++ = hex[bytes[i] >> 4];
        *p++ = hex[bytes[i] & 0x0F];
    }
    str->slen = PJ_GUID_STRING_LENGTH;
    return str;
}
