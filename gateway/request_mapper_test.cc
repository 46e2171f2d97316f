#include "gateway/request_mapper.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "gateway/test_descriptors.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/registry/v1/registry.pb.h"
#include "wahana/testing/v1/echo.pb.h"

namespace wahana {
namespace {

using google::protobuf::Message;
using testing::NewThing;

// The request's fields in text format, for compact assertions.
std::string Text(const Message& m) { return m.ShortDebugString(); }

absl::Status Query(const char* query, Message& m, const char* body_field = "",
                   std::vector<std::string> path_fields = {}) {
  return ApplyQueryString(query, body_field, path_fields, m);
}

void ExpectInvalid(const absl::Status& status, const std::string& must_mention) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), must_mention))
      << "\"" << status.message() << "\" does not mention " << must_mention;
}

TEST(QueryMappingTest, ListRegionsParameters) {
  registry::v1::ListRegionsRequest request;
  ASSERT_TRUE(Query("parent=16.06&pageSize=2&pageToken=b3BhcXVl%3D", request).ok());
  EXPECT_EQ(request.parent(), "16.06");
  EXPECT_EQ(request.page_size(), 2);
  EXPECT_EQ(request.page_token(), "b3BhcXVl=");
}

TEST(QueryMappingTest, SnakeCaseNamesToo) {
  registry::v1::ListRegionsRequest request;
  ASSERT_TRUE(Query("page_size=7&page_token=x", request).ok());
  EXPECT_EQ(request.page_size(), 7);
  EXPECT_EQ(request.page_token(), "x");
}

TEST(QueryMappingTest, PercentAndPlusDecoding) {
  registry::v1::ListRegionsRequest request;
  ASSERT_TRUE(Query("pa%72ent=a+b%20c%2Bd", request).ok());
  EXPECT_EQ(request.parent(), "a b c+d");
  ExpectInvalid(Query("parent=%zz", request), "parent");
  ExpectInvalid(Query("parent=%C0%AF", request), "UTF-8");
}

TEST(QueryMappingTest, IntegersAreValidatedAndTheParameterNamed) {
  registry::v1::ListRegionsRequest request;
  ExpectInvalid(Query("pageSize=two", request), "query parameter \"pageSize\"");
  ExpectInvalid(Query("pageSize=2.5", request), "pageSize");
  ExpectInvalid(Query("page_size=", request), "page_size");
  ExpectInvalid(Query("pageSize=%202", request), "pageSize");
  ExpectInvalid(Query("pageSize=99999999999", request), "32-bit");
  auto thing = NewThing();
  ExpectInvalid(Query("small=-1", *thing), "unsigned");
  ASSERT_TRUE(Query("big=-9223372036854775808&small=4294967295", *thing).ok());
  EXPECT_EQ(Text(*thing), "small: 4294967295 big: -9223372036854775808");
}

TEST(QueryMappingTest, UnknownOrRepeatedSingularParameterIsRejected) {
  registry::v1::ListRegionsRequest request;
  ExpectInvalid(Query("pagesize=2", request), "unknown query parameter \"pagesize\"");
  ExpectInvalid(Query("parent=1&parent=2", request), "given more than once");
  ExpectInvalid(Query("parent=1&parent=2", request), "parent");
}

TEST(QueryMappingTest, RepeatedFieldsCollectEveryOccurrence) {
  auto thing = NewThing();
  ASSERT_TRUE(Query("tags=a&tags=b&numbers=1&numbers=-2&colors=RED&colors=2", *thing).ok());
  EXPECT_EQ(Text(*thing),
            "tags: \"a\" tags: \"b\" numbers: 1 numbers: -2 colors: RED colors: GREEN");
  ExpectInvalid(Query("numbers=1&numbers=x", *thing), "numbers");
}

TEST(QueryMappingTest, EnumsByNameOrNumber) {
  auto thing = NewThing();
  ASSERT_TRUE(Query("color=GREEN", *thing).ok());
  EXPECT_EQ(Text(*thing), "color: GREEN");
  thing = NewThing();
  ASSERT_TRUE(Query("color=1", *thing).ok());
  EXPECT_EQ(Text(*thing), "color: RED");
  ExpectInvalid(Query("color=PURPLE", *NewThing()), "wahana.gwtest.v1.Color");
  ExpectInvalid(Query("color=red", *NewThing()), "color");
}

