// The one C header Swift sees of pjproject. Each line exists because SwiftPM drops the -D
// flags pkg-config reports for libpjproject ("prohibited flag(s)").
#ifndef THROUGHLINE_CPJSIP_SHIM_H
#define THROUGHLINE_CPJSIP_SHIM_H

// pjproject's headers take their platform settings from the configure run, not from guesses.
#define PJ_AUTOCONF 1

// pj/config.h refuses to build without the byte order; pkg-config passes it as -D flags.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#  define PJ_IS_BIG_ENDIAN 1
#  define PJ_IS_LITTLE_ENDIAN 0
#else
#  define PJ_IS_BIG_ENDIAN 0
#  define PJ_IS_LITTLE_ENDIAN 1
#endif

#include <pjsua-lib/pjsua.h>

#endif
