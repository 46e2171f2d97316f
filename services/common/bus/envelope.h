#pragma once
// Building stream messages and reading them back. A message is stored in a stream entry as
//   id <message id>  type <payload type>  region <record's region code>  envelope <Envelope bytes>
// The plain fields let an operator read a stream with redis-cli; consumers use `envelope` alone.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

struct MessageFacts {
  std::string origin_region;      // the deployment ("16.06")
  std::string aggregate_id;       // the record
  int64_t aggregate_version = 0;  // after the change
  std::string region_code;        // the record's own region
};

// A new envelope with a fresh time-ordered id and the current time; `payload` packed in Any.
wahana::common::v1::Envelope MakeEnvelope(const google::protobuf::Message& payload,
                                          const MessageFacts& facts);

// The XADD argument vector appending `envelope` to `stream` (no trimming: see stream_trimmer.h).
std::vector<std::string> XaddArgv(const std::string& stream,
                                  const wahana::common::v1::Envelope& envelope);

// Parses the fields of one stream entry (name, value, name, value ...). INVALID_ARGUMENT when the
// entry has no parsable `envelope` field: such a message is poison for any consumer.
absl::StatusOr<wahana::common::v1::Envelope> ParseEntryFields(
    const std::vector<std::string>& fields);

}  // namespace wahana
