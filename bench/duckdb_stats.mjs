// The DuckDB peer of the benchmark: per-endpoint count and interpolated
// p50/p95/p99 of a Locust hook log, as a user would write it.
//   node duckdb_stats.mjs requests.csv
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2].replaceAll("'", "''");
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const result = await con.runAndReadAll(
  `select name, count(*) as requests,
          quantile_cont(response_time, 0.50) as p50,
          quantile_cont(response_time, 0.95) as p95,
          quantile_cont(response_time, 0.99) as p99
     from read_csv('${file}', header = true)
    group by name order by name`);
for (const row of result.getRows())
  console.log(row.map((v) => (typeof v === 'bigint' ? Number(v) : v)).join(','));
