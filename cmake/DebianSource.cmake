# SPDX-License-Identifier: Apache-2.0
# Fetch and unpack a Debian source package into the build tree.
#
# The wasm build compiles third-party C/C++ (libsodium, simdjson) from Debian's
# own source packages rather than from vendored copies: the repository holds no
# third-party source (but third_party/simdjson-wasm, a kernel simdjson lacks,
# applied over Debian's), and the code that runs in the browser is the code
# Debian ships (with its security patches applied by dpkg-source).
#
#   chartlock_debian_source(<package> <out-var>)
#
# sets <out-var> to the unpacked source tree. Needs a deb-src entry for
# bookworm (scripts/bootstrap adds one), `apt-get` and `dpkg-source` (dpkg-dev).
# CHARTLOCK_DEBSRC_CACHE may point at a directory that already holds the
# downloaded .dsc/.orig/.debian files (useful offline).

set(CHARTLOCK_DEBSRC_CACHE "" CACHE PATH
    "Directory holding pre-downloaded Debian source packages (optional)")

function(chartlock_debian_source package out_var)
  set(root "${CMAKE_BINARY_DIR}/_debsrc")
  set(unpacked "${root}/${package}")
  if(NOT EXISTS "${unpacked}/.chartlock-unpacked")
    set(download "${root}/download")
    file(MAKE_DIRECTORY "${download}")
    file(GLOB dsc "${download}/${package}_*.dsc")
    if(NOT dsc AND CHARTLOCK_DEBSRC_CACHE)
      file(GLOB cached "${CHARTLOCK_DEBSRC_CACHE}/${package}_*")
      if(cached)
        file(COPY ${cached} DESTINATION "${download}")
      endif()
      file(GLOB dsc "${download}/${package}_*.dsc")
    endif()
    set(partial FALSE)
    if(NOT dsc)
      message(STATUS "Downloading Debian source package ${package}")
      execute_process(
        COMMAND apt-get source --download-only ${package}
        WORKING_DIRECTORY "${download}"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
      file(GLOB dsc "${download}/${package}_*.dsc")
      if(NOT dsc)
        message(FATAL_ERROR
          "Could not download the Debian source package '${package}'.\n"
          "Run scripts/bootstrap (it adds the deb-src entry and dpkg-dev).\n"
          "apt-get said: ${err}")
      endif()
      if(NOT rc EQUAL 0)
        set(partial TRUE)
      endif()
    endif()
    list(GET dsc 0 dsc)
    file(REMOVE_RECURSE "${unpacked}")
    execute_process(
      COMMAND dpkg-source --no-check -x "${dsc}" "${unpacked}"
      WORKING_DIRECTORY "${root}"
      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      # A mirror that serves a package's .dsc and upstream tarball but not its
      # Debian part (seen for qrencode 4.1.1-1: the .debian.tar.xz answers
      # 404) still gives the upstream source, checked against the SHA-256 the
      # .dsc lists; only Debian's packaging and patches are missing, and the
      # build says so.
      _chartlock_unpack_orig("${dsc}" "${download}" "${unpacked}" ok)
      if(NOT ok)
        message(FATAL_ERROR "dpkg-source could not unpack ${dsc}: ${err}")
      endif()
      message(WARNING "${package}: Debian's part of the source package could not be fetched; "
                      "built from the upstream tarball its .dsc names (SHA-256 checked), without Debian's patches")
    endif()
    file(WRITE "${unpacked}/.chartlock-unpacked" "${dsc}\n")
  endif()
  set(${out_var} "${unpacked}" PARENT_SCOPE)
endfunction()

# The upstream tarball a 3.0 (quilt) .dsc names, checked against its
# Checksums-Sha256 line and unpacked (its one top directory dropped) into
# <into>. Sets <ok_var> to TRUE on success.
function(_chartlock_unpack_orig dsc download into ok_var)
  set(${ok_var} FALSE PARENT_SCOPE)
  file(STRINGS "${dsc}" lines)
  set(in_sha FALSE)
  foreach(line IN LISTS lines)
    if(line MATCHES "^Checksums-Sha256:")
      set(in_sha TRUE)
    elseif(in_sha AND line MATCHES "^ ([0-9a-f]+) [0-9]+ (.+\\.orig\\.tar\\.[a-z0-9]+)$")
      set(sha "${CMAKE_MATCH_1}")
      set(orig "${download}/${CMAKE_MATCH_2}")
    elseif(NOT line MATCHES "^ ")
      set(in_sha FALSE)
    endif()
  endforeach()
  if(NOT sha OR NOT EXISTS "${orig}")
    return()
  endif()
  file(SHA256 "${orig}" actual)
  if(NOT actual STREQUAL sha)
    message(FATAL_ERROR "${orig}: SHA-256 ${actual} is not the ${sha} its .dsc lists")
  endif()
  set(scratch "${into}.orig")
  file(REMOVE_RECURSE "${scratch}")
  file(MAKE_DIRECTORY "${scratch}")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E tar xf "${orig}" WORKING_DIRECTORY "${scratch}" RESULT_VARIABLE rc)
  file(GLOB top LIST_DIRECTORIES true "${scratch}/*")
  list(LENGTH top n)
  if(NOT rc EQUAL 0 OR NOT n EQUAL 1)
    return()
  endif()
  file(REMOVE_RECURSE "${into}")  # what a failed dpkg-source left
  file(RENAME "${top}" "${into}")
  file(REMOVE_RECURSE "${scratch}")
  set(${ok_var} TRUE PARENT_SCOPE)
endfunction()
