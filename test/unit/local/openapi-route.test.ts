import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../functions/contract/openapi';
import { OPENAPI_PATH, openApiDocument } from '../../../local/openapi-route';

const BASE = 'http://127.0.0.1:3000/prod';

describe('GET /openapi.json on the local API server', () => {
  it('answers the generated OpenAPI document with this server first among the servers', () => {
    const answer = openApiDocument('GET', OPENAPI_PATH, BASE);
    expect(answer?.headers['content-type']).toBe('application/json; charset=utf-8');
    const served = JSON.parse(answer!.body);
    const generated = buildOpenApiDocument();
    expect(served.servers[0]).toEqual({ url: BASE, description: 'this machine (npm start)' });
    expect(served.servers.slice(1)).toEqual(generated.servers);
    expect({ ...served, servers: generated.servers }).toEqual(generated);
  });

  it('fails to match any other path or a method other than GET and HEAD', () => {
    expect(openApiDocument('HEAD', OPENAPI_PATH, BASE)).toBeDefined();
    expect(openApiDocument('POST', OPENAPI_PATH, BASE)).toBeUndefined();
    expect(openApiDocument('GET', '/complaints', BASE)).toBeUndefined();
    expect(openApiDocument('GET', '/openapi.yaml', BASE)).toBeUndefined();
  });
});
