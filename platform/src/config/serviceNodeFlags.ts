/**
 * V8 flags every service process runs with (`npm start`'s launcher, the benchmarks' servers; the
 * operator guide says to pass them in production too).
 *
 * `--wasm-tiering-budget`: Prisma's query compiler is WebAssembly. On a process's first query it
 * parses the whole data model once, and V8's dynamic tiering then recompiles the functions that
 * burst used with its optimising compiler, code and compiler memory that stay resident (≈ 45 MB
 * measured) although that work never recurs. A larger budget leaves a function in baseline code
 * until it has run far more; a query's compilation took no longer in a 2 000-query probe
 * (bench/RESULTS.md, csvExport).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--wasm-tiering-budget=100000000'];
