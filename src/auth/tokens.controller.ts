import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { DatabaseService } from '../database/database.service';
import { ROLES, type Actor } from './actor';
import { CityWide, CurrentActor, Roles } from './decorators';
import { TokenService } from './token.service';
import { intId } from '../common/schemas';
import { scopeCode, visibleText } from '../accounts/accounts.schemas';
import { createdToken, revokedToken, tokenList } from './tokens.responses';

const createToken = z
  .object({
    name: visibleText(100),
    role: z.enum(ROLES),
    /** Days until the token stops working (none: until revoked). */
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    /** Scope: towns or projects; neither = the whole city. */
    towns: z.array(scopeCode).max(200).optional(),
    projects: z.array(scopeCode).max(1000).optional(),
  })
  .strict();

@ApiTags('auth')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/tokens')
@CityWide()
@Roles('admin')
export class TokensController {
  constructor(
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly db: DatabaseService,
  ) {}

  @ApiOp('listTokens')
  @ApiZodResponse(200, tokenList)
  @Get()
  list() {
    return this.tokens.list();
  }

  /** The token is shown once, in this response only. */
  @ApiOp('createToken', 'Creates an API token (its secret is shown once)')
  @ApiZodResponse(201, createdToken)
  @ApiErrorResponses('VALIDATION')
  @Post()
  @ApiZodBody(createToken)
  async create(@Body(new ZodPipe(createToken)) body: z.infer<typeof createToken>, @CurrentActor() actor: Actor) {
    const expiresAt = body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null;
    const scope = { towns: body.towns ?? [], projects: body.projects ?? [] };
    const created = await this.db.prisma.$transaction(async (tx) => {
      const token = await this.tokens.create(body.name, body.role, actor.name, expiresAt, tx, scope);
      await this.audit.recordIn(tx, actor, 'token.create', 'api_token', String(token.id), { name: body.name, role: body.role, expiresAt, ...scope });
      return token;
    });
    return { id: created.id, name: body.name, role: body.role, scopeTowns: scope.towns, scopeProjects: scope.projects, expiresAt: created.expiresAt, token: created.token };
  }

  @ApiOp('revokeToken')
  @ApiZodResponse(200, revokedToken)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Delete(':id')
  async revoke(@Param('id', param('id', intId)) id: number, @CurrentActor() actor: Actor) {
    await this.db.prisma.$transaction(async (tx) => {
      await this.tokens.revoke(id, tx);
      await this.audit.recordIn(tx, actor, 'token.revoke', 'api_token', String(id));
    });
    return { id, revoked: true };
  }
}
