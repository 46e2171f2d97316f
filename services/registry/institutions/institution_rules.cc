#include "registry/institutions/institution_rules.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/fields/field_checks.h"
#include "common/status/status_macros.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Institution;

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

absl::Status CheckKind(const Institution& institution) {
  if (institution.kind() == Institution::KIND_UNSPECIFIED ||
      !Institution::Kind_IsValid(institution.kind())) {
    return Invalid("kind",
                   "required, one of LKS, KUBE, LUMBUNG_DESA, KARANG_TARUNA, PKK, MAJELIS_TAKLIM, "
                   "ARISAN, RUKUN_KEMATIAN, LEMBAGA_ADAT, KELOMPOK_KEAGAMAAN, OTHER");
  }
  if (institution.kind() == Institution::OTHER) {
    if (institution.other_kind_label().empty()) {
      return Invalid("otherKindLabel", "required when kind is OTHER (what kind of group it is)");
    }
    return CheckName(institution.other_kind_label(), "otherKindLabel", kMaxOtherKindLabelBytes);
  }
  if (!institution.other_kind_label().empty()) {
    return Invalid("otherKindLabel", "only for kind OTHER");
  }
  return absl::OkStatus();
}

absl::Status CheckNonNegative(double value, absl::string_view field) {
  if (!std::isfinite(value) || value < 0) return Invalid(field, "must be a number, 0 or more");
  return absl::OkStatus();
}

absl::Status CheckKindFacts(const Institution& institution, absl::CivilDay latest) {
  if (institution.has_granary_stock()) {
    if (institution.kind() != Institution::LUMBUNG_DESA) {
      return Invalid("granaryStock", "only for kind LUMBUNG_DESA");
    }
    const Institution::GranaryStock& stock = institution.granary_stock();
    WAHANA_RETURN_IF_ERROR(CheckNonNegative(stock.rice_kg(), "granaryStock.riceKg"));
    WAHANA_RETURN_IF_ERROR(
        CheckNonNegative(stock.unhusked_rice_kg(), "granaryStock.unhuskedRiceKg"));
    WAHANA_RETURN_IF_ERROR(CheckOptionalDate(stock.as_of(), "granaryStock.asOf", latest));
  }
  if (institution.has_joint_business()) {
    if (institution.kind() != Institution::KUBE) {
      return Invalid("jointBusiness", "only for kind KUBE");
    }
    const Institution::JointBusiness& business = institution.joint_business();
    WAHANA_RETURN_IF_ERROR(
        CheckLine(business.business(), "jointBusiness.business", kMaxBusinessBytes));
    if (!Institution::JointBusiness::Stage_IsValid(business.stage())) {
      return Invalid("jointBusiness.stage", "one of GROWING, DEVELOPING, INDEPENDENT");
    }
    if (business.capital_rupiah() < 0) {
      return Invalid("jointBusiness.capitalRupiah", "must be 0 or more");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckLeaders(const Institution& institution) {
  if (institution.leaders_size() > kMaxLeaders) {
    return Invalid("leaders", absl::StrCat("at most ", kMaxLeaders));
  }
  for (int i = 0; i < institution.leaders_size(); ++i) {
    const Institution::Leader& leader = institution.leaders(i);
    std::string prefix = absl::StrCat("leaders[", i, "]");
    WAHANA_RETURN_IF_ERROR(
        CheckName(leader.full_name(), absl::StrCat(prefix, ".fullName"), kMaxPersonNameBytes));
    WAHANA_RETURN_IF_ERROR(CheckLine(leader.role(), absl::StrCat(prefix, ".role"), kMaxRoleBytes));
    WAHANA_RETURN_IF_ERROR(CheckContact(leader.contact(), absl::StrCat(prefix, ".contact")));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckInstitutionFields(const Institution& institution, absl::CivilDay latest) {
  WAHANA_RETURN_IF_ERROR(CheckKind(institution));
  WAHANA_RETURN_IF_ERROR(CheckName(institution.name(), "name", kMaxInstitutionNameBytes));
  if (institution.village_code().empty()) return Invalid("villageCode", "required");
  WAHANA_RETURN_IF_ERROR(CheckText(institution.address(), "address", kMaxAddressBytes));
  WAHANA_RETURN_IF_ERROR(CheckContact(institution.contact(), "contact"));
  const Institution::LegalStatus& legal = institution.legal_status();
  WAHANA_RETURN_IF_ERROR(CheckLine(legal.registration_number(), "legalStatus.registrationNumber",
                                   kMaxRegistrationNumberBytes));
  WAHANA_RETURN_IF_ERROR(
      CheckOptionalDate(legal.registration_date(), "legalStatus.registrationDate", latest));
  WAHANA_RETURN_IF_ERROR(CheckLeaders(institution));
  if (institution.member_count() < 0) return Invalid("memberCount", "must be 0 or more");
  WAHANA_RETURN_IF_ERROR(CheckOptionalDate(institution.founded_date(), "foundedDate", latest));
  if (institution.status() != Institution::ACTIVE &&
      institution.status() != Institution::INACTIVE) {
    return Invalid("status", "ACTIVE or INACTIVE");
  }
  return CheckKindFacts(institution, latest);
}

absl::Status CheckInstitution(const Institution& institution, const RegionRules& regions,
                              absl::CivilDay latest) {
  WAHANA_RETURN_IF_ERROR(CheckInstitutionFields(institution, latest));
  return regions.RequireVillage(institution.village_code(), "villageCode");
}

}  // namespace wahana::registry
