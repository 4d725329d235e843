import { isCityWide } from '../auth/scope';
import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { AllowedBeforePasswordChange, CurrentActor, Public } from '../auth/decorators';
import { ApiErrorResponses, ApiOp, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';
import { ZodPipe } from '../common/zod-validation.pipe';
import { changePasswordBody, loginBody } from './accounts.schemas';
import { SESSION_COOKIE, SessionsService } from './sessions.service';
import { UsersService } from './users.service';
import { newXsrfToken, XSRF_COOKIE } from './csrf';
import { cookieOf } from '../auth/auth.guard';
import { loggedOut, loginResponse, meResponse, passwordChanged } from './accounts.responses';

/** Sign-in with a username and password: a session cookie (HttpOnly, SameSite=Strict). */
@ApiTags('accounts')
@Controller('api/auth')
export class AuthSessionController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  private cookieOptions(req: Request) {
    return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: req.secure || this.config.cookieSecure };
  }

  /** The CSRF token's cookie: readable by the page's script (not HttpOnly), which echoes it in X-XSRF-TOKEN. */
  private xsrfCookieOptions(req: Request) {
    return { ...this.cookieOptions(req), httpOnly: false };
  }

  @ApiOp('login', 'Sign in: sets the session and XSRF cookies', { public: true })
  @ApiZodResponse(200, loginResponse)
  @ApiErrorResponses('VALIDATION', 'UNAUTHENTICATED', 'LOCKED', 'CSRF', 'TOO_MANY_REQUESTS', 'INTERNAL')
  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiZodBody(loginBody)
  async login(@Body(new ZodPipe(loginBody)) body: z.infer<typeof loginBody>, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const s = await this.sessions.login(body.username, body.password, req.ip ?? 'unknown');
    res.cookie(SESSION_COOKIE, s.secret, { ...this.cookieOptions(req), expires: s.expiresAt });
    res.cookie(XSRF_COOKIE, newXsrfToken(), { ...this.xsrfCookieOptions(req), expires: s.expiresAt });
    return { expiresAt: s.expiresAt, mustChangePassword: s.mustChangePassword };
  }

  @ApiOp('getMe', 'Who is calling: the signed-in user or the token')
  @ApiZodResponse(200, meResponse)
  @ApiErrorResponses('UNAUTHENTICATED', 'TOO_MANY_REQUESTS', 'INTERNAL')
  @Get('me')
  @AllowedBeforePasswordChange()
  async me(@CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    if (actor.sessionId && !cookieOf(req.headers.cookie, XSRF_COOKIE)) res.cookie(XSRF_COOKIE, newXsrfToken(), this.xsrfCookieOptions(req));
    if (actor.userId === undefined) {
      const scope = actor.scope ?? { towns: [], projects: [] };
      return { user: null, name: actor.name, role: actor.role, tokenId: actor.tokenId, scope: { ...scope, city: isCityWide(scope) } };
    }
    const u = await this.users.get(actor.userId);
    return {
      user: { id: u.id, username: u.username, displayName: u.displayName },
      role: u.role,
      scope: { towns: u.scopeTowns, projects: u.scopeProjects, city: !u.scopeTowns.length && !u.scopeProjects.length },
      mustChangePassword: u.mustChangePassword,
    };
  }

  @ApiOp('logout', 'Ends the session')
  @ApiZodResponse(200, loggedOut)
  @ApiErrorResponses('VALIDATION', 'UNAUTHENTICATED', 'CSRF', 'TOO_MANY_REQUESTS', 'INTERNAL')
  @Post('logout')
  @HttpCode(200)
  @AllowedBeforePasswordChange()
  async logout(@CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    if (!actor.sessionId) throw new DomainError('VALIDATION', '此凭证不是登录会话');
    await this.sessions.logout(actor);
    res.clearCookie(SESSION_COOKIE, this.cookieOptions(req));
    res.clearCookie(XSRF_COOKIE, this.xsrfCookieOptions(req));
    return { loggedOut: true };
  }

  @ApiOp('changePassword', 'Changes the signed-in user\'s password')
  @ApiZodResponse(200, passwordChanged)
  @ApiErrorResponses('VALIDATION', 'UNAUTHENTICATED', 'CSRF', 'TOO_MANY_REQUESTS', 'INTERNAL')
  @Post('password')
  @HttpCode(200)
  @AllowedBeforePasswordChange()
  @ApiZodBody(changePasswordBody)
  async changePassword(@Body(new ZodPipe(changePasswordBody)) body: z.infer<typeof changePasswordBody>, @CurrentActor() actor: Actor, @Req() req: Request) {
    await this.sessions.changePassword(actor, body.current, body.next, req.ip ?? 'unknown');
    return { changed: true };
  }
}
