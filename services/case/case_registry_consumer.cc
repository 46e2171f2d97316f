#include "case/case_registry_consumer.h"

#include <utility>

#include "case/case_keys.h"
#include "common/bus/consumer_setup.h"

namespace wahana {

std::string CaseConsumerName() { return ProcessConsumerName(kCaseConsumerGroup); }

std::unique_ptr<StreamConsumer> MakeRegistryStreamConsumer(RedisClient& redis,
                                                           const ServiceConfig& config,
                                                           std::shared_ptr<CaseLogic> logic,
                                                           const std::string& consumer_name) {
  StreamConsumerOptions options =
      ConsumerOptions(config, RegistryStreamKey(config.region), kCaseConsumerGroup, consumer_name);
  return std::make_unique<StreamConsumer>(
      redis, std::move(options),
      [logic = std::move(logic)](const wahana::common::v1::Envelope& envelope,
                                 const std::string& /*entry_id*/) {
        return logic->HandleRegistryMessage(envelope);
      });
}

}  // namespace wahana
