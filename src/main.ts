import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { loadConfig } from './config/config';

/** Process roles: APP_ROLE=all (API + workers + schedules), api, or worker. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  if (config.runsApi) {
    await app.listen(config.port, config.host);
    Logger.log(`API on http://${config.host}:${config.port} (docs: /api/docs); role=${config.role}`, 'main');
  } else {
    await app.init();
    Logger.log(`worker started; role=${config.role}`, 'main');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
