# mingw-w64-x86_64.cmake -- cross-compile for 64-bit Windows with MinGW-w64
# (Debian: gcc-mingw-w64-x86-64) and run what we build under Wine.
#
#   cmake -S . -B build/mingw \
#         -DCMAKE_TOOLCHAIN_FILE=toolchains/mingw-w64-x86_64.cmake \
#         -DCMAKE_PREFIX_PATH=/path/to/mingw/prefix    # e.g. cmocka built by ci/mingw-deps
#
# Executables are linked with -static: they need no MinGW runtime DLL
# (libgcc_s_seh-1.dll, libwinpthread-1.dll) at run time, so Wine runs them
# without any WINEPATH set-up.  CMAKE_CROSSCOMPILING_EMULATOR is `wine`, so
# add_test(NAME x COMMAND target) runs the target under Wine by itself.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(MKLINK_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${MKLINK_MINGW_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${MKLINK_MINGW_TRIPLET}-g++)
set(CMAKE_RC_COMPILER ${MKLINK_MINGW_TRIPLET}-windres)

# Headers and libraries only from the MinGW sysroot and from CMAKE_PREFIX_PATH
# (never the host's /usr/include: a host cmocka.h must not be picked up);
# programs from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${MKLINK_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# CMAKE_PREFIX_PATH entries are searched as they are, not below the sysroot.
foreach(_mklink_prefix IN LISTS CMAKE_PREFIX_PATH)
  list(APPEND CMAKE_FIND_ROOT_PATH ${_mklink_prefix})
endforeach()

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")

# Wine runs the tests.  Debian's wine + wine64 packages install `wine` (there
# is no `wine64` command on bookworm); other layouts may only have wine64.
find_program(MKLINK_WINE NAMES wine wine64 DOC "Wine, to run the Windows executables")
if(NOT MKLINK_WINE)
  message(FATAL_ERROR
    "mingw-w64-x86_64.cmake: Wine not found. Install it (Debian: apt-get install wine wine64) "
    "or set MKLINK_WINE to the wine program; the Windows tests run under it.")
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR ${MKLINK_WINE})
