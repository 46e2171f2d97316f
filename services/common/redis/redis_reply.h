#pragma once
// An owned copy of a Redis reply, detached from hiredis memory so it can outlive the connection.

#include <cstdint>
#include <string>
#include <vector>

namespace wahana {

struct RedisReply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray, kError };

  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
};

}  // namespace wahana
