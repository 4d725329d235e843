import { Global, Module } from '@nestjs/common';
import { AuthSessionController } from './auth-session.controller';
import { SessionsService } from './sessions.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Users, passwords, sessions and sign-in. Global: the auth guard resolves session cookies with SessionsService. */
@Global()
@Module({
  providers: [UsersRepository, UsersService, SessionsService],
  controllers: [UsersController, AuthSessionController],
  exports: [SessionsService, UsersService],
})
export class AccountsModule {}
