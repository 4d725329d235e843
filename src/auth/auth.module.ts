import { Global, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../config/config';
import { AuthGuard } from './auth.guard';
import { TokenRepository } from './token.repository';
import { TokenService } from './token.service';
import { TokensController } from './tokens.controller';

@Global()
@Module({
  providers: [TokenRepository, TokenService, { provide: APP_GUARD, useClass: AuthGuard }],
  controllers: [TokensController],
  exports: [TokenService],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tokens.bootstrap(this.config.bootstrapAdminToken);
  }
}
