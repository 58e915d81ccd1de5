# Finds ltk's Debian dependencies and says exactly what to install when one is missing.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install -y pkg-config")
endif()

function(ltk_require_pkg var module debian)
  pkg_check_modules(${var} IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "${module} not found: apt-get install -y ${debian}")
  endif()
endfunction()

ltk_require_pkg(CJSON libcjson libcjson-dev)
ltk_require_pkg(GSL gsl libgsl-dev)
ltk_require_pkg(ZLIB zlib zlib1g-dev)

# libcsv ships no pkg-config file in Debian.
find_path(CSV_INCLUDE_DIR csv.h)
find_library(CSV_LIBRARY NAMES csv)
if(NOT CSV_INCLUDE_DIR OR NOT CSV_LIBRARY)
  message(FATAL_ERROR "libcsv not found: apt-get install -y libcsv-dev")
endif()
add_library(ltk_libcsv UNKNOWN IMPORTED)
set_target_properties(ltk_libcsv PROPERTIES IMPORTED_LOCATION ${CSV_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${CSV_INCLUDE_DIR})

if(LTK_TESTS)
  ltk_require_pkg(CHECK check check)
endif()

# gnuplot is a run-time program, not a build dependency: tools look it up on PATH.
find_program(GNUPLOT_EXECUTABLE gnuplot)
if(NOT GNUPLOT_EXECUTABLE)
  message(STATUS "gnuplot not found (charts will be unavailable): apt-get install -y gnuplot-nox")
endif()
