// Everything is in include/CByteClass.h (static inline, so that Swift inlines it); SwiftPM needs a
// source file to build the module.
#include "CByteClass.h"
