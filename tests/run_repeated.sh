#!/bin/sh
# Runs `sagasim run` N times with seeds 1..N and fails on the first failing run.
# Usage: run_repeated.sh SAGASIM N ARGS...
bin=$1; n=$2; shift 2
i=1
while [ "$i" -le "$n" ]; do
  "$bin" run -q --seed "$i" "$@" >/tmp/sagasim-repeat.$$ 2>&1 || { cat /tmp/sagasim-repeat.$$; rm -f /tmp/sagasim-repeat.$$; echo "run $i of $n failed"; exit 1; }
  i=$((i + 1))
done
rm -f /tmp/sagasim-repeat.$$
echo "$n runs passed"
