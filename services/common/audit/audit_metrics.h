#pragma once
// An audit trail's health as Prometheus counters, read from the trail when scraped:
//
//   wahana_audit_entries_failed_total{trail}   entries that could not be written (a read then
//                                              failed closed; a write kept its status) — alert
//                                              on any increase
//   wahana_audit_scripts_total{trail}          append scripts run (batches, retries included)
//
// Registered on the service's /metrics by AddAuditTrail (audit_service.h).

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <memory>
#include <vector>

#include "common/audit/audit_trail.h"

namespace wahana {

class AuditTrailCollector : public prometheus::Collectable {
 public:
  explicit AuditTrailCollector(std::shared_ptr<const AuditTrail> trail)
      : trail_(std::move(trail)) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::shared_ptr<const AuditTrail> trail_;
};

}  // namespace wahana
