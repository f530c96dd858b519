// The package root: the in-process client, the server, the engine options and the typed errors.
export { VERSION } from './version.js';
export { LocalPersonalize } from './api/client.js';
export { createLocalApi, type LocalApi } from './api/local.js';
export { startServer } from './api/http/server.js';
export { AdvanceableSystemClock, ManualClock, systemClock, type Clock } from './engine/clock.js';
export type { EngineOptions, TransitionsMode } from './engine/config.js';
export * from './engine/errors.js';
