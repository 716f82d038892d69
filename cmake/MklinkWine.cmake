# MklinkWine.cmake -- run Windows test executables under Wine with ctest.
#
# Self-contained: include() it from a project cross-compiled for Windows
# (CMAKE_CROSSCOMPILING_EMULATOR set to wine, e.g. by mklink's
# toolchains/mingw-w64-x86_64.cmake) and register tests with
#
#   mklink_wine_add_test(NAME <name> COMMAND <target> [args...]
#                        [WORKING_DIRECTORY <dir>] [ENVIRONMENT <VAR=value>...])
#
# Every such test runs under Wine with:
#   - a private WINEPREFIX inside the build tree (${CMAKE_BINARY_DIR}/wineprefix
#     unless MKLINK_WINEPREFIX is set), so tests never touch ~/.wine;
#   - WINEDEBUG=-all (Wine's fixme/err noise would bury test output) and
#     WINEDLLOVERRIDES=${MKLINK_WINE_DLLOVERRIDES}, by default
#     "mscoree,mshtml,winemenubuilder.exe,winex11.drv,winewayland.drv,winemac.drv=":
#     no Mono or Gecko (no install prompts), no desktop menu entries written
#     to $HOME, and no graphics driver: Wine 10 otherwise loads its Wayland
#     driver, which prints "error: XDG_RUNTIME_DIR is invalid or not set in
#     the environment." into a test's stderr; the tests need no window;
#   - LC_ALL=C.UTF-8: Wine converts Unix file names with the locale's
#     character set, and Wine 10 under the C locale (LANG unset, as on a
#     fresh machine or in a container) cannot open a non-ASCII name;
#   - the prefix initialised once per build tree by the ctest fixture test
#     `mklink_wine_prefix` (`wineboot -i`, ~6-15 s the first time, nothing
#     when the prefix exists), a FIXTURES_REQUIRED of every test, so
#     `ctest -R one_test` still initialises it first; its cleanup test
#     `mklink_wine_shutdown` (`wineserver -k`) ends the prefix's wineserver
#     after the last test, so nothing holds the build tree afterwards;
#   - WINEPATH set to the MinGW runtime directory (libgcc_s_seh-1.dll,
#     libwinpthread-1.dll) found next to the compiler, so executables linked
#     dynamically against the MinGW runtime start too.  mklink's own toolchain
#     links executables with -static, so its tests need no DLL at all.
#
# The emulator is MKLINK_WINE, else CMAKE_CROSSCOMPILING_EMULATOR, else
# `wine` found on PATH; wineboot is looked up beside it.
#
# Run as a script (cmake -DMKLINK_WINE_INIT=1 -DMKLINK_WINEPREFIX=...
# -DMKLINK_WINEBOOT=... -P MklinkWine.cmake) it is the fixture itself: it
# initialises the prefix if needed; with -DMKLINK_WINE_SHUTDOWN=1
# -DMKLINK_WINESERVER=... it ends the prefix's wineserver.

cmake_minimum_required(VERSION 3.20)

if(CMAKE_SCRIPT_MODE_FILE AND MKLINK_WINE_SHUTDOWN)
  # Cleanup body: end this prefix's wineserver (if one runs) and wait for it.
  set(ENV{WINEPREFIX} "${MKLINK_WINEPREFIX}")
  execute_process(COMMAND "${MKLINK_WINESERVER}" -k RESULT_VARIABLE rc ERROR_QUIET)
  execute_process(COMMAND "${MKLINK_WINESERVER}" -w RESULT_VARIABLE rc ERROR_QUIET)
  return()
endif()

