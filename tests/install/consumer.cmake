# consumer.cmake -- install the build tree into a fresh prefix, then build and
# test examples/consumer against that prefix three ways:
#   find_package   mklink::mklink, the shared library
#   static         mklink::mklink with MKLINK_USE_STATIC_LIBS=ON
#   pkg-config     mklink.pc, with pkg-config seeing only this prefix
# and check that each binary really uses what it was meant to.
#
# cmake -DBUILD_DIR=... -DCONSUMER_DIR=... -DWORK_DIR=... -DGENERATOR=...
#       -DC_COMPILER=... -DC_FLAGS=... -DBUILD_TYPE=... -DVERSION=...
#       -DSOVERSION=... -DLIBDIR=... -DSHARED=0|1 -DCLI=0|1 -DMAN=0|1
#       -P consumer.cmake
# SHARED=0 (MKLINK_BUILD_SHARED=OFF): no shared library is installed, and
# every consumer must link the static one.

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "FAILED (${rc}): ${cmd}")
  endif()
endfunction()

function(expect_file path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "not installed: ${path}")
  endif()
endfunction()

# The dynamic section of BINARY: NEEDED entries and RUNPATH.
function(dynamic_section binary out)
  execute_process(COMMAND readelf -d "${binary}" OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "readelf -d ${binary} failed")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

set(skipped "")
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

message(STATUS "installing into ${prefix}")
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# What every install must hold.
set(libdir ${prefix}/${LIBDIR})
expect_file(${prefix}/include/mklink.h)
expect_file(${libdir}/libmklink.a)
if(SHARED)
  expect_file(${libdir}/libmklink.so)
  expect_file(${libdir}/libmklink.so.${SOVERSION})
  expect_file(${libdir}/libmklink.so.${VERSION})
elseif(EXISTS ${libdir}/libmklink.so)
  message(FATAL_ERROR "libmklink.so installed by a build without the shared library")
endif()
expect_file(${libdir}/cmake/mklink/mklinkConfig.cmake)
expect_file(${libdir}/cmake/mklink/mklinkConfigVersion.cmake)
expect_file(${libdir}/cmake/mklink/mklinkTargets.cmake)
expect_file(${libdir}/pkgconfig/mklink.pc)
if(CLI)
  expect_file(${prefix}/bin/mklink)
  execute_process(COMMAND ${prefix}/bin/mklink --version
    OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "(^| )${VERSION}([\r\n ]|$)")
    message(FATAL_ERROR "`mklink --version` exited ${rc} and printed '${out}', expected version ${VERSION}")
  endif()
  message(STATUS "installed mklink --version: ${out}")
else()
  message(STATUS "no command in this build (src/cli absent): not checked")
endif()
if(MAN)
  # Once, compressed as Debian policy asks: an uncompressed copy beside it
  # means a second install rule for the page (cmake/install.cmake has the one).
  file(GLOB pages RELATIVE ${prefix}/share/man/man1 ${prefix}/share/man/man1/*)
  if(NOT pages STREQUAL "mklink.1.gz")
    message(FATAL_ERROR "share/man/man1 should hold mklink.1.gz alone, not: ${pages} "
      "(cmake/install.cmake installs the page; drop any other install rule for docs/mklink.1)")
  endif()
endif()

# The pkg-config file names the prefix it was installed into.
file(READ ${libdir}/pkgconfig/mklink.pc pc)
if(NOT pc MATCHES "prefix=${prefix}\n" OR NOT pc MATCHES "Version: ${VERSION}\n")
  message(FATAL_ERROR "mklink.pc does not name prefix ${prefix} and version ${VERSION}:\n${pc}")
endif()

file(GLOB_RECURSE installed RELATIVE ${prefix} LIST_DIRECTORIES false ${prefix}/*)
list(SORT installed)
string(REPLACE ";" "\n  " listing "${installed}")
message(STATUS "installed files:\n  ${listing}")

set(common_args -G ${GENERATOR} -DCMAKE_C_COMPILER=${C_COMPILER}
  "-DCMAKE_C_FLAGS=${C_FLAGS}" -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
# Only the temporary prefix may satisfy the consumer: no system directories,
# no package registry, pkg-config restricted to the prefix.
set(find_args -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
set(ENV{PKG_CONFIG_LIBDIR} ${libdir}/pkgconfig)
unset(ENV{PKG_CONFIG_PATH})

foreach(variant find_package static pkg-config)
  set(build ${WORK_DIR}/${variant})
  if(variant STREQUAL "pkg-config")
    set(args -DCONSUMER_FIND_MKLINK=pkg-config)
  elseif(variant STREQUAL "static")
    set(args -DCONSUMER_FIND_MKLINK=find_package -DMKLINK_USE_STATIC_LIBS=ON ${find_args})
  else()
    set(args -DCONSUMER_FIND_MKLINK=find_package ${find_args})
  endif()
  message(STATUS "consumer, ${variant}: configure, build, test")
  run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${build} ${common_args} ${args})
  run(${CMAKE_COMMAND} --build ${build})
  # --verbose: the consumer's own output (its versions, or why it skipped)
  execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${build}
    --verbose --no-tests=error OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  message("${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "FAILED (${rc}): the consumer's test, ${variant}")
  endif()
  if(out MATCHES "test_consumer: SKIP: ([^\n]*)")
    list(APPEND skipped "${variant}: ${CMAKE_MATCH_1}")
  elseif(NOT out MATCHES "test_consumer: all checks passed")
    message(FATAL_ERROR "the consumer's test, ${variant}, neither passed nor skipped")
  endif()

  if(NOT variant STREQUAL "pkg-config")
    file(STRINGS ${build}/CMakeCache.txt dir REGEX "^mklink_DIR:")
    if(NOT dir STREQUAL "mklink_DIR:PATH=${libdir}/cmake/mklink")
      message(FATAL_ERROR "the consumer found another mklink: ${dir}")
    endif()
  endif()
  dynamic_section(${build}/test_consumer dyn)
  if(variant STREQUAL "static" OR NOT SHARED)
    if(dyn MATCHES "libmklink")
      message(FATAL_ERROR "static consumer depends on a shared libmklink:\n${dyn}")
    endif()
  else()
    if(NOT dyn MATCHES "NEEDED[^\n]*\\[libmklink\\.so\\.${SOVERSION}\\]")
      message(FATAL_ERROR "${variant} consumer does not load libmklink.so.${SOVERSION}:\n${dyn}")
    endif()
    if(NOT dyn MATCHES "(RUNPATH|RPATH)[^\n]*${libdir}")
      message(FATAL_ERROR "${variant} consumer does not look for libmklink in ${libdir}:\n${dyn}")
    endif()
  endif()
endforeach()
if(skipped)
  # SKIP_REGULAR_EXPRESSION of install_consumer: built and linked all three
  # ways, but the test did not run, so the whole is reported skipped.
  string(REPLACE ";" "\n  " skipped "${skipped}")
  message("install_consumer: SKIPPED, the consumer built every way but its test skipped:\n  ${skipped}")
  return()
endif()
message(STATUS "consumer built and passed with find_package (shared, static) and pkg-config")
