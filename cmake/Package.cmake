# Debian packages with CPack (make deb, docs/install.md).  Each package's
# description is its first line (the synopsis) and the text after it; CPack
# indents the text as the control file wants.  Two packages, as
# Debian would split them, from the install rules' two components:
#   ltk         (component "tools") the tools, man pages, report templates,
#               bash and zsh completions
#   libltk-dev  (component "dev")   libltk.a, the headers, ltk.pc, the example
# The tools' Depends come from dpkg-shlibdeps (the libraries they link);
# libltk-dev needs the -dev packages of the libraries a static libltk pulls in.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ltk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(LTK_DEB_MAINTAINER "ltk developers <ltk@localhost>" CACHE STRING "The Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${LTK_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
# the tools stripped of their debug information; libltk.a is left as built
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL tools dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME ltk)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SHLIBDEPS ON)
# charts in ltk report and ltk compare --format html; everything else works without
set(CPACK_DEBIAN_TOOLS_PACKAGE_RECOMMENDS "gnuplot-nox | gnuplot")
set(CPACK_DEBIAN_TOOLS_PACKAGE_SUGGESTS "python3-locust, bash-completion")
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "load-test results kit: answers from Locust runs
ltk reads what a Locust load test leaves behind (its --csv exports, raw
request logs, JMeter and k6 CSVs) and answers: per-endpoint latency
percentiles and throughput (ltk stats), pass or fail against criteria with
JUnit XML for CI (ltk check), regressions against a baseline with
statistical tests (ltk compare), trends, capacity and the breaking point,
bottleneck diagnosis, costs, and one HTML or Markdown report (ltk report).")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libltk-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libcjson-dev, libgsl-dev, zlib1g-dev, libcsv-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "pkg-config")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "ltk")
set(CPACK_DEBIAN_DEV_DESCRIPTION "load-test results kit: static library and headers
libltk is the library under the ltk tools: it loads Locust runs, raw
request logs and ltk summaries into one run model and computes what the
tools print. This package holds the static library, the headers under
/usr/include/ltk, the pkg-config file ltk.pc and an example program.")

include(CPack)
