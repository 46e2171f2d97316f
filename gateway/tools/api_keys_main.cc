// wahana-api-keys: manages the gateway's API keys straight in Redis (the same ApiKeyStore the
// gateway uses), for operators on the deployment's host. Configured by the same environment as
// the gateway (WAHANA_REGION, WAHANA_REDIS_*; `token`: WAHANA_TOKEN_SECRET_FILE,
// WAHANA_TOKEN_SIGNING_KEY_FILE and WAHANA_TOKEN_LIFETIME_S, as the gateway's).
//
//   wahana-api-keys create --name=NAME --role=ROLE --scope=REGION [--worker=WORKER_ID]
//                                                                   prints the secret, once
//   wahana-api-keys list                                            every key, no secrets
//   wahana-api-keys revoke ID                                       stops the key at once
//   wahana-api-keys bootstrap --out=FILE                            the deployment's first ADMIN
//   wahana-api-keys token --role=ROLE [--scope=REGION] [--subject=SUBJECT] [--lifetime=SECONDS]
//                                                                   prints a short-lived token
//
// bootstrap creates an ADMIN key for WAHANA_REGION only when no bootstrap key was ever made, and
// writes its secret to FILE (created with mode 0600; an existing FILE is never overwritten; "-"
// writes it to standard output, for containers).
// --worker links a FIELD_WORKER key to its registry worker (the key then reads what the case's
// assigned worker may); only its form is checked here (this tool has no registry connection):
// create such keys through POST /v1/apiKeys, which checks the worker exists, when you can.
// token mints a token (JWT, HS256) with the deployment's own TokenMinter and secret, for calling
// the services' gRPC directly (grpcurl): it needs no Redis, and the token is not stored anywhere.
// Defaults: --scope WAHANA_REGION, --subject "cli:<user>", --lifetime WAHANA_TOKEN_LIFETIME_S.
// Exit codes: 0 done, 1 failure (Redis, ...), 2 usage, 3 bootstrap: a bootstrap key exists already.

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/auth_settings.h"
#include "common/config/env_reader.h"
#include "common/logging/logging.h"
#include "common/redis/redis_setup.h"
#include "common/region/region_code.h"
#include "gateway/api_keys/api_key_store.h"
#include "gateway/tools/token_request.h"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitBootstrapExists = 3;

constexpr char kUsage[] = R"(usage:
  wahana-api-keys create --name=NAME --role=ROLE --scope=REGION [--worker=WORKER_ID]
  wahana-api-keys list
  wahana-api-keys revoke ID
  wahana-api-keys bootstrap --out=FILE
  wahana-api-keys token --role=ROLE [--scope=REGION] [--subject=SUBJECT] [--lifetime=SECONDS]
ROLE: ADMIN, SUPERVISOR, OPERATOR, FIELD_WORKER, VIEWER, PROVINCE_VIEWER or SYSTEM.
REGION: a region-code prefix ("16.06", "16.06.01", "16").
WORKER_ID: FIELD_WORKER keys only: the registry worker id the key acts as (26 characters).
token: prints a short-lived token (JWT) for a direct gRPC call ("authorization: Bearer <token>"),
  signed (RS256) with the gateway's WAHANA_TOKEN_SIGNING_KEY_FILE; no Redis needed. Outside
  systems ask the gateway instead: POST /v1/tokens with an API key. Defaults: --scope
  WAHANA_REGION, --subject cli:<user>, --lifetime WAHANA_TOKEN_LIFETIME_S (10-86400 seconds).
Environment: WAHANA_REGION, WAHANA_REDIS_HOST, WAHANA_REDIS_PORT (as the gateway's);
WAHANA_TOKEN_SECRET_FILE, WAHANA_TOKEN_SIGNING_KEY_FILE, WAHANA_TOKEN_LIFETIME_S (token).
)";

std::string Time(int64_t unix_seconds) {
  if (unix_seconds == 0) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(unix_seconds),
                          absl::UTCTimeZone());
}

void Print(const wahana::ApiKeyRecord& r) {
  std::cout << r.id << "  " << wahana::RoleName(r.role) << "  " << r.region_scope << "  "
            << (r.worker_id.empty() ? "" : "worker " + r.worker_id + "  ")
            << (r.revoked ? "revoked " + Time(r.revoke_time_unix) : "active") << "  created "
            << Time(r.create_time_unix) << " by " << r.created_by << "  " << r.name << "\n";
}

// --name=value options after the command; positional arguments in `positional`.
bool ParseOptions(int argc, char** argv, std::map<std::string, std::string>* options,
                  std::vector<std::string>* positional) {
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) == 0) {
      size_t eq = arg.find('=');
      if (eq == std::string::npos) {
        if (i + 1 >= argc) return false;
        (*options)[arg.substr(2)] = argv[++i];
      } else {
        (*options)[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
      }
    } else {
      positional->push_back(arg);
    }
  }
  return true;
}

int Fail(const absl::Status& status) {
  std::cerr << "wahana-api-keys: " << status.message() << "\n";
  return kExitFailure;
}

