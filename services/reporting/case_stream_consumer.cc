#include "reporting/case_stream_consumer.h"

#include <utility>

#include "case/case_keys.h"
#include "common/bus/consumer_setup.h"

namespace wahana {

std::string ReportingConsumerName() { return ProcessConsumerName(kReportingConsumerGroup); }

std::unique_ptr<StreamConsumer> MakeCaseStreamConsumer(RedisClient& redis,
                                                       const ServiceConfig& config,
                                                       std::shared_ptr<ReportingLogic> logic,
                                                       const std::string& consumer_name) {
  StreamConsumerOptions options =
      ConsumerOptions(config, CaseStreamKey(config.region), kReportingConsumerGroup, consumer_name);
  return std::make_unique<StreamConsumer>(
      redis, std::move(options),
      [logic = std::move(logic)](const wahana::common::v1::Envelope& envelope,
                                 const std::string& /*entry_id*/) {
        return logic->HandleCaseMessage(envelope);
      });
}

}  // namespace wahana
