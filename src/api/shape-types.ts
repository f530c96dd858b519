// The shape language of the SDK's operation inputs and outputs (as listed in sdk-shapes.txt; numbers are
// integer (botocore's integer and long) or double (double and float), as botocore's models name them).

export type Shape =
  | { type: 'structure'; members: Record<string, Shape>; required?: boolean }
  | { type: 'list'; member: Shape; required?: boolean }
  | { type: 'map'; value: Shape; required?: boolean }
  | { type: 'string' | 'jsonString' | 'integer' | 'double' | 'boolean' | 'timestamp'; required?: boolean };

export type Service = 'control' | 'runtime' | 'events';

export interface OperationShape {
  service: Service;
  name: string;
  /** HTTP path: `/` for the control plane (awsJson1_1), the REST path for runtime and events. */
  path: string;
  input: Shape & { type: 'structure' };
  /** null = the SDK's `unit` output (an empty body). */
  output: (Shape & { type: 'structure' }) | null;
}
