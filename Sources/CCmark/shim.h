#ifndef KITH_CCMARK_SHIM_H
#define KITH_CCMARK_SHIM_H
#include <cmark.h>
#endif
