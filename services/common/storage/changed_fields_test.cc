#include "common/storage/changed_fields.h"

#include <gtest/gtest.h>

#include "wahana/registry/v1/institution.pb.h"

namespace wahana {
namespace {

using wahana::registry::v1::Institution;

TEST(ChangedFieldsTest, NamesTheTopLevelFieldsThatDifferInJsonSpelling) {
  Institution before;
  before.set_name("A");
  before.set_etag("1");
  before.mutable_legal_status()->set_legal_entity(false);
  before.add_leaders()->set_full_name("Siti");
  Institution after = before;
  EXPECT_TRUE(ChangedFieldNames(before, after).empty());

  after.set_etag("2");
  after.mutable_update_time()->set_seconds(5);
  EXPECT_TRUE(ChangedFieldNames(before, after).empty()) << "version bookkeeping is left out";

  after.mutable_legal_status()->set_registration_number("12");
  after.mutable_leaders(0)->set_role("ketua");
  after.set_member_count(3);
  after.set_archived(true);
  EXPECT_EQ(ChangedFieldNames(before, after),
            (std::vector<std::string>{"legalStatus", "leaders", "memberCount", "archived"}));
}

}  // namespace
}  // namespace wahana
