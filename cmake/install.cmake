# install.cmake -- what `cmake --install` puts on a system, and how consumers
# find it: the library static and shared, mklink.h, the command and its man
# page, a CMake package (find_package(mklink) -> mklink::mklink), mklink.pc,
# the Wine test module and the MinGW toolchain file.  Packaging (CPack) is in
# package.cmake.
#
# Included at the end of the top-level CMakeLists.txt, once every target that
# is installed exists.
#
# The in-tree target `mklink` stays what the project's own tests link: the
# static library with every internal symbol reachable.  The shared library is
# a second target, mklink_shared, built from the same sources with the same
# settings and exporting only what MKLINK_EXTERN marks.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

option(MKLINK_BUILD_SHARED "Also build and install the shared library (mklink_shared)" ON)

# ABI version of the shared library (the SONAME's number).  Bump it on any
# incompatible change of the exported interface -- a removed function, a
# changed struct layout or enum value -- independently of PROJECT_VERSION.
set(MKLINK_SOVERSION 1)

set(MKLINK_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mklink)

# ---- one version: project(VERSION) ---------------------------------------
# The header's MKLINK_VERSION_* must say what project() says; a release bumps
# both, and configuring refuses a tree where they differ.
function(mklink__check_header_version)
  file(STRINGS ${PROJECT_SOURCE_DIR}/include/mklink.h lines
       REGEX "^#define MKLINK_VERSION_(MAJOR|MINOR|PATCH|STRING) ")
  foreach(part MAJOR MINOR PATCH STRING)
    set(value "")
    foreach(line IN LISTS lines)
      if(line MATCHES "^#define MKLINK_VERSION_${part} +\"?([^\" ]*)\"?")
        set(value ${CMAKE_MATCH_1})
      endif()
    endforeach()
    if(part STREQUAL "STRING")
      set(expected ${PROJECT_VERSION})
    else()
      set(expected ${PROJECT_VERSION_${part}})
    endif()
    if(NOT value STREQUAL expected)
      message(FATAL_ERROR
        "include/mklink.h says MKLINK_VERSION_${part} is '${value}' but "
        "project(mklink VERSION ${PROJECT_VERSION}) says '${expected}': "
        "the version lives in CMakeLists.txt; update the header to match.")
    endif()
  endforeach()
endfunction()
mklink__check_header_version()

# ---- the libraries ----------------------------------------------------------
get_target_property(mklink__type mklink TYPE)
if(NOT mklink__type STREQUAL "STATIC_LIBRARY")
  message(FATAL_ERROR
    "The target mklink must be the static library (do not set "
    "BUILD_SHARED_LIBS); the shared library is the target mklink_shared, "
    "switched by MKLINK_BUILD_SHARED.")
endif()
set_target_properties(mklink PROPERTIES EXPORT_NAME mklink_static)
set(mklink__installed_libs mklink)

if(MKLINK_BUILD_SHARED)
  add_library(mklink_shared SHARED)
  # Everything `mklink` was given, wherever in the tree it was given, so the
  # two libraries cannot drift apart.
  foreach(prop SOURCES INCLUDE_DIRECTORIES COMPILE_DEFINITIONS COMPILE_OPTIONS
               COMPILE_FEATURES LINK_LIBRARIES LINK_OPTIONS
               INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS
               INTERFACE_COMPILE_OPTIONS INTERFACE_COMPILE_FEATURES
               C_VISIBILITY_PRESET)
    get_target_property(value mklink ${prop})
    if(value)
      set_property(TARGET mklink_shared PROPERTY ${prop} "${value}")
    endif()
  endforeach()
  # A static library lists its private dependencies as $<LINK_ONLY:...> for
  # its users; a shared library has already linked them and passes on only
  # the public ones.
  get_target_property(value mklink INTERFACE_LINK_LIBRARIES)
  if(value)
    list(FILTER value EXCLUDE REGEX "^\\$<LINK_ONLY:")
    set_property(TARGET mklink_shared PROPERTY INTERFACE_LINK_LIBRARIES "${value}")
  endif()
  # Hidden by default, MKLINK_EXTERN re-exports the public API.  On Windows
  # MKLINK_SHARED turns MKLINK_EXTERN into dllexport here and dllimport for
  # users, so only the public API is exported from the DLL either way.
  set_target_properties(mklink_shared PROPERTIES
    OUTPUT_NAME mklink
    EXPORT_NAME mklink_shared
    C_VISIBILITY_PRESET hidden
    VERSION ${PROJECT_VERSION}
    SOVERSION ${MKLINK_SOVERSION})
  if(WIN32)
    target_compile_definitions(mklink_shared PUBLIC MKLINK_SHARED=1)
  endif()
  list(APPEND mklink__installed_libs mklink_shared)
