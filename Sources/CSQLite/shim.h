// The one C header Swift sees of SQLite (Debian's libsqlite3-dev).
#ifndef THROUGHLINE_CSQLITE_SHIM_H
#define THROUGHLINE_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
