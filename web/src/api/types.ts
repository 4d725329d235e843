import type { Readable } from 'openapi-typescript-helpers';
import type { paths } from './schema';

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Success<Rs> = JsonOf<Rs[200 & keyof Rs]> | JsonOf<Rs[201 & keyof Rs]>;

/**
 * The success response body of an operation as the service's OpenAPI document declares it
 * (web/src/api/openapi.json → schema.d.ts), as openapi-fetch returns it (`Readable`, which also
 * drops properties whose only type is null): a changed response shape breaks the type check.
 */
export type ApiBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer Rs } ? Readable<Success<Rs>> : never;

/** The query parameters of an operation. */
export type ApiQuery<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** One element of an array type. */
export type Item<T> = T extends readonly (infer I)[] ? I : never;
