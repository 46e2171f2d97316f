#include "federation/link_metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_type.h>

#include <functional>
#include <string>

#include "federation/batch_receiver.h"

namespace wahana {

using wahana::federation::v1::LinkStatus;

std::vector<prometheus::MetricFamily> LinkMetricsCollector::Collect() const {
  absl::StatusOr<wahana::federation::v1::FederationStatus> status = status_->Read();
  if (!status.ok()) return {};
  struct Gauge {
    const char* name;
    const char* help;
    std::function<double(const LinkStatus&)> value;
  };
  const Gauge gauges[] = {
      {"wahana_federation_link_messages",
       "Messages sent and acknowledged (outbound) or received and applied (inbound).",
       [](const LinkStatus& l) { return static_cast<double>(l.messages()); }},
      {"wahana_federation_link_backlog",
       "Outbound messages waiting for the peer's acknowledgement.",
       [](const LinkStatus& l) { return static_cast<double>(l.backlog()); }},
      {"wahana_federation_link_lag_seconds",
       "Outbound: age of the oldest waiting message; inbound: age of the newest on arrival.",
       [](const LinkStatus& l) { return l.lag_seconds(); }},
      {"wahana_federation_link_last_contact_seconds",
       "Unix time of the peer's last answer (outbound) or valid call (inbound); 0: never.",
       [](const LinkStatus& l) { return static_cast<double>(l.last_contact_time().seconds()); }},
      {"wahana_federation_link_refused_batches", "Inbound batches refused.",
       [](const LinkStatus& l) { return static_cast<double>(l.refused_batches()); }},
      {"wahana_federation_link_failing", "1 while the link's last attempt failed.",
       [](const LinkStatus& l) { return l.last_error().empty() ? 0.0 : 1.0; }},
  };
  std::vector<prometheus::MetricFamily> families;
  for (const Gauge& gauge : gauges) {
    prometheus::MetricFamily family{gauge.name, gauge.help, prometheus::MetricType::Gauge, {}};
    for (const LinkStatus& link : status->links()) {
      prometheus::ClientMetric metric;
      metric.label = {{"channel", ChannelName(link.channel())},
                      {"direction", link.direction()},
                      {"peer", link.peer()}};
      metric.gauge.value = gauge.value(link);
      family.metric.push_back(std::move(metric));
    }
    families.push_back(std::move(family));
  }
  return families;
}

}  // namespace wahana
