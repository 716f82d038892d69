# package.cmake -- CPack: `cpack -G DEB` in a native build tree makes one
# Debian package holding everything `cmake --install` installs (library,
# header, command, man page, CMake and pkg-config files).
#
# Configure the tree with -DCMAKE_INSTALL_PREFIX=/usr so GNUInstallDirs
# chooses Debian's multiarch library directory (lib/<triplet>); ci/package
# does.

set(CPACK_PACKAGE_NAME mklink)
set(CPACK_PACKAGE_VENDOR "The mklink project")
set(MKLINK_PACKAGE_CONTACT "mklink maintainers <mklink@localhost>" CACHE STRING
  "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${MKLINK_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
  "libmklink and the mklink command bring Windows' mklink (file and directory
symbolic links, hard links, junctions) to every platform, with Windows'
exact messages.  On Linux junctions are simulated.  Includes the C header,
static and shared libraries, a CMake package, a pkg-config file, and a CMake
module to run MinGW-built tests under Wine.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Stripped binaries, as Debian ships them (the static library keeps its
# symbols: only executables and shared libraries are stripped).
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/" "/\\\\.git/" "\\\\.swp$")

set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Dependencies come from the binaries themselves (dpkg-shlibdeps, from
# dpkg-dev), so they name exactly the libc the build machine linked against.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Ship a shlibs file for libmklink.so.N.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# The linker cache is refreshed by libc-bin's ldconfig trigger, as Debian's
# own library packages do, not by maintainer scripts: CPack would otherwise
# add a postinst and a postrm that run ldconfig, and a package with a postrm
# stays behind in dpkg's "config-files" state after `dpkg -r`.  CPack leaves
# out its scripts when CONTROL_EXTRA names files called postinst and postrm;
# these two do not exist, so the package gets none (cpack warns that it
# skips them).
file(WRITE ${PROJECT_BINARY_DIR}/debian/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PROJECT_BINARY_DIR}/debian/triggers
  ${PROJECT_BINARY_DIR}/debian/no-scripts/postinst
  ${PROJECT_BINARY_DIR}/debian/no-scripts/postrm)

include(CPack)
