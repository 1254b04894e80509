/**
 * `npm start`: one command for a fresh clone. Provides MongoDB and Redis (configured, or
 * embedded local ones), then runs the compiled API and a worker together. It prints one line per
 * choice it makes (database, Redis, files, admin, URL). Production runs `npm run start:api` and
 * `npm run start:worker` separately instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { generatedAdmin } from './local-services/admin';
import { provideMongo, redactUri } from './local-services/mongo';
import { provideRedis } from './local-services/redis';
import { stopProcess } from './local-services/processes';

const log = (message: string) => process.stdout.write(`[start] ${message}\n`);

async function main(): Promise<void> {
  const mongo = await provideMongo({ configuredUri: process.env.MONGODB_URI, log });
  const redis = await provideRedis({ configuredUrl: process.env.REDIS_URL, log }).catch(
    async (error: unknown) => {
      await mongo.stop();
      throw error;
    },
  );

  const distSrc = path.resolve(__dirname, '..', 'src');
  const env: NodeJS.ProcessEnv = { ...process.env, MONGODB_URI: mongo.uri, REDIS_URL: redis.url };
  log(`Files: ${path.resolve(process.env.UPLOADS_DIR ?? 'uploads')} (UPLOADS_DIR)`);
  if (mongo.kind !== 'configured') {
    // An embedded database starts empty every time: fill it so the booth has frames to show,
    // and an admin to try the admin pages with.
    const admin = generatedAdmin(process.env);
    if (admin) Object.assign(env, { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
    log('Seeding the embedded database: starter templates and the admin.');
    await runToCompletion(path.join(__dirname, 'seed.js'), {
      ...env,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    if (admin)
      log(
        `Admin: ${admin.email}  password: ${admin.password}  (generated for this run; ` +
          'set ADMIN_EMAIL and ADMIN_PASSWORD to choose your own)',
      );
    else if (env.ADMIN_EMAIL) log(`Admin: ${env.ADMIN_EMAIL} (ADMIN_EMAIL)`);
  } else {
    log(
      `Run \`npm run seed\` once against ${redactUri(mongo.uri)} for the admin and starter templates.`,
    );
  }
  const children: ChildProcess[] = [
    spawn(process.execPath, [path.join(distSrc, 'server.js')], { env, stdio: 'inherit' }),
    spawn(process.execPath, [path.join(distSrc, 'worker.js')], { env, stdio: 'inherit' }),
  ];
  const port = process.env.PORT ?? '3000';
  log(
    `API: ${process.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`}/api  ` +
      '(health: /api/health, ready: /api/ready), with one worker. Stop with Ctrl+C.',
  );

  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(children.map((child) => stopProcess(child)));
    await Promise.allSettled([mongo.stop(), redis.stop()]);
    process.exit(code);
  };
  for (const child of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        log(`a child process exited (code ${code ?? 'signal'}); stopping everything`);
        void stopAll(code ?? 1);
      }
    });
  }
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
}

function runToCompletion(script: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(script)} exited with ${code}`)),
    );
  });
}

main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
