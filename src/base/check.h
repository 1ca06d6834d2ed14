#pragma once

#include <cstdio>
#include <cstdlib>

// Programmer errors abort; expected failures return base::Status instead.
#define SAGASIM_CHECK(cond)                                                               \
  do {                                                                            \
    if (!(cond)) {                                                                \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                               \
    }                                                                             \
  } while (0)
