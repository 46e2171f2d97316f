#pragma once
// The reporting service's consumer of the case stream: group "reporting" on
// case:{<region>}:stream, every message handed to ReportingLogic::HandleCaseMessage.

#include <memory>
#include <string>

#include "common/bus/stream_consumer.h"
#include "common/process/service_config.h"
#include "reporting/reporting_logic.h"

namespace wahana {

inline constexpr char kReportingConsumerGroup[] = "reporting";

// "reporting-<hostname>-<pid>": unique per process, so replicas share the group without sharing a
// consumer (each re-reads only its own pending entries after a restart).
std::string ReportingConsumerName();

// A consumer for `config`'s region, with the bus settings of `config` (deliveries, claim idle,
// stream length). `redis` must outlive it; not started.
std::unique_ptr<StreamConsumer> MakeCaseStreamConsumer(RedisClient& redis,
                                                       const ServiceConfig& config,
                                                       std::shared_ptr<ReportingLogic> logic,
                                                       const std::string& consumer_name);

}  // namespace wahana
