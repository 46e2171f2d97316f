// wahana-audit: checks the services' audit trails (issue 4) straight in Redis, on the
// deployment's host. Configured by the services' environment (WAHANA_REGION, WAHANA_REDIS_*,
// WAHANA_TOKEN_SECRET_FILE: the chain key derives from the token secret).
//
//   wahana-audit verify [--service=case|registry|gateway]   default: every service that keeps a
//   trail
//
// Prints "<service>: OK: N entries" per trail, or "<service>: BROKEN: entry <stream id> (seq N):
// altered|missing|reordered: ..." for the first broken entry.
// Exit codes: 0 every trail verifies, 1 a trail is broken or Redis failed, 2 usage.

#include <algorithm>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "common/audit/audit_chain.h"
#include "common/audit/audit_verify.h"
#include "common/auth/auth_settings.h"
#include "common/config/env_reader.h"
#include "common/redis/redis_setup.h"

namespace {

constexpr int kExitBroken = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] = R"(usage:
  wahana-audit verify [--service=case|registry|gateway]
Environment: WAHANA_REGION, WAHANA_REDIS_HOST, WAHANA_REDIS_PORT, WAHANA_TOKEN_SECRET_FILE
(as the services').
)";

// The services that keep a trail.
const std::vector<std::string> kTrails = {"registry", "case", "gateway"};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? kExitUsage : 0;
  }
  std::vector<std::string> services = kTrails;
  bool usage_ok = std::strcmp(argv[1], "verify") == 0;
  for (int i = 2; usage_ok && i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (arg.rfind("--service=", 0) == 0) {
      value = arg.substr(std::strlen("--service="));
    } else if (arg == "--service" && i + 1 < argc) {
      value = argv[++i];
    } else {
      usage_ok = false;
      break;
    }
    usage_ok = std::find(kTrails.begin(), kTrails.end(), value) != kTrails.end();
    services = {value};
  }
  if (!usage_ok) {
    std::cerr << kUsage;
    return kExitUsage;
  }

  wahana::EnvReader reader;
  const std::string region = reader.RegionCode("WAHANA_REGION");
  wahana::RedisOptions redis_options = wahana::ReadRedisOptions(reader);
  redis_options.pool_size = 1;
  const wahana::AuthSettings auth = wahana::ReadAuthSettings(reader);
  if (absl::Status s = reader.Finish(); !s.ok()) {
    std::cerr << "wahana-audit: " << s.message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::string> key = wahana::ReadAuditChainKey(auth.token_secret_file);
  if (!key.ok()) {
    std::cerr << "wahana-audit: " << key.status().message() << "\n";
    return kExitUsage;
  }
  auto redis = wahana::ConnectWaiting(redis_options, std::chrono::seconds(0));
  if (!redis.ok()) {
    std::cerr << "wahana-audit: " << redis.status().message() << "\n";
    return kExitBroken;
  }
  const wahana::AuditChain chain(*key);
  int exit_code = 0;
  for (const std::string& service : services) {
    absl::StatusOr<wahana::AuditVerification> verified =
        wahana::VerifyAuditTrail(**redis, wahana::AuditKeys(service, region), chain);
    if (!verified.ok()) {
      std::cerr << "wahana-audit: " << service << ": " << verified.status().message() << "\n";
      exit_code = kExitBroken;
      continue;
    }
    std::cout << service << ": " << wahana::DescribeVerification(*verified) << "\n";
    if (!verified->ok) exit_code = kExitBroken;
  }
  return exit_code;
}
