#include "reporting/rebuild_command.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "common/auth/bearer_channel.h"
#include "common/config/env_reader.h"
#include "common/logging/logging.h"
#include "common/process/service_config.h"
#include "common/redis/redis_setup.h"
#include "reporting/case_counts_rebuild.h"
#include "reporting/case_source.h"

namespace wahana {
namespace {

constexpr char kProcess[] = "reporting";
// One ListCases page of 500 cases, read from Redis by the case service.
constexpr std::chrono::seconds kListDeadline(30);

}  // namespace

int RunRebuildCommand() {
  EnvReader reader;
  const ServiceConfig config = ReadServiceConfig(reader, kProcess, 20054);
  const std::string case_address = reader.String("WAHANA_CASE_ADDR");
  if (absl::Status s = reader.Finish(); !s.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << s.message() << "\n";
    return 2;
  }
  if (absl::Status s = InitLogging(kProcess, config.log_level, config.log_format); !s.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << s.message() << "\n";
    return 2;
  }
  absl::StatusOr<AuthKeys> auth = LoadAuthKeys(config.auth);
  if (!auth.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << auth.status().message() << "\n";
    return 2;
  }
  // The case service authenticates the rebuild's calls as the reporting service's own.
  AuthorizeAllOutgoingCalls(
      std::make_shared<TokenSource>(auth->minter, ServicePrincipal(kProcess, config.region)));
  absl::StatusOr<std::unique_ptr<RedisClient>> redis = ConnectWaiting(config.redis);
  if (!redis.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << redis.status().ToString() << "\n";
    return 1;
  }
  GrpcCaseSource source(case_address, kListDeadline);
  absl::StatusOr<RebuildSummary> summary =
      RebuildCaseCounts(**redis, config.region, config.calendar, source);
  if (!summary.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << summary.status().ToString() << "\n";
    return 1;
  }
  std::cout << "rebuilt the case counts of " << config.region << ": " << summary->cases
            << " cases counted, " << summary->skipped << " not countable, " << summary->unapplied
            << " changes left to the consumer, " << summary->keys << " counters\n";
  return 0;
}

}  // namespace wahana
