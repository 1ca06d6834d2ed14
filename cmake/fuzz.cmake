# libFuzzer targets for the scenario loader and the event decoder (clang only).
#
#   cmake --preset fuzz            (build-fuzz: clang++, SAGASIM_FUZZ=ON)
#   cmake --build --preset fuzz    (fuzz_scenario_loader, fuzz_event_decoder)
#   ctest --preset fuzz            (the fuzz/all test: tests/fuzz/run_fuzzers.sh, label fuzz)
#   or all three: make fuzz FUZZ_SECONDS=60
#
# With SAGASIM_FUZZ off (the default, and every g++ build) this file does nothing.
#
# The fuzzers link sagasim_fuzz_core, the library sources the two fuzzed entry points
# need, built with coverage instrumentation and ASan+UBSan, rather than the whole of
# libsagasim: clang 14 cannot compile all of libsagasim (src/scenario/checkers.cc
# captures structured bindings in lambdas, a C++20 feature clang supports from 16 on),
# and the fuzzers reach none of the rest. A link error naming a missing symbol means
# the loader or the decoder gained a dependency: add its source to the list.
# (This file is included at the end of CMakeLists.txt, so add_compile_options here
# would not reach targets already defined; the flags are set per target.)

option(SAGASIM_FUZZ "Build libFuzzer targets (clang)" OFF)
set(SAGASIM_FUZZ_SECONDS 60 CACHE STRING "How long the fuzz/all CTest runs each fuzzer, in seconds")

if(SAGASIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SAGASIM_FUZZ=ON needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++, "
                        "got ${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(SAGASIM_SANITIZE MATCHES "^(thread|address)$")
    message(FATAL_ERROR "SAGASIM_FUZZ=ON brings its own sanitizers; leave SAGASIM_SANITIZE unset")
  endif()

  # Undefined behaviour must abort (a crash libFuzzer reports), not print and go on.
  set(SAGASIM_FUZZ_SANITIZERS
      -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)

  # scenario::ParseScenario and services::Parse* with what they call.
  # The loader is one file per section over json_dom/json_reader (scenario_loader.h).
  add_library(sagasim_fuzz_core STATIC EXCLUDE_FROM_ALL
              ${CMAKE_SOURCE_DIR}/src/scenario/scenario_json.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/scenario_broker.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/scenario_orders.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/scenario_steps.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/scenario_faults.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/scenario_expect.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/fault_warnings.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/json_dom.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/json_reader.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/order_ids.cc
              ${CMAKE_SOURCE_DIR}/src/scenario/scenario.cc
              ${CMAKE_SOURCE_DIR}/src/services/events.cc
              ${CMAKE_SOURCE_DIR}/src/services/bindings.cc
              ${CMAKE_SOURCE_DIR}/src/services/saga_options.cc
              ${CMAKE_SOURCE_DIR}/src/services/flat_json.cc
              ${CMAKE_SOURCE_DIR}/src/base/duration.cc
              ${CMAKE_SOURCE_DIR}/src/base/escape.cc
              ${CMAKE_SOURCE_DIR}/src/base/money.cc
              ${CMAKE_SOURCE_DIR}/src/base/status.cc
              ${CMAKE_SOURCE_DIR}/src/base/text.cc
              ${CMAKE_SOURCE_DIR}/src/base/virtual_time.cc)
  target_include_directories(sagasim_fuzz_core PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(sagasim_fuzz_core PUBLIC nlohmann_json::nlohmann_json)
  # Coverage instrumentation without libFuzzer's main(): this is the code under test.
  target_compile_options(sagasim_fuzz_core PRIVATE -fsanitize=fuzzer-no-link ${SAGASIM_FUZZ_SANITIZERS})

  foreach(fuzzer fuzz_scenario_loader fuzz_event_decoder)
    add_executable(${fuzzer} EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/tests/fuzz/${fuzzer}.cc)
    # tests/*.cc is globbed into sagasim_tests too; the sources compile to nothing there.
    target_compile_definitions(${fuzzer} PRIVATE SAGASIM_FUZZ_TARGET=1)
    target_compile_options(${fuzzer} PRIVATE -fsanitize=fuzzer ${SAGASIM_FUZZ_SANITIZERS})
    target_link_options(${fuzzer} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${fuzzer} PRIVATE sagasim_fuzz_core sagasim_warnings)
  endforeach()
  target_link_libraries(sagasim_fuzz_core PRIVATE sagasim_warnings)

  # Each fuzzer over a scratch copy of its kept corpus; the script prints one summary
  # line per fuzzer and fails if any found a crash.
  add_test(NAME fuzz/all
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/fuzz/run_fuzzers.sh ${CMAKE_BINARY_DIR} ${SAGASIM_FUZZ_SECONDS})
  math(EXPR SAGASIM_FUZZ_TIMEOUT "2 * ${SAGASIM_FUZZ_SECONDS} + 600")
  set_tests_properties(fuzz/all PROPERTIES LABELS fuzz TIMEOUT ${SAGASIM_FUZZ_TIMEOUT})
endif()
