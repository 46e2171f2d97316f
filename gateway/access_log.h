#pragma once
// The gateway's access log: one JSON object per answered request, on its own line on stderr
// (apart from the process log's format, so a collector parses every line alike):
//
//   {"time":"2026-01-02T03:04:05.678Z","type":"access","method":"GET","path":"/v1/cases/01J...",
//    "query":"pageSize=*&nik=*","route":"/v1/cases/{id}","status":200,"durationMs":3.2,
//    "bytesIn":0,"bytesOut":512,"requestId":"...","principal":"...","client":"10.0.0.7"}
//
// Query values are masked ("nik=*"): a lookup's query holds personal data (a NIK, a name), and the
// log is kept longer and read by more people than the records. Path segments are record ids and
// region codes, never personal data. "principal" is present once requests carry one.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace spdlog {
class logger;
}

namespace wahana {

struct AccessLogEntry {
  std::string method;
  std::string target;  // as received: path and optional query
  std::string route;   // the path template, or the gateway's label for unrouted requests
  int status = 0;
  double duration_ms = 0;
  int64_t bytes_in = 0;
  int64_t bytes_out = 0;
  std::string request_id;
  std::string principal;  // "" when unknown
  std::string client;     // peer address, "" when unknown
};

// "a=*&b=*" for "a=1&b=2": names kept (percent-encoded as received), values masked.
std::string MaskQuery(absl::string_view query);

// The entry's JSON line (no trailing newline); invalid UTF-8 is replaced, never thrown.
std::string AccessLogLine(const AccessLogEntry& entry);

class AccessLog {
 public:
  // `enabled` false makes Write a no-op.
  explicit AccessLog(bool enabled);
  ~AccessLog();
  bool enabled() const { return logger_ != nullptr; }
  // Thread-safe; never throws.
  void Write(const AccessLogEntry& entry);

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace wahana
