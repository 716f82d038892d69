# exports.cmake -- the shared library's interface is the header's, exactly:
#
#   1. it exports nothing the header does not declare with MKLINK_EXTERN
#      (no mklink__* internals, no OS-call table);
#   2. every declared function the library implements is exported (hidden
#      visibility has not swallowed one);
#   3. every declared function is implemented, except those PENDING_FILE
#      lists in MKLINK_PENDING_API (declared ahead of the code that implements
#      them).  A pending name that the library now implements fails too, so
#      the list cannot go stale and rule 3 covers every declaration once the
#      implementations are in;
#   4. ELF: it leaves no mklink symbol undefined (a missing backend function
#      links into a .so silently and fails only when a program loads it; a
#      DLL does not link at all).
#
# What the library implements is read from the static library, built from the
# same sources: its defined global symbols, hidden or not.
#
# cmake -DFORMAT=elf -DSHARED=libmklink.so -DSTATIC=libmklink.a
#       -DHEADER=mklink.h -DNM=nm -DPENDING_FILE=pending-api.cmake
#       -P exports.cmake
# cmake -DFORMAT=pe -DSHARED=libmklink.dll -DOBJDUMP=x86_64-w64-mingw32-objdump
#       -DSTATIC=libmklink.a -DNM=x86_64-w64-mingw32-nm ... -P exports.cmake

cmake_minimum_required(VERSION 3.20) # policies for -P scripts: IN_LIST

# Global symbols of FILE as a sorted list; ARGN: extra nm options.
function(symbols file out)
  execute_process(COMMAND ${NM} -g ${ARGN} ${file}
    OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} -g ${ARGN} ${file} failed (${rc})")
  endif()
  string(REPLACE "\n" ";" lines "${text}")
  set(names "")
  foreach(line IN LISTS lines)
    # "0000000000001139 T mklink_create", "                 U memcpy@GLIBC_2.14"
    if(line MATCHES "^[0-9a-fA-F ]* [A-Za-z] ([^ @]+)")
      list(APPEND names ${CMAKE_MATCH_1})
    endif()
  endforeach()
  # the linker's own markers, not the library's
  list(FILTER names EXCLUDE REGEX "^(_init|_fini|_edata|_end|__bss_start)$")
  list(REMOVE_DUPLICATES names)
  list(SORT names)
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# A \ B
function(difference a b out)
  set(result ${${a}})
  if(result AND ${b})
    list(REMOVE_ITEM result ${${b}})
  endif()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

function(intersection a b out)
  set(result "")
  foreach(x IN LISTS ${a})
    if(x IN_LIST ${b})
      list(APPEND result ${x})
    endif()
  endforeach()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

file(READ ${HEADER} header)
# MKLINK_EXTERN <type> [*]name(  -- the return type may be a pointer.
string(REGEX MATCHALL "MKLINK_EXTERN[^;(]*[ *](mklink_[a-z0-9_]+)\\(" decls "${header}")
set(declared "")
foreach(decl IN LISTS decls)
  if(decl MATCHES "[ *](mklink_[a-z0-9_]+)\\($")
    list(APPEND declared ${CMAKE_MATCH_1})
  endif()
endforeach()
list(REMOVE_DUPLICATES declared)
list(SORT declared)
list(LENGTH declared ndeclared)
# Every declaration starts a line with MKLINK_EXTERN; each must have been read.
file(STRINGS ${HEADER} uses REGEX "^MKLINK_EXTERN ")
list(LENGTH uses nuses)
if(ndeclared LESS 5 OR NOT ndeclared EQUAL nuses)
  message(FATAL_ERROR "read ${ndeclared} functions from ${nuses} uses of "
    "MKLINK_EXTERN in ${HEADER}: the pattern here is out of date")
endif()

# The names in a DLL's export table: the last word of each entry
# ("\t[   3] mklink_err_name" with binutils 2.40, bookworm;
# "\t[   3] +base[   4]  0003 mklink_err_name" with 2.44, trixie).
function(pe_exports file out)
  execute_process(COMMAND ${OBJDUMP} -p ${file} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${OBJDUMP} -p ${file} failed (${rc})")
  endif()
  string(FIND "${text}" "[Ordinal/Name Pointer] Table" at)
  set(names "")
  if(NOT at EQUAL -1)
    string(SUBSTRING "${text}" ${at} -1 text)
    string(REGEX MATCHALL "\n\t\[ *[0-9]+\] [^\n]+" entries "${text}")
    foreach(entry IN LISTS entries)
      string(REGEX REPLACE "^.*[ \t]" "" name "${entry}")
      list(APPEND names ${name})
    endforeach()
  endif()
  list(SORT names)
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

set(MKLINK_PENDING_API "")
include(${PENDING_FILE})
set(PENDING ${MKLINK_PENDING_API})

if(FORMAT STREQUAL "elf")
  symbols(${SHARED} exported -D --defined-only)
  symbols(${SHARED} undefined -D --undefined-only)
elseif(FORMAT STREQUAL "pe")
  pe_exports(${SHARED} exported)
  set(undefined "")
else()
  message(FATAL_ERROR "FORMAT is '${FORMAT}': elf or pe")
endif()
symbols(${STATIC} defined --defined-only)

difference(exported declared leaked)                   # rule 1
intersection(declared defined implemented)
difference(implemented exported hidden)                # rule 2
difference(declared defined unimplemented)
difference(unimplemented PENDING missing)              # rule 3
intersection(PENDING implemented stale)
intersection(PENDING declared pending_declared)
difference(PENDING pending_declared not_declared)
set(unresolved ${undefined})                           # rule 4
list(FILTER unresolved INCLUDE REGEX "^mklink")

set(errors "")
if(leaked)
  string(APPEND errors "  exported, not declared in the header: ${leaked}\n")
endif()
if(hidden)
  string(APPEND errors "  implemented and declared, not exported: ${hidden}\n")
endif()
if(missing)
  string(APPEND errors "  declared, implemented nowhere in the library: ${missing}\n")
endif()
if(stale)
  string(APPEND errors "  implemented now, still listed as pending: ${stale} "
    "(remove from MKLINK_PENDING_API in tests/install/pending-api.cmake)\n")
endif()
if(not_declared)
  string(APPEND errors "  listed as pending, not declared in the header: ${not_declared}\n")
endif()
if(unresolved)
  string(APPEND errors "  left undefined in the shared library: ${unresolved}\n")
endif()
if(errors)
  message(FATAL_ERROR "the interface of ${SHARED} is not the header's:\n${errors}")
endif()

list(LENGTH exported nexported)
message(STATUS "${nexported} of ${ndeclared} declared functions exported, nothing else: ${exported}")
if(unimplemented)
  message(STATUS "declared, not implemented yet (pending): ${unimplemented}")
endif()
