#include "sim/prng.h"

#include "base/check.h"

namespace sim {
namespace {

uint64_t SplitMix64(uint64_t* x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Prng::Prng(uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
  for (uint64_t& s : s_) s = SplitMix64(&x);
}

uint64_t Prng::Next() {
  uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Prng::Below(uint64_t n) {
  SAGASIM_CHECK(n > 0);
  // Rejection sampling keeps the draw unbiased.
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = Next(); while (x >= limit);
  return x % n;
}

int64_t Prng::Between(int64_t lo, int64_t hi) {
  SAGASIM_CHECK(lo <= hi);
  // Subtract in unsigned arithmetic: hi - lo overflows int64 for wide ranges.
  uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  uint64_t offset = span == UINT64_MAX ? Next() : Below(span + 1);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
}

double Prng::Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

bool Prng::Chance(double p) {
  if (p >= 1.0) return true;
  if (p <= 0.0) return false;
  return Unit() < p;
}

}  // namespace sim