if(CMAKE_SCRIPT_MODE_FILE AND MKLINK_WINE_INIT)
  if(EXISTS "${MKLINK_WINEPREFIX}/system.reg")
    message(STATUS "Wine prefix ready: ${MKLINK_WINEPREFIX}")
    return()
  endif()
  file(MAKE_DIRECTORY "${MKLINK_WINEPREFIX}")
  set(ENV{WINEPREFIX} "${MKLINK_WINEPREFIX}")
  set(ENV{WINEDEBUG} "-all")
  set(ENV{WINEDLLOVERRIDES} "${MKLINK_WINE_DLLOVERRIDES}")
  set(ENV{LC_ALL} "C.UTF-8")
  execute_process(COMMAND "${MKLINK_WINEBOOT}" -i RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${MKLINK_WINEPREFIX}/system.reg")
    message(FATAL_ERROR "wineboot -i failed (${rc}) for ${MKLINK_WINEPREFIX}")
  endif()
  message(STATUS "Wine prefix initialised: ${MKLINK_WINEPREFIX}")
  return()
endif()

include_guard(GLOBAL)

set(_MKLINK_WINE_MODULE "${CMAKE_CURRENT_LIST_FILE}")

if(NOT MKLINK_WINE)
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    list(GET CMAKE_CROSSCOMPILING_EMULATOR 0 MKLINK_WINE)
  else()
    find_program(MKLINK_WINE NAMES wine wine64)
  endif()
endif()
if(NOT MKLINK_WINE)
  message(FATAL_ERROR "MklinkWine: Wine not found (install wine, or set MKLINK_WINE)")
endif()
get_filename_component(_mklink_wine_dir "${MKLINK_WINE}" DIRECTORY)
find_program(MKLINK_WINEBOOT NAMES wineboot HINTS "${_mklink_wine_dir}")
find_program(MKLINK_WINESERVER NAMES wineserver HINTS "${_mklink_wine_dir}")
if(NOT MKLINK_WINEBOOT)
  message(FATAL_ERROR "MklinkWine: wineboot not found next to ${MKLINK_WINE}")
endif()

if(NOT MKLINK_WINEPREFIX)
  set(MKLINK_WINEPREFIX "${CMAKE_BINARY_DIR}/wineprefix")
endif()

# The directory holding the MinGW runtime DLLs, for dynamically linked tests.
set(_mklink_wine_path "")
if(CMAKE_C_COMPILER)
  execute_process(COMMAND "${CMAKE_C_COMPILER}" -print-file-name=libgcc_s_seh-1.dll
    OUTPUT_VARIABLE _mklink_gcc_dll OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_mklink_gcc_dll AND IS_ABSOLUTE "${_mklink_gcc_dll}" AND EXISTS "${_mklink_gcc_dll}")
    get_filename_component(_mklink_wine_path "${_mklink_gcc_dll}" DIRECTORY)
  endif()
endif()

set(MKLINK_WINE_DLLOVERRIDES
  "mscoree,mshtml,winemenubuilder.exe,winex11.drv,winewayland.drv,winemac.drv="
  CACHE STRING "WINEDLLOVERRIDES of the Wine tests (default: no Mono, Gecko, menus or graphics driver)")

if(NOT TEST mklink_wine_prefix)
  add_test(NAME mklink_wine_prefix
    COMMAND ${CMAKE_COMMAND} -DMKLINK_WINE_INIT=1
            "-DMKLINK_WINE_DLLOVERRIDES=${MKLINK_WINE_DLLOVERRIDES}"
            "-DMKLINK_WINEPREFIX=${MKLINK_WINEPREFIX}"
            "-DMKLINK_WINEBOOT=${MKLINK_WINEBOOT}"
            -P "${_MKLINK_WINE_MODULE}")
  set_tests_properties(mklink_wine_prefix PROPERTIES
    FIXTURES_SETUP mklink_wine_prefix TIMEOUT 120)
  if(MKLINK_WINESERVER)
    # The prefix's wineserver would linger a few seconds after the last
    # test, holding the build tree; end it when the tests are done.
    add_test(NAME mklink_wine_shutdown
      COMMAND ${CMAKE_COMMAND} -DMKLINK_WINE_SHUTDOWN=1
              "-DMKLINK_WINEPREFIX=${MKLINK_WINEPREFIX}"
              "-DMKLINK_WINESERVER=${MKLINK_WINESERVER}"
              -P "${_MKLINK_WINE_MODULE}")
    set_tests_properties(mklink_wine_shutdown PROPERTIES
      FIXTURES_CLEANUP mklink_wine_prefix TIMEOUT 30)
  endif()
endif()

# The environment every Wine test gets (also useful to custom commands).
set(MKLINK_WINE_ENVIRONMENT
  "WINEPREFIX=${MKLINK_WINEPREFIX}"
  "WINEDEBUG=-all"
  "WINEDLLOVERRIDES=${MKLINK_WINE_DLLOVERRIDES}"
  "LC_ALL=C.UTF-8")
if(_mklink_wine_path)
  list(APPEND MKLINK_WINE_ENVIRONMENT "WINEPATH=${_mklink_wine_path}")
endif()

function(mklink_wine_add_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;WORKING_DIRECTORY"
    "COMMAND;ENVIRONMENT")
  if(NOT arg_NAME OR NOT arg_COMMAND)
    message(FATAL_ERROR "mklink_wine_add_test: NAME and COMMAND are required")
  endif()
  list(GET arg_COMMAND 0 exe)
  list(REMOVE_AT arg_COMMAND 0)
  if(TARGET ${exe})
    # A target: add_test prefixes CMAKE_CROSSCOMPILING_EMULATOR itself.
    set(cmd ${exe} ${arg_COMMAND})
  else()
    set(cmd ${MKLINK_WINE} ${exe} ${arg_COMMAND})
  endif()
  if(arg_WORKING_DIRECTORY)
    add_test(NAME ${arg_NAME} COMMAND ${cmd} WORKING_DIRECTORY ${arg_WORKING_DIRECTORY})
  else()
    add_test(NAME ${arg_NAME} COMMAND ${cmd})
  endif()
  set_property(TEST ${arg_NAME} APPEND PROPERTY FIXTURES_REQUIRED mklink_wine_prefix)
  set_property(TEST ${arg_NAME} APPEND PROPERTY ENVIRONMENT
    ${MKLINK_WINE_ENVIRONMENT} ${arg_ENVIRONMENT})
endfunction()
