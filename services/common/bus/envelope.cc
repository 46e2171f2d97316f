#include "common/bus/envelope.h"

#include <chrono>

#include "common/ids/time_ordered_id.h"

namespace wahana {

wahana::common::v1::Envelope MakeEnvelope(const google::protobuf::Message& payload,
                                          const MessageFacts& facts) {
  wahana::common::v1::Envelope envelope;
  envelope.set_message_id(TimeOrderedIdGenerator::Default().Next());
  envelope.set_type(payload.GetDescriptor()->full_name());
  envelope.set_origin_region(facts.origin_region);
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  envelope.mutable_time()->set_seconds(micros / 1000000);
  envelope.mutable_time()->set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
  envelope.set_aggregate_id(facts.aggregate_id);
  envelope.set_aggregate_version(facts.aggregate_version);
  envelope.set_region_code(facts.region_code);
  envelope.mutable_payload()->PackFrom(payload);
  return envelope;
}

std::vector<std::string> XaddArgv(const std::string& stream,
                                  const wahana::common::v1::Envelope& envelope) {
  return {"XADD",
          stream,
          "*",
          "id",
          envelope.message_id(),
          "type",
          envelope.type(),
          "region",
          envelope.region_code(),
          "envelope",
          envelope.SerializeAsString()};
}

absl::StatusOr<wahana::common::v1::Envelope> ParseEntryFields(
    const std::vector<std::string>& fields) {
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i] == "envelope") {
      wahana::common::v1::Envelope envelope;
      if (!envelope.ParseFromString(fields[i + 1])) {
        return absl::InvalidArgumentError("stream entry: envelope is not a valid Envelope");
      }
      if (envelope.message_id().empty()) {
        return absl::InvalidArgumentError("stream entry: envelope has no message_id");
      }
      return envelope;
    }
  }
  return absl::InvalidArgumentError("stream entry: no envelope field");
}

}  // namespace wahana
