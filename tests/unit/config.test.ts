import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { envSchema } from '../../src/config/config.schema';

const minimal = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/kk',
  REDIS_URL: 'redis://127.0.0.1:6379',
};
const productionEnv = {
  ...minimal,
  NODE_ENV: 'production',
  JWT_SECRET: 'a'.repeat(40),
  FILE_URL_SECRET: 'b'.repeat(40),
  PUBLIC_BASE_URL: 'https://api.karyaklik.id/',
  FRONTEND_URL: 'https://karyaklik.id',
};

describe('loadConfig', () => {
  it('when only the service URIs are given, then it fills safe development defaults', () => {
    const config = loadConfig(minimal);
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.jwt.expiresIn).toBe('7d');
    expect(config.allowDirectUpgrade).toBe(false);
    expect(config.corsOrigins).toEqual(
      expect.arrayContaining(['https://karyaklik.netlify.app', 'http://localhost:8080']),
    );
    expect(path.isAbsolute(config.files.uploadsDir)).toBe(true);
  });

  it('stores files locally by default; the S3 driver needs a bucket and takes its settings', () => {
    expect(loadConfig(minimal).storage.driver).toBe('local');
    expect(() => loadConfig({ ...minimal, STORAGE_DRIVER: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ ...minimal, STORAGE_DRIVER: 'ftp' })).toThrow(/STORAGE_DRIVER/);
    const config = loadConfig({
      ...minimal,
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'karyaklik-files',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'true',
      STORAGE_PUBLIC_URL: 'https://cdn.karyaklik.id/files/',
    });
    expect(config.storage).toEqual({
      driver: 's3',
      sweepIntervalMs: 300_000,
      publicUrl: 'https://cdn.karyaklik.id/files',
      s3: {
        endpoint: 'http://127.0.0.1:9000',
        region: 'us-east-1',
        bucket: 'karyaklik-files',
        accessKeyId: 'key',
        secretAccessKey: 'secret',
        forcePathStyle: true,
      },
    });
  });

  it('when loaded, then the config and its nested objects are frozen', () => {
    const config = loadConfig(minimal);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.jwt)).toBe(true);
    expect(Object.isFrozen(config.corsOrigins)).toBe(true);
  });

  it('when FRONTEND_URL is set, then it joins the CORS allow-list and loses its trailing slash', () => {
    const config = loadConfig({
      ...minimal,
      CORS_ORIGINS: 'https://a.example',
      FRONTEND_URL: 'https://app.example/',
    });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://app.example']);
    expect(config.frontendUrl).toBe('https://app.example');
  });

  it('when values are invalid, then it reports every problem at once', () => {
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x', PORT: 'abc' })).toThrow(ConfigError);
    try {
      loadConfig({ MONGODB_URI: 'postgres://x', PORT: 'abc' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/MONGODB_URI/);
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/REDIS_URL/);
    }
  });

  it('when production runs on the development secrets, then it refuses to start', () => {
    expect(() => loadConfig({ ...minimal, NODE_ENV: 'production' })).toThrow(
      /Refusing to start in production.*JWT_SECRET.*FILE_URL_SECRET.*PUBLIC_BASE_URL.*FRONTEND_URL/,
    );
  });

  it('when production has real secrets and URLs, then it starts', () => {
    const config = loadConfig(productionEnv);
    expect(config.isProduction).toBe(true);
    expect(config.publicBaseUrl).toBe('https://api.karyaklik.id');
  });

  it('when production sets a Google client id without its secret, then it refuses to start', () => {
    expect(() =>
      loadConfig({ ...productionEnv, GOOGLE_CLIENT_ID: 'id.apps.googleusercontent.com' }),
    ).toThrow(/GOOGLE_CLIENT_SECRET/);
  });

  it('documents every environment variable in .env.example with a comment', () => {
    const example = readFileSync(path.join(__dirname, '../../.env.example'), 'utf8').split('\n');
    const keys = Object.keys(envSchema.describe().keys ?? {});
    expect(keys.length).toBeGreaterThan(30);
    for (const key of keys) {
      const index = example.findIndex((line) => line.startsWith(`${key}=`));
      expect({ key, documented: index >= 0 }).toEqual({ key, documented: true });
      // The key's comment may sit a few lines up when related keys share one.
      const above = example.slice(Math.max(0, index - 4), index);
      expect({ key, commented: above.some((line) => line.startsWith('# ')) }).toEqual({
        key,
        commented: true,
      });
    }
  });
});
