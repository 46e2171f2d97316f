#pragma once
// How a service consumes a stream of the bus (bus_contract.h): one call, AddBusConsumer, wires a
// StreamConsumer for one BusSubscription with the deployment's bus settings (claim idle time,
// delivery limit, stream length), reports its lag at /metrics, starts it with the server and stops
// it on shutdown. The pieces are public for tests and tools that run a consumer by hand.

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "common/bus/bus_contract.h"
#include "common/bus/stream_consumer.h"
#include "common/process/service_config.h"
#include "common/process/service_main.h"

namespace wahana {

// "<group>-<host>-<pid>": unique among the replicas sharing `group`.
std::string ProcessConsumerName(absl::string_view group);

// Options to consume `stream` as `consumer` of `group`, with `config`'s bus settings where set
// (StreamConsumerOptions' defaults otherwise).
StreamConsumerOptions ConsumerOptions(const ServiceConfig& config, std::string stream,
                                      std::string group, std::string consumer);

// A consumer of `subscription` in `config`'s region, with `config`'s bus settings, handing every
// message to `handler`; named `consumer_name`, or ProcessConsumerName(group) when empty. `redis`
// must outlive it. Not started.
std::unique_ptr<StreamConsumer> MakeBusConsumer(RedisClient& redis, const ServiceConfig& config,
                                                const BusSubscription& subscription,
                                                StreamConsumer::Handler handler,
                                                std::string consumer_name = "");

// The one call of a service's setup that consumes a stream: MakeBusConsumer on the runtime's
// Redis, its lag watched (ServiceRuntime::WatchStreamLag), started once the server is up (a
// consumer that cannot start fails the start-up) and stopped on shutdown.
// `consumers` of the group run in this process, each on its own thread under its own name
// ("<group>-<host>-<pid>-<n>" after the first), sharing the stream's entries as replicas do: only
// for a handler whose effects do not depend on the order messages are applied in (the reporting
// counters: increments commute, versions decide), since they then run side by side.
void AddBusConsumer(ServiceRuntime& runtime, const BusSubscription& subscription,
                    StreamConsumer::Handler handler, int consumers = 1);

}  // namespace wahana
