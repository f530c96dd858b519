// The console's calls, on the page's own origin: the Personalize API as the SDKs call it (control plane:
// awsJson 1.1 POSTs to / with X-Amz-Target; runtime and events: restJson POSTs to their paths), and the
// server's own routes (/_personalize/explain, /clock, /health and the console's read-only data routes).

export class ApiError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message);
  }
}

/** The region the console's API calls are served in; undefined: the server's default. */
let region: string | undefined;

/** Serve the console's calls in `r`, as a client configured for that region is (see signed()). */
export function useRegion(r: string | undefined): void {
  region = r;
}

/**
 * The region as an SDK client sends it: in the SigV4 credential scope of an Authorization header. The server
 * reads the scope and checks no signature (any credentials work), so the console needs no keys.
 */
function signed(headers: Record<string, string>): Record<string, string> {
  if (!region) return headers;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return { ...headers, Authorization: `AWS4-HMAC-SHA256 Credential=console/${day}/${region}/personalize/aws4_request, SignedHeaders=host, Signature=0` };
}

async function call<T>(path: string, init: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const text = await res.text();
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(res.status, 'InvalidResponse', `${path} answered ${res.status} with a body that is not JSON.`);
  }
  if (!res.ok) {
    const b = body as { __type?: string; message?: string; Message?: string };
    const type = (res.headers.get('x-amzn-ErrorType') ?? b.__type ?? 'Error').replace(/^.*#/, '').replace(/:.*$/, '');
    throw new ApiError(res.status, type, b.message ?? b.Message ?? `${path} answered ${res.status}.`);
  }
  return body as T;
}

const post = <T>(path: string, body: unknown, headers: Record<string, string> = {}) =>
  call<T>(path, { method: 'POST', headers: signed({ 'Content-Type': 'application/json', ...headers }), body: JSON.stringify(body) });

/** A control-plane operation (e.g. 'DescribeCampaign'). */
export function control<T = Record<string, any>>(operation: string, input: Record<string, unknown> = {}): Promise<T> {
  return post<T>('/', input, { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AmazonPersonalize.${operation}` });
}

/** Every page of a List operation (at most `pages` pages of 100). */
export async function listAll<T>(operation: string, input: Record<string, unknown>, key: string, pages = 20): Promise<T[]> {
  const out: T[] = [];
  let nextToken: string | undefined;
  for (let p = 0; p < pages; p++) {
    const page = await control<Record<string, unknown>>(operation, { ...input, maxResults: 100, ...(nextToken ? { nextToken } : {}) });
    out.push(...((page[key] as T[] | undefined) ?? []));
    nextToken = page.nextToken as string | undefined;
    if (!nextToken) break;
  }
  return out;
}

export interface PredictedItem { itemId: string; score?: number; promotionName?: string; reason?: string[]; metadata?: Record<string, string> }
export interface RecommendationsOut { itemList: PredictedItem[]; recommendationId: string }
export interface RankingOut { personalizedRanking: PredictedItem[]; recommendationId: string }
export interface ActionsOut { actionList: { actionId: string; score?: number }[]; recommendationId: string }

export const runtime = {
  getRecommendations: (input: Record<string, unknown>) => post<RecommendationsOut>('/recommendations', input),
  getPersonalizedRanking: (input: Record<string, unknown>) => post<RankingOut>('/personalize-ranking', input),
  getActionRecommendations: (input: Record<string, unknown>) => post<ActionsOut>('/action-recommendations', input),
  putEvents: (input: Record<string, unknown>) => post<Record<string, never>>('/events', input),
  putActionInteractions: (input: Record<string, unknown>) => post<Record<string, never>>('/action-interactions', input),
};

export interface ItemExplanation {
  itemId: string;
  position: number;
  slot: 'relevance' | 'exploration' | 'promotion';
  modelScore: number;
  softmaxScore?: number;
  influence?: { relevance: number; popularity: number; freshness: number; rankingScore: number };
  filter: string;
}
export interface Explanation extends RecommendationsOut {
  trace: {
    recipe: string; personalized: boolean; candidates: number; candidatesAfterFilter: number;
    exploration?: { weight: number; ageCutOffDays: number; slots: number };
    rankingInfluence?: Record<string, number>;
    items: ItemExplanation[];
  };
}

export interface Health {
  status: string; version: string; now: number; transitions?: string; dataDir?: string; clockCanAdvance?: boolean;
  /** The server's default region, and every region holding resources. */
  region?: string; regions?: string[];
}

export interface FieldSpec { name: string; type: string; nullable: boolean; categorical: boolean; textual: boolean }
export interface DatasetOverview {
  datasetArn: string; datasetType: string; fields: FieldSpec[];
  rows: { imported: number; streamed: number; total: number };
  users?: number; items?: number; eventTypes?: { eventType: string; rows: number }[];
  sample: { from: number; rows: (string | null)[][] };
}
export interface UserCount { userId: string; interactions: number }
export interface Interaction { itemId: string; eventType: string | null; timestamp: number; eventValue: number | null; streamed: boolean }
export type Metadata = Record<string, string | null>;
export interface BatchOutput { jobArn: string; outputPath: string; files: { name: string; bytes: number; lines: string[]; more: boolean }[]; note?: string }

const q = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();
const get = <T>(path: string) => call<T>(path, { method: 'GET' });
const C = '/_personalize/console';

export const local = {
  health: () => get<Health>('/_personalize/health'),
  advanceClock: (seconds: number) => post<{ now: number }>('/_personalize/clock', { advanceSeconds: seconds }),
  explain: (input: Record<string, unknown>) => post<Explanation>('/_personalize/explain', input),
  dataset: (datasetArn: string, limit = 20) => get<DatasetOverview>(`${C}/dataset?${q({ datasetArn, limit })}`),
  users: (datasetGroupArn: string, order: 'most' | 'least', limit = 10, prefix?: string) =>
    get<{ users: UserCount[]; total: number }>(`${C}/users?${q({ datasetGroupArn, order, limit, prefix })}`),
  userInteractions: (datasetGroupArn: string, userId: string, limit = 20) =>
    get<{ userId: string; total: number; interactions: Interaction[] }>(`${C}/user-interactions?${q({ datasetGroupArn, userId, limit })}`),
  popularItems: (datasetGroupArn: string, limit = 20) => get<{ items: { itemId: string; interactions: number }[] }>(`${C}/popular-items?${q({ datasetGroupArn, limit })}`),
  itemMetadata: (datasetGroupArn: string, itemIds: string[]) =>
    post<{ columns: string[]; items: Record<string, Metadata | null> }>(`${C}/item-metadata`, { datasetGroupArn, itemIds: [...new Set(itemIds)].slice(0, 500) }),
  batchOutput: (jobArn: string, limit = 10) => get<BatchOutput>(`${C}/batch-output?${q({ jobArn, limit })}`),
};
