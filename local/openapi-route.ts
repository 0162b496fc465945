/**
 * GET /openapi.json on the local API server: the API's OpenAPI 3.1 document, built from the same
 * zod schemas as docs/openapi.json, with this server as its first server entry (for client
 * generators and API explorers pointed at `npm start`).
 */
import { buildOpenApiDocument } from '../functions/contract/openapi';

export const OPENAPI_PATH = '/openapi.json';

export interface LocalDocument {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The document when `method path` asks for it (under the stage prefix or not), else undefined. */
export function openApiDocument(method: string, path: string, stageBaseUrl: string): LocalDocument | undefined {
  if (path !== OPENAPI_PATH || (method !== 'GET' && method !== 'HEAD')) return undefined;
  const document = buildOpenApiDocument();
  const servers = [{ url: stageBaseUrl, description: 'this machine (npm start)' }, ...((document.servers as unknown[]) ?? [])];
  return {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ ...document, servers }, null, 2),
  };
}
