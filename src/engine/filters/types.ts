// Public types of the filter module: what CreateFilter checks against, what a request supplies,
// and what the serving pipeline lends to a compiled filter. Re-exported by index.ts.

export type FilterFieldType = 'string' | 'int' | 'long' | 'float' | 'double' | 'boolean';
export interface FilterSchemaField { name: string; type: FilterFieldType; categorical: boolean; textual: boolean }

/** The dataset group's schemas as far as filters care. An absent dataset means "not known": its fields are not checked. */
export interface FilterSchemaInfo {
  items?: FilterSchemaField[];
  users?: FilterSchemaField[];
  actions?: FilterSchemaField[];
  interactions?: { hasEventType: boolean };
  actionInteractions?: { hasEventType: boolean };
}

export interface FilterRequest {
  userId?: string;
  /** Candidate index of the request's itemId (related-items recipes); undefined or -1 when unknown. */
  currentItem?: number;
  filterValues?: Record<string, string>;
}

export type FilterColumn =
  | { kind: 'categorical'; dictionary: string[]; ptr: Int32Array; codes: Int32Array }
  | { kind: 'numeric'; values: Float64Array /* NaN = missing */ };

/**
 * Interactions as event-type codes: `eventTypeCodes[k]` indexes `eventTypeNames` (-1 = no event type).
 * Codes rather than one string per interaction so the per-request walk allocates nothing; this is the
 * shape TrainingData already has (eventType + eventTypes).
 */
export interface EventTypeDictionary { eventTypeCodes: Int32Array; eventTypeNames: string[] }

export interface FilterContext {
  candidateCount: number;
  /** Metadata column of the candidates (items for ItemID filters, users for UserID, actions for ActionID), aligned with candidate indices. */
  column(name: string): FilterColumn | undefined;
  /** The requesting user's metadata (for IF CurrentUser.X): strings for categorical (already split on |), a number for numeric, null if unknown. */
  currentUser(name: string): string[] | number | null;
  /**
   * The requesting user's interactions, newest last: `candidates[k]` is the candidate index of the
   * interacted item (or action, for ActionID filters; -1 if not a candidate). ItemID/ActionID filters only.
   */
  userInteractions(): { candidates: Int32Array } & EventTypeDictionary;
  /**
   * UserID filters on Interactions (segments): every candidate user's interactions with any item, as CSR
   * (`ptr[u]..ptr[u+1]`, newest last), like TrainingData.userPtr + eventType.
   */
  candidateInteractions?(): { ptr: Int32Array } & EventTypeDictionary;
}

export interface CompiledFilter {
  /** The expression as given to CreateFilter. */
  expression: string;
  target: 'ItemID' | 'UserID' | 'ActionID';
  /** $NAMES used (without $), in order of first use. */
  placeholders: string[];
  /** Distinct dataset fields used, e.g. 'Items.GENRES', 'Interactions.EVENT_TYPE' (CurrentItem.X counts as Items.X, CurrentUser.X as Users.X). */
  fields: string[];
  usesCurrentItem: boolean;
  usesCurrentUser: boolean;
  /**
   * Narrow `mask` (1 = candidate) in place for one request. Only positions with mask 1 are evaluated.
   * Throws InvalidInputException for a missing INCLUDE placeholder value or malformed filterValues.
   */
  apply(ctx: FilterContext, req: FilterRequest, mask: Uint8Array): void;
}

export interface FilterOptions {
  /** Most recent interactions per user per event type a filter sees (a Personalize quota, adjustable). Default 100. */
  interactionsWindow?: number;
  /** The same for action interactions. Default 300. */
  actionInteractionsWindow?: number;
}
