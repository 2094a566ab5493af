// HTTP plumbing of the fake API server: JSON answers, Status failures, request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from '../types';

/** A failure the API server answers with a Status (code, reason, message, details). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Json,
  ) {
    super(message);
  }
}

export function send(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function statusBody(code: number, reason: string, message: string, details?: Json): Json {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  };
}

export function sendStatus(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  details?: Json,
): void {
  send(res, code, statusBody(code, reason, message, details));
}

export const successStatus = (details: Json): Json => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  details,
});

export const notFoundPath = (): ApiError =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource');

export const notFound = (plural: string, name: string, group = ''): ApiError =>
  new ApiError(404, 'NotFound', `${plural}${group ? `.${group}` : ''} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: plural,
  });

export const methodNotAllowed = (): ApiError =>
  new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 4_000_000) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large'));
        req.destroy();
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** A JSON body that must be an object (400 otherwise). */
export function parseJson(text: string, what: string): Json {
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch (error) {
    throw new ApiError(
      400,
      'BadRequest',
      `${what}: json: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ApiError(400, 'BadRequest', `${what}: the body must be a JSON object`);
  return value as Json;
}
