# Render tests (label `render`): sagasim's Mermaid diagrams rendered by the real
# Mermaid library, and its HTML report and comparison page driven, in Debian's headless chromium
# (tests/render/*.py, standard-library python3 only).
#
# Mermaid comes from npm, pinned, into the build folder: the target `mermaid_js`
# runs `npm install --prefix <build>/node mermaid@<version>`. It is not part of the
# default build (a plain build needs no network); the CTest fixture render/mermaid-js
# builds it before the render tests. Without npm, or when the install fails (no
# network), the setup and the Mermaid test are skipped with the reason, not failed.
set(SAGASIM_MERMAID_VERSION 11.12.1)
set(SAGASIM_NODE_DIR ${CMAKE_BINARY_DIR}/node)
set(SAGASIM_MERMAID_JS ${SAGASIM_NODE_DIR}/node_modules/mermaid/dist/mermaid.min.js)
find_program(SAGASIM_RENDER_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)

# npm is looked up when the target runs, not when CMake configures: `make test`
# installs it after the build folder was configured.
add_custom_command(OUTPUT ${SAGASIM_MERMAID_JS}
                   COMMAND npm install --prefix ${SAGASIM_NODE_DIR} --no-audit --no-fund --loglevel=error
                           mermaid@${SAGASIM_MERMAID_VERSION}
                   COMMENT "npm install mermaid@${SAGASIM_MERMAID_VERSION} into ${SAGASIM_NODE_DIR}"
                   VERBATIM)
add_custom_target(mermaid_js DEPENDS ${SAGASIM_MERMAID_JS})
add_test(NAME render/mermaid-js
         COMMAND sh -c "command -v npm >/dev/null || { echo 'SKIPPED: npm not found (Debian: apt-get install npm; make test installs it)'; exit 77; }; \"$0\" --build \"$1\" --target mermaid_js || { echo 'SKIPPED: npm install mermaid@${SAGASIM_MERMAID_VERSION} failed (no network?)'; exit 77; }"
                 ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR})
set_tests_properties(render/mermaid-js PROPERTIES LABELS render FIXTURES_SETUP mermaid_js SKIP_RETURN_CODE 77)

if(SAGASIM_RENDER_PYTHON3)
  add_test(NAME render/mermaid-diagrams
           COMMAND ${SAGASIM_RENDER_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/render/render_mermaid.py
                   $<TARGET_FILE:sagasim> ${CMAKE_SOURCE_DIR}/scenarios ${SAGASIM_MERMAID_JS}
                   ${CMAKE_BINARY_DIR}/render/mermaid)
  set_tests_properties(render/mermaid-diagrams PROPERTIES LABELS render FIXTURES_REQUIRED mermaid_js
                       SKIP_RETURN_CODE 77 TIMEOUT 300)
  add_test(NAME render/html-report
           COMMAND ${SAGASIM_RENDER_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/render/check_html_report.py
                   $<TARGET_FILE:sagasim> ${CMAKE_SOURCE_DIR}/scenarios ${CMAKE_BINARY_DIR}/render/html)
  set_tests_properties(render/html-report PROPERTIES LABELS render SKIP_RETURN_CODE 77 TIMEOUT 300)
  add_test(NAME render/compare-report
           COMMAND ${SAGASIM_RENDER_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/render/check_compare_report.py
                   $<TARGET_FILE:sagasim> ${CMAKE_SOURCE_DIR}/scenarios ${CMAKE_BINARY_DIR}/render/compare)
  set_tests_properties(render/compare-report PROPERTIES LABELS render SKIP_RETURN_CODE 77 TIMEOUT 300)
else()
  message(STATUS "python3 not found in /usr/bin: the render tests are not registered")
endif()
