#include "cpu_usage.h"

#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"

namespace wahana::bench {

double ProcessCpuSeconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The name in parentheses may hold spaces: fields are counted after its closing one.
  const size_t after_name = text.rfind(')');
  if (after_name == std::string::npos) return 0;
  std::vector<std::string> fields;
  size_t at = after_name + 2;
  while (at < text.size() && fields.size() < 13) {
    size_t space = text.find(' ', at);
    fields.push_back(text.substr(at, space - at));
    at = space == std::string::npos ? text.size() : space + 1;
  }
  double utime = 0, stime = 0;  // fields 14 and 15 of the file, 12 and 13 after the state
  if (fields.size() < 13 || !absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return 0;
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double RedisCpuSeconds(RedisClient& redis) {
  absl::StatusOr<RedisReply> info = redis.Command({"INFO", "cpu"});
  if (!info.ok()) return 0;
  double total = 0;
  for (const char* name : {"used_cpu_sys:", "used_cpu_user:"}) {
    const size_t at = info->str.find(name);
    if (at == std::string::npos) continue;
    const size_t end = info->str.find('\r', at);
    double value = 0;
    if (absl::SimpleAtod(info->str.substr(at + strlen(name), end - at - strlen(name)), &value)) {
      total += value;
    }
  }
  return total;
}

}  // namespace wahana::bench
