import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: string[] };

function jsonSchema(schema: z.ZodType): JsonSchema {
  const js = { ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } as JsonSchema;
  delete js.$schema;
  return js;
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
