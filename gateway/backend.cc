#include "gateway/backend.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/grpc/service_channel.h"

namespace wahana {
namespace {

constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";
constexpr int kServing = 1;  // grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return CreateServiceChannel(address, args);
}

// HealthCheckResponse is {ServingStatus status = 1;}: read field 1 off the wire rather than
// depend on generated code for grpc/health/v1/health.proto. -1 when unreadable.
int DecodeServingStatus(grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return -1;
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  int status = 0;  // absent field: UNKNOWN
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    if (tag == (1 << 3 | 0)) {
      uint32_t value = 0;
      if (!in.ReadVarint32(&value)) return -1;
      status = static_cast<int>(value);
    } else if (!google::protobuf::internal::WireFormatLite::SkipField(&in, tag)) {
      return -1;
    }
  }
  return status;
}

struct HealthProbe {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
};

}  // namespace

Backend::Backend(std::string service, std::string address)
    : service_(std::move(service)),
      address_(std::move(address)),
      channel_(MakeChannel(address_)),
      stub_(channel_) {}

Backend::Backend(std::string service, std::string address, std::shared_ptr<grpc::Channel> channel)
    : service_(std::move(service)),
      address_(std::move(address)),
      channel_(std::move(channel)),
      stub_(channel_) {}

void Backend::CheckHealth(std::chrono::milliseconds deadline,
                          std::function<void(absl::Status)> done) {
  auto probe = std::make_shared<HealthProbe>();
  probe->context.set_deadline(std::chrono::system_clock::now() + deadline);
  // An empty HealthCheckRequest (service "" = the whole server). A ByteBuffer needs a slice,
  // even an empty one, to be sent.
  grpc::Slice empty("", 0);
  probe->request = grpc::ByteBuffer(&empty, 1);
  stub_.UnaryCall(
      &probe->context, kHealthCheckMethod, grpc::StubOptions(), &probe->request, &probe->response,
      [probe, done = std::move(done)](grpc::Status status) {
        if (!status.ok()) {
          done(absl::UnavailableError(
              absl::StrCat("health check failed: ", status.error_message())));
          return;
        }
        int serving = DecodeServingStatus(probe->response);
        if (serving != kServing) {
          done(absl::UnavailableError(absl::StrCat("health status ", serving, " (not SERVING)")));
          return;
        }
        done(absl::OkStatus());
      });
}

}  // namespace wahana
