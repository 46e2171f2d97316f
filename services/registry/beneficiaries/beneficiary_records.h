#pragma once
// What the create, update and import paths do alike with beneficiary records: keep only the
// fields a client may set, compare what clients sent, mask a record for a list, flag a possible
// duplicate, and build the BeneficiaryChanged message of a change. Pure. Thread-safe.

#include <string>
#include <vector>

#include "wahana/common/v1/message.pb.h"
#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/resources.pb.h"

namespace wahana::registry {

// The fields the server sets (ignored on create, refused in an update mask), by proto name.
const std::vector<std::string>& BeneficiaryServerSetFields();

// `b` without the server-set fields: what a client's record may carry.
wahana::registry::v1::Beneficiary ClientFields(const wahana::registry::v1::Beneficiary& b);

// Whether `a` and `b` carry the same client fields (server-set ones ignored): an imported row
// against the record it would create.
bool SameContent(const wahana::registry::v1::Beneficiary& a,
                 const wahana::registry::v1::Beneficiary& b);

// The client fields that differ, by JSON name ("fullName"), in field order.
std::vector<std::string> ChangedFields(const wahana::registry::v1::Beneficiary& before,
                                       const wahana::registry::v1::Beneficiary& after);

// `b` as lists show it to callers that see personal data: NIK and KK masked (no digit shown,
// common/privacy/masking.h), disability and guardian removed (specific personal data, UU 27/2022:
// only a get returns them).
wahana::registry::v1::Beneficiary MaskedForList(wahana::registry::v1::Beneficiary b);

// `b` as every answer shows it to a caller that does not see personal data (VIEWER): as a list
// shows it, and also the birth date reduced to its year and the messages of identity findings
// (NIK_*, review flags quoting NIK digits) left out, so that nothing shown rebuilds the NIK or
// the KK number (common/privacy/masking.h).
wahana::registry::v1::Beneficiary MaskedPersonalData(wahana::registry::v1::Beneficiary b);

// `b` as `sees_personal_data` decides: MaskedForList or MaskedPersonalData.
wahana::registry::v1::Beneficiary ListedAs(bool sees_personal_data,
                                           wahana::registry::v1::Beneficiary b);

// POSSIBLE_DUPLICATE (field "fullName") naming the records in `others` (their ids only).
wahana::registry::v1::ReviewFlag PossibleDuplicateFlag(
    const std::vector<wahana::registry::v1::Beneficiary>& others);

// The message announcing `record` at its etag's version: BeneficiaryChanged with `action`
// ("created", "updated", "archived", "imported"), for the deployment `origin_region`.
wahana::common::v1::Envelope BeneficiaryMessage(
    const std::string& origin_region, const wahana::registry::v1::Beneficiary& record,
    const std::string& action, const std::vector<std::string>& changed_fields = {},
    const std::string& reason = "",
    const google::protobuf::RepeatedField<int>& categories_before = {});

}  // namespace wahana::registry
