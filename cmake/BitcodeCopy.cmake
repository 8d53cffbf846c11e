# SPDX-License-Identifier: Apache-2.0
# A second build of a static library, compiled to LLVM bitcode (-flto), for
# one link alone: the wasm module's (docs/performance.md, "The module's link:
# LTO, confined"). The library itself stays plain objects, so the links that
# use it (the wasm test suites) stay ordinary links instead of whole-program
# optimizations.
#
#   chartlock_bitcode_copy(<new> <library> <lto-flag> [RENAME <old> <new>]...)
#
# <new> gets <library>'s sources, include directories, definitions, options
# and links (each RENAMEd library replaced by its own copy), and each source's
# COMPILE_OPTIONS as set in <library>'s directory (the parts at -Oz stay at
# -Oz: the functions carry minsize into the link). Call it after those
# per-source options are set.

function(chartlock_bitcode_copy new library lto_flag)
  cmake_parse_arguments(PARSE_ARGV 3 arg "" "" "RENAME")
  get_target_property(sources ${library} SOURCES)
  add_library(${new} STATIC ${sources})
  # Its generated sources (core/'s knowledge base) come from <library>'s
  # directory, whose rules make them.
  add_dependencies(${new} ${library})
  foreach(source IN LISTS sources)
    get_source_file_property(options "${source}" TARGET_DIRECTORY ${library} COMPILE_OPTIONS)
    if(options)
      set_source_files_properties("${source}" PROPERTIES COMPILE_OPTIONS "${options}")
    endif()
  endforeach()
  foreach(property INCLUDE_DIRECTORIES INTERFACE_INCLUDE_DIRECTORIES COMPILE_DEFINITIONS
                   COMPILE_OPTIONS LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(value ${library} ${property})
    if(NOT value)
      continue()
    endif()
    set(renames ${arg_RENAME})
    while(renames)
      list(POP_FRONT renames from to)
      # Plain names and $<LINK_ONLY:name> alike.
      list(TRANSFORM value REPLACE "^${from}$" "${to}")
      list(TRANSFORM value REPLACE "^\\$<LINK_ONLY:${from}>$" "$<LINK_ONLY:${to}>")
    endwhile()
    set_property(TARGET ${new} PROPERTY ${property} "${value}")
  endforeach()
  target_compile_options(${new} PRIVATE ${lto_flag})
  # What is not copied must be the same for both, or the module would be
  # built unlike the plain library the wasm suites test: fail here instead.
  foreach(property COMPILE_FEATURES INTERFACE_COMPILE_DEFINITIONS INTERFACE_COMPILE_OPTIONS
                   INTERFACE_COMPILE_FEATURES CXX_STANDARD CXX_EXTENSIONS PRECOMPILE_HEADERS)
    get_target_property(theirs ${library} ${property})
    get_target_property(ours ${new} ${property})
    if(NOT theirs)  # <var>-NOTFOUND: unset
      set(theirs "")
    endif()
    if(NOT ours)
      set(ours "")
    endif()
    if(NOT "${theirs}" STREQUAL "${ours}")
      message(FATAL_ERROR "chartlock_bitcode_copy: ${library}'s ${property} (${theirs}) is not copied to ${new}")
    endif()
  endforeach()
  get_target_property(library_dir ${library} SOURCE_DIR)
  foreach(property COMPILE_OPTIONS COMPILE_DEFINITIONS INCLUDE_DIRECTORIES)
    get_directory_property(theirs DIRECTORY "${library_dir}" ${property})
    get_directory_property(ours ${property})
    if(NOT "${theirs}" STREQUAL "${ours}")
      message(FATAL_ERROR "chartlock_bitcode_copy: ${library_dir} sets directory ${property} (${theirs}) that ${new} would not get")
    endif()
  endforeach()
endfunction()
