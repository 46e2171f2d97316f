#include "common/logging/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/grpc/call_scope.h"

namespace wahana {
namespace {

// The %* flag: the request id of the call the logging thread works for (call_scope.h), as
// " request_id=<id>" in text or ,"request_id":"<id>" in JSON; nothing outside a call. The id is
// known to be safe in both (RequestIdFromMetadata, AcceptOrMakeRequestId).
class RequestIdFlag : public spdlog::custom_flag_formatter {
 public:
  explicit RequestIdFlag(bool json) : json_(json) {}

  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string& id = CurrentRequestId();
    if (id.empty()) return;
    static constexpr char kText[] = " request_id=";
    static constexpr char kJson[] = R"(,"request_id":")";
    if (json_) {
      dest.append(kJson, kJson + sizeof(kJson) - 1);
    } else {
      dest.append(kText, kText + sizeof(kText) - 1);
    }
    dest.append(id.data(), id.data() + id.size());
    if (json_) dest.push_back('"');
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>(json_);
  }

 private:
  const bool json_;
};

}  // namespace

absl::Status InitLogging(const std::string& process, const std::string& level,
                         const std::string& format) {
  spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  // from_str answers "off" for anything it does not know.
  if (parsed == spdlog::level::off && level != "off") {
    return absl::InvalidArgumentError(
        absl::StrCat("WAHANA_LOG_LEVEL: unknown level \"", level, "\""));
  }
  auto logger = spdlog::stderr_logger_mt(process);
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<RequestIdFlag>('*', format == "json");
  if (format == "json") {
    // Messages are escaped by the caller where they carry user text; keep the shape stable.
    formatter->set_pattern(
        absl::StrCat(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","process":")", process,
                     R"(","pid":%P%*,"message":"%v"})"));
  } else if (format == "text") {
    formatter->set_pattern(absl::StrCat("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ ", process, "[%P] %v%*"));
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("WAHANA_LOG_FORMAT: unknown format \"", format, "\""));
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return absl::OkStatus();
}

}  // namespace wahana