int Bootstrap(wahana::ApiKeyStore& store, const std::string& region, const std::string& out) {
  const bool to_stdout = out == "-";  // in a container: redirect on the host
  int fd = to_stdout ? ::dup(STDOUT_FILENO)
                     : ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::cerr << "wahana-api-keys: cannot create " << out << ": " << std::strerror(errno)
              << " (an existing file is never overwritten)\n";
    return kExitFailure;
  }
  absl::StatusOr<wahana::CreatedApiKey> created = store.Bootstrap(region);
  if (!created.ok()) {
    ::close(fd);
    if (!to_stdout) ::unlink(out.c_str());
    if (created.status().code() == absl::StatusCode::kAlreadyExists) {
      std::cerr << "wahana-api-keys: a bootstrap admin key exists already for " << region
                << "; nothing written (create keys with an ADMIN key instead)\n";
      return kExitBootstrapExists;
    }
    return Fail(created.status());
  }
  std::string text = created->secret + "\n";
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  written = (to_stdout || ::fsync(fd) == 0) && written;
  ::close(fd);
  if (!written) {
    std::cerr << "wahana-api-keys: writing " << out << " failed; revoke key " << created->record.id
              << "\n";
    return kExitFailure;
  }
  (to_stdout ? std::cerr : std::cout) << "bootstrap ADMIN key " << created->record.id << " for "
                                      << region << "; secret written to " << out << "\n";
  return 0;
}

// The login name of the caller, for the default subject.
std::string UserName() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : std::to_string(::geteuid());
}

// `token`: no Redis, only the region and the token settings.
int Token(const std::map<std::string, std::string>& options,
          const std::vector<std::string>& positional) {
  wahana::EnvReader reader;
  const std::string region = reader.RegionCode("WAHANA_REGION");
  wahana::AuthSettings auth = wahana::ReadAuthSettings(reader);
  if (absl::Status s = reader.Finish(); !s.ok()) {
    std::cerr << "wahana-api-keys: " << s.message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<wahana::TokenRequest> request =
      wahana::ParseTokenRequest(options, positional, region, UserName(), auth.token_lifetime_s);
  if (!request.ok()) {
    std::cerr << "wahana-api-keys: " << request.status().message() << " (see --help)\n";
    return kExitUsage;
  }
  auth.token_lifetime_s = request->lifetime_s;
  // Standard output carries the token alone ("$(wahana-api-keys token ...)"): warnings (a secret
  // file readable by others) go to standard error.
  if (absl::Status s = wahana::InitLogging("wahana-api-keys", "warn", "text"); !s.ok()) {
    return Fail(s);
  }
  absl::StatusOr<wahana::AuthKeys> keys = wahana::LoadAuthKeys(auth);
  if (!keys.ok()) {
    std::cerr << "wahana-api-keys: " << keys.status().message() << "\n";
    return kExitUsage;
  }
  if (keys->issuer == nullptr) {
    std::cerr << "wahana-api-keys: token needs WAHANA_TOKEN_SIGNING_KEY_FILE, the gateway's "
                 "signing key (or ask the gateway: POST /v1/tokens with an API key)\n";
    return kExitUsage;
  }
  absl::StatusOr<std::string> token = keys->issuer->Mint(request->principal);
  if (!token.ok()) return Fail(token.status());
  std::cout << *token << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? kExitUsage : 0;
  }
  const std::string command = argv[1];
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;
  if (!ParseOptions(argc, argv, &options, &positional)) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  if (command == "token") return Token(options, positional);

  wahana::EnvReader reader;
  std::string region = reader.RegionCode("WAHANA_REGION");
  wahana::RedisOptions redis_options = wahana::ReadRedisOptions(reader);
  redis_options.pool_size = 1;
  if (absl::Status s = reader.Finish(); !s.ok()) {
    std::cerr << "wahana-api-keys: " << s.message() << "\n";
    return kExitUsage;
  }
  auto redis = wahana::ConnectWaiting(redis_options, std::chrono::seconds(0));
  if (!redis.ok()) return Fail(redis.status());
  wahana::ApiKeyStore store(**redis, region);

  if (command == "create") {
    const size_t expected = options.count("worker") ? 4 : 3;
    if (!positional.empty() || options.size() != expected || !options.count("name") ||
        !options.count("role") || !options.count("scope")) {
      std::cerr << kUsage;
      return kExitUsage;
    }
    absl::StatusOr<wahana::Role> role = wahana::ParseRole(options["role"], "--role");
    if (!role.ok()) return Fail(role.status());
    if (!wahana::RegionWithin(options["scope"], region) &&
        !wahana::RegionWithin(region, options["scope"])) {
      std::cerr << "wahana-api-keys: --scope " << options["scope"] << " is outside this "
                << "deployment's region " << region << "\n";
      return kExitUsage;
    }
    if (absl::Status s = wahana::CheckWorkerLink(*role, options["worker"], "--worker"); !s.ok()) {
      return Fail(s);
    }
    auto created = store.Create(options["name"], *role, options["scope"], "cli", options["worker"]);
    if (!created.ok()) return Fail(created.status());
    Print(created->record);
    std::cout << "secret (shown once): " << created->secret << "\n";
    return 0;
  }
  if (command == "list" && positional.empty() && options.empty()) {
    auto keys = store.List();
    if (!keys.ok()) return Fail(keys.status());
    for (const auto& record : *keys) Print(record);
    return 0;
  }
  if (command == "revoke" && positional.size() == 1 && options.empty()) {
    auto revoked = store.Revoke(positional[0]);
    if (!revoked.ok()) return Fail(revoked.status());
    Print(*revoked);
    return 0;
  }
  if (command == "bootstrap" && positional.empty() && options.size() == 1 && options.count("out")) {
    return Bootstrap(store, region, options["out"]);
  }
  std::cerr << kUsage;
  return kExitUsage;
}
