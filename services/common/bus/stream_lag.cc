#include "common/bus/stream_lag.h"

#include <map>

#include "common/bus/group_progress.h"

namespace wahana {
namespace {

prometheus::ClientMetric Sample(const std::string& stream, const std::string& group, double value) {
  prometheus::ClientMetric metric;
  metric.label = {{"group", group}, {"stream", stream}};
  metric.gauge.value = value;
  return metric;
}

}  // namespace

void StreamLagCollector::Watch(std::string stream, std::string group) {
  absl::MutexLock lock(&mu_);
  watched_.emplace_back(std::move(stream), std::move(group));
}

std::vector<prometheus::MetricFamily> StreamLagCollector::Collect() const {
  std::vector<std::pair<std::string, std::string>> watched;
  {
    absl::MutexLock lock(&mu_);
    watched = watched_;
  }
  prometheus::MetricFamily lag{"wahana_stream_group_lag",
                               "Stream entries not yet delivered to the consumer group.",
                               prometheus::MetricType::Gauge,
                               {}};
  prometheus::MetricFamily pending{"wahana_stream_group_pending",
                                   "Stream entries delivered to the group and not acknowledged.",
                                   prometheus::MetricType::Gauge,
                                   {}};
  std::map<std::string, absl::StatusOr<RedisReply>> groups_of;  // one XINFO per stream
  for (const auto& [stream, group] : watched) {
    auto it = groups_of.find(stream);
    if (it == groups_of.end()) {
      it = groups_of.emplace(stream, redis_.Command({"XINFO", "GROUPS", stream})).first;
    }
    if (!it->second.ok()) continue;
    std::optional<GroupInfo> info = FindGroupInfo(*it->second, group);
    if (!info.has_value()) continue;
    if (info->pending.has_value()) {
      pending.metric.push_back(Sample(stream, group, static_cast<double>(*info->pending)));
    }
    if (info->lag.has_value()) {
      lag.metric.push_back(Sample(stream, group, static_cast<double>(*info->lag)));
    }
  }
  return {lag, pending};
}

}  // namespace wahana
