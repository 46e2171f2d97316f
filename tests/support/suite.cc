#include "support/suite.h"

#include <chrono>
#include <iostream>
#include <thread>

namespace wahana::testing {
namespace {

struct ProcessSpec {
  const char* name;
  const char* binary;
  const char* address_setting;
};

const ProcessSpec kServices[] = {
    {"registry", WAHANA_REGISTRY_BIN, "WAHANA_REGISTRY_ADDR"},
    {"case", WAHANA_CASE_BIN, "WAHANA_CASE_ADDR"},
    {"event", WAHANA_EVENT_BIN, "WAHANA_EVENT_ADDR"},
    {"reporting", WAHANA_REPORTING_BIN, "WAHANA_REPORTING_ADDR"},
};

}  // namespace

Suite::Suite(std::map<std::string, std::string> extra_env) : extra_env_(std::move(extra_env)) {}

Suite::~Suite() {
  for (auto it = processes_.rbegin(); it != processes_.rend(); ++it) (*it)->Stop();
  processes_.clear();
  redis_.reset();
}

std::string Suite::GrpcAddress(const std::string& service) const {
  auto it = addresses_.find(service);
  return it == addresses_.end() ? "" : it->second;
}

bool Suite::Start() {
  redis_ = std::make_unique<RedisServer>();
  http_port_ = FreePort();
  std::map<std::string, std::string> env = {
      {"WAHANA_REGION", "16.06"},
      {"WAHANA_REDIS_PORT", std::to_string(redis_->port())},
      {"WAHANA_BUS_CLAIM_IDLE_MS", "1000"},
      {"WAHANA_HTTP_PORT", std::to_string(http_port_)},
  };
  for (const auto& [name, value] : extra_env_) env[name] = value;
  for (const ProcessSpec& s : kServices) {
    addresses_[s.name] = "127.0.0.1:" + std::to_string(FreePort());
    env[s.address_setting] = addresses_[s.name];
  }
  for (const ProcessSpec& s : kServices) {
    auto own = env;
    const std::string& address = addresses_[s.name];
    own["WAHANA_GRPC_PORT"] = address.substr(address.find(':') + 1);
    processes_.push_back(std::make_unique<ChildProcess>(
        s.binary, own, redis_->dir() + "/" + s.name + ".log"));
  }
  processes_.push_back(
      std::make_unique<ChildProcess>(WAHANA_GATEWAY_BIN, env, redis_->dir() + "/gateway.log"));

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (HttpCall(http_port_, "GET", "/readyz").status != 200) {
    if (std::chrono::steady_clock::now() > deadline) {
      for (auto& p : processes_) std::cerr << p->log_path() << ":\n" << p->LogTail() << "\n";
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

HttpResponse Suite::Call(const std::string& method, const std::string& target,
                         const std::string& body) const {
  return HttpCall(http_port_, method, target, body);
}

nlohmann::json Suite::Json(const HttpResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

int64_t Suite::Int64(const nlohmann::json& object, const char* name) {
  if (!object.is_object() || !object.contains(name)) return 0;
  const nlohmann::json& v = object[name];
  return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>();
}

}  // namespace wahana::testing
