#include "common/audit/audit_metrics.h"

#include <string>

namespace wahana {
namespace {

prometheus::MetricFamily Counter(const std::string& name, const std::string& help,
                                 const std::string& trail, int64_t value) {
  prometheus::ClientMetric metric;
  metric.label = {{"trail", trail}};
  metric.counter.value = static_cast<double>(value);
  return prometheus::MetricFamily{name, help, prometheus::MetricType::Counter, {metric}};
}

}  // namespace

std::vector<prometheus::MetricFamily> AuditTrailCollector::Collect() const {
  return {Counter("wahana_audit_entries_failed_total",
                  "Audit entries that could not be written to the trail.", trail_->service(),
                  trail_->failures()),
          Counter("wahana_audit_scripts_total",
                  "Audit append scripts run (one per batch, retries included).", trail_->service(),
                  trail_->scripts())};
}

}  // namespace wahana
