import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_CODES, FleetyardError, type ErrorCode } from '../domain/errors.ts';

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
  return { status: 500, body: { error: { code: 'FY_INTERNAL', message: ERROR_CODES.FY_INTERNAL.message } } };
}

export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorBody(err);
  if (status >= 500) req.log.error({ err }, 'request failed');
  void reply.status(status).type('application/json').send(body);
}

export const errorResponseSchemaNote = 'Errors answer with { error: { code, message, details? } }; codes are listed in docs/errors.md.';
