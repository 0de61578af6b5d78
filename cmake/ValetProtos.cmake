# valet_add_proto_library(<target> PROTO_DIR <dir> PROTOS <name>...)
# A static library of the C++ code protoc and grpc_cpp_plugin generate, at build time, from
# <dir>/<name>.proto (imports are resolved in <dir> and among protobuf's own types). Its headers
# (<name>.pb.h, <name>.grpc.pb.h) are on the library's include path. Generated code is not held
# to the project's warning flags.
function(valet_add_proto_library target)
  cmake_parse_arguments(ARG "" "PROTO_DIR" "PROTOS" ${ARGN})
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}_generated)
  set(proto_files "")
  foreach(name IN LISTS ARG_PROTOS)
    list(APPEND proto_files ${ARG_PROTO_DIR}/${name}.proto)
  endforeach()
  set(sources "")
  foreach(name IN LISTS ARG_PROTOS)
    set(outputs ${out_dir}/${name}.pb.cc ${out_dir}/${name}.pb.h ${out_dir}/${name}.grpc.pb.cc
                ${out_dir}/${name}.grpc.pb.h)
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
      COMMAND protobuf::protoc --proto_path=${ARG_PROTO_DIR} --proto_path=${Protobuf_INCLUDE_DIRS}
              --cpp_out=${out_dir} --grpc_out=${out_dir}
              --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>
              ${ARG_PROTO_DIR}/${name}.proto
      # Every file of the set: one may import another.
      DEPENDS ${proto_files} protobuf::protoc gRPC::grpc_cpp_plugin
      COMMENT "Generating C++ from ${name}.proto"
      VERBATIM)
    list(APPEND sources ${out_dir}/${name}.pb.cc ${out_dir}/${name}.grpc.pb.cc)
  endforeach()
  add_library(${target} STATIC ${sources})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${target} SYSTEM PUBLIC $<BUILD_INTERFACE:${out_dir}>)
  target_link_libraries(${target} PUBLIC gRPC::grpc++ protobuf::libprotobuf)
endfunction()
