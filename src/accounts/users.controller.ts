import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CityWide, CurrentActor, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { intId } from '../common/schemas';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { createUserBody, listUsersQuery, resetPasswordBody, updateUserBody } from './accounts.schemas';
import { UsersService } from './users.service';
import { userPage, userView, userWithPassword } from './accounts.responses';

/** Admin management of users. A generated password is shown once, in the response that creates it. */
@ApiTags('accounts')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/users')
@CityWide()
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @ApiOp('listUsers')
  @ApiZodQuery(listUsersQuery)
  @ApiZodResponse(200, userPage)
  @ApiErrorResponses('VALIDATION')
  @Get()
  list(@Query(new ZodPipe(listUsersQuery)) q: z.infer<typeof listUsersQuery>) {
    return this.users.list(q);
  }

  @ApiOp('getUser')
  @ApiZodResponse(200, userView)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':id')
  get(@Param('id', param('id', intId)) id: number) {
    return this.users.get(id);
  }

  @ApiOp('createUser', 'Creates a user (a generated password is shown once)')
  @ApiZodResponse(201, userWithPassword)
  @ApiErrorResponses('VALIDATION', 'CONFLICT')
  @Post()
  @ApiZodBody(createUserBody)
  create(@Body(new ZodPipe(createUserBody)) body: z.infer<typeof createUserBody>, @CurrentActor() actor: Actor) {
    return this.users.create(body, actor);
  }

  @ApiOp('updateUser')
  @ApiZodResponse(200, userView)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Patch(':id')
  @ApiZodBody(updateUserBody)
  update(@Param('id', param('id', intId)) id: number, @Body(new ZodPipe(updateUserBody)) body: z.infer<typeof updateUserBody>, @CurrentActor() actor: Actor) {
    return this.users.update(id, body, actor);
  }

  /** Disables the user and ends their sessions. */
  @ApiOp('disableUser')
  @ApiZodResponse(201, userView)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Post(':id/disable')
  disable(@Param('id', param('id', intId)) id: number, @CurrentActor() actor: Actor) {
    return this.users.disable(id, actor);
  }

  /** A new one-time password (given, or generated and shown once); the user's sessions end. */
  @ApiOp('resetUserPassword')
  @ApiZodResponse(201, userWithPassword)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Post(':id/reset-password')
  @ApiZodBody(resetPasswordBody)
  resetPassword(@Param('id', param('id', intId)) id: number, @Body(new ZodPipe(resetPasswordBody)) body: z.infer<typeof resetPasswordBody>, @CurrentActor() actor: Actor) {
    return this.users.resetPassword(id, body.password, actor);
  }
}
