#include "store/schema_template.h"

#include <sqlite3.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace store {
namespace {

struct Images {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<const std::vector<unsigned char>>> by_schema;  // looked up, never iterated
};

Images& TheImages() {
  static Images* images = new Images;  // never destroyed: used by threads until exit
  return *images;
}

base::Result<std::shared_ptr<const std::vector<unsigned char>>> MakeImage(const std::string& schema_sql) {
  auto scratch = Db::Open(":memory:", /*exclusive=*/true);
  if (!scratch.ok()) return scratch.status();
  base::Status s = scratch.value()->Exec(schema_sql);
  if (!s.ok()) return s;
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(scratch.value()->handle(), "main", &size, 0);
  if (!bytes) return base::Status::Io("sqlite3_serialize of the schema template failed");
  auto image = std::make_shared<std::vector<unsigned char>>(bytes, bytes + size);
  sqlite3_free(bytes);
  return std::shared_ptr<const std::vector<unsigned char>>(std::move(image));
}

base::Result<std::shared_ptr<const std::vector<unsigned char>>> ImageOf(const std::string& schema_sql) {
  Images& images = TheImages();
  std::lock_guard<std::mutex> lock(images.mu);
  auto it = images.by_schema.find(schema_sql);
  if (it != images.by_schema.end()) return it->second;
  auto made = MakeImage(schema_sql);
  if (!made.ok()) return made.status();
  images.by_schema.emplace(schema_sql, made.value());
  return made.value();
}

}  // namespace

base::Status ApplySchema(Db* db, const std::string& schema_sql) {
  if (db->path() != ":memory:") return db->Exec(schema_sql);
  auto image = ImageOf(schema_sql);
  if (!image.ok()) return image.status();
  const std::vector<unsigned char>& bytes = *image.value();
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
  if (!copy) return base::Status::Io("out of memory copying the schema template");
  std::memcpy(copy, bytes.data(), bytes.size());
  // FREEONCLOSE hands the copy to SQLite, even when the call fails.
  int rc = sqlite3_deserialize(db->handle(), "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                               static_cast<sqlite3_int64>(bytes.size()),
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  if (rc != SQLITE_OK) return Check(db->handle(), rc, "deserialize the schema template");
  // The deserialized database has a pager of its own: the connection's pragmas again.
  return db->Exec("PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY;");
}

}  // namespace store
