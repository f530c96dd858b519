// The package version, reported by the CLI and the health routes.
export const VERSION = '0.1.0';
