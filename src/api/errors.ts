import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_CODES, FleetyardError, type ErrorCode } from '../domain/errors.ts';
import { isStoreUnavailable } from '../store/sql-errors.ts';

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/** Fastify's own error codes, mapped onto ours so clients see one vocabulary. */
const FRAMEWORK: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'FY_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'FY_VALIDATION',
  FST_ERR_CTP_BODY_TOO_LARGE: 'FY_BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'FY_BAD_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'FY_BAD_JSON',
  FST_ERR_BAD_URL: 'FY_VALIDATION',
  // Every path parameter of the API is an ID, so a parameter longer than the router allows is one.
  FST_ERR_MAX_PARAM_LENGTH: 'FY_BAD_ID',
  FST_ERR_ASYNC_CONSTRAINT: 'FY_VALIDATION',
  FST_ERR_VALIDATION: 'FY_VALIDATION',
};

export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof FleetyardError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details) body.error.details = { ...err.details };
    return { status: err.status, body };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({ path: v.instancePath, message: v.message }));
    const where = err.validationContext ?? 'request';
    return {
      status: 400,
      body: { error: { code: 'FY_VALIDATION', message: `invalid ${where}`, details: { issues: issues.slice(0, 20) } } },
    };
  }
  const fe = err as Partial<FastifyError> & { type?: string };
  const mapped = fe.code ? FRAMEWORK[fe.code] : undefined;
  if (mapped) return { status: ERROR_CODES[mapped].status, body: { error: { code: mapped, message: ERROR_CODES[mapped].message } } };
  if (err instanceof SyntaxError || fe.type === 'entity.parse.failed') {
    return { status: 400, body: { error: { code: 'FY_BAD_JSON', message: ERROR_CODES.FY_BAD_JSON.message } } };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode === 413 ? 413 : 400, body: { error: { code: fe.statusCode === 413 ? 'FY_BODY_TOO_LARGE' : 'FY_VALIDATION', message: 'invalid request' } } };
  }
  if (isStoreUnavailable(err)) {
    return { status: 503, body: { error: { code: 'FY_STORE_UNAVAILABLE', message: ERROR_CODES.FY_STORE_UNAVAILABLE.message } } };
  }
  return { status: 500, body: { error: { code: 'FY_INTERNAL', message: ERROR_CODES.FY_INTERNAL.message } } };
}

export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorBody(err);
  if (status >= 500) req.log.error({ err }, 'request failed');
  void reply.status(status).type('application/json').send(body);
}

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (an unknown method, a bad
 * header, invalid bytes in the request line, headers over Node's limit, a timeout). Fastify's
 * default writes a body of its own shape; this one keeps the `{ error: { code } }` contract. The
 * registry has no 408 or 431 code, so every such request is FY_VALIDATION; the message says why.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const why =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? 'the request headers are too large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'the request took too long to arrive'
        : 'the request is not valid HTTP';
  const body = JSON.stringify({ error: { code: 'FY_VALIDATION', message: why } } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${ERROR_CODES.FY_VALIDATION.status} Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

export const errorResponseSchemaNote = 'Errors answer with { error: { code, message, details? } }; codes are listed in docs/errors.md.';
