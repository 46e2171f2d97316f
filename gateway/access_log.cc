#include "gateway/access_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"

namespace wahana {
namespace {

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  size_t n = std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buffer + n, sizeof(buffer) - n, ".%03dZ", static_cast<int>(millis));
  return buffer;
}

}  // namespace

std::string MaskQuery(absl::string_view query) {
  std::string out;
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    if (!out.empty()) out.push_back('&');
    out.append(pair.data(), pair.substr(0, pair.find('=')).size());
    out += "=*";
  }
  return out;
}

std::string AccessLogLine(const AccessLogEntry& e) {
  absl::string_view target = e.target;
  size_t question = target.find('?');
  nlohmann::json line = {
      {"time", UtcNow()},
      {"type", "access"},
      {"method", e.method},
      {"path", std::string(target.substr(0, question))},
  };
  if (question != absl::string_view::npos) line["query"] = MaskQuery(target.substr(question + 1));
  line["route"] = e.route;
  line["status"] = e.status;
  line["durationMs"] = static_cast<double>(static_cast<int64_t>(e.duration_ms * 1000)) / 1000;
  line["bytesIn"] = e.bytes_in;
  line["bytesOut"] = e.bytes_out;
  line["requestId"] = e.request_id;
  if (!e.principal.empty()) line["principal"] = e.principal;
  if (!e.client.empty()) line["client"] = e.client;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

AccessLog::AccessLog(bool enabled) {
  if (!enabled) return;
  // Not registered with spdlog (several gateways may live in one test process); stderr sinks
  // share spdlog's console mutex, so lines never interleave with the process log's.
  logger_ =
      std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger_->set_pattern("%v");
  logger_->set_level(spdlog::level::info);
}

AccessLog::~AccessLog() = default;

void AccessLog::Write(const AccessLogEntry& entry) {
  if (!logger_) return;
  try {
    logger_->info("{}", AccessLogLine(entry));
  } catch (...) {
    // Logging must never cost the request.
  }
}

}  // namespace wahana
