#include "common/storage/update_mask.h"

#include <gtest/gtest.h>

#include "wahana/testing/v1/store_test_record.pb.h"

namespace wahana {
namespace {

using google::protobuf::FieldMask;
using wahana::testing::v1::StoreTestRecord;

FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

StoreTestRecord Stored() {
  StoreTestRecord record;
  record.set_id("01J0000000000000000000000A");
  record.set_etag("3");
  record.set_village_code("16.06.01.2001");
  record.set_name("Siti Aminah");
  record.set_nik("1606014101900001");
  record.mutable_contact()->set_phone("0811");
  record.mutable_contact()->set_email("siti@example.org");
  record.add_tags("lansia");
  record.add_tags("disabilitas");
  (*record.mutable_labels())["rt"] = "01";
  record.set_member_count(4);
  record.mutable_create_time()->set_seconds(1700000000);
  return record;
}

TEST(UpdateMaskTest, NamedFieldsAreReplacedAndOthersKept) {
  StoreTestRecord record = Stored();
  StoreTestRecord patch;
  patch.set_name("Siti Aminah binti Umar");
  patch.set_nik("9999999999999999");  // not named: ignored
  patch.add_tags("yatim");
  ASSERT_TRUE(
      ApplyUpdateMask(patch, Mask({"name", "tags"}), DefaultServerSetFields(), &record).ok());
  EXPECT_EQ(record.name(), "Siti Aminah binti Umar");
  EXPECT_EQ(record.nik(), "1606014101900001");
  ASSERT_EQ(record.tags_size(), 1) << "repeated fields are replaced, not appended to";
  EXPECT_EQ(record.tags(0), "yatim");
  EXPECT_EQ(record.contact().phone(), "0811");
  EXPECT_EQ(record.etag(), "3");
}

TEST(UpdateMaskTest, ANamedFieldThePatchLeavesUnsetIsCleared) {
  StoreTestRecord record = Stored();
  ASSERT_TRUE(ApplyUpdateMask(StoreTestRecord(), Mask({"memberCount", "contact.phone", "labels"}),
                              DefaultServerSetFields(), &record)
                  .ok());
  EXPECT_EQ(record.member_count(), 0);
  EXPECT_EQ(record.contact().phone(), "");
  EXPECT_EQ(record.contact().email(), "siti@example.org") << "the sibling stays";
  EXPECT_TRUE(record.labels().empty());

  // Clearing within an absent message does not create it.
  StoreTestRecord bare;
  bare.set_name("x");
  ASSERT_TRUE(
      ApplyUpdateMask(StoreTestRecord(), Mask({"contact.phone"}), DefaultServerSetFields(), &bare)
          .ok());
  EXPECT_FALSE(bare.has_contact());
}

TEST(UpdateMaskTest, NestedPathsAndMessagesReplaceWhole) {
  StoreTestRecord record = Stored();
  StoreTestRecord patch;
  patch.mutable_contact()->set_phone("0822");
  ASSERT_TRUE(
      ApplyUpdateMask(patch, Mask({"contact.phone"}), DefaultServerSetFields(), &record).ok());
  EXPECT_EQ(record.contact().phone(), "0822");
  EXPECT_EQ(record.contact().email(), "siti@example.org");

  ASSERT_TRUE(ApplyUpdateMask(patch, Mask({"contact"}), DefaultServerSetFields(), &record).ok());
  EXPECT_EQ(record.contact().phone(), "0822");
  EXPECT_EQ(record.contact().email(), "") << "a named message is replaced whole";
}

TEST(UpdateMaskTest, BadPathsAreInvalidArgumentNamingThePathAndChangeNothing) {
  struct Case {
    const char* path;
    const char* message;
  };
  for (const Case& c : {
           Case{"nope", "updateMask: unknown field \"nope\""},
           Case{"contact.fax", "updateMask: unknown field \"contact.fax\""},
           Case{"name.first", "updateMask: unknown field \"name.first\""},
           Case{"contact.", "updateMask: unknown field \"contact.\""},
           Case{"tags.x", "updateMask: \"tags.x\" goes through a repeated field"},
           Case{"labels.rt", "updateMask: \"labels.rt\" goes through a repeated field"},
           Case{"etag", "updateMask: \"etag\" is set by the server"},
           Case{"createTime", "updateMask: \"createTime\" is set by the server"},
           Case{"create_time.seconds", "updateMask: \"create_time.seconds\" is set by the server"},
           Case{"id", "updateMask: \"id\" is set by the server"},
       }) {
    StoreTestRecord record = Stored();
    StoreTestRecord patch;
    patch.set_name("changed");
    absl::Status status =
        ApplyUpdateMask(patch, Mask({"name", c.path}), DefaultServerSetFields(), &record);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.path;
    EXPECT_EQ(status.message(), c.message);
    EXPECT_EQ(record.SerializeAsString(), Stored().SerializeAsString()) << c.path;
  }
}

TEST(UpdateMaskTest, AStarReplacesAllButServerSetFields) {
  StoreTestRecord record = Stored();
  StoreTestRecord patch;
  patch.set_id("01J0000000000000000000000B");
  patch.set_etag("1");
  patch.set_name("Budi");
  ASSERT_TRUE(ApplyUpdateMask(patch, Mask({"*"}), DefaultServerSetFields(), &record).ok());
  EXPECT_EQ(record.name(), "Budi");
  EXPECT_EQ(record.nik(), "");
  EXPECT_FALSE(record.has_contact());
  EXPECT_EQ(record.tags_size(), 0);
  EXPECT_EQ(record.id(), "01J0000000000000000000000A");
  EXPECT_EQ(record.etag(), "3");
  EXPECT_EQ(record.create_time().seconds(), 1700000000);
}

TEST(UpdateMaskTest, NoPathsUpdateTheFieldsThePatchSets) {
  StoreTestRecord record = Stored();
  StoreTestRecord patch = Stored();  // a record read back, changed and sent whole
  patch.set_name("Siti A.");
  patch.set_etag("2");
  patch.set_id("ignored");
  patch.clear_contact();
  ASSERT_TRUE(ApplyUpdateMask(patch, FieldMask(), DefaultServerSetFields(), &record).ok());
  EXPECT_EQ(record.name(), "Siti A.");
  EXPECT_EQ(record.id(), "01J0000000000000000000000A");
  EXPECT_EQ(record.etag(), "3");
  EXPECT_TRUE(record.has_contact()) << "an unset field is not named by an empty mask";
}

TEST(UpdateMaskTest, APatchOfAnotherTypeIsABug) {
  StoreTestRecord record = Stored();
  EXPECT_EQ(ApplyUpdateMask(StoreTestRecord::Contact(), Mask({"phone"}), DefaultServerSetFields(),
                            &record)
                .code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace wahana
