#pragma once
// What the case service does on the registry's messages, CaseLogic::HandleRegistryMessage's
// concern (the contract is in case_logic.h): moves the known-subjects projection on, and
// annotates the open cases of an archived beneficiary. Private to the case service's logic.

#include "case/case_logic_internal.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {
namespace case_internal {

// What a message of the registry's stream says of a record (case_registry_notices.cc).
struct RegistryChange;

class CaseRegistryNotices : public CaseLogicPart {
 public:
  explicit CaseRegistryNotices(const CaseLogicDeps& deps) : CaseLogicPart(deps) {}

  absl::Status HandleRegistryMessage(const wahana::common::v1::Envelope& envelope);

 private:
  // Moves the projection on for a registry message announcing `change`.
  absl::Status ProjectRegistryMessage(const wahana::common::v1::Envelope& envelope,
                                      const RegistryChange& change);
};

}  // namespace case_internal
}  // namespace wahana
