#include "common/bus/stream_lag.h"

#include <map>

namespace wahana {
namespace {

// The field `name` of one XINFO GROUPS entry (a flat name/value array), or nullptr.
const RedisReply* Field(const RedisReply& group, const std::string& name) {
  for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
    if (group.elements[i].str == name) return &group.elements[i + 1];
  }
  return nullptr;
}

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
    if (!it->second.ok() || it->second->type != RedisReply::Type::kArray) continue;
    for (const RedisReply& entry : it->second->elements) {
      const RedisReply* name = Field(entry, "name");
      if (name == nullptr || name->str != group) continue;
      if (const RedisReply* p = Field(entry, "pending");
          p != nullptr && p->type == RedisReply::Type::kInteger) {
        pending.metric.push_back(Sample(stream, group, static_cast<double>(p->integer)));
      }
      if (const RedisReply* l = Field(entry, "lag");
          l != nullptr && l->type == RedisReply::Type::kInteger) {
        lag.metric.push_back(Sample(stream, group, static_cast<double>(l->integer)));
      }
    }
  }
  return {lag, pending};
}

}  // namespace wahana
