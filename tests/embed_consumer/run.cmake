# run.cmake — the find_package test: install the build tree into a temporary prefix,
# configure and build tests/embed_consumer against it, run the program, and check that
# pkg-config sees gilpy.pc. Invoked by CTest (embed_consumer) with BUILD_DIR, SOURCE_DIR
# and WORK_DIR. Invariant: WORK_DIR is wiped first, so each run tests a fresh install.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/embed_consumer -B ${WORK_DIR}/build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
message(STATUS "${last_out}")
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig:${prefix}/lib64/pkgconfig)
  run(${PKG_CONFIG} --cflags --libs gilpy)
  if(NOT last_out MATCHES "-lgilpy" OR NOT last_out MATCHES "-I[^ ]*/include")
    message(FATAL_ERROR "gilpy.pc: unexpected flags: ${last_out}")
  endif()
  message(STATUS "pkg-config gilpy: ${last_out}")
endif()
