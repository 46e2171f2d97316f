#include "common/bus/consumer_setup.h"

#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"

namespace wahana {

std::string ProcessConsumerName(absl::string_view group) {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat(group, "-", host[0] != '\0' ? host : "unknown", "-", ::getpid());
}

StreamConsumerOptions ConsumerOptions(const ServiceConfig& config, std::string stream,
                                      std::string group, std::string consumer) {
  StreamConsumerOptions options;
  options.stream = std::move(stream);
  options.group = std::move(group);
  options.consumer = std::move(consumer);
  if (config.bus_claim_idle_ms > 0) options.claim_idle_ms = config.bus_claim_idle_ms;
  if (config.bus_max_deliveries > 0) options.max_deliveries = config.bus_max_deliveries;
  if (config.stream_maxlen > 0) options.max_len = config.stream_maxlen;
  return options;
}

std::unique_ptr<StreamConsumer> MakeBusConsumer(RedisClient& redis, const ServiceConfig& config,
                                                const BusSubscription& subscription,
                                                StreamConsumer::Handler handler,
                                                std::string consumer_name) {
  if (consumer_name.empty()) consumer_name = ProcessConsumerName(subscription.group);
  return std::make_unique<StreamConsumer>(
      redis,
      ConsumerOptions(config, subscription.StreamKey(config.region), subscription.group,
                      std::move(consumer_name)),
      std::move(handler));
}

void AddBusConsumer(ServiceRuntime& runtime, const BusSubscription& subscription,
                    StreamConsumer::Handler handler, int consumers) {
  runtime.WatchStreamLag(subscription.StreamKey(runtime.config().region), subscription.group);
  for (int n = 0; n < std::max(consumers, 1); ++n) {
    std::string name = ProcessConsumerName(subscription.group);
    if (n > 0) absl::StrAppend(&name, "-", n);
    std::shared_ptr<StreamConsumer> consumer =
        MakeBusConsumer(runtime.redis(), runtime.config(), subscription, handler, name);
    const std::string what = absl::StrCat(subscription.stream_service, " stream consumer ", name,
                                          " (group ", subscription.group, ")");
    runtime.AddBackground(
        [consumer, what] {
          // Start-up: RunService turns the exception into a logged exit 1.
          absl::Status started = consumer->Start();
          if (!started.ok()) throw std::runtime_error(what + ": " + started.ToString());
        },
        [consumer] { consumer->Stop(); });
  }
}

}  // namespace wahana
