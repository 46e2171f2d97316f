#include "bench_client.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/auth_settings.h"
#include "common/auth/principal.h"
#include "common/config/env_reader.h"

namespace wahana::bench {

std::string Describe(const grpc::Status& status) {
  return std::to_string(status.error_code()) + " " + status.error_message();
}

Flags::Flags(int argc, char** argv, const std::vector<std::string>& known) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals).substr(arg.rfind("--", 0) == 0 ? 2 : 0);
    if (arg.rfind("--", 0) != 0 || std::find(known.begin(), known.end(), name) == known.end()) {
      errors_.push_back(absl::StrCat(arg, ": unknown argument"));
      continue;
    }
    values_[name] = equals == std::string::npos ? "" : arg.substr(equals + 1);
  }
}

std::string Flags::String(const std::string& name, const std::string& fallback) const {
  auto found = values_.find(name);
  return found == values_.end() ? fallback : found->second;
}

int Flags::Int(const std::string& name, int fallback, int min, int max) {
  auto found = values_.find(name);
  if (found == values_.end()) return fallback;
  int value = 0;
  if (!absl::SimpleAtoi(found->second, &value) || value < min || value > max) {
    errors_.push_back(
        absl::StrCat("--", name, "=", found->second, ": not a number in ", min, "..", max));
    return fallback;
  }
  return value;
}

absl::Status Flags::Finish() const {
  if (errors_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(errors_, "; "));
}

absl::StatusOr<std::shared_ptr<const TokenSource>> AdminTokens(const std::string& bench) {
  EnvReader env;
  std::string region = env.RegionCode("WAHANA_REGION");
  AuthSettings settings = ReadAuthSettings(env);
  absl::Status read = env.Finish();
  if (!read.ok()) return read;
  absl::StatusOr<AuthKeys> keys = LoadAuthKeys(settings);
  if (!keys.ok()) return keys.status();
  if (keys->issuer == nullptr) {
    return absl::InvalidArgumentError("WAHANA_TOKEN_SIGNING_KEY_FILE is required (an ADMIN token)");
  }
  Principal admin;
  admin.subject = "bench:" + bench;
  admin.display_name = "wahana_" + bench + "_bench";
  admin.role = Role::kAdmin;
  admin.region_scope = region;
  return std::make_shared<const TokenSource>(keys->issuer, std::move(admin));
}

std::shared_ptr<grpc::Channel> Connect(const std::string& target,
                                       std::shared_ptr<const TokenSource> tokens) {
  return CreateAuthorizedChannel(target, grpc::ChannelArguments(), std::move(tokens));
}

double Percentile(const std::vector<double>& sorted, double p) {
  return sorted.empty() ? 0.0 : sorted[static_cast<size_t>(p * (sorted.size() - 1))];
}

void ClosedLoop::Run() {
  start_ = Clock::now();
  end_ = start_ + std::chrono::seconds(seconds_);
  {
    absl::MutexLock lock(&mu_);
    in_flight_ = concurrency_;
  }
  for (int slot = 0; slot < concurrency_; ++slot) Start(slot);
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &ClosedLoop::Drained));
  elapsed_s_ = std::chrono::duration<double>(Clock::now() - start_).count();
}

std::string ClosedLoop::Figures() {
  absl::MutexLock lock(&mu_);
  std::sort(latencies_us_.begin(), latencies_us_.end());
  char text[160];
  std::snprintf(text, sizeof text, "rate=%.0f p50_us=%.0f p99_us=%.0f errors=%d calls=%zu",
                latencies_us_.size() / elapsed_s_, Percentile(latencies_us_, 0.50),
                Percentile(latencies_us_, 0.99), errors_, latencies_us_.size());
  return text;
}

double ClosedLoop::rate() {
  absl::MutexLock lock(&mu_);
  return latencies_us_.size() / elapsed_s_;
}

size_t ClosedLoop::ok() {
  absl::MutexLock lock(&mu_);
  return latencies_us_.size();
}

int ClosedLoop::errors() {
  absl::MutexLock lock(&mu_);
  return errors_;
}

grpc::Status ClosedLoop::first_error() {
  absl::MutexLock lock(&mu_);
  return first_error_;
}

double ClosedLoop::elapsed_s() {
  absl::MutexLock lock(&mu_);
  return elapsed_s_;
}

// A slot counts as in flight from its first start until it finds nothing more to do, so the run
// cannot look drained between one call's end and the next one's start.
void ClosedLoop::Start(int slot) {
  const Clock::time_point started = Clock::now();
  const bool issued = issue_(slot, [this, slot, started](const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    const bool again = now < end_;
    {
      absl::MutexLock lock(&mu_);
      if (status.ok()) {
        latencies_us_.push_back(std::chrono::duration<double, std::micro>(now - started).count());
      } else if (errors_++ == 0) {
        first_error_ = status;
      }
      if (!again) --in_flight_;
    }
    if (again) Start(slot);
  });
  if (!issued) {
    absl::MutexLock lock(&mu_);
    --in_flight_;
  }
}

}  // namespace wahana::bench
