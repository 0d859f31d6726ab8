/*
 * pjproject build-time limits for Throughline, a server that holds thousands of calls.
 * scripts/setup copies this file to pjlib/include/pj/config_site.h before configuring;
 * its hash is part of the marker that tells setup whether the installed build is ours.
 */

/* Calls the pjsua layer can hold at once (stock: 32). The open-file limit usually binds
   first: three descriptors a call (README.md, "Command line"). */
#define PJSUA_MAX_CALLS              8192
/* One conference port per call, one per prompt player, plus headroom (stock: 254). */
#define PJSUA_MAX_CONF_PORTS         16448   /* 2 * PJSUA_MAX_CALLS + 64 */
/* Prompt and music players: at most one per call at a time (stock: 32). */
#define PJSUA_MAX_PLAYERS            8192
#define PJSUA_MAX_RECORDERS          64
/* Sockets: SIP transports plus RTP and RTCP per call; needs the epoll ioqueue
   (--enable-epoll), since select() is capped at FD_SETSIZE (stock: 64). */
#define PJ_IOQUEUE_MAX_HANDLES       33024   /* 4 * PJSUA_MAX_CALLS + 256 */
/* The conference bridge that can spread its ports over several threads (pjmedia's
   conf_thread.c); how many is chosen at run time (pjsua_media_config.conf_threads, the
   controller's --media-threads). The stock serial bridge's clock thread alone read, mixed,
   encoded and sent every call's frame: one core for all media. With one thread this backend
   costs some 10 % more than the serial one; it pays from two (BENCHMARKS.md, 2026-12-01). */
#define PJMEDIA_CONF_BACKEND         PJMEDIA_CONF_PARALLEL_BRIDGE_BACKEND
/* Server tuning: no debug checks or call-stack tracing in the library. */
#define PJ_DEBUG                     0
/* Keep messages up to level 5 compiled in; the controller chooses the runtime level. */
#define PJ_LOG_MAX_LEVEL             5
