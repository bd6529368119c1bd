# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Autoconf macros of our own, for configure.ac (aclocal reads this file).

# OVNMC_CHECK_CC_OPTION(OPTION, [ACTION-IF-ACCEPTED], [ACTION-IF-NOT])
# ---------------------------------------------------------------------
# Checks whether the C compiler accepts OPTION when warnings are errors, so
# that a flag one compiler lacks (gcc's -Wduplicated-cond under clang, say)
# is left out rather than turning every compile into an error under
# --enable-werror.  gcc accepts any unknown "-Wno-X" silently, so for those
# the positive form "-WX" is what gets tried.  The result is cached in
# ovnmc_cv_cc_option_OPTION (with non-alphanumerics mapped to "_").
AC_DEFUN([OVNMC_CHECK_CC_OPTION],
[AS_VAR_PUSHDEF([ovnmc_cv], [ovnmc_cv_cc_option_$1])dnl
AC_CACHE_CHECK([whether $CC accepts $1], [ovnmc_cv],
  [ovnmc_save_CFLAGS=$CFLAGS
   ovnmc_try=$1
   case $ovnmc_try in
       -Wno-*) ovnmc_try=-W${ovnmc_try#-Wno-} ;;
   esac
   CFLAGS="$CFLAGS -Werror $ovnmc_try"
   AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [return 0;])],
                     [AS_VAR_SET([ovnmc_cv], [yes])],
                     [AS_VAR_SET([ovnmc_cv], [no])])
   CFLAGS=$ovnmc_save_CFLAGS])
AS_VAR_IF([ovnmc_cv], [yes], [$2], [$3])
AS_VAR_POPDEF([ovnmc_cv])dnl
])

# OVNMC_ADD_CC_OPTIONS(VARIABLE, OPTION...)
# -----------------------------------------
# Appends to the shell VARIABLE each OPTION (a whitespace-separated list)
# that the C compiler accepts (OVNMC_CHECK_CC_OPTION).
AC_DEFUN([OVNMC_ADD_CC_OPTIONS],
[m4_foreach_w([ovnmc_opt], [$2],
  [OVNMC_CHECK_CC_OPTION(m4_defn([ovnmc_opt]),
                         [$1="$$1 ]m4_defn([ovnmc_opt])["])
])])
