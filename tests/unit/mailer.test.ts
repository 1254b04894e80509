import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createMailer, logTransport } from '../../src/lib/mailer';

const config = loadConfig({
  NODE_ENV: 'test',
  MONGODB_URI: 'mongodb://127.0.0.1/x',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMTP_HOST: '',
});

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('mailer', () => {
  it('without SMTP_HOST, writes the recipient, subject and link to the log at info level', async () => {
    const { logger, lines } = capturingLogger();
    await createMailer(config, logger).send({
      to: 'sari@karyaklik.test',
      subject: 'Verify',
      text: 'secret body',
      link: 'http://app.test/verify-email?token=abc',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      mail: {
        to: 'sari@karyaklik.test',
        subject: 'Verify',
        link: 'http://app.test/verify-email?token=abc',
      },
    });
    expect(JSON.stringify(lines[0])).not.toContain('secret body');
  });

  it('when delivery fails, then the error is logged and the caller is not failed', async () => {
    const { logger, lines } = capturingLogger();
    const broken = { send: async () => Promise.reject(new Error('SMTP down')) };
    await expect(
      createMailer(config, logger, broken).send({ to: 'a@b.test', subject: 'S', text: 'T' }),
    ).resolves.toBeUndefined();
    expect(lines[0]).toMatchObject({ level: 50, msg: 'mail delivery failed' });
  });

  it('hands the configured sender to the transport', async () => {
    const sent: unknown[] = [];
    await createMailer(config, pino({ level: 'silent' }), {
      send: async (m) => void sent.push(m),
    }).send({ to: 'a@b.test', subject: 'S', text: 'T' });
    expect(sent[0]).toMatchObject({ from: config.mail.from, to: 'a@b.test' });
    expect(logTransport).toBeInstanceOf(Function);
  });
});
