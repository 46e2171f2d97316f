#pragma once
// The reporting service's consumers of the case, registry and event streams, wired as its main.cc
// wires them, by the stream's writer ("case", "registry", "event"): for the tests that drive them
// with PollOnce and DrainGroup.

#include <map>
#include <memory>
#include <string>

#include "common/bus/bus_contract.h"
#include "common/bus/consumer_setup.h"
#include "common/bus/stream_consumer.h"
#include "reporting/reporting_logic.h"
#include "services/services_test_util.h"

namespace wahana::testing {

inline std::map<std::string, std::unique_ptr<StreamConsumer>> ReportingConsumers(
    RedisClient& redis, const ServiceConfig& config, std::shared_ptr<ReportingLogic> reporting,
    const std::string& consumer_name) {
  std::map<std::string, std::unique_ptr<StreamConsumer>> consumers;
  for (const BusSubscription& feed : {kReportingReadsRegistry, kReportingReadsEvents}) {
    consumers[feed.stream_service] = MakeBusConsumer(
        redis, config, feed,
        [reporting, feed](const wahana::common::v1::Envelope& envelope,
                          const std::string& /*entry_id*/) {
          return reporting->HandleRecordMessage(envelope, feed);
        },
        consumer_name);
  }
  consumers[kCaseStreamWriter] = MakeBusConsumer(
      redis, config, kReportingReadsCases,
      [reporting](const wahana::common::v1::Envelope& envelope, const std::string& /*entry_id*/) {
        return reporting->HandleCaseMessage(envelope);
      },
      consumer_name);
  return consumers;
}

// Polls each of `consumers` until its group has acked every entry of its stream.
inline void DrainReportingConsumers(
    RedisClient& redis, std::map<std::string, std::unique_ptr<StreamConsumer>>& consumers) {
  for (auto& [writer, consumer] : consumers) {
    DrainGroup(redis, *consumer, ServiceStreamKey(writer, kRegion), kReportingReadsCases.group);
  }
}

}  // namespace wahana::testing
