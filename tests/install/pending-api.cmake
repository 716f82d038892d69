# Functions include/mklink.h declares ahead of the code that implements them.
# Remove a name when its implementation is merged: install_exports (and the
# DLL check of ci/consumer-wine) fails while an implemented function is still
# listed, so this list cannot go stale, and a declared function missing from
# the library fails once it is off the list.
#   (none)
set(MKLINK_PENDING_API)
