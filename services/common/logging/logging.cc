#include "common/logging/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"

namespace wahana {

absl::Status InitLogging(const std::string& process, const std::string& level,
                         const std::string& format) {
  spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  // from_str answers "off" for anything it does not know.
  if (parsed == spdlog::level::off && level != "off") {
    return absl::InvalidArgumentError(absl::StrCat("WAHANA_LOG_LEVEL: unknown level \"", level, "\""));
  }
  auto logger = spdlog::stderr_logger_mt(process);
  if (format == "json") {
    // Messages are escaped by the caller where they carry user text; keep the shape stable.
    logger->set_pattern(absl::StrCat(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","process":")",
                                     process, R"(","pid":%P,"message":"%v"})"),
                        spdlog::pattern_time_type::utc);
  } else if (format == "text") {
    logger->set_pattern(absl::StrCat("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ ", process, "[%P] %v"),
                        spdlog::pattern_time_type::utc);
  } else {
    return absl::InvalidArgumentError(absl::StrCat("WAHANA_LOG_FORMAT: unknown format \"", format, "\""));
  }
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return absl::OkStatus();
}

}  // namespace wahana
