// The one C header Swift sees of PostgreSQL's client library (Debian's libpq-dev).
#ifndef THROUGHLINE_CPOSTGRES_SHIM_H
#define THROUGHLINE_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif
