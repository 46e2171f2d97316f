#include "common/bus/bus_contract.h"

#include "absl/strings/str_cat.h"

namespace wahana {

std::string ServiceStreamKey(absl::string_view service, absl::string_view region) {
  return absl::StrCat(service, ":{", region, "}:stream");
}

std::string RegistryStreamKey(absl::string_view region) {
  return ServiceStreamKey(kRegistryStreamWriter, region);
}

std::string CaseStreamKey(absl::string_view region) {
  return ServiceStreamKey(kCaseStreamWriter, region);
}

std::string EventStreamKey(absl::string_view region) {
  return ServiceStreamKey(kEventStreamWriter, region);
}

std::string FederationStreamKey(absl::string_view region) {
  return ServiceStreamKey(kFederationStreamWriter, region);
}

std::string OutboxStreamKey(absl::string_view service, absl::string_view region) {
  return absl::StrCat(service, ":{", region, "}:outbox");
}

std::string DeadLetterStreamKey(absl::string_view stream) { return absl::StrCat(stream, ":dead"); }

}  // namespace wahana
