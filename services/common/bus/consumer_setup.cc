#include "common/bus/consumer_setup.h"

#include <unistd.h>

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

}  // namespace wahana
