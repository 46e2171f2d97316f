#pragma once
// What every service's stream consumer is set up with: a consumer name unique to the process,
// and the deployment's bus settings (claim idle time, delivery limit, stream length).

#include <string>

#include "absl/strings/string_view.h"
#include "common/bus/stream_consumer.h"
#include "common/process/service_config.h"

namespace wahana {

// "<group>-<host>-<pid>": unique among the replicas sharing `group`.
std::string ProcessConsumerName(absl::string_view group);

// Options to consume `stream` as `consumer` of `group`, with `config`'s bus settings where set
// (StreamConsumerOptions' defaults otherwise).
StreamConsumerOptions ConsumerOptions(const ServiceConfig& config, std::string stream,
                                      std::string group, std::string consumer);

}  // namespace wahana
