# exports.cmake -- the shared library's dynamic symbols are exactly the
# functions include/mklink.h declares with MKLINK_EXTERN: nothing internal
# (mklink__*, the OS-call table) leaks, nothing public is missing.
#
# cmake -DLIBRARY=libmklink.so -DHEADER=mklink.h -DNM=nm -P exports.cmake

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
if(ndeclared LESS 5)
  message(FATAL_ERROR "found only ${ndeclared} MKLINK_EXTERN functions in ${HEADER}: the pattern is out of date")
endif()

execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY}
  OUTPUT_VARIABLE nm_out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D ${LIBRARY} failed")
endif()
string(REPLACE "\n" ";" nm_lines "${nm_out}")
set(exported "")
foreach(line IN LISTS nm_lines)
  # "0000000000001139 T mklink_create"; data and weak symbols count too.
  if(line MATCHES "^[0-9a-fA-F]* +[A-Za-z] +([^ @]+)")
    set(sym ${CMAKE_MATCH_1})
    # the linker's own markers, not the library's
    if(NOT sym MATCHES "^(_init|_fini|_edata|_end|__bss_start)$")
      list(APPEND exported ${sym})
    endif()
  endif()
endforeach()
list(REMOVE_DUPLICATES exported)
list(SORT exported)

set(missing ${declared})
list(REMOVE_ITEM missing ${exported})
set(extra ${exported})
list(REMOVE_ITEM extra ${declared})
if(missing OR extra)
  message(FATAL_ERROR "exports of ${LIBRARY} differ from the header:\n"
    "  declared, not exported: ${missing}\n"
    "  exported, not declared: ${extra}")
endif()
list(LENGTH exported n)
message(STATUS "${n} symbols exported, exactly the MKLINK_EXTERN functions: ${exported}")
