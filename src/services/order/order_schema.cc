#include "services/order/order_service.h"

namespace services {

const char* OrderService::SchemaSql() {
  return R"sql(
CREATE TABLE IF NOT EXISTS product_price(
  id INTEGER PRIMARY KEY,
  price_cents INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS orders(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_no TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL,
  total_cents INTEGER NOT NULL,
  remark TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  payment_id INTEGER,
  transaction_no TEXT,
  stock_confirmed INTEGER NOT NULL DEFAULT 0,
  payment_confirmed INTEGER NOT NULL DEFAULT 0,
  -- Fixed for the order's life (a compensating re-send is recognisably the same
  -- event) and known from the id alone: generated, so placing is one INSERT.
  event_id TEXT GENERATED ALWAYS AS ('oc-' || id) VIRTUAL,
  resend_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders(status, created_at);
CREATE TABLE IF NOT EXISTS order_item(
  order_id INTEGER NOT NULL,
  product_id INTEGER NOT NULL,
  quantity INTEGER NOT NULL,
  PRIMARY KEY(order_id, product_id)
) WITHOUT ROWID;
)sql";
}

}  // namespace services
