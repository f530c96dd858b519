// CreateSchema / DeleteSchema: Avro documents checked once at creation, immutable afterwards.
import type { Engine } from '../core/engine.js';
import { parseSchema } from '../data/schema.js';
import { InvalidInputException, ResourceInUseException } from '../errors.js';

export const DOMAINS = ['ECOMMERCE', 'VIDEO_ON_DEMAND'];

export function checkDomain(domain: unknown): string | undefined {
  if (domain === undefined) return undefined;
  if (typeof domain !== 'string' || !DOMAINS.includes(domain)) {
    throw new InvalidInputException(`domain ${JSON.stringify(domain)} is not valid; use ECOMMERCE or VIDEO_ON_DEMAND, or leave it out for a custom schema.`);
  }
  return domain;
}

export function createSchema(e: Engine, input: { name: string; schema: string; domain?: string }): string {
  const name = e.checkName('name', input.name);
  const domain = checkDomain(input.domain);
  if (input.schema.length > 20000) throw new InvalidInputException(`schema is ${input.schema.length} characters long; at most 20000 are allowed.`);
  parseSchema(input.schema);
  const arn = e.arns.make('schema', name);
  e.create('schema', arn, name, { schema: input.schema, ...(domain ? { domain } : {}) });
  return arn;
}

export function deleteSchema(e: Engine, schemaArn: string): void {
  e.store.get('schema', schemaArn);
  const users = e.store.list('dataset').filter((d) => d.props.schemaArn === schemaArn);
  if (users.length) {
    throw new ResourceInUseException(`The schema ${schemaArn} is used by ${users.map((d) => d.arn).join(', ')}; delete those datasets first.`);
  }
  e.store.remove(schemaArn);
}
