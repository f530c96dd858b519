// The CSV reader and writer of datasets: the only entry the rest of the engine uses (the files beside it are its
// parts: tokenizer, column builders, the two-thread split, the worker).
export { readCsvFiles, type CsvReadOptions, type CsvReadResult, type CsvSource } from './import.js';
export { formatIssue } from './plan.js';
export { readHeaderRecord } from './parse.js';
export { batchToCsv } from './write.js';
