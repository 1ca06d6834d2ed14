#include "services/stock/stock_service.h"

namespace services {

const char* StockService::SchemaSql() {
  // The trigger keeps the low-water marks even when a code path forgets them. It
  // rewrites the row only when a count reaches a new low (WHEN): a settle or a
  // restock, which only raise counts, costs no second write.
  return R"sql(
CREATE TABLE IF NOT EXISTS product(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  available INTEGER NOT NULL,
  frozen INTEGER NOT NULL DEFAULT 0,
  sold INTEGER NOT NULL DEFAULT 0,
  initial INTEGER NOT NULL,
  restocked INTEGER NOT NULL DEFAULT 0,
  min_available INTEGER NOT NULL,
  min_frozen INTEGER NOT NULL DEFAULT 0,
  min_sold INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER IF NOT EXISTS product_low_water AFTER UPDATE OF available, frozen, sold ON product
WHEN NEW.available < NEW.min_available OR NEW.frozen < NEW.min_frozen OR NEW.sold < NEW.min_sold
BEGIN
  UPDATE product SET min_available = MIN(min_available, NEW.available),
                     min_frozen = MIN(min_frozen, NEW.frozen),
                     min_sold = MIN(min_sold, NEW.sold)
  WHERE id = NEW.id;
END;
CREATE TABLE IF NOT EXISTS reservation(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id INTEGER NOT NULL,
  order_no TEXT NOT NULL,
  product_id INTEGER NOT NULL,
  quantity INTEGER NOT NULL,
  status TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reservation_by_order ON reservation(order_id, status);
CREATE TABLE IF NOT EXISTS order_mark(
  order_id INTEGER PRIMARY KEY,
  order_no TEXT NOT NULL,
  paid INTEGER NOT NULL DEFAULT 0,
  cancelled INTEGER NOT NULL DEFAULT 0
);
)sql";
}

}  // namespace services