TEST(QueryMappingTest, NestedFieldsByEitherName) {
  auto thing = NewThing();
  ASSERT_TRUE(Query("inner.regionCode=16.06&inner.count=3", *thing).ok());
  EXPECT_EQ(Text(*thing), "inner { region_code: \"16.06\" count: 3 }");
  thing = NewThing();
  ASSERT_TRUE(Query("inner.region_code=16.07", *thing).ok());
  EXPECT_EQ(Text(*thing), "inner { region_code: \"16.07\" }");
  ExpectInvalid(Query("inner.nope=1", *NewThing()), "inner.nope");
  ExpectInvalid(Query("id.x=1", *NewThing()), "id.x");
  ExpectInvalid(Query("inner=1", *NewThing()), "inner");
}

TEST(QueryMappingTest, ScalarKinds) {
  auto thing = NewThing();
  ASSERT_TRUE(Query("flag=true&ratio=0.25&blob=aGk%3D", *thing).ok());
  EXPECT_EQ(Text(*thing), "flag: true ratio: 0.25 blob: \"hi\"");
  ExpectInvalid(Query("flag=yes", *NewThing()), "flag");
  ExpectInvalid(Query("ratio=x", *NewThing()), "ratio");
  ExpectInvalid(Query("blob=***", *NewThing()), "blob");
}

TEST(QueryMappingTest, WellKnownTypes) {
  auto thing = NewThing();
  ASSERT_TRUE(Query("when=2026-01-02T03:04:05Z&limit=5", *thing).ok());
  EXPECT_EQ(Text(*thing), "when { seconds: 1767323045 } limit { value: 5 }");
  ExpectInvalid(Query("when=yesterday", *NewThing()), "google.protobuf.Timestamp");
  ExpectInvalid(Query("limit=many", *NewThing()), "limit");
}

TEST(QueryMappingTest, FieldsFromThePathOrBodyCannotBeSetByQuery) {
  auto thing = NewThing();
  ExpectInvalid(Query("id=2", *thing, "", {"id"}), "comes from the path");
  ExpectInvalid(Query("inner.count=2", *thing, "inner"), "comes from the body");
  ExpectInvalid(Query("tags=a", *thing, "*"), "every field from the body");
  EXPECT_TRUE(Query("tags=a", *thing, "inner", {"id"}).ok());
}

TEST(PathMappingTest, PathVariableSetsNestedField) {
  auto thing = NewThing();
  ASSERT_TRUE(SetFieldFromText(*thing, "inner.region_code", "16.06", "path variable").ok());
  EXPECT_EQ(Text(*thing), "inner { region_code: \"16.06\" }");
}

TEST(BodyMappingTest, WholeBody) {
  testing::v1::EchoRequest request;
  ASSERT_TRUE(ApplyJsonBody(R"({"message":"halo"})", "*", request).ok());
  EXPECT_EQ(request.message(), "halo");
}

TEST(BodyMappingTest, EmptyBodyIsAnEmptyMessageAndNoBodyFieldIgnoresIt) {
  testing::v1::EchoRequest request;
  EXPECT_TRUE(ApplyJsonBody(" \r\n", "*", request).ok());
  EXPECT_TRUE(ApplyJsonBody("not json", "", request).ok());
  EXPECT_EQ(Text(request), "");
}

TEST(BodyMappingTest, BodyFieldGetsTheBody) {
  cases::v1::CreateCaseRequest request;
  ASSERT_TRUE(ApplyJsonBody(R"({"villageCode":"16.06.01.2001","kind":"FAMILY",
                                "category":"FAKIR_MISKIN","createTime":"2026-01-02T03:04:05Z"})",
                            "case", request)
                  .ok());
  EXPECT_EQ(request.case_().village_code(), "16.06.01.2001");
  EXPECT_EQ(request.case_().kind(), cases::v1::FAMILY);
  EXPECT_EQ(request.case_().category(), common::v1::FAKIR_MISKIN);
  EXPECT_EQ(request.case_().create_time().seconds(), 1767323045);
}

