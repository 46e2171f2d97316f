#include "common/fields/field_checks.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

const absl::CivilDay kLatest(2026, 3, 2);

TEST(FieldChecksTest, DatesMustBeRealAndNotInTheFuture) {
  auto parsed = ParseDate("2024-02-29", "foundedDate", kLatest);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, absl::CivilDay(2024, 2, 29));
  EXPECT_TRUE(ParseDate("2026-03-02", "d", kLatest).ok());
  for (const char* bad :
       {"2025-02-29", "2026-03-03", "1899-12-31", "2026-3-1", "2026/03/01", "20260301",
        "2026-00-10", "2026-01-32", "2026-01-01T00:00:00Z", "２０２６-01-01", ""}) {
    auto status = ParseDate(bad, "foundedDate", kLatest).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(status.message().rfind("foundedDate:", 0), 0u) << status;
  }
  EXPECT_TRUE(CheckOptionalDate("", "d", kLatest).ok());
  EXPECT_EQ(CheckRequiredDate("", "date", kLatest).message(), "date: required (YYYY-MM-DD)");
}

TEST(FieldChecksTest, DatesAheadPassUnderNoLatestDate) {
  EXPECT_TRUE(ParseDate("2099-12-31", "dueDate", kNoLatestDate).ok());
  EXPECT_EQ(CheckRequiredDate("", "followUpDate", kNoLatestDate).message(),
            "followUpDate: required (YYYY-MM-DD)");
}

TEST(FieldChecksTest, NamesAreMeasuredInBytesAndKeptOneLine) {
  EXPECT_TRUE(CheckName("Lumbung Desa “Sri Rejeki”", "name", 200).ok());
  EXPECT_EQ(CheckName(" \t", "name", 200).message(), "name: required");
  EXPECT_EQ(CheckName("ééé", "name", 5).code(), absl::StatusCode::kInvalidArgument);  // 6 bytes
  EXPECT_TRUE(CheckName("ééé", "name", 6).ok());
  EXPECT_FALSE(CheckName("a\tb", "name", 200).ok());
  EXPECT_TRUE(CheckLine("", "role", 10).ok());
  EXPECT_TRUE(CheckText("baris satu\nbaris dua", "notes", 100).ok());
  EXPECT_FALSE(CheckText(std::string("nul\0byte", 8), "notes", 100).ok());
  EXPECT_TRUE(CheckRequiredText("baris satu\nbaris dua", "summary", 100).ok());
  EXPECT_EQ(CheckRequiredText(" \n", "summary", 100).message(), "summary: required");
  EXPECT_EQ(CheckRequiredText("abcdef", "summary", 5).message(),
            "summary: at most 5 bytes (got 6)");
}

TEST(FieldChecksTest, Contacts) {
  wahana::registry::v1::Contact contact;
  contact.set_phone("+62 (711) 123-456");
  contact.set_whatsapp("0812 3456 7890");
  contact.set_email("pkk.sukarami@example.id");
  EXPECT_TRUE(CheckContact(contact, "contact").ok());
  contact.set_email("a@b@c");
  EXPECT_EQ(CheckContact(contact, "contact").message().rfind("contact.email:", 0), 0u);
  contact.set_email("");
  contact.set_whatsapp("wa.me/62812");
  EXPECT_EQ(CheckContact(contact, "leaders[0].contact")
                .message()
                .rfind("leaders[0].contact.whatsapp:", 0),
            0u);
}

}  // namespace
}  // namespace wahana
