#pragma once
// The case service's consumer of the registry stream: group "case" on registry:{<region>}:stream,
// every message handed to CaseLogic::HandleRegistryMessage (an archived beneficiary annotates its
// cases).

#include <memory>
#include <string>

#include "case/case_logic.h"
#include "common/bus/stream_consumer.h"
#include "common/process/service_config.h"

namespace wahana {

inline constexpr char kCaseConsumerGroup[] = "case";

// "case-<hostname>-<pid>": unique per process, so replicas share the group.
std::string CaseConsumerName();

// A consumer for `config`'s region with its bus settings. `redis` must outlive it; not started.
std::unique_ptr<StreamConsumer> MakeRegistryStreamConsumer(RedisClient& redis,
                                                           const ServiceConfig& config,
                                                           std::shared_ptr<CaseLogic> logic,
                                                           const std::string& consumer_name);

}  // namespace wahana
