# Helpers shared by every valet library: warnings, include paths, adapter registration and
# the installed package.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Sanitizer builds set VALET_EXTRA_WARNING_FLAGS=-Wno-maybe-uninitialized: instrumentation makes
# GCC 12 report false maybe-uninitialized warnings inside the standard library (<regex>).
set(VALET_EXTRA_WARNING_FLAGS "" CACHE STRING "Extra warning flags for project targets")

# GCC 12 at -O2 and above reports false -Wrestrict errors for std::string's operator+ (GCC bug
# 105651) and, at -O3, false -Wmaybe-uninitialized ones inside std::variant and <regex>, so
# optimised builds failed on correct code: those two are off for GCC before 13 (-Wuninitialized,
# the certain kind, stays on).
function(valet_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
                                           ${VALET_EXTRA_WARNING_FLAGS})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict -Wno-maybe-uninitialized)
  endif()
endfunction()

# valet_add_library(<target> EXPORT_NAME <name> SOURCES ... DEPENDS ...)
# A static library with its public headers in ./include, installed and exported as valet::<name>.
function(valet_add_library target)
  cmake_parse_arguments(ARG "" "EXPORT_NAME" "SOURCES;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(valet::${ARG_EXPORT_NAME} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${ARG_EXPORT_NAME}
                                             POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${target} PUBLIC ${ARG_DEPENDS} PRIVATE ${ARG_PRIVATE_DEPENDS})
  valet_set_warnings(${target})
  install(TARGETS ${target} EXPORT valetTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()

# valet_add_adapter(<target> NAMESPACE <c++ namespace> HEADER <register header>
#                   SOURCES ... DEPENDS ... PACKAGE_CONFIG "<cmake line>" ...)
# PACKAGE_CONFIG lines go into the installed valetConfig.cmake, to find what the adapter links.
# An adapter library. Its Register() call is added to the generated adapter list of the app, so
# switching the adapter's VALET_WITH_<TECH> option off removes it from the binary cleanly.
function(valet_add_adapter target)
  cmake_parse_arguments(ARG "" "NAMESPACE;HEADER;EXPORT_NAME" "SOURCES;DEPENDS;PACKAGE_CONFIG"
                        ${ARGN})
  valet_add_library(${target} EXPORT_NAME ${ARG_EXPORT_NAME} SOURCES ${ARG_SOURCES}
                    DEPENDS valet::core ${ARG_DEPENDS})
  set_property(GLOBAL APPEND PROPERTY VALET_ADAPTER_TARGETS ${target})
  set_property(GLOBAL APPEND PROPERTY VALET_ADAPTER_HEADERS ${ARG_HEADER})
  set_property(GLOBAL APPEND PROPERTY VALET_ADAPTER_NAMESPACES ${ARG_NAMESPACE})
  set_property(GLOBAL APPEND PROPERTY VALET_PACKAGE_CONFIG ${ARG_PACKAGE_CONFIG})
endfunction()

function(valet_install_package)
  get_property(lines GLOBAL PROPERTY VALET_PACKAGE_CONFIG)
  set(VALET_FIND_DEPENDENCY_CALLS "")
  foreach(line IN LISTS lines)
    string(APPEND VALET_FIND_DEPENDENCY_CALLS "${line}\n")
  endforeach()
  configure_package_config_file(
    ${PROJECT_SOURCE_DIR}/cmake/valetConfig.cmake.in
    ${PROJECT_BINARY_DIR}/valetConfig.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/valet)
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/valetConfigVersion.cmake
                                   COMPATIBILITY SameMinorVersion)
  install(EXPORT valetTargets NAMESPACE valet:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/valet)
  install(FILES ${PROJECT_BINARY_DIR}/valetConfig.cmake ${PROJECT_BINARY_DIR}/valetConfigVersion.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/valet)
endfunction()
