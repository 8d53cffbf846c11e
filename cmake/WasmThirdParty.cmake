# SPDX-License-Identifier: Apache-2.0
# Third-party libraries for the Emscripten build, compiled from Debian's source
# packages inside this build tree (see DebianSource.cmake). Defines the same
# target names the native build gets from Debian's -dev packages, so the rest
# of the build does not care which target it is building for:
#   PkgConfig::SODIUM, simdjson::simdjson, pugixml::pugixml,
#   nlohmann_json::nlohmann_json, Catch2::Catch2, PkgConfig::QRENCODE,
#   MbedTLS::mbedcrypto, ZLIB::ZLIB

include(DebianSource)

# --- libsodium ---------------------------------------------------------------
# libsodium's tarball has no ./configure and autotools under emconfigure is
# slow and fragile under Node 20, so it is built directly with the defines its
# configure script would have chosen for a 32-bit little-endian target without
# threads, mmap or getrandom (randombytes then uses crypto.getRandomValues in
# the browser and crypto.randomBytes in Node).
chartlock_debian_source(libsodium SODIUM_SRC)
file(GLOB_RECURSE sodium_sources "${SODIUM_SRC}/src/libsodium/*.c")
set(sodium_gen "${CMAKE_BINARY_DIR}/_deps/sodium-include")
file(COPY "${SODIUM_SRC}/src/libsodium/include/" DESTINATION "${sodium_gen}")
set(VERSION 1.0.18)
set(SODIUM_LIBRARY_VERSION_MAJOR 10)
set(SODIUM_LIBRARY_VERSION_MINOR 3)
set(SODIUM_LIBRARY_MINIMAL_DEF "")
configure_file("${SODIUM_SRC}/src/libsodium/include/sodium/version.h.in"
               "${sodium_gen}/sodium/version.h" @ONLY)
add_library(sodium_wasm STATIC ${sodium_sources})
target_include_directories(sodium_wasm SYSTEM PUBLIC "${sodium_gen}")
target_include_directories(sodium_wasm PRIVATE "${sodium_gen}/sodium")
target_compile_definitions(sodium_wasm
  PUBLIC SODIUM_STATIC
  PRIVATE CONFIGURED=1 NATIVE_LITTLE_ENDIAN=1 _GNU_SOURCE=1 HAVE_C_VARARRAYS=1
          HAVE_ALLOCA=1 HAVE_ALLOCA_H=1 HAVE_INLINE_ASM=1 HAVE_ATOMIC_OPS=1
          HAVE_POSIX_MEMALIGN=1 HAVE_GETPID=1 HAVE_NANOSLEEP=1
          HAVE_EXPLICIT_BZERO=1 HAVE_SYS_MMAN_H=1)
target_compile_options(sodium_wasm PRIVATE
  -fno-strict-aliasing -fno-strict-overflow -w)
add_library(PkgConfig::SODIUM ALIAS sodium_wasm)

