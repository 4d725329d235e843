import { applyDecorators, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ERROR_STATUS, ErrorCode } from './errors';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: string[] };

/** JSON Schema 2020-12 of a zod schema: what a client sends (`input`) or what the service answers (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const js = { ...z.toJSONSchema(schema, { io, unrepresentable: 'any' }) } as JsonSchema;
  delete js.$schema;
  return dedupeAnyOf(js) as JsonSchema;
}

/** A union of equal members (two actions with the same body) is listed once. */
function dedupeAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dedupeAnyOf);
  if (!node || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, dedupeAnyOf(v)]));
  if (Array.isArray(out.anyOf)) out.anyOf = [...new Map((out.anyOf as unknown[]).map((m) => [JSON.stringify(m), m])).values()];
  return out;
}

/** Documents a request body from the zod schema that validates it (one source of truth). */
export const ApiZodBody = (schema: z.ZodType, description?: string) =>
  ApiBody({ schema: jsonSchema(schema) as never, description });

/** Documents every query parameter of a zod object schema. */
export function ApiZodQuery(schema: z.ZodType) {
  const js = jsonSchema(schema);
  return applyDecorators(
    ...Object.entries(js.properties ?? {}).map(([name, prop]) =>
      ApiQuery({ name, required: (js.required ?? []).includes(name) && prop.default === undefined, schema: prop as never }),
    ),
  );
}

/** A response declared with a zod schema, kept so that a test can parse what the route really answers. */
interface Declared {
  controller: object;
  handler: object;
  status: number;
  schema: z.ZodType;
}
const declared: Declared[] = [];

const OK: Record<number, string> = { 200: '成功', 201: '已创建', 202: '已受理' };

const BINARY = { type: 'string', format: 'binary' };

/**
 * Documents a JSON response body from the zod schema that describes it (the schema is its TypeScript
 * type too). `files`: media types the same status can answer instead, as a download (`?format=csv`).
 */
export function ApiZodResponse(status: number, schema: z.ZodType, description?: string, files: string[] = []): MethodDecorator {
  return (target, key, descriptor) => {
    declared.push({ controller: target.constructor, handler: descriptor.value as object, status, schema });
    const content = { 'application/json': { schema: jsonSchema(schema, 'output') }, ...Object.fromEntries(files.map((m) => [m, { schema: BINARY }])) };
    ApiResponse({ status, description: description ?? OK[status] ?? '成功', content })(target, key, descriptor);
  };
}

/** `listCases` → `List cases`. */
const sentence = (id: string) => id.replace(/([A-Z])/g, ' $1').toLowerCase().replace(/^./, (c) => c.toUpperCase());

/**
 * A stable operationId (the console's typed client names its calls by them) and a one-line
 * summary; `public`: no credentials needed (the document's default is a token or a session).
 */
export const ApiOp = (operationId: string, summary?: string, opts: { public?: boolean } = {}) =>
  ApiOperation({ operationId, summary: summary ?? sentence(operationId), ...(opts.public ? { security: [] } : {}) });

/** Documents a file download (a stream): its media types, each a binary string. */
export const ApiFileResponse = (mediaTypes: string[], description: string) =>
  ApiResponse({ status: 200, description, content: Object.fromEntries(mediaTypes.map((m) => [m, { schema: BINARY }])) });

/** A route's declared JSON responses, by method and route template (`GET /api/cases/:id`). */
export function declaredResponses(): { method: string; route: string; status: number; schema: z.ZodType }[] {
  const join = (...parts: (string | string[] | undefined)[]) =>
    '/' +
    parts
      .map((p) => (Array.isArray(p) ? p[0] : p) ?? '')
      .map((p) => p.replace(/^\/+|\/+$/g, ''))
      .filter(Boolean)
      .join('/');
  return declared.map((d) => ({
    method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, d.handler) as RequestMethod],
    route: join(Reflect.getMetadata(PATH_METADATA, d.controller) as string, Reflect.getMetadata(PATH_METADATA, d.handler) as string),
    status: d.status,
    schema: d.schema,
  }));
}

/** One field's problem in a 400 (zodIssues). */
export const fieldIssue = z.object({ field: z.string(), reason: z.string() });

/** Codes of the error body: the domain table (errors.ts) and INTERNAL (500, the exception filter's own). */
type ErrorBodyCode = ErrorCode | 'INTERNAL';
const statusOf = (code: ErrorBodyCode) => (code === 'INTERNAL' ? 500 : ERROR_STATUS[code]);

/** The body of every error answer (http-exception.filter.ts), for the codes of one status. */
export const errorBody = (status: number, codes: [ErrorBodyCode, ...ErrorBodyCode[]]) =>
  z.object({
    statusCode: z.literal(status),
    code: z.enum(codes),
    message: z.string(),
    /** The fields of a 400; more about a 409 (the allowed actions, the state). */
    details: z.union([z.array(fieldIssue), z.record(z.string(), z.unknown())]).optional(),
  });

const ERROR_TEXT: Record<number, string> = {
  400: '请求参数无效',
  401: '未认证（缺少或无效的令牌、会话）',
  403: '无权访问（角色、CSRF 或须先改密码）',
  404: '记录不存在',
  409: '冲突（已存在、状态不允许、数据源未配置）',
  423: '账号已锁定（连续密码错误）',
  422: '无法处理',
  429: '请求过于频繁（见 Retry-After）',
  500: '服务器内部错误',
  503: '服务暂不可用',
};

/** The zod schema of the error body a status carries (components/schemas/Error<status>). */
export function errorBodyOf(status: number) {
  const codes = [...(Object.keys(ERROR_STATUS) as ErrorCode[]), 'INTERNAL' as const].filter((c) => statusOf(c) === status);
  return codes.length ? errorBody(status, codes as [ErrorBodyCode, ...ErrorBodyCode[]]) : undefined;
}

/** The error answers by status, each with the codes that status carries: components/schemas/Error<status>. */
export function errorSchemas(): Record<string, JsonSchema> {
  const statuses = [...new Set([...(Object.keys(ERROR_STATUS) as ErrorCode[]), 'INTERNAL' as const].map(statusOf))].sort();
  return Object.fromEntries(statuses.map((status) => [`Error${status}`, jsonSchema(errorBodyOf(status)!, 'output')]));
}

/** Documents the error answers a route can give, by their codes (one response per status). */
export function ApiErrorResponses(...codes: ErrorBodyCode[]) {
  const statuses = [...new Set(codes.map(statusOf))];
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_TEXT[status], content: { 'application/json': { schema: { $ref: `#/components/schemas/Error${status}` } } } }),
    ),
  );
}

/** What any signed-in route can answer: no or bad credentials, a wrong role, too many requests, a fault. */
export const ApiAuthErrors = () => ApiErrorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'CSRF', 'PASSWORD_CHANGE_REQUIRED', 'TOO_MANY_REQUESTS', 'INTERNAL');
