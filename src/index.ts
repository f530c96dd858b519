// The package root: the in-process client, the server, the engine options, the typed errors and the evaluation workbench.
export { VERSION } from './version.js';
export { LocalPersonalize } from './api/client.js';
export { createLocalApi, type LocalApi } from './api/local.js';
export { startServer } from './api/http/server.js';
export { AdvanceableSystemClock, ManualClock, systemClock, type Clock } from './engine/clock.js';
export type { EngineOptions, TransitionsMode } from './engine/config.js';
export * from './engine/errors.js';
export { evaluate, type EvaluateOptions, type EvaluationProgress } from './workbench/evaluate.js';
export type { EvaluationResult, ConfigurationResult, Estimate, Comparison } from './workbench/results.js';
export type { SolutionEntry } from './workbench/configs.js';
