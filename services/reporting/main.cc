// wahana-reporting: live aggregates (wahana.reporting.v1.ReportingService) on gRPC port 20054,
// kept up to date by consuming the case stream.

#include <memory>
#include <stdexcept>

#include "case/case_keys.h"
#include "common/process/service_main.h"
#include "reporting/case_stream_consumer.h"
#include "reporting/redis_case_counts_store.h"
#include "reporting/reporting_grpc_service.h"
#include "reporting/reporting_logic.h"

namespace {

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  const std::string& region = runtime.config().region;
  auto logic = std::make_shared<wahana::ReportingLogic>(
      region, std::make_shared<wahana::RedisCaseCountsStore>(runtime.redis(), region));
  runtime.AddService(std::make_unique<wahana::ReportingGrpcService>(logic, runtime.pool()));

  std::shared_ptr<wahana::StreamConsumer> consumer = wahana::MakeCaseStreamConsumer(
      runtime.redis(), runtime.config(), logic, wahana::ReportingConsumerName());
  runtime.WatchStreamLag(wahana::CaseStreamKey(region), wahana::kReportingConsumerGroup);
  runtime.AddBackground(
      [consumer] {
        // Start-up: RunService turns the exception into a logged exit 1.
        absl::Status started = consumer->Start();
        if (!started.ok()) {
          throw std::runtime_error("case stream consumer: " + started.ToString());
        }
      },
      [consumer] { consumer->Stop(); });
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  return wahana::RunService(argc, argv, "reporting", 20054, Setup);
}
