# check_manpage.cmake -- cmake -DPAGE=docs/mklink.1 -P check_manpage.cmake
# Fails unless groff checks PAGE with every warning on and finds nothing, and
# `man -l` renders it with no message on stderr.
find_program(GROFF groff)
find_program(MAN man)
if(NOT GROFF OR NOT MAN)
  message(FATAL_ERROR "groff and man are needed to check ${PAGE} (bash ci/deps installs man-db)")
endif()
execute_process(COMMAND ${GROFF} -man -z -ww ${PAGE}
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
  message(FATAL_ERROR "groff -man -z -ww ${PAGE} (exit ${rc}):\n${err}")
endif()
set(ENV{MANWIDTH} 80)
set(ENV{MAN_KEEP_FORMATTING} "")
execute_process(COMMAND ${MAN} --warnings -l ${PAGE}
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
  message(FATAL_ERROR "man --warnings -l ${PAGE} (exit ${rc}):\n${err}")
endif()
if(NOT out MATCHES "mklink --list")
  message(FATAL_ERROR "man -l ${PAGE} rendered no usable text:\n${out}")
endif()
message(STATUS "${PAGE}: renders without warnings")
