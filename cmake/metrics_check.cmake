# The --metrics file is parsed by a real Prometheus parser (prometheus_client's
# text_string_to_metric_families; Debian: python3-prometheus-client, installed by
# `make test` through TEST_APT_PACKAGES). Without the module the test is skipped and
# says so (exit 77).
find_program(SAGASIM_PYTHON3_FOR_METRICS python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(SAGASIM_PYTHON3_FOR_METRICS)
  add_test(NAME metrics/prometheus-parser
           COMMAND ${SAGASIM_PYTHON3_FOR_METRICS} ${CMAKE_SOURCE_DIR}/tests/report/check_prometheus.py
                   $<TARGET_FILE:sagasim> ${CMAKE_SOURCE_DIR})
  set_tests_properties(metrics/prometheus-parser PROPERTIES SKIP_RETURN_CODE 77)
else()
  message(STATUS "python3 not found in /usr/bin: the metrics/prometheus-parser test is not registered")
endif()