# --- simdjson ----------------------------------------------------------------
# Compiled from the source package's src/ and include/ (not its single-header
# amalgamation) with our WebAssembly SIMD128 kernel, third_party/simdjson-wasm:
# simdjson has none upstream and would pick its portable "fallback" kernel
# (docs/performance.md, "simdjson's kernel in wasm"). The kernel's files stay on
# the include path from the repository; the four files that list simdjson's
# kernels are copied and patched here, again whenever the patch changes.
chartlock_debian_source(simdjson SIMDJSON_SRC)
set(simdjson_kernel "${PROJECT_SOURCE_DIR}/third_party/simdjson-wasm")
set(simdjson_patch "${simdjson_kernel}/simdjson-wasm.patch")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${simdjson_patch}")
file(SHA256 "${simdjson_patch}" simdjson_patch_hash)
set(simdjson_tree "${CMAKE_BINARY_DIR}/_deps/simdjson-wasm")
if(NOT EXISTS "${simdjson_tree}/.patched-${simdjson_patch_hash}")
  file(REMOVE_RECURSE "${simdjson_tree}")
  file(COPY "${SIMDJSON_SRC}/include" "${SIMDJSON_SRC}/src" DESTINATION "${simdjson_tree}")
  execute_process(COMMAND patch -p1 --no-backup-if-mismatch -i "${simdjson_patch}"
    WORKING_DIRECTORY "${simdjson_tree}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "simdjson-wasm.patch does not apply to Debian's simdjson:\n${out}${err}")
  endif()
  file(TOUCH "${simdjson_tree}/.patched-${simdjson_patch_hash}")
endif()
add_library(simdjson_wasm STATIC "${simdjson_tree}/src/simdjson.cpp")
target_include_directories(simdjson_wasm SYSTEM PUBLIC
  "${simdjson_tree}/include" "${simdjson_kernel}/include")
target_include_directories(simdjson_wasm PRIVATE "${simdjson_tree}/src" "${simdjson_kernel}/src")
# SIMD128 for simdjson's own objects only: there the kernel is compiled and
# chosen. Code that includes simdjson.h without -msimd128 sees the fallback as
# its "builtin" (used only by the On-Demand API, which Chartlock does not use);
# the DOM parser it calls runs the wasm kernel. The module as a whole then
# needs WebAssembly SIMD (README: Chrome 91, Firefox 89, Safari 16.4, Node 16.4).
target_compile_options(simdjson_wasm PRIVATE -msimd128 -w)
add_library(simdjson::simdjson ALIAS simdjson_wasm)

# --- libqrencode ---------------------------------------------------------------
# The QR codes of SMART Health Links and recovery keys (core/src/qr/). Its own
# CMakeLists would probe for iconv, libpng and SDL; only the library's nine C
# files are needed, with the defines that CMakeLists sets for a release build.
chartlock_debian_source(qrencode QRENCODE_SRC)
add_library(qrencode_wasm STATIC
  "${QRENCODE_SRC}/qrencode.c" "${QRENCODE_SRC}/qrinput.c" "${QRENCODE_SRC}/bitstream.c"
  "${QRENCODE_SRC}/qrspec.c" "${QRENCODE_SRC}/rsecc.c" "${QRENCODE_SRC}/split.c"
  "${QRENCODE_SRC}/mask.c" "${QRENCODE_SRC}/mqrspec.c" "${QRENCODE_SRC}/mmask.c")
target_include_directories(qrencode_wasm SYSTEM PUBLIC "${QRENCODE_SRC}")
target_compile_definitions(qrencode_wasm PRIVATE
  MAJOR_VERSION=4 MINOR_VERSION=1 MICRO_VERSION=1 VERSION="4.1.1"
  STATIC_IN_RELEASE=static HAVE_STRDUP=1)
target_compile_options(qrencode_wasm PRIVATE -w)
add_library(PkgConfig::QRENCODE ALIAS qrencode_wasm)
# --- pugixml -----------------------------------------------------------------
# One source file; XPath is left out (the C-CDA reader walks elements itself).
chartlock_debian_source(pugixml PUGIXML_SRC)
add_library(pugixml_wasm STATIC "${PUGIXML_SRC}/src/pugixml.cpp")
target_include_directories(pugixml_wasm SYSTEM PUBLIC "${PUGIXML_SRC}/src")
target_compile_definitions(pugixml_wasm PUBLIC PUGIXML_NO_XPATH)
target_compile_options(pugixml_wasm PRIVATE -w)
add_library(pugixml::pugixml ALIAS pugixml_wasm)

# --- header-only: nlohmann/json, Catch2 ----------------------------------------
# Never put /usr/include itself on emcc's path (it would pick up glibc's
# headers); stage just these two folders.
set(staged "${CMAKE_BINARY_DIR}/_deps/staged-include")
file(MAKE_DIRECTORY "${staged}")
foreach(dir nlohmann catch2)
  if(NOT EXISTS "${staged}/${dir}")
    file(CREATE_LINK "/usr/include/${dir}" "${staged}/${dir}" SYMBOLIC)
  endif()
endforeach()
add_library(chartlock_staged_headers INTERFACE)
target_include_directories(chartlock_staged_headers SYSTEM INTERFACE "${staged}")
add_library(nlohmann_json::nlohmann_json ALIAS chartlock_staged_headers)
add_library(Catch2::Catch2 ALIAS chartlock_staged_headers)

# --- mbedTLS (ES256 for SMART Health Cards, crypto/jws) -------------------------
# Only the modules P-256 ECDSA verification and SHA-256 need, with a
# configuration of our own (mbedtls-wasm-config.h) instead of Debian's full one.
chartlock_debian_source(mbedtls MBEDTLS_SRC)
set(mbedtls_modules asn1parse asn1write bignum constant_time ecdsa ecp ecp_curves platform_util sha256)
list(TRANSFORM mbedtls_modules PREPEND "${MBEDTLS_SRC}/library/")
list(TRANSFORM mbedtls_modules APPEND ".c")
add_library(mbedcrypto_wasm STATIC ${mbedtls_modules})
set(mbedtls_config_dir "${CMAKE_BINARY_DIR}/_deps/mbedtls-config")
configure_file("${CMAKE_CURRENT_LIST_DIR}/mbedtls-wasm-config.h" "${mbedtls_config_dir}/chartlock-mbedtls-config.h" COPYONLY)
target_include_directories(mbedcrypto_wasm SYSTEM PUBLIC "${MBEDTLS_SRC}/include" "${mbedtls_config_dir}")
target_compile_definitions(mbedcrypto_wasm PUBLIC MBEDTLS_CONFIG_FILE="chartlock-mbedtls-config.h")
target_compile_options(mbedcrypto_wasm PRIVATE -w)
add_library(MbedTLS::mbedcrypto ALIAS mbedcrypto_wasm)

# --- zlib (raw DEFLATE of SMART Health Card payloads) ----------------------------
# inflate for the core; deflate too, which only the tests use (the module
# links just what it calls).
chartlock_debian_source(zlib ZLIB_SRC)
set(zlib_modules adler32 crc32 deflate inffast inflate inftrees trees zutil)
list(TRANSFORM zlib_modules PREPEND "${ZLIB_SRC}/")
list(TRANSFORM zlib_modules APPEND ".c")
add_library(zlib_wasm STATIC ${zlib_modules})
target_include_directories(zlib_wasm SYSTEM PUBLIC "${ZLIB_SRC}")
target_compile_definitions(zlib_wasm PRIVATE HAVE_UNISTD_H=1 HAVE_STDARG_H=1)
target_compile_options(zlib_wasm PRIVATE -w)
add_library(ZLIB::ZLIB ALIAS zlib_wasm)
