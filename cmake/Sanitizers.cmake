# Sanitizer and fuzzing builds (see docs/hardening.md).
#   -DLTK_SANITIZE=ON  AddressSanitizer + UndefinedBehaviorSanitizer, every
#                      report fatal; ctest then also fails on any report
#                      (tests/CMakeLists.txt collects them)
#   -DLTK_FUZZ=ON      the same plus libFuzzer coverage, and the harnesses in
#                      fuzz/ (needs clang)
option(LTK_SANITIZE "Build with -fsanitize=address,undefined (reports are fatal)" OFF)
option(LTK_FUZZ "Build the libFuzzer harnesses in fuzz/ (clang only)" OFF)

set(LTK_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=all)

if(LTK_FUZZ AND NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "LTK_FUZZ needs clang (libFuzzer): cmake -DCMAKE_C_COMPILER=clang ...")
endif()

if(LTK_SANITIZE OR LTK_FUZZ)
  add_compile_options(${LTK_SANITIZER_FLAGS})
  add_link_options(-fsanitize=address,undefined)
endif()
if(LTK_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# LeakSanitizer stops the world with ptrace-like machinery that some
# containers forbid; then every leak check would die with "LeakSanitizer has
# encountered a fatal error" instead of checking.  Probe once: a program that
# leaks must be reported.  If it is not, leaks are left to valgrind (make
# memcheck) and the configure output says so.
set(LTK_DETECT_LEAKS 1)
if(LTK_SANITIZE AND NOT CMAKE_CROSSCOMPILING)
  set(probe_dir ${CMAKE_BINARY_DIR}/CMakeFiles/lsan-probe)
  file(WRITE ${probe_dir}/leak.c
       "#include <stdlib.h>\nvoid *volatile keep;\nint main(void) { keep = malloc(33); keep = 0; return 0; }\n")
  try_run(probe_run probe_compiled ${probe_dir} ${probe_dir}/leak.c
          COMPILE_DEFINITIONS ${LTK_SANITIZER_FLAGS}
          LINK_OPTIONS -fsanitize=address,undefined
          RUN_OUTPUT_VARIABLE probe_out)
  if(NOT probe_compiled)
    message(FATAL_ERROR "LTK_SANITIZE: ${CMAKE_C_COMPILER} cannot build with -fsanitize=address,undefined "
                        "(apt-get install -y gcc, which ships libasan and libubsan)")
  elseif(probe_out MATCHES "detected memory leaks")
    message(STATUS "LeakSanitizer works here: leaks fail the sanitizer tests")
  else()
    set(LTK_DETECT_LEAKS 0)
    message(WARNING "LeakSanitizer does not work here (ptrace restricted?): the sanitizer tests run "
                    "with detect_leaks=0; leaks are checked by 'make memcheck' (valgrind) only. "
                    "Probe said: ${probe_out}")
  endif()
endif()
