# SPDX-License-Identifier: Apache-2.0
# -DCHARTLOCK_FUZZ=ON: instrument everything we compile for libFuzzer
# (coverage feedback) with AddressSanitizer and UndefinedBehaviorSanitizer,
# so the fuzz targets in fuzz/ find memory errors and UB, not just crashes.
# UB aborts (no recover) so that libFuzzer records it as a crash.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang" OR NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "CHARTLOCK_FUZZ needs clang (libFuzzer): "
                      "CC=clang CXX=clang++ cmake -B build-fuzz -DCHARTLOCK_FUZZ=ON")
endif()
if(CHARTLOCK_SANITIZE)
  message(FATAL_ERROR "CHARTLOCK_FUZZ already builds with ASan+UBSan; leave CHARTLOCK_SANITIZE off")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                    -fno-sanitize-recover=undefined -g)
add_link_options(-fsanitize=address,undefined)
