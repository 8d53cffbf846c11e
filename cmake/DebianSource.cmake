# Fetch and unpack a Debian source package into the build tree.
#
# The wasm build compiles third-party C/C++ (libsodium, simdjson) from Debian's
# own source packages rather than from vendored copies: the repository holds no
# third-party source, and the code that runs in the browser is the code Debian
# ships (with its security patches applied by dpkg-source).
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
    if(NOT dsc)
      message(STATUS "Downloading Debian source package ${package}")
      execute_process(
        COMMAND apt-get source --download-only ${package}
        WORKING_DIRECTORY "${download}"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
      file(GLOB dsc "${download}/${package}_*.dsc")
      if(NOT rc EQUAL 0 OR NOT dsc)
        message(FATAL_ERROR
          "Could not download the Debian source package '${package}'.\n"
          "Run scripts/bootstrap (it adds the deb-src entry and dpkg-dev).\n"
          "apt-get said: ${err}")
      endif()
    endif()
    list(GET dsc 0 dsc)
    file(REMOVE_RECURSE "${unpacked}")
    execute_process(
      COMMAND dpkg-source --no-check -x "${dsc}" "${unpacked}"
      WORKING_DIRECTORY "${root}"
      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "dpkg-source could not unpack ${dsc}: ${err}")
    endif()
    file(WRITE "${unpacked}/.chartlock-unpacked" "${dsc}\n")
  endif()
  set(${out_var} "${unpacked}" PARENT_SCOPE)
endfunction()
