#include "case/case_registry_consumer.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "case/case_keys.h"

namespace wahana {

std::string CaseConsumerName() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat(kCaseConsumerGroup, "-", host[0] != '\0' ? host : "unknown", "-",
                      ::getpid());
}

std::unique_ptr<StreamConsumer> MakeRegistryStreamConsumer(RedisClient& redis,
                                                           const ServiceConfig& config,
                                                           std::shared_ptr<CaseLogic> logic,
                                                           const std::string& consumer_name) {
  StreamConsumerOptions options;
  options.stream = RegistryStreamKey(config.region);
  options.group = kCaseConsumerGroup;
  options.consumer = consumer_name;
  if (config.bus_claim_idle_ms > 0) options.claim_idle_ms = config.bus_claim_idle_ms;
  if (config.bus_max_deliveries > 0) options.max_deliveries = config.bus_max_deliveries;
  if (config.stream_maxlen > 0) options.max_len = config.stream_maxlen;
  return std::make_unique<StreamConsumer>(
      redis, std::move(options),
      [logic = std::move(logic)](const wahana::common::v1::Envelope& envelope,
                                 const std::string& /*entry_id*/) {
        return logic->HandleRegistryMessage(envelope);
      });
}

}  // namespace wahana
