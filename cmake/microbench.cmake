# Micro-benchmarks (Google Benchmark): `cmake --build build --target sagasim_microbench`.
# Not part of `all` and not a test: timings are for people, never asserted.
find_package(benchmark QUIET)
if(benchmark_FOUND)
  add_executable(sagasim_microbench EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/bench/microbench.cc)
  target_link_libraries(sagasim_microbench PRIVATE libsagasim benchmark::benchmark)
endif()