endif()

install(TARGETS ${mklink__installed_libs}
  EXPORT mklinkTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/mklink.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# ---- the command and its man page -------------------------------------------
# The command is src/cli's; it is installed when that part is built.  Its
# target is the executable src/cli defines whose output is named `mklink`
# (MKLINK_CLI_TARGET names it if that is ambiguous); a src/cli without one
# stops the configure rather than produce a package without its command.
set(MKLINK_CLI_TARGET "" CACHE STRING "Target of the mklink command (empty: found in src/cli)")
mark_as_advanced(MKLINK_CLI_TARGET)
function(mklink__find_cli_target out)
  set(${out} "" PARENT_SCOPE)
  if(MKLINK_CLI_TARGET)
    if(NOT TARGET ${MKLINK_CLI_TARGET})
      message(FATAL_ERROR "MKLINK_CLI_TARGET is '${MKLINK_CLI_TARGET}', which is no target")
    endif()
    set(${out} ${MKLINK_CLI_TARGET} PARENT_SCOPE)
    return()
  endif()
  set(dir ${PROJECT_SOURCE_DIR}/src/cli)
  if(NOT MKLINK_BUILD_CLI OR NOT EXISTS ${dir}/CMakeLists.txt)
    return()
  endif()
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  set(found "")
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    get_target_property(name ${t} OUTPUT_NAME)
    if(NOT name)
      set(name ${t})
    endif()
    if(type STREQUAL "EXECUTABLE" AND name STREQUAL "mklink")
      list(APPEND found ${t})
    endif()
  endforeach()
  list(LENGTH found n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "src/cli defines ${n} executables named mklink (${found}): "
      "set MKLINK_CLI_TARGET to the command's target")
  endif()
  set(${out} ${found} PARENT_SCOPE)
endfunction()
mklink__find_cli_target(mklink__cli)
if(mklink__cli)
  install(TARGETS ${mklink__cli} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(mklink__man ${PROJECT_SOURCE_DIR}/docs/mklink.1)
if(EXISTS ${mklink__man})
  # Compressed as Debian policy asks (gzip -n: no name or time stamp, so the
  # package is reproducible); man reads both.
  find_program(MKLINK_GZIP gzip)
  mark_as_advanced(MKLINK_GZIP)
  if(MKLINK_GZIP AND NOT WIN32)
    set(mklink__man_gz ${PROJECT_BINARY_DIR}/man/mklink.1.gz)
    add_custom_command(OUTPUT ${mklink__man_gz}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
      COMMAND ${MKLINK_GZIP} -9 -n -c ${mklink__man} > ${mklink__man_gz}
      DEPENDS ${mklink__man}
      COMMENT "Compressing the man page"
      VERBATIM)
    add_custom_target(mklink_man ALL DEPENDS ${mklink__man_gz})
    install(FILES ${mklink__man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  else()
    install(FILES ${mklink__man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endif()
endif()

install(FILES ${PROJECT_SOURCE_DIR}/CHANGELOG.md ${PROJECT_SOURCE_DIR}/docs/api.md
              ${PROJECT_SOURCE_DIR}/docs/install.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

# ---- the CMake package --------------------------------------------------------
install(EXPORT mklinkTargets
  NAMESPACE mklink::
  DESTINATION ${MKLINK_CMAKE_INSTALL_DIR})

# Shipped for consumers who cross-compile with MinGW and test under Wine; the
# package config points at both.
set(MKLINK_TOOLCHAIN_NAME mingw-w64-x86_64.cmake)
set(mklink__consumer_modules "")
foreach(file ${PROJECT_SOURCE_DIR}/cmake/MklinkWine.cmake
             ${PROJECT_SOURCE_DIR}/toolchains/${MKLINK_TOOLCHAIN_NAME})
  if(EXISTS ${file})
    list(APPEND mklink__consumer_modules ${file})
  endif()
endforeach()
if(mklink__consumer_modules)
  install(FILES ${mklink__consumer_modules} DESTINATION ${MKLINK_CMAKE_INSTALL_DIR})
endif()

# ---- what a static user must link as well --------------------------------------
# The private dependencies of `mklink` become find_dependency() calls in the
# package config and Libs.private in mklink.pc.  An unknown kind of dependency
# stops the configure rather than produce a package that fails to link.
set(MKLINK_CONFIG_DEPENDENCIES "")
set(MKLINK_PC_LIBS_PRIVATE "")
get_target_property(mklink__deps mklink LINK_LIBRARIES)
if(NOT mklink__deps)
  set(mklink__deps "")
endif()
foreach(dep IN LISTS mklink__deps)
  if(dep MATCHES "^\\$<BUILD_INTERFACE:")
    continue() # build settings such as mklink_warnings, not dependencies
  elseif(dep STREQUAL "Threads::Threads")
    string(APPEND MKLINK_CONFIG_DEPENDENCIES "find_dependency(Threads)\n")
    string(APPEND MKLINK_PC_LIBS_PRIVATE " -pthread")
  elseif(dep MATCHES "^[A-Za-z0-9_]+$" AND NOT TARGET ${dep})
    string(APPEND MKLINK_PC_LIBS_PRIVATE " -l${dep}") # a system library
  else()
    message(FATAL_ERROR "cmake/install.cmake does not know how a consumer "
      "gets mklink's dependency '${dep}': add it to the package config and mklink.pc.")
  endif()
endforeach()
string(STRIP "${MKLINK_PC_LIBS_PRIVATE}" MKLINK_PC_LIBS_PRIVATE)

# ---- pkg-config -----------------------------------------------------------------
# Written at install time, with the prefix the install really uses
# (`cmake --install --prefix`, or CPack's /usr), so the paths are plain
# absolute ones as distributions expect.  The first pass fills in everything
# else and keeps @MKLINK_PC_PREFIX@ for the second.
set(MKLINK_PC_PREFIX "@MKLINK_PC_PREFIX@")
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(MKLINK_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(MKLINK_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/mklink.pc.in ${PROJECT_BINARY_DIR}/mklink.pc.in @ONLY)
install(CODE "
  set(MKLINK_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/mklink.pc.in\"
                 \"${PROJECT_BINARY_DIR}/pkgconfig/mklink.pc\" @ONLY)
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\"
       TYPE FILE FILES \"${PROJECT_BINARY_DIR}/pkgconfig/mklink.pc\")
")

# ---- the package config (after the dependencies it lists) ----------------------
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/mklinkConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mklinkConfig.cmake
  INSTALL_DESTINATION ${MKLINK_CMAKE_INSTALL_DIR})
# 0.x: a minor release may break the API, so only the same minor is compatible.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(mklink__compat SameMinorVersion)
else()
  set(mklink__compat SameMajorVersion)
endif()
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/mklinkConfigVersion.cmake
  COMPATIBILITY ${mklink__compat})
install(FILES
  ${PROJECT_BINARY_DIR}/mklinkConfig.cmake
  ${PROJECT_BINARY_DIR}/mklinkConfigVersion.cmake
  DESTINATION ${MKLINK_CMAKE_INSTALL_DIR})

include(${CMAKE_CURRENT_LIST_DIR}/package.cmake)

if(MKLINK_BUILD_TESTS AND EXISTS ${PROJECT_SOURCE_DIR}/tests/install/CMakeLists.txt)
  add_subdirectory(tests/install)
endif()
