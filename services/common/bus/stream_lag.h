#pragma once
// Consumer-group lag as Prometheus gauges, read from Redis when scraped (XINFO GROUPS), so the
// numbers are never stale and cost nothing between scrapes:
//
//   wahana_stream_group_lag{stream,group}      entries not yet delivered to the group (Redis 7's
//                                              "lag"; absent while Redis cannot tell)
//   wahana_stream_group_pending{stream,group}  entries delivered and not yet acknowledged
//
// The service that owns a consumer group watches it (a district's case service watches the
// registry stream for group "case", reporting the case stream for group "reporting").
// Serve it beside a prometheus::Registry: an Exposer's RegisterCollectable, or Collect() and
// prometheus::TextSerializer.

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/redis_client.h"

namespace wahana {

class StreamLagCollector : public prometheus::Collectable {
 public:
  // `redis` must outlive the collector.
  explicit StreamLagCollector(RedisClient& redis) : redis_(redis) {}

  // Thread-safe.
  void Watch(std::string stream, std::string group);

  // One XINFO GROUPS per watched stream; a stream or group Redis does not know (yet) and a Redis
  // that does not answer are left out, never an error. Thread-safe.
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  RedisClient& redis_;
  mutable absl::Mutex mu_;
  std::vector<std::pair<std::string, std::string>> watched_ ABSL_GUARDED_BY(mu_);
};

}  // namespace wahana
