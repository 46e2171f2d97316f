#include "common/resource/resource_fields.h"

#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"
#include "wahana/registry/v1/institution.pb.h"

namespace wahana {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::registry::v1::Institution;
using wahana::registry::v1::InstitutionChanged;

Institution Stored() {
  Institution i;
  i.set_id("01JD0000000000000000000001");
  i.set_etag("3");
  i.set_name("Karang Taruna Sukarami");
  i.set_village_code("16.06.01.2001");
  *i.mutable_create_time() = TimeUtil::SecondsToTimestamp(1000);
  return i;
}

const std::vector<KeptField> kKept = {{"create_time", "is set by the server"},
                                      {"village_code", "is fixed at create"}};

TEST(ClearFieldsTest, ClearsTheNamedTopLevelFieldsOnly) {
  Institution i = Stored();
  ClearFields({"id", "etag", "create_time", "no_such_field"}, &i);
  EXPECT_TRUE(i.id().empty());
  EXPECT_TRUE(i.etag().empty());
  EXPECT_FALSE(i.has_create_time());
  EXPECT_EQ(i.name(), "Karang Taruna Sukarami");
}

TEST(CheckKeptFieldsTest, TheRecordAsReadPasses) {
  EXPECT_TRUE(CheckKeptFields(Stored(), Stored(), kKept).ok());
}

TEST(CheckKeptFieldsTest, AnUnsetFieldPasses) {
  Institution patch;
  patch.set_name("other");
  EXPECT_TRUE(CheckKeptFields(patch, Stored(), kKept).ok());
}

TEST(CheckKeptFieldsTest, AnotherValueIsRefusedNamingTheFieldInJson) {
  Institution patch = Stored();
  *patch.mutable_create_time() = TimeUtil::SecondsToTimestamp(2000);
  absl::Status status = CheckKeptFields(patch, Stored(), kKept);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "createTime: is set by the server");

  patch = Stored();
  patch.set_village_code("16.06.02.2001");
  EXPECT_EQ(CheckKeptFields(patch, Stored(), kKept).message(), "villageCode: is fixed at create");
}

TEST(FillChangeMessageTest, SetsTheRecordActionChangedFieldsAndReason) {
  InstitutionChanged message;
  ASSERT_TRUE(
      FillChangeMessage(Stored(), "archived", {"archived", "name"}, "bubar", &message).ok());
  EXPECT_EQ(message.institution().id(), "01JD0000000000000000000001");
  EXPECT_EQ(message.action(), "archived");
  ASSERT_EQ(message.changed_fields_size(), 2);
  EXPECT_EQ(message.changed_fields(1), "name");
  EXPECT_EQ(message.reason(), "bubar");
}

TEST(FillChangeMessageTest, AMessageWithoutTheRecordIsAnInternalError) {
  Institution not_a_message;
  EXPECT_EQ(FillChangeMessage(Stored(), "created", {}, "", &not_a_message).code(),
            absl::StatusCode::kInternal);
}

TEST(WithArticleTest, VowelsTakeAn) {
  EXPECT_EQ(WithArticle("institution"), "an institution");
  EXPECT_EQ(WithArticle("worker"), "a worker");
}

}  // namespace
}  // namespace wahana
