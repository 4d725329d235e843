import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../accounts/sessions.service';
import { errorSchemas } from '../common/openapi';

/** The OpenAPI 3.1 document of the application (served at /api/docs-json, committed for the console). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('公租房租后资格复核服务')
    .setDescription(
      'Public-rental-housing eligibility reconciliation service. Every route but /health, /api/docs and POST /api/auth/login needs a bearer token or the session cookie of a signed-in user (with X-XSRF-TOKEN on POST, PUT, PATCH and DELETE).',
    )
    .setVersion('1')
    .addServer('/', 'this service')
    .addBearerAuth()
    .addCookieAuth(SESSION_COOKIE)
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('cookie')
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  doc.components = { ...doc.components, schemas: Object.assign({}, doc.components?.schemas, errorSchemas()) };
  return doc;
}

/** Serves the document at /api/docs-json and the Swagger UI at /api/docs. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => openApiDocument(app));
}
