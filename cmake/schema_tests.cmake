# The JSON Schema of the scenario format (docs/scenario.schema.json) is checked by
# tests/schema/check_schema.py: the schema is valid, every bundled scenario validates,
# and deliberately invalid snippets are rejected. It needs the system Python with the
# jsonschema module (Debian: python3-jsonschema, installed by `make deps`).
find_program(SAGASIM_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(SAGASIM_PYTHON3)
  add_test(NAME schema/bundled-scenarios
           COMMAND ${SAGASIM_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/schema/check_schema.py ${CMAKE_SOURCE_DIR}
                   --sagasim $<TARGET_FILE:sagasim>)
  set_tests_properties(schema/bundled-scenarios PROPERTIES LABELS schema)
else()
  message(STATUS "python3 not found in /usr/bin: the schema/bundled-scenarios test is not registered")
endif()