TEST(BodyMappingTest, RepeatedBodyField) {
  auto thing = NewThing();
  ASSERT_TRUE(ApplyJsonBody(R"(["a","b"])", "tags", *thing).ok());
  EXPECT_EQ(Text(*thing), "tags: \"a\" tags: \"b\"");
}

TEST(BodyMappingTest, MalformedJsonSaysWhere) {
  testing::v1::EchoRequest request;
  absl::Status s = ApplyJsonBody("{\"message\": ", "*", request);
  ExpectInvalid(s, "malformed JSON");
  ExpectInvalid(s, "line 1, column 13");
  ExpectInvalid(ApplyJsonBody(R"({"message":"a",})", "*", request), "malformed JSON");
  ExpectInvalid(ApplyJsonBody(R"({"message":"a"} x)", "*", request), "malformed JSON");
}

TEST(BodyMappingTest, NumberOutOfRangeIsInvalidArgumentNamingTheField) {
  // 1e400 fits no double: nlohmann's parser throws out_of_range for it (a 500 before).
  cases::v1::CreateCaseRequest create;
  absl::Status s = ApplyJsonBody(R"({"summary":"x","noteCount":1e400})", "case", create);
  ExpectInvalid(s, "noteCount: number out of range");
  auto thing = NewThing();
  ExpectInvalid(ApplyJsonBody(R"({"inner":{"count":-1e999}})", "*", *thing),
                "inner.count: number out of range");
  ExpectInvalid(ApplyJsonBody(R"([1, 2e308, 1e400])", "tags", *thing), "[]: number out of range");
  // Within a double but not the field's type: still the field's name.
  testing::v1::EchoRequest echo;
  ExpectInvalid(ApplyJsonBody(R"({"message":1e300})", "*", echo), "message");
}

TEST(BodyMappingTest, UnknownFieldIsNamed) {
  testing::v1::EchoRequest request;
  ExpectInvalid(ApplyJsonBody(R"({"message":"a","colour":1})", "*", request),
                "unknown field \"colour\"");
  cases::v1::CreateCaseRequest create;
  ExpectInvalid(ApplyJsonBody(R"({"summary":"x","bogus":true})", "case", create), "bogus");
}

TEST(BodyMappingTest, WrongTypeIsNamed) {
  testing::v1::EchoRequest request;
  ExpectInvalid(ApplyJsonBody(R"({"message":12})", "*", request), "message");
  cases::v1::CreateCaseRequest create;
  ExpectInvalid(ApplyJsonBody(R"({"kind":"SPACESHIP"})", "case", create), "kind");
  ExpectInvalid(ApplyJsonBody(R"([1,2])", "case", create), "invalid JSON body");
}

TEST(BuildRequestTest, BodyThenQueryThenPath) {
  auto table = RouteTable::Build({"wahana.gwtest.v1.ThingService"}, &testing::ThingPool());
  ASSERT_TRUE(table.ok());
  RouteTable::Match m = table->Find("PATCH", "/v1/things/t%201");
  ASSERT_NE(m.route, nullptr);
  auto thing = NewThing();
  ASSERT_TRUE(BuildRequestMessage(*m.route, m.bindings, "tags=x&color=RED",
                                  R"({"regionCode":"16.06","count":"12"})", *thing)
                  .ok());
  EXPECT_EQ(Text(*thing),
            "id: \"t 1\" tags: \"x\" color: RED inner { region_code: \"16.06\" count: 12 }");
}

TEST(BuildRequestTest, PathWinsOverAWholeBody) {
  auto table = RouteTable::Build({"wahana.gwtest.v1.ThingService"}, &testing::ThingPool());
  ASSERT_TRUE(table.ok());
  RouteTable::Match m = table->Find("POST", "/v1/things/real:assign");
  ASSERT_NE(m.route, nullptr);
  auto thing = NewThing();
  ASSERT_TRUE(
      BuildRequestMessage(*m.route, m.bindings, "", R"({"id":"fake","pageSize":3})", *thing).ok());
  EXPECT_EQ(Text(*thing), "id: \"real\" page_size: 3");
}

}  // namespace
}  // namespace wahana
