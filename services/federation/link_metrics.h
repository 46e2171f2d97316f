#pragma once
// The links' status (link_status.h) as Prometheus gauges, read when scraped, so an operator's
// alerting sees what GET /v1/federation/status shows:
//
//   wahana_federation_link_messages{channel,direction,peer}       messages sent and acknowledged
//                                                         (outbound) or received and applied
//   wahana_federation_link_backlog{channel,direction,peer}        outbound: messages waiting
//   wahana_federation_link_lag_seconds{channel,direction,peer}    outbound: the oldest waiting
//   message's
//                                                         age; inbound: the newest's on arrival
//   wahana_federation_link_last_contact_seconds{channel,direction,peer}  unix time of the last
//   answer
//                                                         or valid call (0: never)
//   wahana_federation_link_refused_batches{channel,direction,peer}  inbound: batches refused
//   wahana_federation_link_failing{channel,direction,peer}        1 while the last attempt failed

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <memory>
#include <vector>

#include "federation/link_status.h"

namespace wahana {

class LinkMetricsCollector : public prometheus::Collectable {
 public:
  explicit LinkMetricsCollector(std::shared_ptr<LinkStatusReader> status)
      : status_(std::move(status)) {}

  // Nothing when Redis does not answer (never an error). Thread-safe.
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::shared_ptr<LinkStatusReader> status_;
};

}  // namespace wahana
