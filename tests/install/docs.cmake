# docs.cmake -- docs/api.md keeps up with the header: every function the
# header declares with MKLINK_EXTERN has its own section ("## name") with a C
# example that uses it, and every C example there compiles against the
# header with a strict consumer's warnings.
#
# cmake -DDOC=docs/api.md -DHEADER=include/mklink.h -DINCLUDE_DIR=include
#       -DCC=cc -DWORK_DIR=...
#       -P docs.cmake
cmake_minimum_required(VERSION 3.20)

file(STRINGS ${HEADER} decls REGEX "^MKLINK_EXTERN ")
set(declared "")
foreach(decl IN LISTS decls)
  if(decl MATCHES "[ *](mklink_[a-z0-9_]+)\\(")
    list(APPEND declared ${CMAKE_MATCH_1})
  endif()
endforeach()
list(LENGTH decls ndecls)
list(LENGTH declared ndeclared)
if(ndeclared LESS 5 OR NOT ndeclared EQUAL ndecls)
  message(FATAL_ERROR "read ${ndeclared} names from ${ndecls} declarations in ${HEADER}")
endif()

# The C blocks ("```c" to "```") and the section ("## name") each is in.  The
# text is cut with string(FIND), not split into a list: C has ';' and '\'.
file(READ ${DOC} text)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(nblocks 0)
set(rest "\n${text}")
set(section "")
while(TRUE)
  string(FIND "${rest}" "\n```c\n" start)
  if(start EQUAL -1)
    break()
  endif()
  string(SUBSTRING "${rest}" 0 ${start} before)
  string(REGEX MATCHALL "\n## [^\n]*" headings "${before}")
  if(headings)
    list(GET headings -1 heading)
    string(REGEX REPLACE "^\n## " "" section "${heading}")
  endif()
  math(EXPR start "${start} + 6") # past "\n```c\n"
  string(SUBSTRING "${rest}" ${start} -1 rest)
  string(FIND "${rest}" "\n```\n" end)
  if(end EQUAL -1)
    message(FATAL_ERROR "${DOC}: a C block in section '${section}' is not closed")
  endif()
  math(EXPR end "${end} + 1")
  string(SUBSTRING "${rest}" 0 ${end} code)
  string(SUBSTRING "${rest}" ${end} -1 rest)
  math(EXPR nblocks "${nblocks} + 1")
  file(WRITE ${WORK_DIR}/example_${nblocks}.c "${code}")
  set(section_of_${nblocks} "${section}")
  string(APPEND code_of_${section} "${code}")
endwhile()

set(errors "")
foreach(name IN LISTS declared)
  if(NOT DEFINED code_of_${name})
    string(APPEND errors "  ${name}: no section \"## ${name}\" with a C example\n")
  elseif(NOT code_of_${name} MATCHES "[^a-z_]${name}\\(")
    string(APPEND errors "  ${name}: the examples of its section do not call it\n")
  endif()
endforeach()

if(nblocks EQUAL 0)
  message(FATAL_ERROR "${DOC}: no C examples found")
endif()
foreach(i RANGE 1 ${nblocks})
  execute_process(
    COMMAND ${CC} -std=c11 -Wall -Wextra -Wpedantic -Werror -O2
            -I${INCLUDE_DIR} -c example_${i}.c -o example_${i}.o
    WORKING_DIRECTORY ${WORK_DIR}
    RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(APPEND errors "  example ${i} (section \"${section_of_${i}}\") does not compile:\n${err}\n")
  endif()
endforeach()

if(errors)
  message(FATAL_ERROR "${DOC} is out of step with ${HEADER}:\n${errors}")
endif()
message(STATUS "${nblocks} C examples compile; all ${ndeclared} functions have a section with an example")
